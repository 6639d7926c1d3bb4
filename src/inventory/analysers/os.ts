/**
 * The OS of an image layer: distribution, release, OSV ecosystem, end-of-life date
 * (DESIGN.md "Image contents", image-contents.md §2.1), from the release files only. Google's
 * distroless images are named as such (`variant: 'distroless'`): they say `ID=debian` with
 * `PRETTY_NAME="Distroless"` and keep their packages as one dpkg stanza per file in
 * `/var/lib/dpkg/status.d/`, which a Debian layer never has otherwise. Busybox-only layers are
 * the busybox analyser's (analysers/busybox.ts), and a scratch image has no result at all.
 *
 * It wants nothing but release files and status.d stanzas, on purpose: the inventory keys a
 * layer's OS result by the first path the analyser read, and a later layer that rewrites that
 * path replaces the result. A release file is rewritten only with a new release; /bin/busybox or
 * an apk database are rewritten by any `apk upgrade`, which must not lose the image's OS.
 */
import type { Analyser, AnalyserResult, FoundOs, ImageFile } from '../../model/stages.js';
import { endOfLifeFor } from '../os/eol.js';
import { debianReleaseOfCodename, familyOfId, osvEcosystem, parseKeyValues, parseReleaseLine } from '../os/release.js';
import { fileText, shortText } from '../lang/per-file.js';

const OS_RELEASE = ['/etc/os-release', '/usr/lib/os-release'];
const LSB_RELEASE = '/etc/lsb-release';
const ALPINE_RELEASE = '/etc/alpine-release';
const DEBIAN_VERSION = '/etc/debian_version';
/** Most specific first: CentOS, Alma and Rocky images also carry a redhat-release that names them. */
const REDHAT_RELEASES = ['/etc/centos-release', '/etc/almalinux-release', '/etc/rocky-release', '/etc/oracle-release', '/etc/fedora-release', '/etc/redhat-release', '/etc/system-release'];
const RELEASE_FILES = new Set([...OS_RELEASE, LSB_RELEASE, ALPINE_RELEASE, DEBIAN_VERSION, ...REDHAT_RELEASES]);
const DPKG_STATUS_D = '/var/lib/dpkg/status.d/';

/** A release file is a few hundred bytes; anything past this is not one. */
const MAX_RELEASE_BYTES = 64 * 1024;
/** Release files and status.d stanzas are small; the dpkg analyser reads the same stanzas with its own limit. */
const MAX_FILE_BYTES = 1024 * 1024;

/** Whether a layer path is one of the release files the OS is read from. */
export function isReleaseFile(path: string): boolean {
  return RELEASE_FILES.has(path);
}

function isWanted(path: string): boolean {
  return RELEASE_FILES.has(path) || (path.startsWith(DPKG_STATUS_D) && path.indexOf('/', DPKG_STATUS_D.length) < 0);
}

/** A release or name read from a file, safe to show: printable, short; undefined when empty or not plausible. */
function token(s: string | undefined, max = 64): string | undefined {
  const t = (s ?? '').trim();
  return t !== '' && t.length <= max && !/[\s\u0000-\u001f\u007f-\u009f]/.test(t) ? t : undefined;
}

function osOf(family: string, id: string, release: string, name: string, fields: { version?: string; prettyName?: string; cpeName?: string }): FoundOs {
  const os: FoundOs = { family, release, ecosystem: osvEcosystem(id, release, fields), name: shortText(name) };
  const eol = endOfLifeFor(os);
  if (eol) os.endOfLife = eol;
  return os;
}

export function detectOs(files: ImageFile[]): AnalyserResult {
  const gaps: AnalyserResult['gaps'] = [];
  const byPath = new Map(files.map((f) => [f.path, f]));
  const text = (path: string): string | undefined => {
    const f = byPath.get(path);
    if (!f) return undefined;
    if (f.content.length > MAX_RELEASE_BYTES) {
      gaps.push({ path, reason: `${f.content.length} bytes is too large for a release file (limit ${MAX_RELEASE_BYTES}): not read` });
      return undefined;
    }
    return fileText(f.content);
  };
  const statusD = files.some((f) => f.path.startsWith(DPKG_STATUS_D));
  const found = (os: FoundOs): AnalyserResult => ({ packages: [], gaps, os });

  const debianVersion = token(text(DEBIAN_VERSION)?.split('\n', 1)[0]);
  // `12.5` as Debian numbers point releases, or `trixie/sid` on testing (and on Ubuntu, which is why os-release comes first).
  const debianFromVersionFile = (): string | undefined =>
    debianVersion === undefined ? undefined : /^\d+(\.\d+)*$/.test(debianVersion) ? debianVersion : debianReleaseOfCodename(debianVersion.split('/')[0]!);

  for (const path of OS_RELEASE) {
    const t = text(path);
    if (t === undefined) continue;
    const kv = parseKeyValues(t);
    const id = token(kv.get('ID'), 64)?.toLowerCase();
    if (!id) {
      gaps.push({ path, reason: 'no ID= line: the distribution is not named' });
      continue;
    }
    const family = familyOfId(id);
    let release = token(kv.get('VERSION_ID'));
    if (release === undefined && family === 'debian') {
      // Testing and unstable have no VERSION_ID; the code name (or debian_version) still says which release is coming.
      release = debianReleaseOfCodename(kv.get('VERSION_CODENAME') ?? '') ?? debianFromVersionFile();
    }
    if (release === undefined && family === 'ubuntu') release = token(parseKeyValues(text(LSB_RELEASE) ?? '').get('DISTRIB_RELEASE'));
    if (release === undefined && family === 'alpine') release = token(text(ALPINE_RELEASE)?.split('\n', 1)[0]);
    const pretty = kv.get('PRETTY_NAME')?.trim();
    const name = pretty || [kv.get('NAME'), kv.get('VERSION')].filter(Boolean).join(' ') || `${id} ${release ?? ''}`.trim();
    const os = osOf(family, id, release ?? '', name, { version: kv.get('VERSION'), prettyName: pretty, cpeName: kv.get('CPE_NAME') });
    if (family === 'debian' && (pretty === 'Distroless' || /distroless/i.test(kv.get('HOME_URL') ?? '') || statusD)) os.variant = 'distroless';
    return found(os);
  }

  const lsb = text(LSB_RELEASE);
  if (lsb !== undefined) {
    const kv = parseKeyValues(lsb);
    const id = token(kv.get('DISTRIB_ID'))?.toLowerCase();
    const release = token(kv.get('DISTRIB_RELEASE'));
    if (id && release) {
      const description = kv.get('DISTRIB_DESCRIPTION')?.trim() || `${kv.get('DISTRIB_ID')} ${release}`;
      return found(osOf(familyOfId(id), id, release, description, { version: description }));
    }
  }

  const alpine = token(text(ALPINE_RELEASE)?.split('\n', 1)[0]);
  if (alpine !== undefined) return found(osOf('alpine', 'alpine', alpine, `Alpine Linux v${alpine}`, {}));

  for (const path of REDHAT_RELEASES) {
    const t = text(path);
    if (t === undefined) continue;
    const line = parseReleaseLine(t);
    if (!line) {
      gaps.push({ path, reason: `not a "<name> release <version>" line: ${shortText(t.split('\n', 1)[0] ?? '')}` });
      continue;
    }
    const id = line.family === 'amazon' ? 'amzn' : line.family === 'oracle' ? 'ol' : line.family;
    return found(osOf(line.family, id, line.release, line.name, {}));
  }

  const debian = debianFromVersionFile();
  if (debian !== undefined) {
    const os = osOf('debian', 'debian', debian, `Debian GNU/Linux ${debian}`, {});
    if (statusD) os.variant = 'distroless';
    return found(os);
  }
  if (debianVersion !== undefined) gaps.push({ path: DEBIAN_VERSION, reason: `release ${shortText(debianVersion)} is not one chartaudit knows` });

  return { packages: [], gaps };
}

export const osAnalyser: Analyser = {
  id: 'os',
  version: 1,
  wants: (path) => isWanted(path),
  maxFileBytes: MAX_FILE_BYTES,
  analyse: (files) => detectOs(files),
};

/**
 * Of two layers' OS results (`upper` from the later layer), the one that names the image's OS:
 * the later one, except that a busybox-only guess never replaces a release read from a file
 * (a later layer that copies in or upgrades /bin/busybox does not change the distribution).
 */
export function preferOs(lower: FoundOs | null | undefined, upper: FoundOs | null | undefined): FoundOs | null {
  if (!upper) return lower ?? null;
  if (!lower) return upper;
  if (upper.variant === 'busybox' && lower.variant !== 'busybox') return lower;
  return upper;
}
