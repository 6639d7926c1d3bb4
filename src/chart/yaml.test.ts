import { describe, expect, it } from 'vitest';
import {
  YamlError,
  decodeYamlText,
  formatFloat32,
  goParseInt,
  loadValues,
  mergeMaps,
  parseGoYaml,
  parseValuesFile,
  resolveScalar,
  splitYamlDocuments,
  toJsonValue,
  unmarshalToMap,
} from './yaml.js';
import { InputError } from '../model/errors.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fastParseGoYaml } from './yaml-fast.js';
import { slowParseGoYaml } from './yaml.js';
import { unpackArchive } from './archive.js';
import { LoadBudget } from './budget.js';
import { sharedPath } from '../../test/helpers/shared.js';

const v = (src: string) => unmarshalToMap(src);

describe('go-yaml v2 scalar resolution (into interface{})', () => {
  it.each<[string, unknown]>([
    ['yes', true],
    ['Yes', true],
    ['YES', true],
    ['y', true],
    ['Y', true],
    ['on', true],
    ['On', true],
    ['true', true],
    ['no', false],
    ['n', false],
    ['off', false],
    ['OFF', false],
    ['False', false],
    ['yEs', 'yEs'],
    ['~', null],
    ['null', null],
    ['Null', null],
    ['NULL', null],
    ['', null],
    ['nUll', 'nUll'],
    ['12', 12n],
    ['-12', -12n],
    ['+12', 12n],
    ['0x1F', 31n],
    ['0o17', 15n],
    ['017', 15n], // leading zero: octal
    ['0b101', 5n],
    ['1_000', 1000n],
    ['09', 9], // invalid octal: parsed as a float
    ['1.5', 1.5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['+.5', 0.5],
    ['1.', 1],
    ['.inf', Infinity],
    ['-.Inf', -Infinity],
    ['1e400', '1e400'], // overflow: Go's ParseFloat errors, the value stays a string
    ['9223372036854775807', 9223372036854775807n],
    ['9223372036854775808', 9223372036854775808n], // uint64
    ['18446744073709551616', 18446744073709551616], // too big for uint64: float
    ['2001-12-14', '2001-12-14'], // timestamps stay strings
    ['2001-12-14T21:59:43Z', '2001-12-14T21:59:43Z'],
    ['1.2.3', '1.2.3'],
    ['0x', '0x'],
    ['- 1', '- 1'],
    ['+inf', '+inf'],
    ['.nan', NaN],
    ['<<', '<<'],
  ])('%s', (src, want) => {
    const got = resolveScalar('', src);
    if (typeof want === 'number' && Number.isNaN(want)) expect(Number.isNaN(got as number)).toBe(true);
    else expect(got).toEqual(want);
  });

  it('checks explicit tags like go-yaml', () => {
    expect(parseGoYaml('!!str 12')).toBe('12');
    expect(parseGoYaml('!!int "12"')).toBe(12n);
    expect(parseGoYaml('!!float 1')).toBe(1);
    expect(parseGoYaml('!!bool yes')).toBe(true);
    expect(parseGoYaml('!custom 12')).toBe('12');
    expect(parseGoYaml('!!binary aGVsbG8=')).toBe('hello');
    expect(() => parseGoYaml('!!int abc')).toThrow('yaml: cannot decode !!str `abc` as a !!int');
    expect(() => parseGoYaml('!!binary "%%%"')).toThrow('!!binary value contains invalid base64 data');
  });

  it('keeps quoted and block scalars as strings', () => {
    expect(v('a: "yes"\nb: \'12\'\nc: |\n  on\nd: >\n  1.5\n')).toEqual({ a: 'yes', b: '12', c: 'on\n', d: '1.5\n' });
  });

  it('goParseInt follows strconv.ParseInt(s, 0, 64)', () => {
    expect(goParseInt('-0x10', false)).toBe(-16n);
    expect(goParseInt('0X10', false)).toBe(16n);
    expect(goParseInt('-9223372036854775809', false)).toBeNull();
    expect(goParseInt('+1', true)).toBeNull();
    expect(goParseInt('08', false)).toBeNull();
  });
});

describe('sigs.k8s.io/yaml conversion', () => {
  it('turns non-string keys into strings (ints, float32 floats, bools)', () => {
    expect(v('1: a\n1.5: b\ntrue: c\ny: d\n0.1: e\n3.14159265358979: f\n1e6: g\n')).toEqual({
      '1': 'a',
      '1.5': 'b',
      true: 'd', // `y` is a boolean key too, and wins as the later one
      '0.1': 'e',
      '3.1415927': 'f',
      '1e+06': 'g',
    });
  });

  it('makes all numbers float64', () => {
    expect(v('a: 1\nb: 12345678901234567890\nc: 0.1\n')).toEqual({ a: 1, b: 12345678901234567000, c: 0.1 });
  });

  it('refuses NaN and Inf values, null and uint64 keys', () => {
    expect(() => v('a: .nan')).toThrow('json: unsupported value: NaN');
    expect(() => v('a: -.inf')).toThrow('json: unsupported value: -Inf');
    expect(() => v('~: a')).toThrow('unsupported map key of type: <nil>');
    expect(() => v('18446744073709551615: a')).toThrow('unsupported map key of type: uint64');
  });

  it('requires a mapping at the top', () => {
    expect(() => v('- a')).toThrow('json: cannot unmarshal array into Go value of type map[string]interface {}');
    expect(() => v('hello')).toThrow('cannot unmarshal string into Go value');
    expect(v('# only a comment\n')).toBeNull();
    expect(v('')).toBeNull();
  });

  it('last duplicate key wins (go-yaml is not strict here)', () => {
    expect(v('a: 1\na: 2\n')).toEqual({ a: 2 });
  });

  it('does not let a __proto__ key reach the prototype', () => {
    const o = v('__proto__:\n  polluted: true\n')!;
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(Object.keys(o)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('merge keys, anchors and aliases (go-yaml v2)', () => {
  it('merges in document order: keys before << are overwritten, later ones win', () => {
    const src = 'base: &b {p: 1, q: 2}\nm:\n  p: 0\n  <<: *b\n  q: 3\n';
    expect(v(src)!.m).toEqual({ p: 1, q: 3 });
  });

  it('merges a sequence of maps with earlier maps taking precedence', () => {
    const src = 'a: &a {k: a, only_a: 1}\nb: &b {k: b, only_b: 1}\nm:\n  <<: [*a, *b]\n';
    expect(v(src)!.m).toEqual({ k: 'a', only_a: 1, only_b: 1 });
  });

  it('refuses merging a scalar', () => {
    expect(() => v('a: &a 1\nm:\n  <<: *a\n')).toThrow('map merge requires map or sequence of maps as the value');
  });

  it('a quoted "<<" is an ordinary key', () => {
    expect(v('m:\n  "<<": {a: 1}\n')!.m).toEqual({ '<<': { a: 1 } });
  });

  it('aliases refer to the latest anchor defined before them', () => {
    expect(v('a: &x 1\nb: *x\nc: &x 2\nd: *x\n')).toEqual({ a: 1, b: 1, c: 2, d: 2 });
    expect(v('a: &y [&x 1]\nb: &x 2\nc: *y\nd: *x\n')).toEqual({ a: [1], b: 2, c: [1], d: 2 });
  });

  it('stops a billion-laughs document quickly', () => {
    let s = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    let prev = 'a';
    for (const n of 'bcdefghi') {
      s += `${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
      prev = n;
    }
    const t = Date.now();
    expect(() => v(s)).toThrow('yaml: document contains excessive aliasing');
    expect(Date.now() - t).toBeLessThan(1000);
  });

  it('allows moderate aliasing', () => {
    const s = 'x: &x {a: 1}\n' + Array.from({ length: 50 }, (_, i) => `k${i}: *x`).join('\n');
    expect(Object.keys(v(s)!)).toHaveLength(51);
  });

  it('reports unknown anchors', () => {
    expect(() => v('a: *nope\n')).toThrow();
  });
});

describe('text decoding like libyaml', () => {
  it('accepts a BOM and UTF-16', () => {
    expect(decodeYamlText(Buffer.from('\ufeffa: 1', 'utf8'))).toBe('a: 1');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a: 1', 'utf16le')]);
    expect(decodeYamlText(le)).toBe('a: 1');
  });
  it.each([
    [[0x61, 0xff], 'invalid leading UTF-8 octet'],
    [[0x61, 0xc3], 'incomplete UTF-8 octet sequence'],
    [[0xc3, 0x28], 'invalid trailing UTF-8 octet'],
    [[0xc0, 0x80], 'invalid length of a UTF-8 sequence'],
    [[0xed, 0xa0, 0x80], 'invalid Unicode character'],
    [[0x61, 0x00], 'control characters are not allowed'],
    [[0x61, 0x1b], 'control characters are not allowed'],
  ])('%j → %s', (bytes, msg) => {
    expect(() => decodeYamlText(Buffer.from(bytes))).toThrow(`yaml: ${msg}`);
  });
});

describe('values files (LoadValues)', () => {
  it('splits on --- lines and merges documents', () => {
    expect(loadValues(Buffer.from('a: 1\nb: {x: 1}\n---\nb: {z: 2}\n--- # comment\nc: 3\n'))).toEqual({ a: 1, b: { x: 1, z: 2 }, c: 3 });
  });
  it('refuses content after a document separator', () => {
    expect(() => loadValues(Buffer.from('a: 1\n--- {b: 2}\n'))).toThrow('invalid Yaml document separator: {b: 2}');
  });
  it('handles CRLF and a missing final newline', () => {
    expect(splitYamlDocuments('a: 1\r\n---\r\nb: 2')).toEqual(['a: 1\n', 'b: 2\n']);
    expect(loadValues(Buffer.from('a: 1\r\nb: 2'))).toEqual({ a: 1, b: 2 });
  });
  it('words errors like helm', () => {
    expect(() => loadValues(Buffer.from('a: [1\n'))).toThrow(/^cannot unmarshal yaml document: error converting YAML to JSON: yaml: line \d+: /);
  });
  it('parseValuesFile names the file', () => {
    expect(() => parseValuesFile(Buffer.from('a: [\n'), 'my.yaml')).toThrow(InputError);
    expect(() => parseValuesFile(Buffer.from('a: [\n'), 'my.yaml')).toThrow(/^my\.yaml: failed to parse: /);
    expect(parseValuesFile(Buffer.from('a: yes\n'), 'x.yaml')).toEqual({ a: true });
  });
  it('mergeMaps merges tables and replaces the rest', () => {
    expect(mergeMaps({ a: { x: 1, y: [1] }, b: 1 }, { a: { y: [2] }, b: { z: 1 } })).toEqual({ a: { x: 1, y: [2] }, b: { z: 1 } });
  });
  it('turns deep nesting into an error, not a crash', () => {
    expect(() => v('a: ' + '['.repeat(20000))).toThrow(YamlError);
  });
});

describe('formatFloat32 (strconv.FormatFloat(f, g, -1, 32))', () => {
  it.each([
    [1, '1'],
    [1.1, '1.1'],
    [1.10, '1.1'],
    [0.1, '0.1'],
    [100000, '100000'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [3.14159265358979, '3.1415927'],
    [-2.5, '-2.5'],
    [16777217, '1.6777216e+07'],
  ])('%s → %s', (f, s) => {
    expect(formatFloat32(f)).toBe(s);
  });
  it('toJsonValue keeps floats and ints as numbers', () => {
    expect(toJsonValue(new Map<never, never>())).toEqual({});
  });
});

describe('the fast path agrees with the full parser', () => {
  const snippets = [
    'a: 1\nb:\n  c: [x, "y", \'z\']\n  d: []\n  e: {}\n',
    'list:\n- a\n- b: 1\n  c: 2\n-\n  - nested\n- "q": v\n',
    'text: |\n  line1\n\n  line2\n\n\nnext: 1\n',
    'keep: |+\n  a\n\n\nstrip: |-\n  a\n  b\n\nclip: >\n  folded\n  line\n\n  para\n',
    'desc: a plain\n  multi-line\n\n  value # with comment\nk: v\n',
    'y: yes\nn: no\n1: one\n0.5: half\n"quoted key": x\n\'single\': "esc\\t\\u00e9"\n',
    'a: "x" # c\nb: \'it\'\'s\' # c\nc: x#y\nd: -1\ne: 2001-01-01\n',
    '---\na: 1\n',
    'a:\n  - x\n  -   y\n  - key: |\n      block\n    other: z\n',
    '{}', '{}\n', '[]\n', '\n{}  # empty\n\n', '  []',
    // a stripped block scalar that ends the text without a line break (rendered ConfigMaps)
    'data:\n  my.cnf: |-\n    [mysqld]\n    a=1', 'data:\n  f: >-\n    folded\n    text', 'a:\n  b: |-\n    x\n\n    y',
    'data:\n  f: |\n    clipped at the end', 'f: |\n  a\n\n  ', 'f: >\n  a\n  b', 'data:\n  c: |\n    [OUTPUT]\n        Match *\n    ',
    // single-quoted scalars over several lines (CRD descriptions and CEL rules)
    "a: 'first line\n  second line'\n",
    "a: 'one\n\n  two\n\n\n  three'\nb: 1\n",
    "a:\n  b: 'it''s\n    folded ''here'''\n  c: x\n",
    "a: 'x # not a comment\n  y' # a comment\nb: 2\n",
    "a: 'trailing   \n     leading and trailing   \n  end  '\n",
    "rule: 'has(self.x) ? self.x[0] == ''a''\n  : true'\n",
    // `{}` / `[]` on a line of their own under a key or dash
    'a:\n  {}\nb:\n  []  # c\nc: 1\n', '-\n  {}\n- x\n', 'spec:\n  x:\n    {}\n',
    'pullSecrets: [ ]\nextra: {  } # none\n', '[ ]\n',
    // plain scalars that start with an indicator followed by a non-space
    'env:\n- name: LISTEN\n  value: :8080\n- -v\n- ?x\nk: :a:b\n',
    // a flow sequence over several lines (chainloop's vault args)
    'vault:\n  server:\n    args: [\n      "server",\n      "-dev"\n    ]\n    x: 1\n',
    'a: [ x,\n  \'y z\', 3 ]\nb:\n- [\n    1, 2]\n',
    'command: [\n  "/bin/sh", "-ec",\n  # a comment line\n    # another\n  "sleep 5 # not a comment", # a comment\n  ]\nx: [a, b, ]\n',
    'a: [\n  x, # c\n  y]\n', 'a: [ x,\n  y ] # c\n',
    // toYaml of nil read back; a document followed by an empty one (a manifest ending in `---`)
    'null\n', 'null', '~\n', 'a: 1\n---', 'a: 1\n---\n', 'a:\n  f: |\n    x\n--- \n\n# c\n',
    // a kept block at the end without a final line break, its last line with content
    'data:\n  f: |+\n    kept at the end', 'f: |+\n  a\n\n  b', 'x:\n  f: |+\n    a\n    }', 'f: >+\n  a\n  b',
    // lines of spaces past a literal block's indentation (logstash's, harbor's configs)
    'f: |\n  a\n    \n  b\n', 'f: |\n  a\n    \n', 'f: |-\n  a\n   \ng: 1\n', 'f: |+\n  a\n    \n\n', 'x:\n  f: |\n    a\n      \n  g: 1\n',
    // a block scalar's header or a quoted scalar on the line after its key (prometheus), and
    // quoted keys there, which start a mapping
    'a:\n    |\n      x\n      y\nb: 1\n', 'a:\n  |\n x\n', 'a:\n  b:\n      >-\n    x\n    y\n  c: 2\n', '- a:\n    |\n      x\n', 'a:\n  | # c\n   x\n',
    "a:\n  '{}'\nb: 1\n", 'a:\n  "x\\ty" # c\n', "- k:\n    'v'\n- 2\n", "a:\n  'it''s'\n",
    "a:\n  'x': 1\n", 'a:\n  "k": v\n  "j": w\n', "- a:\n    'k': 1\n", 'a:\n  "x":\n    b: 1\n',
    // one-line flow mappings as values and sequence items (redis-cluster's, valkey-cluster's
    // pod disruption budgets), and a flow sequence starting on the line after its key
    // (victoriametrics's scrape configs)
    'a: {b: 1}\n', '- {key: job-name, operator: NotIn, values: [release-name-x]}\n',
    'spec:\n  matchExpressions:\n    - {key: a, operator: In, values: [x, y]}  # c\n    - {k: "v, w}", n: 1}\n',
    'a: {x: yes, y: 1.5, z: ~, w: \'it\'\'s\'}\nb: {c: []}\n',
    'relabel:\n  - source_labels:\n      [\n        a,\n        b,\n      ]\n    action: keep\n',
    'a:\n  [x, y]\nb: 1\n', '- \n  [x]\n',
  ];
  it.each(snippets)('%j', (src) => {
    expect(fastParseGoYaml(src)).not.toBeUndefined();
    expect(fastParseGoYaml(src)).toEqual(slowParseGoYaml(src));
  });
  it.each([
    'a: &x 1\nb: *x\n',
    'a: !!str 1\n',
    'a:\n\tb: 1\n',
    'a: {b: {c: 1}}\n', 'a: {"k": 1}\n', 'a: {b: 1, b: 2}\n', 'a: {b: 1, }\n', 'a: {b: 1\n  , c: 2}\n', 'a: {b: x#y}\n', 'a: {b}\n',
    'a: {<<: {x: 1}}\n', 'a: {<<: 1}\n', 'm:\n  <<: 1\n', 'm:\n  <<:\n    a: 1\n', '- <<: x\n', 'a: {b: [x, "y"]}\n', 'a: {b: [x, [y]]}\n', 'a: {b: 1} x\n', '- {a: 1}\n  b: 2\n', 'a:\n  [x,\n  y]\n', 'a:\n  [x]\n  b: 1\n',
    'a: "multi\n  line"\n',
    '? complex\n: key\n',
    'a: |2\n   x\n',
    'm:\n  <<: {a: 1}\n',
    'a: 1\n---\nb: 2\n', 'a: 1\n--- x\n', 'a: 1\n---\n---\n', 'null # c\n', 'null\nx\n',
    'scalar document\n',
    '{}\nb: 1\n', '{a: 1}\n', '[x]\n', '{} x\n',
    'f: |+\n  a\n  ', 'f: |+\n  a\n\n  ', 'f: >\n  a\n    \n  b\n',
    'a:\n  |2\n    x\n', "a:\n  'x'\n  y: 1\n", "a:\n  'x\n  y'\n", 'a:\n  "x" y\n', "a:\n    'x'\n  b: 1\n", "a:\n  'x'#c\n",
    // multi-line single-quoted: empty first or last part, a line not deeper than its key, unterminated
    'a:\n  {}\n  b: 1\n', 'a:\n  {x: 1}\n', 'a: [ , ]\n', 'a: { ]\n', 'a: [ # c\n  x]\n', 'a: [\n  "x\n  y"]\n', 'a: [\n  it\'s]\n', 'a: [\n# c\n  x]\n', 'a: [a, , ]\n', 'a: [\n\n  x]\n', 'a: [\n  x,\n  "y\\\n  z"]\n', 'a:\n  b: [\n  x]\n', 'a: [\n  x\n', "- 'a sequence item\n  continues'\n", "a: '\n  starts empty'\n", "a: 'x\n  '\n", "a: 'x\nb: y'\n", "a: 'unterminated\n  still\n", "a: 'x\n  y' z\n",
  ])('leaves %j to the full parser', (src) => {
    expect(fastParseGoYaml(src)).toBeUndefined();
  });

  it('on every values.yaml / Chart.yaml of the corpus (../shared)', async () => {
    const CORPUS = sharedPath('corpus', 'bitnami', 'charts');
    let docs = 0;
    let fast = 0;
    for (const f of readdirSync(CORPUS).filter((n) => n.endsWith('.tgz'))) {
      const files = await unpackArchive(readFileSync(join(CORPUS, f)), new LoadBudget(), f, []);
      for (const file of files) {
        if (!/(^|\/)(values\.yaml|Chart\.yaml|Chart\.lock)$/.test(file.name)) continue;
        for (const d of splitYamlDocuments(decodeYamlText(file.data))) {
          docs++;
          const a = fastParseGoYaml(d);
          if (a === undefined) continue;
          fast++;
          expect(a, `${f}:${file.name}`).toEqual(slowParseGoYaml(d));
        }
      }
    }
    expect(fast / docs).toBeGreaterThan(0.9);
  }, 60_000);
});
