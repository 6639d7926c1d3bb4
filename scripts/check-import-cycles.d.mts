// Types for check-import-cycles.mjs (plain JavaScript so CI can run it with node alone).
export interface ImportCircle {
  /** The modules that import each other, sorted, relative to the scanned directory. */
  members: string[];
  /** One circle through members[0], ending where it starts. */
  circle: string[];
}
export function importSpecifiers(fileName: string, text: string): { specifier: string; line: number }[];
export function importGraph(dir: string): Map<string, Map<string, number>>;
export function findImportCircles(dir: string): ImportCircle[];
