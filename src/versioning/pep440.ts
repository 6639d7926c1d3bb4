/**
 * Python package versions (PyPI): PEP 440 as pypa/packaging's `Version` implements it.
 *
 * `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`, case-insensitive, surrounding whitespace
 * and one leading `v` ignored, with the spellings packaging normalises: `alpha`/`beta`/`c`/
 * `pre`/`preview` for a/b/rc, `-`, `_` or `.` (or nothing) as separators, `rev`/`r`/`-N` for
 * post releases, a missing number as 0. Ordering is packaging's `_cmpkey`: epoch; release
 * with trailing zeros ignored (1.0 = 1.0.0); dev-only releases before prereleases
 * (1.0.dev0 < 1.0a0); prereleases a < b < rc before the release; post releases after;
 * dev releases before what they develop; a local label sorts after the same public version,
 * numeric local segments above alphabetic ones. Legacy (pre-PEP 440) strings such as
 * `0.1-bulbasaur` are invalid, as in packaging ≥ 22.
 *
 * Specs: https://packaging.python.org/en/latest/specifications/version-specifiers/,
 * https://peps.python.org/pep-0440/, pypa/packaging `src/packaging/version.py`.
 */
import { compareDigits, compareStrings, defineScheme, isAllDigits } from './common.js';
import type { Ordering, VersionScheme } from './types.js';

// pypa/packaging VERSION_PATTERN, anchored, compiled case-insensitively.
const PATTERN = new RegExp(
  '^v?' +
    '(?:(?<epoch>[0-9]+)!)?' +
    '(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pre_n>[0-9]+)?)?' +
    '(?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_.]?(?<post_l>post|rev|r)[-_.]?(?<post_n2>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<dev_l>dev)[-_.]?(?<dev_n>[0-9]+)?)?' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?$',
  'i',
);

const PRE_RANK: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

/** `null` stands for packaging's Infinity / NegativeInfinity where the comment says which. */
interface ParsedPep440 {
  epoch: string;
  /** Release numbers with trailing zeros removed. */
  release: string[];
  /** [rank, number]; 'neg' = -Infinity (dev-only release), 'pos' = +Infinity (no prerelease). */
  pre: [number, string] | 'neg' | 'pos';
  /** null = -Infinity (no post release). */
  post: string | null;
  /** null = +Infinity (no dev release). */
  dev: string | null;
  /** null = -Infinity (no local label). */
  local: string[] | null;
}

function parsePep440(v: string): ParsedPep440 | string {
  const m = PATTERN.exec(v.trim());
  if (!m || !m.groups) return 'not a PEP 440 version';
  const g = m.groups;
  const release = g.release!.split('.');
  while (release.length > 1 && /^0+$/.test(release[release.length - 1]!)) release.pop();
  if (release.length === 1 && /^0+$/.test(release[0]!)) release.pop();
  const hasPost = g.post !== undefined;
  const hasDev = g.dev !== undefined;
  let pre: ParsedPep440['pre'];
  if (g.pre_l !== undefined) pre = [PRE_RANK[g.pre_l.toLowerCase()]!, g.pre_n ?? '0'];
  else pre = !hasPost && hasDev ? 'neg' : 'pos';
  return {
    epoch: g.epoch ?? '0',
    release,
    pre,
    post: hasPost ? (g.post_n1 ?? g.post_n2 ?? '0') : null,
    dev: hasDev ? (g.dev_n ?? '0') : null,
    local: g.local !== undefined ? g.local.toLowerCase().split(/[-_.]/) : null,
  };
}

function compareRelease(a: string[], b: string[]): Ordering {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareDigits(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function comparePre(a: ParsedPep440['pre'], b: ParsedPep440['pre']): Ordering {
  const rank = (p: ParsedPep440['pre']) => (p === 'neg' ? 0 : p === 'pos' ? 2 : 1);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (typeof a === 'string' || typeof b === 'string') return 0;
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return compareDigits(a[1], b[1]);
}

/** `absent` is where a missing value sorts: below (-1) or above (+1) every present one. */
function compareOptionalNumber(a: string | null, b: string | null, absent: -1 | 1): Ordering {
  if (a === null || b === null) return a === b ? 0 : a === null ? absent : (-absent as Ordering);
  return compareDigits(a, b);
}

/** packaging: numeric segments compare as (n, ""), alphabetic ones as (-Infinity, s). */
function compareLocal(a: string[] | null, b: string[] | null): Ordering {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const xn = isAllDigits(x);
    const yn = isAllDigits(y);
    const c = xn && yn ? compareDigits(x, y) : xn !== yn ? (xn ? 1 : -1) : compareStrings(x, y);
    if (c !== 0) return c;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function comparePep440(a: ParsedPep440, b: ParsedPep440): Ordering {
  return (
    compareDigits(a.epoch, b.epoch) ||
    compareRelease(a.release, b.release) ||
    comparePre(a.pre, b.pre) ||
    compareOptionalNumber(a.post, b.post, -1) ||
    compareOptionalNumber(a.dev, b.dev, 1) ||
    compareLocal(a.local, b.local)
  );
}

export const pep440: VersionScheme = defineScheme<ParsedPep440>({
  id: 'pep440',
  displayName: 'PEP 440 version',
  specUrls: [
    'https://packaging.python.org/en/latest/specifications/version-specifiers/',
    'https://github.com/pypa/packaging/blob/main/src/packaging/version.py',
  ],
  ecosystems: ['PyPI'],
  parse: parsePep440,
  compareParsed: comparePep440,
});
