/**
 * `pom.properties`, which maven-archiver writes into every jar it builds
 * (`META-INF/maven/<groupId>/<artifactId>/pom.properties`) and which shading copies along with
 * the classes. It is a Java properties file; the three keys that name the artifact are read.
 */

export interface PomProperties {
  groupId: string;
  artifactId: string;
  version: string;
}

const ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' };

/** Joins continuation lines (a line ending in an odd number of backslashes goes on). */
function logicalLines(text: string): string[] {
  const out: string[] = [];
  // The pieces of a line being continued, joined once at its end (joining as it goes is quadratic).
  let pieces: string[] | null = null;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const piece = pieces === null ? raw : raw.replace(/^[ \t\f]+/, '');
    // Counted from the end: a regex for it backtracks quadratically on long runs of backslashes.
    let trailing = 0;
    while (trailing < piece.length && piece.charCodeAt(piece.length - 1 - trailing) === 0x5c) trailing++;
    if (trailing % 2 === 1) {
      (pieces ??= []).push(piece.slice(0, -1));
      continue;
    }
    out.push(pieces === null ? piece : [...pieces, piece].join(''));
    pieces = null;
  }
  if (pieces !== null) out.push(pieces.join(''));
  return out;
}

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c: string) => (c.length === 5 ? String.fromCharCode(parseInt(c.slice(1), 16)) : (ESCAPES[c] ?? c)));
}

/** Splits one logical line into key and value as java.util.Properties does. */
function keyValue(line: string): [string, string] | null {
  const s = line.replace(/^[ \t\f]+/, '');
  if (s === '' || s[0] === '#' || s[0] === '!') return null;
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\') i += 2;
    else if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
    else i++;
  }
  const key = s.slice(0, Math.min(i, s.length));
  let rest = s.slice(i).replace(/^[ \t\f]+/, '');
  if (rest[0] === '=' || rest[0] === ':') rest = rest.slice(1).replace(/^[ \t\f]+/, '');
  return [unescape(key), unescape(rest)];
}

/** The coordinates in a pom.properties; null unless groupId, artifactId and version are all set. */
export function parsePomProperties(text: string): PomProperties | null {
  const found: Partial<PomProperties> = {};
  for (const line of logicalLines(text)) {
    const kv = keyValue(line);
    if (!kv) continue;
    const [k, v] = kv;
    if (k === 'groupId' || k === 'artifactId' || k === 'version') found[k] = v.trim();
  }
  const { groupId, artifactId, version } = found;
  return groupId && artifactId && version ? { groupId, artifactId, version } : null;
}
