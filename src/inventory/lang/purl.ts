/**
 * Package URLs of language packages, written as the purl spec says
 * (https://github.com/package-url/purl-spec, PURL-SPECIFICATION.rst): each namespace segment,
 * the name and the version percent-encoded (`@scope` → `%40scope`, `+incompatible` →
 * `%2Bincompatible`), qualifiers sorted by key. Reading purls is src/mitigations/purl.ts.
 */

export interface PurlParts {
  type: string;
  /** `/`-separated; each segment is encoded on its own. */
  namespace?: string | null;
  name: string;
  version?: string | null;
  qualifiers?: Record<string, string | undefined>;
}

function encodeSegment(s: string): string {
  // encodeURIComponent leaves !'()* as they are; the spec asks only that reserved chars be encoded.
  return encodeURIComponent(s);
}

export function formatPurl(p: PurlParts): string {
  let out = `pkg:${p.type.toLowerCase()}/`;
  if (p.namespace) out += p.namespace.split('/').filter((s) => s !== '').map(encodeSegment).join('/') + '/';
  out += encodeSegment(p.name);
  if (p.version) out += '@' + encodeSegment(p.version);
  const q = Object.entries(p.qualifiers ?? {})
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .map(([k, v]) => [k.toLowerCase(), v] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (q.length > 0) out += '?' + q.map(([k, v]) => `${k}=${encodeSegment(v)}`).join('&');
  return out;
}

/**
 * PEP 503 normalised project name: runs of `-`, `_`, `.` become one `-`, lower case. OSV's
 * PyPI records and the pypi purl type both use this form (all 1,459 PyPI package names in
 * ../shared/osv/real-mixed.zip are already normalised).
 */
export function pep503Name(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}
