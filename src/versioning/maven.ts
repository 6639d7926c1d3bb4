/**
 * Maven versions, ordered as Maven 3.9's `ComparableVersion` (maven-artifact) orders them: the
 * reference implementation behind the POM reference's "Version Order Specification".
 *
 * The lower-cased version is split at `.`, `-` and digit/letter transitions into numbers and
 * qualifiers; a `-` (and a transition, and a qualifier after `.`) opens a nested list. Empty
 * parts are 0; `cr` = `rc`; `ga`, `final`, `release` = ""; `a`, `b`, `m` directly followed
 * by a digit mean alpha, beta, milestone. Each list drops trailing nulls (0, "", empty list),
 * so 1 = 1.0 = 1-0 = 1.0.0-ga. Comparison: numbers numerically, above qualifiers and lists;
 * lists above qualifiers; qualifiers `alpha < beta < milestone < rc < snapshot < "" < sp`,
 * then unknown ones lexically; a missing item is null (1-rc < 1 < 1-sp < 1-foo < 1-1 < 1.1).
 * Since MNG-7644 (Maven 3.9.0) `.X` behaves like `-X`: 1.0.0.RC1 < 1.0.0-RC2, 2.0.X = 2-X.
 * The POM page's token algorithm, as osv.dev and osv-scalibr implement it, predates that and
 * disagrees on exactly those mixed-separator cases; see maven.test.ts.
 *
 * ComparableVersion is not a total order, and neither is the POM page's algorithm: a list
 * sorts above any qualifier but a 0 before a qualifier may survive or be trimmed, so
 * 3.5.0 < 3.5-EA < 3.5.0.Beta-1 < 3.5.0 (real Hibernate-style versions), and 1 < 1-a <
 * 1-0.alpha < 1. This is reproduced, not repaired: repairing it would mean ordering some pair
 * differently from Maven. Most real versions are unaffected (random samples of osv-scalibr's
 * 12,227 Maven Central versions had no cycle; neighbouring odd spellings do).
 *
 * Any string is a Maven version to Maven; here the empty string and strings with whitespace,
 * control or non-ASCII characters, or longer than 256 characters (Maven 4's limit), are not.
 *
 * Specs: https://maven.apache.org/pom.html#version-order-specification, apache/maven
 * (branch maven-3.9.x) `maven-artifact/…/versioning/ComparableVersion.java` and
 * `ComparableVersionTest.java`.
 */
import { compareDigits, compareStrings, defineScheme, sign } from './common.js';
import type { Ordering, VersionScheme } from './types.js';

type Item = { kind: 'int'; value: string } | { kind: 'str'; value: string } | { kind: 'list'; items: Item[] };
type List = Extract<Item, { kind: 'list' }>;

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));

const newList = (): List => ({ kind: 'list', items: [] });

function stringItem(value: string, followedByDigit: boolean): Item {
  let v = value;
  if (followedByDigit && v.length === 1) v = v === 'a' ? 'alpha' : v === 'b' ? 'beta' : v === 'm' ? 'milestone' : v;
  return { kind: 'str', value: ALIASES[v] ?? v };
}

function parseItem(isDigit: boolean, buf: string): Item {
  return isDigit ? { kind: 'int', value: buf.replace(/^0+(?=.)/, '') } : stringItem(buf, false);
}

function isNull(item: Item): boolean {
  if (item.kind === 'int') return /^0+$/.test(item.value);
  if (item.kind === 'str') return item.value === '';
  return item.items.length === 0;
}

/** ListItem.normalize: drop trailing nulls, looking past trailing lists. */
function normalize(list: List): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const last = list.items[i]!;
    if (isNull(last)) list.items.splice(i, 1);
    else if (last.kind !== 'list') break;
  }
}

/** ComparableVersion.parseVersion (Maven 3.9). */
function parseMaven(input: string): List | string {
  if (input === '') return 'empty';
  if (input.length > 256) return 'longer than 256 characters';
  if (!/^[\x21-\x7e]+$/.test(input)) return 'contains whitespace, control or non-ASCII characters';
  const version = input.toLowerCase();
  const items = newList();
  let list = items;
  const stack: List[] = [list];
  const push = () => {
    const l = newList();
    list.items.push(l);
    list = l;
    stack.push(l);
  };
  let isDigit = false;
  let start = 0;
  for (let i = 0; i < version.length; i++) {
    const c = version[i]!;
    if (c === '.' || c === '-') {
      list.items.push(i === start ? { kind: 'int', value: '0' } : parseItem(isDigit, version.slice(start, i)));
      start = i + 1;
      if (c === '-') push();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        // 1.0.0.X1 < 1.0.0-X2: treat .X as -X for any string qualifier X
        if (list.items.length > 0) push();
        list.items.push(stringItem(version.slice(start, i), true));
        start = i;
        push();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.items.push(parseItem(true, version.slice(start, i)));
        start = i;
        push();
      }
      isDigit = false;
    }
  }
  if (version.length > start) {
    if (!isDigit && list.items.length > 0) push();
    list.items.push(parseItem(isDigit, version.slice(start)));
  }
  while (stack.length > 0) normalize(stack.pop()!);
  return items;
}

/** StringItem.comparableQualifier: the index of a known qualifier, else "7-<qualifier>". */
function comparableQualifier(q: string): string {
  const i = QUALIFIERS.indexOf(q);
  return i < 0 ? `${QUALIFIERS.length}-${q}` : String(i);
}

/** `a.compareTo(b)` of ComparableVersion's Item classes; `null` is a missing item. */
function compareItem(a: Item, b: Item | null): Ordering {
  switch (a.kind) {
    case 'int':
      if (b === null) return isNull(a) ? 0 : 1;
      return b.kind === 'int' ? compareDigits(a.value, b.value) : 1;
    case 'str':
      if (b === null) return compareStrings(comparableQualifier(a.value), RELEASE_INDEX);
      return b.kind === 'str' ? compareStrings(comparableQualifier(a.value), comparableQualifier(b.value)) : -1;
    case 'list': {
      if (b === null) {
        for (const item of a.items) {
          const r = compareItem(item, null);
          if (r !== 0) return r;
        }
        return 0;
      }
      if (b.kind === 'int') return -1;
      if (b.kind === 'str') return 1;
      const n = Math.max(a.items.length, b.items.length);
      for (let i = 0; i < n; i++) {
        const l = a.items[i] ?? null;
        const r = b.items[i] ?? null;
        const c = l === null ? (r === null ? 0 : sign(-compareItem(r, null))) : compareItem(l, r);
        if (c !== 0) return c;
      }
      return 0;
    }
  }
}

export const maven: VersionScheme = defineScheme<List>({
  id: 'maven',
  displayName: 'Maven version',
  specUrls: [
    'https://maven.apache.org/pom.html#version-order-specification',
    'https://github.com/apache/maven/blob/maven-3.9.x/maven-artifact/src/main/java/org/apache/maven/artifact/versioning/ComparableVersion.java',
  ],
  ecosystems: ['Maven'],
  parse: parseMaven,
  compareParsed: compareItem,
});
