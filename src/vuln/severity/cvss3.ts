/**
 * CVSS v3.0 and v3.1 base scores, computed as FIRST's calculators do
 * (https://www.first.org/cvss/v3.1/specification-document §7.1, §7.4, Appendix A;
 * https://www.first.org/cvss/v3.0/specification-document §8.1).
 *
 * The two versions share the base equations and weights; they differ only in rounding up:
 * - v3.1 uses the spec's `Roundup` (Appendix A), which works on an integer scaled by 100 000 so that
 *   floating-point noise such as 4.000000000000001 does not round up to 4.1;
 * - v3.0's calculator (FIRST cvsscalc30.js) rounds up with `Math.ceil(x * 10) / 10`, noise included.
 *   A v3.0 vector is scored the way the v3.0 calculator scores it, so a few v3.0 vectors score 0.1
 *   above the same metrics under v3.1 (that is what the record's publisher saw).
 *
 * Floating-point operations are done in the calculators' order so that results are bit-for-bit theirs.
 * Temporal and environmental metrics are validated but do not change the base score.
 */
import { metricTable, parseMetrics } from './parse.js';

export type Cvss3Version = '3.0' | '3.1';

export interface ParsedCvss3 {
  version: Cvss3Version;
  /** Every metric given in the vector, by abbreviation (`AV` → `N`). Base metrics are always present. */
  metrics: ReadonlyMap<string, string>;
}

export interface Cvss3Score {
  version: Cvss3Version;
  score: number;
  /** Impact sub-score (may be ≤ 0, in which case the base score is 0). */
  impact: number;
  exploitability: number;
}

const BASE_METRICS = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const;

const METRICS = metricTable({
  // Base
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'R'],
  S: ['U', 'C'],
  C: ['H', 'L', 'N'],
  I: ['H', 'L', 'N'],
  A: ['H', 'L', 'N'],
  // Temporal
  E: ['X', 'H', 'F', 'P', 'U'],
  RL: ['X', 'U', 'W', 'T', 'O'],
  RC: ['X', 'C', 'R', 'U'],
  // Environmental
  CR: ['X', 'H', 'M', 'L'],
  IR: ['X', 'H', 'M', 'L'],
  AR: ['X', 'H', 'M', 'L'],
  MAV: ['X', 'N', 'A', 'L', 'P'],
  MAC: ['X', 'L', 'H'],
  MPR: ['X', 'N', 'L', 'H'],
  MUI: ['X', 'N', 'R'],
  MS: ['X', 'U', 'C'],
  MC: ['X', 'H', 'L', 'N'],
  MI: ['X', 'H', 'L', 'N'],
  MA: ['X', 'H', 'L', 'N'],
});

const W_AV: Readonly<Record<string, number>> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const W_AC: Readonly<Record<string, number>> = { H: 0.44, L: 0.77 };
const W_PR_UNCHANGED: Readonly<Record<string, number>> = { N: 0.85, L: 0.62, H: 0.27 };
const W_PR_CHANGED: Readonly<Record<string, number>> = { N: 0.85, L: 0.68, H: 0.5 };
const W_UI: Readonly<Record<string, number>> = { N: 0.85, R: 0.62 };
const W_S: Readonly<Record<string, number>> = { U: 6.42, C: 7.52 };
const W_CIA: Readonly<Record<string, number>> = { N: 0, L: 0.22, H: 0.56 };

const EXPLOITABILITY_COEFFICIENT = 8.22;
const SCOPE_COEFFICIENT = 1.08;

/** CVSS v3.1 `Roundup` (specification Appendix A). */
export function roundUp31(input: number): number {
  const intInput = Math.round(input * 100000);
  if (intInput % 10000 === 0) return intInput / 100000;
  return (Math.floor(intInput / 10000) + 1) / 10;
}

/** CVSS v3.0 round up as implemented by FIRST's v3.0 calculator (floating-point noise included). */
export function roundUp30(input: number): number {
  return Math.ceil(input * 10) / 10;
}

/** Parses a `CVSS:3.0/…` or `CVSS:3.1/…` vector; null if it is not a valid one. */
export function parseCvss3(vector: string): ParsedCvss3 | null {
  if (typeof vector !== 'string') return null;
  let version: Cvss3Version;
  if (vector.startsWith('CVSS:3.1/')) version = '3.1';
  else if (vector.startsWith('CVSS:3.0/')) version = '3.0';
  else return null;
  const metrics = parseMetrics(vector.slice('CVSS:3.x/'.length), METRICS, BASE_METRICS);
  return metrics === null ? null : { version, metrics };
}

/** Base score of a parsed vector. */
export function cvss3BaseScore(parsed: ParsedCvss3): Cvss3Score {
  const m = parsed.metrics;
  const get = (name: string): string => m.get(name) ?? '';
  const scope = get('S');
  const changed = scope === 'C';
  const roundUp = parsed.version === '3.1' ? roundUp31 : roundUp30;

  const wAV = W_AV[get('AV')] ?? NaN;
  const wAC = W_AC[get('AC')] ?? NaN;
  const wPR = (changed ? W_PR_CHANGED : W_PR_UNCHANGED)[get('PR')] ?? NaN;
  const wUI = W_UI[get('UI')] ?? NaN;
  const wS = W_S[scope] ?? NaN;
  const wC = W_CIA[get('C')] ?? NaN;
  const wI = W_CIA[get('I')] ?? NaN;
  const wA = W_CIA[get('A')] ?? NaN;

  const exploitability = EXPLOITABILITY_COEFFICIENT * wAV * wAC * wPR * wUI;
  const iss = 1 - (1 - wC) * (1 - wI) * (1 - wA);
  const impact = changed ? wS * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : wS * iss;

  let score: number;
  if (impact <= 0) score = 0;
  else if (changed) score = roundUp(Math.min((exploitability + impact) * SCOPE_COEFFICIENT, 10));
  else score = roundUp(Math.min(exploitability + impact, 10));
  return { version: parsed.version, score, impact, exploitability };
}

/** Base score of a v3.0/v3.1 vector string, or null if the vector is invalid. */
export function scoreCvss3(vector: string): Cvss3Score | null {
  const parsed = parseCvss3(vector);
  return parsed === null ? null : cvss3BaseScore(parsed);
}
