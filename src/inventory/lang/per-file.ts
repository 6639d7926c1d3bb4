/**
 * The loop that analysers reading whole files (language packages, dpkg, apk) run over one
 * layer's files: a file over the analyser's size limit, a parse error, or anything a parser
 * throws becomes a gap naming the file, never an exception out of the analyser (the inventory
 * caches what we return per layer).
 */
import type { AnalyserResult, FoundPackage, ImageFile } from '../../model/stages.js';

/** What a parser makes of one file: packages, and reasons it could not read parts of it. */
export interface FileReading {
  packages: FoundPackage[];
  problems: string[];
}

/** Most packages kept from one file; more is a gap (no real manifest or package database lists that many). */
export const MAX_PACKAGES_PER_FILE = 50_000;

/** Most gap reasons kept per file; the rest are counted in one last reason. */
export const MAX_PROBLEMS_PER_FILE = 20;

export function readEach(files: ImageFile[], maxFileBytes: number, parse: (file: ImageFile) => FileReading): AnalyserResult {
  const result: AnalyserResult = { packages: [], gaps: [] };
  for (const file of files) {
    if (file.content.length > maxFileBytes || file.size > maxFileBytes) {
      result.gaps.push({ path: file.path, reason: `file of ${Math.max(file.size, file.content.length)} bytes is over the ${maxFileBytes}-byte limit for this analyser: not read` });
      continue;
    }
    let reading: FileReading;
    try {
      reading = parse(file);
    } catch (err) {
      // A parser bug on hostile bytes must not take the inventory down; say what happened instead.
      result.gaps.push({ path: file.path, reason: `could not be read: ${shortText(err instanceof Error ? err.message : String(err))}` });
      continue;
    }
    let packages = reading.packages;
    if (packages.length > MAX_PACKAGES_PER_FILE) {
      result.gaps.push({ path: file.path, reason: `lists ${packages.length} packages, over the limit of ${MAX_PACKAGES_PER_FILE}: only the first ${MAX_PACKAGES_PER_FILE} kept` });
      packages = packages.slice(0, MAX_PACKAGES_PER_FILE);
    }
    for (const p of packages) result.packages.push(p);
    for (const reason of reading.problems.slice(0, MAX_PROBLEMS_PER_FILE)) result.gaps.push({ path: file.path, reason });
    const more = reading.problems.length - MAX_PROBLEMS_PER_FILE;
    if (more > 0) result.gaps.push({ path: file.path, reason: `and ${more} more entries that could not be read` });
  }
  return result;
}

/** Text of a file: UTF-8 (invalid bytes replaced), a leading byte order mark dropped. */
export function fileText(content: Buffer): string {
  const s = content.toString('utf8');
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/** JSON.parse with the error turned into a short reason; V8's parser is iterative, so deep nesting cannot overflow the stack. */
export function parseJson(content: Buffer): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(fileText(content)) as unknown };
  } catch (err) {
    return { ok: false, reason: `not valid JSON (${shortText(err instanceof Error ? err.message : String(err))})` };
  }
}

/** Text from the file (or an error quoting it) made safe for a one-line reason: control characters replaced, at most `max` characters. */
export function shortText(s: string, max = 120): string {
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > max ? clean.slice(0, max) + '…' : clean;
}

/**
 * Whether a name or version read from a file can stand in a report and a purl: 1 to 256
 * characters, none of them blank or a control character. Anything else is a gap, not a package.
 */
export function isPlainToken(s: string): boolean {
  return s.length > 0 && s.length <= 256 && !/[\s\u0000-\u001f\u007f-\u009f]/.test(s);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string field, trimmed; undefined when absent, empty or not a string. */
export function stringField(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}
