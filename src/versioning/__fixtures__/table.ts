/**
 * The shape of a scheme's test data and the checks every scheme test runs on it: pairwise
 * orderings (`a op b`, checked both ways), ascending lists (every pair checked, like the
 * reference implementations' own sort tests), and valid / invalid strings. Each data file
 * notes where its rows come from. Shared by `<scheme>.test.ts` (through describe-scheme.ts)
 * and `registry.test.ts`; free of vitest so scripts can use it too.
 */
import type { Ordering, VersionScheme } from '../types.js';

export type Op = '<' | '=' | '>';
export type Row = readonly [a: string, op: Op, b: string];
/** Versions in ascending order; an inner array holds versions that compare equal. */
export type Ascending = readonly (string | readonly string[])[];

export interface SchemeFixture {
  /** Orderings taken from the ecosystem's specification and reference implementation tests. */
  orderings: readonly Row[];
  /** Ascending lists from the same sources, with a name saying which. */
  ascending?: Readonly<Record<string, Ascending>>;
  valid: readonly string[];
  invalid: readonly string[];
}

export const OP: Record<Op, Ordering> = { '<': -1, '=': 0, '>': 1 };

/** Every pair of an ascending list as a row. */
export function pairsOf(list: Ascending): Row[] {
  const groups = list.map((g) => (typeof g === 'string' ? [g] : [...g]));
  const rows: Row[] = [];
  groups.forEach((g, i) => {
    for (let x = 0; x < g.length; x++) for (let y = x + 1; y < g.length; y++) rows.push([g[x]!, '=', g[y]!]);
    for (const h of groups.slice(i + 1)) for (const a of g) for (const b of h) rows.push([a, '<', b]);
  });
  return rows;
}

export function allRows(fx: SchemeFixture): Row[] {
  return [...fx.orderings, ...Object.values(fx.ascending ?? {}).flatMap(pairsOf)];
}

/** Every distinct version the fixture names as valid or orders. */
export function versionsOf(fx: SchemeFixture): string[] {
  return [...new Set([...fx.valid, ...allRows(fx).flatMap(([a, , b]) => [a, b])])];
}

/** Rows whose comparison (in either direction) disagrees with the expected operator. */
export function failingRows(scheme: VersionScheme, rows: readonly Row[]): string[] {
  const out: string[] = [];
  for (const [a, op, b] of rows) {
    const want = OP[op];
    const ab = scheme.compare(a, b);
    const ba = scheme.compare(b, a);
    if (ab !== want || ba !== -want) out.push(`${a} ${op} ${b}: got ${ab} / ${ba}`);
  }
  return out;
}

/**
 * Reflexivity, antisymmetry and transitivity of `compare` over `versions` (all valid),
 * from the full comparison matrix. Returns the violations found (at most `limit`).
 */
export function orderViolations(scheme: VersionScheme, versions: readonly string[], limit = 20): string[] {
  const n = versions.length;
  const m: Ordering[][] = versions.map((a) => versions.map((b) => scheme.compare(a, b)));
  const out: string[] = [];
  const v = (i: number) => JSON.stringify(versions[i]);
  for (let i = 0; i < n && out.length < limit; i++) {
    if (m[i]![i] !== 0) out.push(`not reflexive: ${v(i)}`);
    for (let j = i + 1; j < n && out.length < limit; j++) {
      if (m[i]![j] !== -m[j]![i]!) out.push(`not antisymmetric: ${v(i)} vs ${v(j)}: ${m[i]![j]} / ${m[j]![i]}`);
    }
  }
  // Transitivity: a = b = c implies a = c; a <= b <= c with one strict step implies a < c.
  for (let i = 0; i < n && out.length < limit; i++) {
    const mi = m[i]!;
    for (let j = 0; j < n && out.length < limit; j++) {
      if (mi[j]! > 0) continue;
      const mj = m[j]!;
      for (let k = 0; k < n && out.length < limit; k++) {
        if (mj[k]! > 0) continue;
        const want = mi[j] === 0 && mj[k] === 0 ? 0 : -1;
        if (mi[k] !== want) out.push(`not transitive: ${v(i)} ${mi[j]} ${v(j)} ${mj[k]} ${v(k)} but ${mi[k]}`);
      }
    }
  }
  return out;
}
