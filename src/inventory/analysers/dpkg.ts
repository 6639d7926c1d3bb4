/**
 * Debian and Ubuntu packages from dpkg's database (src/inventory/dpkg/parse.ts):
 * `/var/lib/dpkg/status`, and the distroless layout `/var/lib/dpkg/status.d/<package>` whose
 * maintainer files beside the stanzas (`<package>.md5sums`, `.preinst`, …) are not stanzas and are
 * left alone, as Trivy skips `*.md5sums` there. Ecosystem and purl come later from the image's OS.
 */
import type { Analyser } from '../../model/stages.js';
import { parseDpkgStatus } from '../dpkg/parse.js';
import { readEach } from '../lang/per-file.js';

const STATUS = '/var/lib/dpkg/status';
const STATUS_D = '/var/lib/dpkg/status.d/';
/** Control files dpkg keeps per package (deb-control(5) family); package names may hold dots, so only these suffixes are excluded. */
const CONTROL_FILE = /\.(md5sums|preinst|postinst|prerm|postrm|conffiles|list|triggers|shlibs|symbols|templates|config)$/;
/** The status file of a large Ubuntu image is a few MiB; a limit well above that, never an unbounded read. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

export function wantsDpkgFile(path: string): boolean {
  if (path === STATUS) return true;
  if (!path.startsWith(STATUS_D)) return false;
  const name = path.slice(STATUS_D.length);
  return name !== '' && !name.includes('/') && !name.startsWith('.') && !CONTROL_FILE.test(name);
}

export const dpkgAnalyser: Analyser = {
  id: 'dpkg',
  version: 1,
  wants: (path) => wantsDpkgFile(path),
  maxFileBytes: MAX_FILE_BYTES,
  analyse: (files) => readEach(files, MAX_FILE_BYTES, (file) => parseDpkgStatus(file.content, file.path)),
};
