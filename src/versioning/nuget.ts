/**
 * NuGet package versions, as NuGet.Versioning's `NuGetVersion.TryParse` and `VersionComparer`
 * (default mode) read and order them.
 *
 * `Major[.Minor[.Patch[.Revision]]][-label(.label)*][+metadata]`: one to four numeric parts
 * (each at most 2147483647, leading zeros allowed, missing ones 0, so 1.0 = 1.0.0.0 and
 * 1.0.01 = 1.0.1); labels and metadata are dot-separated [0-9A-Za-z-] identifiers, numeric
 * labels without leading zeros. Surrounding whitespace is trimmed. Ordering: the four numbers,
 * then a version with labels below one without, labels compared one by one (integers
 * numerically and below strings, strings case-insensitively, a longer list above its
 * prefix); metadata is ignored. System.Version would also accept signs and inner spaces in
 * the numbers (`1. 2`); here only digits are.
 *
 * Specs: https://learn.microsoft.com/nuget/concepts/package-versioning,
 * NuGet.Client `src/NuGet.Core/NuGet.Versioning/NuGetVersionFactory.cs`,
 * `SemanticVersionFactory.cs`, `VersionComparer.cs`.
 */
import { compareDigits, compareStrings, defineScheme } from './common.js';
import type { Ordering, VersionScheme } from './types.js';

interface ParsedNuGet {
  /** Major, minor, patch, revision (missing ones '0'). */
  numbers: [string, string, string, string];
  /** Release labels (empty: a release). */
  labels: string[];
}

const INT32_MAX = '2147483647';
const IDENT = /^[0-9A-Za-z-]+$/;

function parseNuGet(v: string): ParsedNuGet | string {
  const s = v.trim();
  if (s === '') return 'empty';
  let rest = s;
  let metadata: string | null = null;
  let labelText: string | null = null;
  // NuGet's ParseSections: the first '-' or '+' ends the version; then the first '+' ends the labels.
  const firstSep = rest.search(/[-+]/);
  if (firstSep >= 0) {
    const tail = rest.slice(firstSep);
    rest = rest.slice(0, firstSep);
    if (tail[0] === '+') metadata = tail.slice(1);
    else {
      const plus = tail.indexOf('+');
      labelText = plus >= 0 ? tail.slice(1, plus) : tail.slice(1);
      if (plus >= 0) metadata = tail.slice(plus + 1);
    }
  }
  const parts = rest.split('.');
  if (parts.length > 4) return 'more than four numeric parts';
  for (const p of parts) {
    if (!/^[0-9]+$/.test(p)) return `${JSON.stringify(p)} is not a number`;
    if (compareDigits(p, INT32_MAX) > 0) return `${p} is larger than 2147483647`;
  }
  const labels = labelText === null ? [] : labelText.split('.');
  for (const l of labels) {
    if (!IDENT.test(l)) return `invalid release label ${JSON.stringify(l)}`;
    if (l.length > 1 && l[0] === '0' && /^[0-9]+$/.test(l)) return `numeric release label ${l} has a leading zero`;
  }
  if (metadata !== null && !metadata.split('.').every((m) => IDENT.test(m))) return 'invalid build metadata';
  const numbers = [parts[0]!, parts[1] ?? '0', parts[2] ?? '0', parts[3] ?? '0'] as ParsedNuGet['numbers'];
  return { numbers, labels };
}

/** C#'s int.TryParse on a label: optional '-' sign, digits, within Int32. */
function labelInt(l: string): number | null {
  if (!/^-?[0-9]+$/.test(l)) return null;
  const n = Number(l);
  return n >= -2147483648 && n <= 2147483647 ? n : null;
}

function compareLabel(a: string, b: string): Ordering {
  const x = labelInt(a);
  const y = labelInt(b);
  if (x !== null && y !== null) return x === y ? 0 : x < y ? -1 : 1;
  if (x !== null || y !== null) return x !== null ? -1 : 1;
  return compareStrings(a.toUpperCase(), b.toUpperCase()); // StringComparer.OrdinalIgnoreCase
}

function compareNuGet(a: ParsedNuGet, b: ParsedNuGet): Ordering {
  for (let i = 0; i < 4; i++) {
    const c = compareDigits(a.numbers[i]!, b.numbers[i]!);
    if (c !== 0) return c;
  }
  if (a.labels.length === 0 || b.labels.length === 0) {
    return a.labels.length === b.labels.length ? 0 : a.labels.length === 0 ? 1 : -1;
  }
  const n = Math.max(a.labels.length, b.labels.length);
  for (let i = 0; i < n; i++) {
    if (i >= a.labels.length) return -1;
    if (i >= b.labels.length) return 1;
    const c = compareLabel(a.labels[i]!, b.labels[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

export const nuget: VersionScheme = defineScheme<ParsedNuGet>({
  id: 'nuget',
  displayName: 'NuGet version',
  specUrls: [
    'https://learn.microsoft.com/nuget/concepts/package-versioning',
    'https://github.com/NuGet/NuGet.Client/blob/dev/src/NuGet.Core/NuGet.Versioning/VersionComparer.cs',
  ],
  ecosystems: ['NuGet'],
  parse: parseNuGet,
  compareParsed: compareNuGet,
});
