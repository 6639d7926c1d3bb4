/**
 * CPE names as NVD writes them: 2.3 formatted strings (`cpe:2.3:a:apache:airflow:*:*:*:*:*:*:*:*`,
 * with `\` escaping `:` and other punctuation inside a component) and, leniently, 2.2 URIs
 * (`cpe:/a:apache:airflow:1.10.10`). Components keep their 2.3 escaped form (so `vendor:product`
 * stays unambiguous) and are lower-cased: CPE matching is case-insensitive.
 */

export interface Cpe {
  part: string;
  vendor: string;
  product: string;
  version: string;
  update: string;
  edition: string;
  language: string;
  swEdition: string;
  targetSw: string;
  targetHw: string;
  other: string;
}

const FIELDS = ['part', 'vendor', 'product', 'version', 'update', 'edition', 'language', 'swEdition', 'targetSw', 'targetHw', 'other'] as const;

/** Parses a CPE 2.3 formatted string or a 2.2 URI; null when it is neither. */
export function parseCpe(input: string): Cpe | null {
  if (typeof input !== 'string') return null;
  const s = input.trim();
  let parts: string[];
  if (/^cpe:2\.3:/i.test(s)) {
    parts = splitEscaped(s.slice(8));
    if (parts.length !== 11) return null;
  } else if (/^cpe:\//i.test(s)) {
    parts = s
      .slice(5)
      .split(':')
      .map((p) => uriComponentTo23(p));
    if (parts.length < 2 || parts.length > 7) return null;
    while (parts.length < 11) parts.push('*');
  } else return null;
  const out = {} as Record<(typeof FIELDS)[number], string>;
  FIELDS.forEach((f, i) => {
    const v = parts[i]!.toLowerCase();
    out[f] = v === '' ? '*' : v;
  });
  if (out.vendor === '*' && out.product === '*') return null;
  return out;
}

/** Splits on `:` not escaped by a backslash; escapes are kept. */
function splitEscaped(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1];
      i++;
    } else if (c === ':') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** A 2.2 URI component (percent-encoded) in 2.3 formatted-string form. */
function uriComponentTo23(p: string): string {
  if (p === '') return '*';
  if (p === '-') return '-';
  let v: string;
  try {
    v = decodeURIComponent(p.replace(/%01/g, '?').replace(/%02/g, '*'));
  } catch {
    v = p;
  }
  return v.replace(/[^A-Za-z0-9_*?.-]/g, (c) => '\\' + c);
}

/** The 2.3 component without its escapes: `1.0\:beta` → `1.0:beta`. */
export function unescapeCpe(v: string): string {
  return v.replace(/\\(.)/g, '$1');
}

/** The index key of a CPE component as given by a caller (lower case, trimmed). */
export function cpeComponent(v: string): string {
  return v.trim().toLowerCase();
}
