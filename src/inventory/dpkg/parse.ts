/**
 * dpkg's database of installed packages (image-contents.md §2.2): `/var/lib/dpkg/status`, or one
 * or more stanzas per file in `/var/lib/dpkg/status.d/` (distroless). Stanzas are `Field: value`
 * lines separated by blank lines; lines starting with a blank continue the field before them.
 *
 * A stanza is a package unless its `Status` says it is not on disk: wanted `deinstall`/`purge`
 * (Trivy's and Syft's rule, which also drops `rc` leftovers), or state `not-installed` /
 * `config-files`. A `half-installed` package (an unpack that failed midway) is not reported
 * either, but as a gap: its files may be partly there. Distroless stanzas have no `Status` and
 * count as installed. The version stays whole (`1:2.31.1-0.4ubuntu3.1`, epoch included, as
 * Debian's OSV records and the Debian version scheme compare it). `Source: name (version)` gives
 * the source package that Debian and Ubuntu advisories are keyed by; without a version the source
 * version is the binary version, without `Source:` the source name is the binary name (dpkg's
 * rule, lib/dpkg/pkg-format.c). Unlike Trivy, which drops them silently, a stanza that cannot be
 * a package (no Package or Version, an invalid version, a malformed line) is reported as a gap.
 */
import type { FoundPackage } from '../../model/stages.js';
import { debian } from '../../versioning/debian.js';
import { MAX_PACKAGES_PER_FILE, shortText, type FileReading } from '../lang/per-file.js';

/** Problems listed per file before the rest are only counted: a corrupt file must not flood the report. */
export const MAX_PROBLEMS_PER_FILE = 20;
/** Longest Source value read; a real one is a name and a version. */
const MAX_SOURCE_LENGTH = 512;
const MAX_TOKEN_LENGTH = 256;

const KEPT_FIELDS = new Set(['package', 'version', 'source', 'architecture', 'status']);

interface Stanza {
  line: number;
  fields: Map<string, string>;
  count: number;
}

/** dpkg's package-name rule (lib/dpkg/parsehelp.c pkg_name_is_illegal): alphanumeric first, then letters, digits and `+-._`. */
export function isDpkgName(s: string): boolean {
  return s.length <= MAX_TOKEN_LENGTH && /^[A-Za-z0-9][A-Za-z0-9+._-]*$/.test(s);
}

/** Collects a file's problems, keeping the first few and counting the rest: at most MAX_PROBLEMS_PER_FILE reasons in all. */
export class ProblemList {
  private readonly list: string[] = [];
  private extra = 0;
  add(reason: string): void {
    if (this.list.length < MAX_PROBLEMS_PER_FILE) this.list.push(reason);
    else this.extra++;
  }
  done(): string[] {
    if (this.extra === 0) return this.list;
    // The last kept reason makes room for the count.
    return [...this.list.slice(0, -1), `${this.extra + 1} more problems not listed`];
  }
}

/** True when the head of a file holds NUL bytes: a binary file, not a text database. */
export function looksBinary(content: Buffer): boolean {
  return content.subarray(0, 8192).indexOf(0) >= 0;
}

export function parseDpkgStatus(content: Buffer, path: string): FileReading {
  const problems = new ProblemList();
  const packages: FoundPackage[] = [];
  if (looksBinary(content)) return { packages, problems: ['binary data, not a dpkg database: not read'] };
  const text = content.toString('utf8');
  const seen = new Set<string>();
  let full = false;

  const finish = (s: Stanza): void => {
    if (full) return;
    const name = s.fields.get('package') ?? '';
    const version = s.fields.get('version') ?? '';
    const status = s.fields.get('status');
    const label = name ? `package ${shortText(name, 60)}` : `stanza at line ${s.line}`;
    if (status !== undefined) {
      const words = status.split(/\s+/);
      if (words.includes('deinstall') || words.includes('purge')) return;
      const state = words[2];
      if (state === 'not-installed' || state === 'config-files') return;
      if (state === 'half-installed') {
        problems.add(`${label} is half-installed (Status: ${shortText(status, 60)}): not reported`);
        return;
      }
    }
    if (!name) {
      // A stanza of empty fields says nothing; one with content but no name is damage worth reporting.
      if ([...s.fields.values()].some((v) => v !== '') || s.count > s.fields.size) problems.add(`${label} has no Package field`);
      return;
    }
    if (!isDpkgName(name)) return problems.add(`${label} (line ${s.line}): not a valid package name`);
    if (!version) return problems.add(`${label} (line ${s.line}) has no Version`);
    if (version.length > MAX_TOKEN_LENGTH || !debian.isValid(version)) return problems.add(`${label}: version ${shortText(version, 60)} is not a valid Debian version`);
    let source = { name, version };
    const src = s.fields.get('source');
    if (src !== undefined && src !== '') {
      const m = src.length <= MAX_SOURCE_LENGTH ? /^(\S+)(?:\s+\(([^()]*)\))?\s*$/.exec(src) : null;
      if (!m || !isDpkgName(m[1]!)) return problems.add(`${label}: Source ${shortText(src, 60)} is not "name" or "name (version)"`);
      const srcVersion = m[2]?.trim() || version;
      if (srcVersion.length > MAX_TOKEN_LENGTH || !debian.isValid(srcVersion)) return problems.add(`${label}: source version ${shortText(srcVersion, 60)} is not a valid Debian version`);
      source = { name: m[1]!, version: srcVersion };
    }
    const archField = s.fields.get('architecture');
    const arch = archField && archField.length <= 64 && /^[A-Za-z0-9_-]+$/.test(archField) ? archField : undefined;
    const key = `${name}\n${version}\n${arch ?? ''}`;
    if (seen.has(key)) return;
    if (packages.length >= MAX_PACKAGES_PER_FILE) {
      full = true;
      problems.add(`more than ${MAX_PACKAGES_PER_FILE} packages: the rest not read`);
      return;
    }
    seen.add(key);
    const pkg: FoundPackage = { type: 'deb', name, version, source, paths: [path], confidence: 'exact' };
    if (arch) pkg.arch = arch;
    packages.push(pkg);
  };

  let stanza: Stanza | null = null;
  let inField = false;
  let lineNo = 0;
  for (let pos = 0; pos < text.length && !full; ) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let line = text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') {
      if (stanza) finish(stanza);
      stanza = null;
      inField = false;
      continue;
    }
    const c = line.charCodeAt(0);
    if (c === 0x20 || c === 0x09) {
      if (!inField) problems.add(`line ${lineNo}: continuation line outside a field`);
      continue;
    }
    stanza ??= { line: lineNo, fields: new Map(), count: 0 };
    stanza.count++;
    const colon = line.indexOf(':');
    const field = colon > 0 ? line.slice(0, colon) : '';
    if (field === '' || /\s/.test(field)) {
      problems.add(`line ${lineNo}: not a "Field: value" line: ${shortText(line, 60)}`);
      inField = false;
      continue;
    }
    inField = true;
    const key = field.toLowerCase();
    if (!KEPT_FIELDS.has(key)) continue;
    if (stanza.fields.has(key)) {
      problems.add(`line ${lineNo}: a second ${shortText(field, 30)} field in the stanza of line ${stanza.line}: ignored`);
      continue;
    }
    stanza.fields.set(key, line.slice(colon + 1).trim());
  }
  if (stanza) finish(stanza);
  return { packages, problems: problems.done() };
}
