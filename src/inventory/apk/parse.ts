/**
 * apk's database of installed packages, `lib/apk/db/installed` (apk-package(5), image-contents.md
 * §2.3): one stanza per package, `K:value` lines with a one-letter key, blank lines between
 * stanzas. Read here: `P` name, `V` version, `A` arch, `o` origin, the aport the package was
 * built from, which Alpine's advisories (secdb, OSV `Alpine:v3.x`) are keyed by; without `o` the
 * origin is the package itself. The source version is the package version (one aport builds all
 * its subpackages at one version). The other keys (files, checksums, dependencies) are skipped.
 *
 * Trivy ignores lines it does not understand and drops a stanza without `V` silently; Syft fails
 * the whole file on a malformed line. Here both are gaps and the readable stanzas still count.
 */
import type { FoundPackage } from '../../model/stages.js';
import { alpine } from '../../versioning/alpine.js';
import { ProblemList, isDpkgName, looksBinary } from '../dpkg/parse.js';
import { MAX_PACKAGES_PER_FILE, shortText, type FileReading } from '../lang/per-file.js';

const KEPT = new Set(['P', 'V', 'A', 'o']);
const MAX_TOKEN_LENGTH = 256;

interface Stanza {
  line: number;
  fields: Map<string, string>;
  count: number;
  /** Lines already reported as malformed. */
  bad: number;
}

/** apk package names follow the same shape as dpkg's (alphanumeric first, then `+-._`). */
const isApkName = isDpkgName;

export function parseApkInstalled(content: Buffer, path: string): FileReading {
  const problems = new ProblemList();
  const packages: FoundPackage[] = [];
  if (looksBinary(content)) return { packages, problems: ['binary data, not an apk database: not read'] };
  const text = content.toString('utf8');
  const seen = new Set<string>();
  let full = false;

  const finish = (s: Stanza): void => {
    if (full) return;
    const name = s.fields.get('P') ?? '';
    const version = s.fields.get('V') ?? '';
    const label = name ? `package ${shortText(name, 60)}` : `stanza at line ${s.line}`;
    if (!name) {
      // A stanza of nothing but malformed lines was reported line by line already.
      if (s.count > s.bad) problems.add(`${label} has no P: (name) line`);
      return;
    }
    if (!isApkName(name)) return problems.add(`${label} (line ${s.line}): not a valid package name`);
    if (!version) return problems.add(`${label} (line ${s.line}) has no V: (version) line`);
    if (version.length > MAX_TOKEN_LENGTH || !alpine.isValid(version)) return problems.add(`${label}: version ${shortText(version, 60)} is not a valid apk version`);
    const origin = s.fields.get('o');
    if (origin !== undefined && origin !== '' && !isApkName(origin)) return problems.add(`${label}: origin ${shortText(origin, 60)} is not a package name`);
    const archField = s.fields.get('A');
    const arch = archField && archField.length <= 64 && /^[A-Za-z0-9_-]+$/.test(archField) ? archField : undefined;
    const key = `${name}\n${version}\n${arch ?? ''}`;
    if (seen.has(key)) return;
    if (packages.length >= MAX_PACKAGES_PER_FILE) {
      full = true;
      problems.add(`more than ${MAX_PACKAGES_PER_FILE} packages: the rest not read`);
      return;
    }
    seen.add(key);
    const pkg: FoundPackage = { type: 'apk', name, version, source: { name: origin || name, version }, paths: [path], confidence: 'exact' };
    if (arch) pkg.arch = arch;
    packages.push(pkg);
  };

  let stanza: Stanza | null = null;
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
      continue;
    }
    stanza ??= { line: lineNo, fields: new Map(), count: 0, bad: 0 };
    stanza.count++;
    if (line.length < 2 || line[1] !== ':' || line[0] === ' ' || line[0] === '\t') {
      problems.add(`line ${lineNo}: not a "K:value" line: ${shortText(line, 60)}`);
      stanza.bad++;
      continue;
    }
    const key = line[0]!;
    if (!KEPT.has(key)) continue;
    if (stanza.fields.has(key)) {
      problems.add(`line ${lineNo}: a second ${key}: line in the stanza of line ${stanza.line}: ignored`);
      continue;
    }
    stanza.fields.set(key, line.slice(2).trim());
  }
  if (stanza) finish(stanza);
  return { packages, problems: problems.done() };
}
