/**
 * Strict parsing of the `KEY:VALUE/KEY:VALUE/…` body shared by every CVSS version's vector string.
 *
 * Untrusted input: never throws, returns null on anything malformed. Rules (all versions):
 * - metric names and values are case-sensitive and must be known (`AV:n`, `av:N` are rejected);
 * - every metric at most once, every mandatory (base) metric exactly once;
 * - no empty components (a leading, trailing or doubled `/` is rejected), no whitespace;
 * - metrics may come in any order (CVSS v3.x §6 requires readers to accept any order; v4.0's text is
 *   ambiguous and real advisories carry reordered v4 vectors; v2 vectors in the wild are canonical).
 */

/** Longest vector accepted; the longest valid v4.0 vector is under 300 characters. */
export const MAX_VECTOR_LENGTH = 512;

/** Metric name → allowed values. A Map, so that names like `__proto__` cannot reach Object.prototype. */
export type MetricTable = ReadonlyMap<string, readonly string[]>;

export function metricTable(entries: Record<string, readonly string[]>): MetricTable {
  return new Map(Object.entries(entries));
}

/**
 * Parses `body` (the vector without its `CVSS:x.y/` prefix) against `table`. Returns the metrics given,
 * by name, or null when the body is malformed or a mandatory metric is missing.
 */
export function parseMetrics(
  body: string,
  table: MetricTable,
  mandatory: readonly string[],
): Map<string, string> | null {
  if (body.length === 0 || body.length > MAX_VECTOR_LENGTH) return null;
  const metrics = new Map<string, string>();
  for (const part of body.split('/')) {
    const colon = part.indexOf(':');
    if (colon <= 0 || colon !== part.lastIndexOf(':')) return null;
    const name = part.slice(0, colon);
    const value = part.slice(colon + 1);
    const allowed = table.get(name);
    if (allowed === undefined || !allowed.includes(value)) return null;
    if (metrics.has(name)) return null;
    metrics.set(name, value);
  }
  for (const name of mandatory) if (!metrics.has(name)) return null;
  return metrics;
}
