/**
 * CVSS v2 base score (https://www.first.org/cvss/v2/guide §3.2.1), as NVD's calculator gives it.
 *
 *   BaseScore = round_to_1_decimal(((0.6 × Impact) + (0.4 × Exploitability) − 1.5) × f(Impact))
 *   Impact = 10.41 × (1 − (1 − C) × (1 − I) × (1 − A)); Exploitability = 20 × AV × AC × Au
 *   f(Impact) = 0 if Impact = 0, else 1.176
 *
 * `round_to_1_decimal` is half-up on the exact decimal value; the sums are done in binary floating point,
 * so the value is nudged by a tolerance far below the formula's resolution before rounding (this gives
 * the exact-arithmetic result for all 729 base vectors). Negative results (impact N/N/N) are 0.
 *
 * Vectors are the bare form NVD and OSV use (`AV:N/AC:L/Au:N/C:P/I:P/A:P`); temporal and environmental
 * metrics may follow and are validated but do not change the base score.
 */
import { metricTable, parseMetrics } from './parse.js';

export interface ParsedCvss2 {
  version: '2.0';
  metrics: ReadonlyMap<string, string>;
}

export interface Cvss2Score {
  version: '2.0';
  score: number;
  impact: number;
  exploitability: number;
}

const BASE_METRICS = ['AV', 'AC', 'Au', 'C', 'I', 'A'] as const;

const METRICS = metricTable({
  // Base
  AV: ['L', 'A', 'N'],
  AC: ['H', 'M', 'L'],
  Au: ['M', 'S', 'N'],
  C: ['N', 'P', 'C'],
  I: ['N', 'P', 'C'],
  A: ['N', 'P', 'C'],
  // Temporal
  E: ['U', 'POC', 'F', 'H', 'ND'],
  RL: ['OF', 'TF', 'W', 'U', 'ND'],
  RC: ['UC', 'UR', 'C', 'ND'],
  // Environmental
  CDP: ['N', 'L', 'LM', 'MH', 'H', 'ND'],
  TD: ['N', 'L', 'M', 'H', 'ND'],
  CR: ['L', 'M', 'H', 'ND'],
  IR: ['L', 'M', 'H', 'ND'],
  AR: ['L', 'M', 'H', 'ND'],
});

const W_AV: Readonly<Record<string, number>> = { L: 0.395, A: 0.646, N: 1.0 };
const W_AC: Readonly<Record<string, number>> = { H: 0.35, M: 0.61, L: 0.71 };
const W_AU: Readonly<Record<string, number>> = { M: 0.45, S: 0.56, N: 0.704 };
const W_CIA: Readonly<Record<string, number>> = { N: 0.0, P: 0.275, C: 0.66 };

/** Half-up rounding to one decimal of a value computed in floating point. */
export function roundToOneDecimal(value: number): number {
  return Math.floor(value * 10 + 0.5 + 1e-9) / 10;
}

/** Parses a bare CVSS v2 vector; null if it is not a valid one. */
export function parseCvss2(vector: string): ParsedCvss2 | null {
  if (typeof vector !== 'string') return null;
  const metrics = parseMetrics(vector, METRICS, BASE_METRICS);
  return metrics === null ? null : { version: '2.0', metrics };
}

export function cvss2BaseScore(parsed: ParsedCvss2): Cvss2Score {
  const get = (name: string): string => parsed.metrics.get(name) ?? '';
  const wC = W_CIA[get('C')] ?? NaN;
  const wI = W_CIA[get('I')] ?? NaN;
  const wA = W_CIA[get('A')] ?? NaN;
  const impact = 10.41 * (1 - (1 - wC) * (1 - wI) * (1 - wA));
  const exploitability = 20 * (W_AV[get('AV')] ?? NaN) * (W_AC[get('AC')] ?? NaN) * (W_AU[get('Au')] ?? NaN);
  const f = impact === 0 ? 0 : 1.176;
  const raw = (0.6 * impact + 0.4 * exploitability - 1.5) * f;
  const score = Math.max(0, roundToOneDecimal(raw));
  return { version: '2.0', score, impact, exploitability };
}

/** Base score of a CVSS v2 vector string, or null if the vector is invalid. */
export function scoreCvss2(vector: string): Cvss2Score | null {
  const parsed = parseCvss2(vector);
  return parsed === null ? null : cvss2BaseScore(parsed);
}
