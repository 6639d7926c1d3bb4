/**
 * Busybox-only images (the `busybox` image and its kind): a layer holding `/bin/busybox` and
 * neither a release file nor a package database is named `busybox`, with the version the binary
 * announces, and no OSV ecosystem (busybox has no distribution advisories to match). A layer that
 * also has an apk or dpkg database is an upgrade of a distribution's busybox package, not a
 * busybox-only image; one with a release file is the OS analyser's.
 *
 * A separate analyser from `os` so that the OS result is keyed by release files only (see
 * analysers/os.ts). Seeing one layer at a time, its result means only "this layer looks
 * busybox-only": when layers are merged, a release read from another layer must win over it
 * (`preferOs` in analysers/os.ts).
 */
import type { Analyser, AnalyserResult, ImageFile } from '../../model/stages.js';
import { busyboxVersion } from '../os/release.js';
import { isReleaseFile } from './os.js';

const BUSYBOX = new Set(['/bin/busybox', '/usr/bin/busybox']);
/** Package databases, wanted only to know that the layer has one (their bytes are read once for all analysers). */
const PACKAGE_DATABASES = new Set(['/var/lib/dpkg/status', '/lib/apk/db/installed', '/usr/lib/apk/db/installed']);
const DPKG_STATUS_D = '/var/lib/dpkg/status.d/';
/** BusyBox binaries are 1–2 MiB; dpkg status files of big images a few MiB. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

function isWanted(path: string): boolean {
  return BUSYBOX.has(path) || PACKAGE_DATABASES.has(path) || isReleaseFile(path) || (path.startsWith(DPKG_STATUS_D) && path.indexOf('/', DPKG_STATUS_D.length) < 0);
}

export function detectBusybox(files: ImageFile[]): AnalyserResult {
  const busybox = files.find((f) => BUSYBOX.has(f.path));
  if (!busybox || files.some((f) => !BUSYBOX.has(f.path))) return { packages: [], gaps: [] };
  const version = busyboxVersion(busybox.content) ?? '';
  return { packages: [], gaps: [], os: { family: 'busybox', release: version, ecosystem: null, name: `BusyBox${version ? ` v${version}` : ''}`, variant: 'busybox' } };
}

export const busyboxAnalyser: Analyser = {
  id: 'busybox',
  version: 1,
  wants: (path) => isWanted(path),
  maxFileBytes: MAX_FILE_BYTES,
  analyse: (files) => detectBusybox(files),
};
