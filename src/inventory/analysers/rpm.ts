/**
 * Installed rpm packages, from the rpm database in any of its three formats, told apart by
 * their bytes as go-rpmdb does (SQLite `rpmdb.sqlite`, NDB `Packages.db`, BerkeleyDB hash
 * `Packages`), at the places Trivy and syft look (`/var/lib/rpm`, `/usr/lib/sysimage/rpm`,
 * `/usr/share/rpm` for rpm-ostree), and from the CBL-Mariner distroless manifest
 * `/var/lib/rpmmanifest/container-manifest-2`.
 *
 * Each package: binary name (the key of Red Hat, AlmaLinux and Rocky advisories), `version-release`
 * with the epoch apart, arch, and the source package from SOURCERPM. `gpg-pubkey` entries are
 * the keys rpm imported, not software: left out, as salt, atomic-reactor and agent-bom do.
 * Ecosystem and purl depend on the image's OS and are filled in by the inventory (src/inventory/os/purl.ts).
 * A SQLite database with a non-empty write-ahead log beside it is read without the log, and
 * that is reported.
 */
import type { Analyser, AnalyserResult, FoundPackage, ImageFile } from '../../model/stages.js';
import { isBerkeleyDbHash, readBdbPackages } from '../rpm/bdb.js';
import { DEFAULT_BLOB_LIMITS, ProblemList, type BlobLimits, type BlobReading } from '../rpm/blobs.js';
import { parseRpmHeader } from '../rpm/header.js';
import { readRpmManifest } from '../rpm/manifest.js';
import { isNdb, readNdbPackages } from '../rpm/ndb.js';
import { rpmPackage } from '../rpm/package.js';
import { isSqlite, readSqlitePackages } from '../rpm/sqlite.js';

const DB_DIRS = ['/var/lib/rpm', '/usr/lib/sysimage/rpm', '/usr/share/rpm'];
const DB_NAMES = ['Packages', 'Packages.db', 'rpmdb.sqlite'];
const WAL_NAME = 'rpmdb.sqlite-wal';
const MANIFEST = '/var/lib/rpmmanifest/container-manifest-2';
const WANTED = new Set([...DB_DIRS.flatMap((d) => [...DB_NAMES, WAL_NAME].map((n) => `${d}/${n}`)), MANIFEST]);
/** The 32-byte WAL header alone means no frames are waiting. */
const WAL_HEADER_BYTES = 32;

/**
 * Container rpmdbs are a few MiB (CBL-Mariner's 129 packages: 3.4 MiB), a full RHEL host's
 * BerkeleyDB up to about 200 MiB (headers carry every file name); 256 MiB reads those without
 * reading an absurd file whole.
 */
export const RPM_MAX_FILE_BYTES = 256 * 1024 * 1024;

function readDatabase(file: ImageFile, limits: BlobLimits): BlobReading {
  const b = file.content;
  if (b.length === 0) return { blobs: [], problems: ['empty file: no rpm database in it'] };
  // Problems name the format: "page 2 entry 0: …" alone does not say which database it is.
  const named = (format: string, r: BlobReading): BlobReading => ({ blobs: r.blobs, problems: r.problems.map((p) => `${format} rpmdb: ${p}`) });
  if (isSqlite(b)) return named('SQLite', readSqlitePackages(b, limits));
  if (isNdb(b)) return named('NDB', readNdbPackages(b, limits));
  if (isBerkeleyDbHash(b)) return named('BerkeleyDB', readBdbPackages(b, limits));
  return { blobs: [], problems: ['not an rpm database: neither SQLite, NDB nor BerkeleyDB hash'] };
}

export interface RpmLimits extends BlobLimits {
  maxFileBytes: number;
}

export const DEFAULT_RPM_LIMITS: RpmLimits = { ...DEFAULT_BLOB_LIMITS, maxFileBytes: RPM_MAX_FILE_BYTES };

/** The packages of one file and what could not be read in it. */
export function analyseRpmFile(file: ImageFile, limits: RpmLimits = DEFAULT_RPM_LIMITS): AnalyserResult {
  const gaps = (problems: string[]) => problems.map((reason) => ({ path: file.path, reason }));
  // The image reader already skips bigger files; this keeps the function safe on its own.
  if (file.content.length > limits.maxFileBytes) return { packages: [], gaps: gaps([`${file.content.length} bytes, more than the ${limits.maxFileBytes} read`]) };
  if (file.path.endsWith(`/${WAL_NAME}`)) {
    if (file.content.length <= WAL_HEADER_BYTES) return { packages: [], gaps: [] };
    return {
      packages: [],
      gaps: [{ path: file.path, reason: `write-ahead log of ${file.content.length} bytes not applied: packages of the last rpm transactions may be missing or stale` }],
    };
  }
  const packages: FoundPackage[] = [];
  if (file.path === MANIFEST) {
    const m = readRpmManifest(file.content.toString('utf8'), limits);
    for (const p of m.packages) packages.push(rpmPackage(p, file.path));
    return { packages, gaps: gaps(m.problems) };
  }
  const db = readDatabase(file, limits);
  const problems = new ProblemList(limits.maxProblems);
  db.blobs.forEach((blob, i) => {
    const h = parseRpmHeader(blob);
    if (!h.ok) problems.add(`header ${i + 1}: ${h.reason}`);
    else if (h.header.name !== 'gpg-pubkey') packages.push(rpmPackage(h.header, file.path));
  });
  return { packages, gaps: gaps([...db.problems, ...problems.list()]) };
}

export const rpmAnalyser: Analyser = {
  id: 'rpm',
  version: 1,
  maxFileBytes: RPM_MAX_FILE_BYTES,
  wants: (path) => WANTED.has(path),
  analyse(files: ImageFile[]): AnalyserResult {
    const out: AnalyserResult = { packages: [], gaps: [] };
    // /var/lib/rpm is a symlink to /usr/lib/sysimage/rpm on Fedora: one database, read once,
    // under its real path when that path was delivered too.
    const sorted = [...files].sort((a, b) => Number(a.target !== undefined) - Number(b.target !== undefined) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const seen = new Set<string>();
    for (const file of sorted) {
      const real = file.target ?? file.path;
      if (seen.has(real)) continue;
      seen.add(real);
      const r = analyseRpmFile(file);
      out.packages.push(...r.packages);
      out.gaps.push(...r.gaps);
    }
    return out;
  },
};
