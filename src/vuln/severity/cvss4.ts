/**
 * CVSS v4.0 scores (https://www.first.org/cvss/v4.0/specification-document §8), re-implementing the
 * algorithm of FIRST's official calculator, i.e. Red Hat's reference implementation
 * (RedHatProductSecurity/cvss-v4-calculator, `cvss40.js`, formerly `cvss_score.js`, `cvss_lookup.js`,
 * `max_composed.js`, `max_severity.js`; BSD-2-Clause, © FIRST, Red Hat and contributors):
 *
 * 1. the vector's six equivalence classes (EQ1…EQ6) form its MacroVector, whose score is looked up in
 *    the table of 270 MacroVector scores that FIRST's experts assigned;
 * 2. for each EQ the score is interpolated towards the next lower MacroVector, in proportion to the
 *    vector's severity distance from the highest-severity vectors of its own MacroVector;
 * 3. the mean of those proportional distances is subtracted and the result rounded to one decimal.
 *
 * Floating-point operations follow the reference implementation's order (including its rounding
 * helper, which adds 1e-6 before rounding half up) so that scores are identical to the calculator's.
 *
 * Two scores are offered: the CVSS-B score (base metrics only; threat and environmental metrics at their
 * defaults, i.e. the worst case) and the score of the vector as given (CVSS-BT, -BE or -BTE when threat
 * or environmental metrics are present), which is what the calculator displays for the full vector.
 */
import { metricTable, parseMetrics } from './parse.js';

export type Cvss4Nomenclature = 'CVSS-B' | 'CVSS-BT' | 'CVSS-BE' | 'CVSS-BTE';

export interface ParsedCvss4 {
  version: '4.0';
  /** Every metric given in the vector, by abbreviation. The 11 base metrics are always present. */
  metrics: ReadonlyMap<string, string>;
}

export interface Cvss4Score {
  version: '4.0';
  /** CVSS-B: the base metrics alone. */
  score: number;
  /** The score of the vector with all its metrics (equals `score` for a base-only vector). */
  fullScore: number;
  nomenclature: Cvss4Nomenclature;
  /** The MacroVector (EQ1…EQ6) of the full vector, e.g. `000200`. */
  macroVector: string;
}

const BASE_METRICS = ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'] as const;
const THREAT_METRICS = ['E'] as const;
const ENVIRONMENTAL_METRICS = [
  'CR', 'IR', 'AR', 'MAV', 'MAC', 'MAT', 'MPR', 'MUI', 'MVC', 'MVI', 'MVA', 'MSC', 'MSI', 'MSA',
] as const;

const METRICS = metricTable({
  // Base
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  AT: ['N', 'P'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'P', 'A'],
  VC: ['N', 'L', 'H'],
  VI: ['N', 'L', 'H'],
  VA: ['N', 'L', 'H'],
  SC: ['N', 'L', 'H'],
  SI: ['N', 'L', 'H'],
  SA: ['N', 'L', 'H'],
  // Threat
  E: ['X', 'A', 'P', 'U'],
  // Environmental
  CR: ['X', 'H', 'M', 'L'],
  IR: ['X', 'H', 'M', 'L'],
  AR: ['X', 'H', 'M', 'L'],
  MAV: ['X', 'N', 'A', 'L', 'P'],
  MAC: ['X', 'L', 'H'],
  MAT: ['X', 'N', 'P'],
  MPR: ['X', 'N', 'L', 'H'],
  MUI: ['X', 'N', 'P', 'A'],
  MVC: ['X', 'H', 'L', 'N'],
  MVI: ['X', 'H', 'L', 'N'],
  MVA: ['X', 'H', 'L', 'N'],
  MSC: ['X', 'H', 'L', 'N'],
  MSI: ['X', 'S', 'H', 'L', 'N'],
  MSA: ['X', 'S', 'H', 'L', 'N'],
  // Supplemental (no effect on the score)
  S: ['X', 'N', 'P'],
  AU: ['X', 'N', 'Y'],
  R: ['X', 'A', 'U', 'I'],
  V: ['X', 'D', 'C'],
  RE: ['X', 'L', 'M', 'H'],
  U: ['X', 'Clear', 'Green', 'Amber', 'Red'],
});

/** Scores of the 270 MacroVectors (EQ1…EQ6), from the CVSS v4.0 specification's calculator. */
const LOOKUP: ReadonlyMap<string, number> = new Map([
  ["000000", 10.0], ["000001", 9.9], ["000010", 9.8], ["000011", 9.5], ["000020", 9.5], ["000021", 9.2],
  ["000100", 10.0], ["000101", 9.6], ["000110", 9.3], ["000111", 8.7], ["000120", 9.1], ["000121", 8.1],
  ["000200", 9.3], ["000201", 9.0], ["000210", 8.9], ["000211", 8.0], ["000220", 8.1], ["000221", 6.8],
  ["001000", 9.8], ["001001", 9.5], ["001010", 9.5], ["001011", 9.2], ["001020", 9.0], ["001021", 8.4],
  ["001100", 9.3], ["001101", 9.2], ["001110", 8.9], ["001111", 8.1], ["001120", 8.1], ["001121", 6.5],
  ["001200", 8.8], ["001201", 8.0], ["001210", 7.8], ["001211", 7.0], ["001220", 6.9], ["001221", 4.8],
  ["002001", 9.2], ["002011", 8.2], ["002021", 7.2], ["002101", 7.9], ["002111", 6.9], ["002121", 5.0],
  ["002201", 6.9], ["002211", 5.5], ["002221", 2.7], ["010000", 9.9], ["010001", 9.7], ["010010", 9.5],
  ["010011", 9.2], ["010020", 9.2], ["010021", 8.5], ["010100", 9.5], ["010101", 9.1], ["010110", 9.0],
  ["010111", 8.3], ["010120", 8.4], ["010121", 7.1], ["010200", 9.2], ["010201", 8.1], ["010210", 8.2],
  ["010211", 7.1], ["010220", 7.2], ["010221", 5.3], ["011000", 9.5], ["011001", 9.3], ["011010", 9.2],
  ["011011", 8.5], ["011020", 8.5], ["011021", 7.3], ["011100", 9.2], ["011101", 8.2], ["011110", 8.0],
  ["011111", 7.2], ["011120", 7.0], ["011121", 5.9], ["011200", 8.4], ["011201", 7.0], ["011210", 7.1],
  ["011211", 5.2], ["011220", 5.0], ["011221", 3.0], ["012001", 8.6], ["012011", 7.5], ["012021", 5.2],
  ["012101", 7.1], ["012111", 5.2], ["012121", 2.9], ["012201", 6.3], ["012211", 2.9], ["012221", 1.7],
  ["100000", 9.8], ["100001", 9.5], ["100010", 9.4], ["100011", 8.7], ["100020", 9.1], ["100021", 8.1],
  ["100100", 9.4], ["100101", 8.9], ["100110", 8.6], ["100111", 7.4], ["100120", 7.7], ["100121", 6.4],
  ["100200", 8.7], ["100201", 7.5], ["100210", 7.4], ["100211", 6.3], ["100220", 6.3], ["100221", 4.9],
  ["101000", 9.4], ["101001", 8.9], ["101010", 8.8], ["101011", 7.7], ["101020", 7.6], ["101021", 6.7],
  ["101100", 8.6], ["101101", 7.6], ["101110", 7.4], ["101111", 5.8], ["101120", 5.9], ["101121", 5.0],
  ["101200", 7.2], ["101201", 5.7], ["101210", 5.7], ["101211", 5.2], ["101220", 5.2], ["101221", 2.5],
  ["102001", 8.3], ["102011", 7.0], ["102021", 5.4], ["102101", 6.5], ["102111", 5.8], ["102121", 2.6],
  ["102201", 5.3], ["102211", 2.1], ["102221", 1.3], ["110000", 9.5], ["110001", 9.0], ["110010", 8.8],
  ["110011", 7.6], ["110020", 7.6], ["110021", 7.0], ["110100", 9.0], ["110101", 7.7], ["110110", 7.5],
  ["110111", 6.2], ["110120", 6.1], ["110121", 5.3], ["110200", 7.7], ["110201", 6.6], ["110210", 6.8],
  ["110211", 5.9], ["110220", 5.2], ["110221", 3.0], ["111000", 8.9], ["111001", 7.8], ["111010", 7.6],
  ["111011", 6.7], ["111020", 6.2], ["111021", 5.8], ["111100", 7.4], ["111101", 5.9], ["111110", 5.7],
  ["111111", 5.7], ["111120", 4.7], ["111121", 2.3], ["111200", 6.1], ["111201", 5.2], ["111210", 5.7],
  ["111211", 2.9], ["111220", 2.4], ["111221", 1.6], ["112001", 7.1], ["112011", 5.9], ["112021", 3.0],
  ["112101", 5.8], ["112111", 2.6], ["112121", 1.5], ["112201", 2.3], ["112211", 1.3], ["112221", 0.6],
  ["200000", 9.3], ["200001", 8.7], ["200010", 8.6], ["200011", 7.2], ["200020", 7.5], ["200021", 5.8],
  ["200100", 8.6], ["200101", 7.4], ["200110", 7.4], ["200111", 6.1], ["200120", 5.6], ["200121", 3.4],
  ["200200", 7.0], ["200201", 5.4], ["200210", 5.2], ["200211", 4.0], ["200220", 4.0], ["200221", 2.2],
  ["201000", 8.5], ["201001", 7.5], ["201010", 7.4], ["201011", 5.5], ["201020", 6.2], ["201021", 5.1],
  ["201100", 7.2], ["201101", 5.7], ["201110", 5.5], ["201111", 4.1], ["201120", 4.6], ["201121", 1.9],
  ["201200", 5.3], ["201201", 3.6], ["201210", 3.4], ["201211", 1.9], ["201220", 1.9], ["201221", 0.8],
  ["202001", 6.4], ["202011", 5.1], ["202021", 2.0], ["202101", 4.7], ["202111", 2.1], ["202121", 1.1],
  ["202201", 2.4], ["202211", 0.9], ["202221", 0.4], ["210000", 8.8], ["210001", 7.5], ["210010", 7.3],
  ["210011", 5.3], ["210020", 6.0], ["210021", 5.0], ["210100", 7.3], ["210101", 5.5], ["210110", 5.9],
  ["210111", 4.0], ["210120", 4.1], ["210121", 2.0], ["210200", 5.4], ["210201", 4.3], ["210210", 4.5],
  ["210211", 2.2], ["210220", 2.0], ["210221", 1.1], ["211000", 7.5], ["211001", 5.5], ["211010", 5.8],
  ["211011", 4.5], ["211020", 4.0], ["211021", 2.1], ["211100", 6.1], ["211101", 5.1], ["211110", 4.8],
  ["211111", 1.8], ["211120", 2.0], ["211121", 0.9], ["211200", 4.6], ["211201", 1.8], ["211210", 1.7],
  ["211211", 0.7], ["211220", 0.8], ["211221", 0.2], ["212001", 5.3], ["212011", 2.4], ["212021", 1.4],
  ["212101", 2.4], ["212111", 1.2], ["212121", 0.5], ["212201", 1.0], ["212211", 0.3], ["212221", 0.1],
]);

/** Severity level of each metric value, used for the severity distance within a MacroVector. */
const METRIC_LEVELS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  AV: { N: 0.0, A: 0.1, L: 0.2, P: 0.3 },
  PR: { N: 0.0, L: 0.1, H: 0.2 },
  UI: { N: 0.0, P: 0.1, A: 0.2 },
  AC: { L: 0.0, H: 0.1 },
  AT: { N: 0.0, P: 0.1 },
  VC: { H: 0.0, L: 0.1, N: 0.2 },
  VI: { H: 0.0, L: 0.1, N: 0.2 },
  VA: { H: 0.0, L: 0.1, N: 0.2 },
  SC: { H: 0.1, L: 0.2, N: 0.3 },
  SI: { S: 0.0, H: 0.1, L: 0.2, N: 0.3 },
  SA: { S: 0.0, H: 0.1, L: 0.2, N: 0.3 },
  CR: { H: 0.0, M: 0.1, L: 0.2 },
  IR: { H: 0.0, M: 0.1, L: 0.2 },
  AR: { H: 0.0, M: 0.1, L: 0.2 },
  E: { U: 0.2, P: 0.1, A: 0 },
};
const LEVEL_METRICS = Object.keys(METRIC_LEVELS);

/** Highest-severity vectors of each EQ level (for EQ3, per EQ6 level). */
const MAX_COMPOSED = {
  eq1: [
    ['AV:N/PR:N/UI:N/'],
    ['AV:A/PR:N/UI:N/', 'AV:N/PR:L/UI:N/', 'AV:N/PR:N/UI:P/'],
    ['AV:P/PR:N/UI:N/', 'AV:A/PR:L/UI:P/'],
  ],
  eq2: [['AC:L/AT:N/'], ['AC:H/AT:N/', 'AC:L/AT:P/']],
  eq3: [
    [['VC:H/VI:H/VA:H/CR:H/IR:H/AR:H/'], ['VC:H/VI:H/VA:L/CR:M/IR:M/AR:H/', 'VC:H/VI:H/VA:H/CR:M/IR:M/AR:M/']],
    [
      ['VC:L/VI:H/VA:H/CR:H/IR:H/AR:H/', 'VC:H/VI:L/VA:H/CR:H/IR:H/AR:H/'],
      [
        'VC:L/VI:H/VA:L/CR:H/IR:M/AR:H/', 'VC:L/VI:H/VA:H/CR:H/IR:M/AR:M/', 'VC:H/VI:L/VA:H/CR:M/IR:H/AR:M/',
        'VC:H/VI:L/VA:L/CR:M/IR:H/AR:H/', 'VC:L/VI:L/VA:H/CR:H/IR:H/AR:M/',
      ],
    ],
    [[], ['VC:L/VI:L/VA:L/CR:H/IR:H/AR:H/']],
  ],
  eq4: [['SC:H/SI:S/SA:S/'], ['SC:H/SI:H/SA:H/'], ['SC:L/SI:L/SA:L/']],
  eq5: [['E:A/'], ['E:P/'], ['E:U/']],
} as const;

/** Maximal severity distances within each EQ level's MacroVectors (+1), in steps of 0.1. */
const MAX_SEVERITY = {
  eq1: [1, 4, 5],
  eq2: [1, 2],
  eq3eq6: [[7, 6], [8, 8], [NaN, 10]],
  eq4: [6, 5, 4],
} as const;

/** Worst-case values of threat and environmental metrics left Not Defined (X). */
const WORST_CASE_DEFAULTS: Readonly<Record<string, string>> = { E: 'A', CR: 'H', IR: 'H', AR: 'H' };

/** Parses a `CVSS:4.0/…` vector; null if it is not a valid one. */
export function parseCvss4(vector: string): ParsedCvss4 | null {
  if (typeof vector !== 'string' || !vector.startsWith('CVSS:4.0/')) return null;
  const metrics = parseMetrics(vector.slice('CVSS:4.0/'.length), METRICS, BASE_METRICS);
  return metrics === null ? null : { version: '4.0', metrics };
}

/** The nomenclature of a parsed vector: which metric groups other than base it defines. */
export function cvss4Nomenclature(parsed: ParsedCvss4): Cvss4Nomenclature {
  const defined = (name: string): boolean => (parsed.metrics.get(name) ?? 'X') !== 'X';
  const threat = THREAT_METRICS.some(defined);
  const environmental = ENVIRONMENTAL_METRICS.some(defined);
  return threat ? (environmental ? 'CVSS-BTE' : 'CVSS-BT') : environmental ? 'CVSS-BE' : 'CVSS-B';
}

/** The effective value of a metric: its modified (M…) value when defined, else its worst-case default. */
function effective(metrics: ReadonlyMap<string, string>, metric: string): string {
  const value = metrics.get(metric) ?? 'X';
  const worst = WORST_CASE_DEFAULTS[metric];
  if (value === 'X' && worst !== undefined) return worst;
  const modified = metrics.get('M' + metric);
  if (modified !== undefined && modified !== 'X') return modified;
  return value;
}

/** The MacroVector (EQ1…EQ6 levels as six digits) of a set of metrics. */
export function macroVectorOf(metrics: ReadonlyMap<string, string>): string {
  const v = (name: string): string => effective(metrics, name);
  const AV = v('AV'), PR = v('PR'), UI = v('UI');
  const eq1 = AV === 'N' && PR === 'N' && UI === 'N' ? 0 : (AV === 'N' || PR === 'N' || UI === 'N') && AV !== 'P' ? 1 : 2;
  const eq2 = v('AC') === 'L' && v('AT') === 'N' ? 0 : 1;
  const VC = v('VC'), VI = v('VI'), VA = v('VA');
  const eq3 = VC === 'H' && VI === 'H' ? 0 : VC === 'H' || VI === 'H' || VA === 'H' ? 1 : 2;
  const MSI = v('MSI'), MSA = v('MSA');
  const eq4 = MSI === 'S' || MSA === 'S' ? 0 : v('SC') === 'H' || v('SI') === 'H' || v('SA') === 'H' ? 1 : 2;
  const E = v('E');
  const eq5 = E === 'A' ? 0 : E === 'P' ? 1 : 2;
  const eq6 = (v('CR') === 'H' && VC === 'H') || (v('IR') === 'H' && VI === 'H') || (v('AR') === 'H' && VA === 'H') ? 0 : 1;
  return `${eq1}${eq2}${eq3}${eq4}${eq5}${eq6}`;
}

function lookup(macroVector: string): number {
  return LOOKUP.get(macroVector) ?? NaN;
}

/** The reference implementation's rounding: half up at one decimal, after adding 1e-6. */
function roundToDecimal(value: number): number {
  const EPSILON = Math.pow(10, -6);
  return Math.round((value + EPSILON) * 10) / 10;
}

/** Parses the `K:V/K:V/` form of the MAX_COMPOSED entries. */
function metricsOfMax(max: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of max.split('/')) {
    if (part === '') continue;
    const [k, val] = part.split(':');
    if (k !== undefined && val !== undefined) out.set(k, val);
  }
  return out;
}

/** Score of a full set of metrics (the calculator's `calculateScore`). */
export function cvss4ScoreOf(metrics: ReadonlyMap<string, string>): number {
  const STEP = 0.1;
  const impactMetrics = ['VC', 'VI', 'VA', 'SC', 'SI', 'SA'];
  if (impactMetrics.every((m) => effective(metrics, m) === 'N')) return 0.0;

  const macro = macroVectorOf(metrics);
  const value = lookup(macro);
  const [eq1, eq2, eq3, eq4, eq5, eq6] = macro.split('').map(Number) as [number, number, number, number, number, number];
  const mv = (a: number, b: number, c: number, d: number, e: number, f: number): string => `${a}${b}${c}${d}${e}${f}`;

  // Next lower MacroVector of each EQ (absent from the table when there is none: NaN).
  const scoreEq1Lower = lookup(mv(eq1 + 1, eq2, eq3, eq4, eq5, eq6));
  const scoreEq2Lower = lookup(mv(eq1, eq2 + 1, eq3, eq4, eq5, eq6));
  let scoreEq3Eq6Lower: number;
  if (eq3 === 1 && eq6 === 1) scoreEq3Eq6Lower = lookup(mv(eq1, eq2, eq3 + 1, eq4, eq5, eq6));
  else if (eq3 === 0 && eq6 === 1) scoreEq3Eq6Lower = lookup(mv(eq1, eq2, eq3 + 1, eq4, eq5, eq6));
  else if (eq3 === 1 && eq6 === 0) scoreEq3Eq6Lower = lookup(mv(eq1, eq2, eq3, eq4, eq5, eq6 + 1));
  else if (eq3 === 0 && eq6 === 0) {
    // 00 → 01 or 00 → 10: the higher of the two.
    scoreEq3Eq6Lower = Math.max(lookup(mv(eq1, eq2, eq3, eq4, eq5, eq6 + 1)), lookup(mv(eq1, eq2, eq3 + 1, eq4, eq5, eq6)));
  } else scoreEq3Eq6Lower = lookup(mv(eq1, eq2, eq3 + 1, eq4, eq5, eq6 + 1)); // 21 → 32: does not exist
  const scoreEq4Lower = lookup(mv(eq1, eq2, eq3, eq4 + 1, eq5, eq6));
  const scoreEq5Lower = lookup(mv(eq1, eq2, eq3, eq4, eq5 + 1, eq6));

  // Highest-severity vectors of this MacroVector: the first that the vector does not exceed.
  const eqMaxes: readonly (readonly string[])[] = [
    MAX_COMPOSED.eq1[eq1] ?? [],
    MAX_COMPOSED.eq2[eq2] ?? [],
    MAX_COMPOSED.eq3[eq3]?.[eq6] ?? [],
    MAX_COMPOSED.eq4[eq4] ?? [],
    MAX_COMPOSED.eq5[eq5] ?? [],
  ];
  const maxVectors: string[] = [];
  for (const a of eqMaxes[0] ?? [])
    for (const b of eqMaxes[1] ?? [])
      for (const c of eqMaxes[2] ?? [])
        for (const d of eqMaxes[3] ?? []) for (const e of eqMaxes[4] ?? []) maxVectors.push(a + b + c + d + e);

  let distances: Record<string, number> = {};
  for (const max of maxVectors) {
    const maxMetrics = metricsOfMax(max);
    distances = {};
    for (const metric of LEVEL_METRICS) {
      const levels = METRIC_LEVELS[metric] ?? {};
      distances[metric] = (levels[effective(metrics, metric)] ?? NaN) - (levels[maxMetrics.get(metric) ?? ''] ?? NaN);
    }
    if (Object.values(distances).every((d) => d >= 0)) break;
  }
  const d = (metric: string): number => distances[metric] ?? NaN;

  const currentEq1 = d('AV') + d('PR') + d('UI');
  const currentEq2 = d('AC') + d('AT');
  const currentEq3Eq6 = d('VC') + d('VI') + d('VA') + d('CR') + d('IR') + d('AR');
  const currentEq4 = d('SC') + d('SI') + d('SA');

  const availableEq1 = value - scoreEq1Lower;
  const availableEq2 = value - scoreEq2Lower;
  const availableEq3Eq6 = value - scoreEq3Eq6Lower;
  const availableEq4 = value - scoreEq4Lower;
  const availableEq5 = value - scoreEq5Lower;

  const maxSeverityEq1 = (MAX_SEVERITY.eq1[eq1] ?? NaN) * STEP;
  const maxSeverityEq2 = (MAX_SEVERITY.eq2[eq2] ?? NaN) * STEP;
  const maxSeverityEq3Eq6 = (MAX_SEVERITY.eq3eq6[eq3]?.[eq6] ?? NaN) * STEP;
  const maxSeverityEq4 = (MAX_SEVERITY.eq4[eq4] ?? NaN) * STEP;

  let nExistingLower = 0;
  let normalizedEq1 = 0, normalizedEq2 = 0, normalizedEq3Eq6 = 0, normalizedEq4 = 0, normalizedEq5 = 0;
  if (!Number.isNaN(availableEq1)) {
    nExistingLower++;
    normalizedEq1 = availableEq1 * (currentEq1 / maxSeverityEq1);
  }
  if (!Number.isNaN(availableEq2)) {
    nExistingLower++;
    normalizedEq2 = availableEq2 * (currentEq2 / maxSeverityEq2);
  }
  if (!Number.isNaN(availableEq3Eq6)) {
    nExistingLower++;
    normalizedEq3Eq6 = availableEq3Eq6 * (currentEq3Eq6 / maxSeverityEq3Eq6);
  }
  if (!Number.isNaN(availableEq4)) {
    nExistingLower++;
    normalizedEq4 = availableEq4 * (currentEq4 / maxSeverityEq4);
  }
  if (!Number.isNaN(availableEq5)) {
    // EQ5's proportion is always 0.
    nExistingLower++;
    normalizedEq5 = availableEq5 * 0;
  }
  const meanDistance =
    nExistingLower === 0
      ? 0
      : (normalizedEq1 + normalizedEq2 + normalizedEq3Eq6 + normalizedEq4 + normalizedEq5) / nExistingLower;
  return roundToDecimal(Math.max(0, Math.min(10, value - meanDistance)));
}

/** Scores a parsed vector: CVSS-B (base metrics only) and the full vector's score. */
export function cvss4Score(parsed: ParsedCvss4): Cvss4Score {
  const base = new Map<string, string>();
  for (const name of BASE_METRICS) base.set(name, parsed.metrics.get(name) ?? '');
  const nomenclature = cvss4Nomenclature(parsed);
  const score = cvss4ScoreOf(base);
  const fullScore = nomenclature === 'CVSS-B' ? score : cvss4ScoreOf(parsed.metrics);
  return { version: '4.0', score, fullScore, nomenclature, macroVector: macroVectorOf(parsed.metrics) };
}

/** Scores of a v4.0 vector string, or null if the vector is invalid. */
export function scoreCvss4(vector: string): Cvss4Score | null {
  const parsed = parseCvss4(vector);
  return parsed === null ? null : cvss4Score(parsed);
}
