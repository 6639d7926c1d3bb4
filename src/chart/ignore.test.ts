import { describe, expect, it } from 'vitest';
import { IgnoreRules, goMatch, matcher } from './ignore.js';

describe("Go's filepath.Match", () => {
  it.each<[string, string, boolean]>([
    ['abc', 'abc', true],
    ['*', 'abc', true],
    ['*c', 'abc', true],
    ['a*', 'a', true],
    ['a*', 'ab/c', false], // * does not cross /
    ['a*/b', 'abc/b', true],
    ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
    ['a*b?c*x', 'abxbbxdbxebxczzx', true],
    ['a*b?c*x', 'abxbbxdbxebxczzy', false],
    ['ab[c]', 'abc', true],
    ['ab[b-d]', 'abc', true],
    ['ab[^c]', 'abc', false],
    ['ab[^b-d]', 'abe', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'ab', false],
    ['a?b', 'a☺b', true],
    ['a[^a]b', 'a☺b', true],
    ['*x', 'xxx', true],
    ['a?', 'a/', false],
  ])('Match(%j, %j) = %s', (p, n, want) => {
    expect(goMatch(p, n)).toBe(want);
  });
  it.each(['[', '[^', '[^bc', 'a[', 'ab\\', '[a-', '*x[', '[-]', '[x-]'])('bad pattern %j', (p) => {
    expect(() => goMatch(p, 'x')).toThrow('syntax error in pattern');
  });
});

describe('.helmignore rules', () => {
  const rules = (s: string) => {
    const r = IgnoreRules.parse(Buffer.from(s));
    r.addDefaults();
    return r;
  };
  it('matches base names, rooted and structural patterns, directories', () => {
    const r = rules('# comment\n*.txt\n/root.md\ndocs/*.md\ncache/\n');
    expect(r.ignore('a/b/notes.txt', false)).toBe(true);
    expect(r.ignore('root.md', false)).toBe(true);
    expect(r.ignore('sub/root.md', false)).toBe(false);
    expect(r.ignore('docs/x.md', false)).toBe(true);
    expect(r.ignore('cache', true)).toBe(true);
    expect(r.ignore('cache', false)).toBe(false);
    expect(r.ignore('templates/.hidden', false)).toBe(true); // default rule
    expect(r.ignore('templates/ok.yaml', false)).toBe(false);
  });
  it("keeps helm's negation quirk: a negated rule ignores whatever it does not match", () => {
    const r = rules('!keep.txt\n');
    expect(r.ignore('keep.txt', false)).toBe(false);
    expect(r.ignore('other.txt', false)).toBe(true);
    expect(rules('!dir/\n').ignore('file', false)).toBe(true);
  });
  it('refuses ** and bad globs, trims the BOM and CRs', () => {
    expect(() => rules('**/x\n')).toThrow('double-star (**) syntax is not supported');
    expect(() => rules('[\n')).toThrow('syntax error in pattern');
    expect(rules('\ufeff*.txt\r\n').ignore('a.txt', false)).toBe(true);
  });
});

describe('matcher: the literal and `*literal` shapes decided without goMatch, as goMatch decides them', () => {
  const patterns = ['*', '*.orig', '*.tmp', '*~', '.git', '.DS_Store', 'Chart.lock', '*.swp', '*.', '*a*', 'a?c', '[ab]c', '\\*x', 'a*b', '*/x', 'x/y', '.*', '*.so.1'];
  const names = ['', 'a', 'abc', 'ac', 'bc', '*x', 'x.orig', '.orig', 'a/b.orig', 'x.tmp', 'file~', '~', '.git', 'x.git', '.DS_Store', 'Chart.lock', 'a/Chart.lock',
    'v.swp', 'x.', '.', 'xay', 'a/b', 'x/y', 'dir/x', '.hidden', 'lib.so.1', 'é.orig', 'a\\b.orig'];
  for (const pattern of patterns) {
    it(pattern, () => {
      const fast = matcher(pattern, goMatch);
      for (const name of names) expect([name, fast(name)]).toEqual([name, goMatch(pattern, name)]);
    });
  }
});
