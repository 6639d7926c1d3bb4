/**
 * Inputs for the encoding table tests. `generate.ts` renders each through the reference
 * helm and records the output in expected.json; encoding.test.ts compares.
 *
 *  - VALUE_CASES: JSON-like data put into values (numbers arrive as float64, like any
 *    helm value); rendered with toYaml, toJson, toToml, toYamlPretty.
 *  - TPL_CASES: values built in the template (`dict`, `list`, `int64`, …) for Go types
 *    values cannot carry; `value()` builds the same thing in the value model.
 *  - DECODE_CASES: strings given to fromYaml, fromYamlArray, fromJson, fromJsonArray, fromToml.
 *  - ERROR_CASES: a single expression whose render fails; the error text is recorded.
 */
import { int64, withType, type GoValue } from '../../template/value.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface ValueCase { name: string; value: Json }
export interface TplCase { name: string; tpl: string; value: () => GoValue; skip?: string[] }
export interface DecodeCase { name: string; input: string }
export interface ErrorCase { name: string; tpl: string; value: () => GoValue; fn: 'mustToYaml' | 'mustToJson' | 'toToml' }

/** Every string go-yaml treats specially somewhere, and neighbours that are plain. */
export const SPECIAL_STRINGS: string[] = [
  // YAML 1.1 bools and nulls
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'on', 'On', 'ON', 'off', 'Off', 'OFF', 'yEs', 'oN', 'tRUE', 'nO', 'null', 'Null', 'NULL', 'nULL', '~', '',
  // floats
  '.inf', '.Inf', '.INF', '+.inf', '-.inf', '.nan', '.NaN', '.NAN', 'inf', 'nan', 'NaN', 'Infinity', '-Infinity',
  '.5', '.5e3', '.e3', '.', '..', '...', '.1_0', '1.', '1.5', '-1.5', '+1.5', '1e3', '1E3', '1e+3', '1e-3', '1.5e10',
  '1e', 'e3', '1e400', '.1e400', '-.5', '+.5', '1_000.5', '6.02e23',
  // ints
  '0', '1', '-1', '+1', '01', '0755', '0999', '08', '0x1F', '0X1F', '0x', '0xZZ', '0o17', '0O17', '0b101', '0B101',
  '-0b101', '0b', '1_000', '_1000', '1000_', '1__0', '9223372036854775807', '9223372036854775808',
  '18446744073709551615', '18446744073709551616', '-9223372036854775808', '-9223372036854775809', '123abc', '1-2',
  '1.2.3', '+', '-', '--', '---', '----', '- ', '-a', '- a', '+a', '1:20', '1:20:30', '190:20:30.15', '-1:30',
  '1:60', '12:30:45.5', '1:2', '1:2:3:4',
  // timestamps
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14T21:59:43.10Z', '2001-12-14 21:59:43.10',
  '2001-12-14  21:59:43', '2002-12-14T21:59:43+05:00', '2023-02-29', '2024-02-29', '2023-13-01', '2023-1-1',
  '2023-01-32', '2023-04-31', '2001-12-14T25:00:00Z', '2001-12-14T21:59:43', '2001-12-14T21:59:43.123456789123Z',
  '2001-12-14T21:59:43,5Z', '20011-12-14', '2001-12-14 21:59', '2001-12-14T1:2:3Z', '2001-12-14T21:59:43+5:00',
  '2001/12/14',
  // indicators
  '?', '? a', 'a?', '?a', ':', ': a', 'a:', 'a:b', 'a: b', 'a :b', 'http://example.com:8080/x?y=1#z', '#', '#a',
  'a#b', 'a #b', 'a# b', '&', '&a', '*', '*a', '!', '!a', '!!str', '|', '|a', '>', '>a', "'", "'a'", 'a\'b', '"',
  '"a"', 'a"b', '%', '%a', '@', '@a', '`', '`a', ',', ',a', 'a,b', '[', '[a]', 'a[b]', ']', '{', '{a}', 'a{b}',
  '}', '<<', '=', '-.', '\\', 'a\\b', '\\n', '/', 'a/b', '$', '^', '(', ')', ';', 'a;b', 'a b', 'a  b', ' a',
  'a ', ' ', '  ', ' a ', '\ta', 'a\t', 'a\tb', '\t', 'a - b', 'a -b', 'a-b', '...a', 'a...', '---a', 'a---',
  '--- a', '... a',
  // control and unicode
  '\u0000', 'a\u0001b', '\u0007', '\u001b[31m', '\u007f', 'a\u0080b', 'a\u0085b', 'a \u0085 b', 'a\u0085\u0085b',
  '\u0085a', 'a\u0085', 'a\u00a0b', '\u00a0', 'caf\u00e9', '\u4e2d\u6587', '\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8',
  '\u{1f600}', 'a\u{1f600}b', '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}', 'a\u2028b', 'a\u2029b', '\u2028', 'a\u200bb',
  '\ufeffa', 'a\ufeffb', '\ufeff', 'a\ufffeb', 'a\uffffb', 'a\ufffdb', '\ud7ff', '\ue000', 'x\u0301', '\u05e9\u05dc\u05d5\u05dd',
  'a\rb', '\r', 'a\r\nb', 'a\r\n', '\u000b', '\u000c', 'a\bb',
  // html
  '<script>', 'a&b', 'a>b', '<', '>=', '&amp;', 'a<b>c&d',
];

/** Multi-line strings (literal block scalar candidates). */
export const MULTILINE_STRINGS: string[] = [
  'a\nb', 'a\nb\n', 'a\nb\n\n', 'a\nb\n\n\n', '\na', '\n\na', '\n', '\n\n', ' a\nb', '  a\nb', 'a\n b', 'a \nb',
  'a\n\nb', 'a\n \nb', 'a\n\n', 'a\nb ', 'a\n ', ' \na', '\n a', 'a\tb\nc', '\ta\nb', 'a\n\tb', 'a\u{1f600}\nb',
  'caf\u00e9\nna\u00efve', 'a\u0085\nb', 'a\r\nb\r\n', 'a\u2028\nb', 'key: value\nlist:\n- a\n- b\n',
  '#!/bin/bash\nset -e\necho "hello $1"\n', '{\n  "a": 1\n}\n', '- a\n- b', '---\na: 1\n', 'a\n...\nb',
  '|\nx', '>\nx', ' leading\n  more\n', 'trailing\n  ', '\u00a0\nx', 'x\n\u00a0', 'a\u000bb\nc', 'a\n\u0000',
  'line1\nline2 with a very long content that goes past the eighty column limit of the emitter for sure\nline3',
  `${'x'.repeat(100)}\n${'y '.repeat(60)}\n`,
];

function longStrings(): string[] {
  const out: string[] = [];
  for (const n of [70, 76, 77, 78, 79, 80, 81, 82, 85, 100, 120, 128, 129, 200, 300]) {
    out.push('a'.repeat(n));
    out.push(('word ' .repeat(Math.ceil(n / 5))).slice(0, n).trimEnd() + 'z');
  }
  out.push('aaaa '.repeat(40) + 'end');
  out.push('a'.repeat(78) + ' b');
  out.push('a'.repeat(79) + ' b');
  out.push('a'.repeat(80) + ' b');
  out.push('a'.repeat(81) + ' b');
  out.push('a'.repeat(81) + '  b');
  out.push('a'.repeat(81) + '   b c');
  out.push('a'.repeat(90) + ' ' + 'b'.repeat(90) + ' ' + 'c'.repeat(10));
  out.push('x '.repeat(100));
  out.push(' ' + 'lead '.repeat(30));
  out.push('yes '.repeat(30));
  out.push('a: b '.repeat(30));
  out.push('# comment '.repeat(15));
  out.push("it's " .repeat(30) + 'end');
  out.push('quote " and \\ backslash '.repeat(8));
  out.push('tab\tand space '.repeat(10));
  out.push('\u00e9t\u00e9 '.repeat(40));
  out.push('\u{1f600} '.repeat(50));
  out.push('\u4e2d\u6587 '.repeat(50));
  out.push('a\u00a0'.repeat(60) + 'b c');
  out.push('- ' + 'item '.repeat(30));
  out.push('https://example.com/' + 'path/'.repeat(30) + '?q=a b c d e f g h i j k l m n o p q r s t u v w x y z');
  out.push('"' + 'quoted words '.repeat(10) + '"');
  out.push('a b'.repeat(40));
  out.push('     ' + 'x'.repeat(90) + ' y');
  out.push('x'.repeat(90) + ' \u{1f600} y');
  return out;
}
export const LONG_STRINGS = longStrings();

export const FLOATS: number[] = [
  0, 1, -1, 2, 10, 100, 1000, 65535, 1e6, 1.5e6, 1234567, 12345678, 123456789, 1e9, 1e15, 1e16, 1e17, 1e18,
  9.2e18, 9223372036854775807, 1e19, 18446744073709551615, 18446744073709551616, 2e19, 1e20, 1e21, 1.5e21, 1e22, 1e100,
  1.7976931348623157e308, 0.5, 0.1, 0.2, 0.3, 0.1 + 0.2, 1.5, -1.5, 3.14159, 2.718281828459045, 0.001, 0.0001,
  0.00001, 0.000001, 0.0000012, 0.0000001, 1e-7, 1.5e-7, 1e-10, 5e-324, 2.2250738585072014e-308, 123456.789,
  1234567.89, 12345678.9, 123456789.123, 1e5 + 0.5, 100.25, 99.99, -0.5, -1e-7, -1e21, -123456789.5, 4294967296,
  4294967295.5, 9007199254740992, 9007199254740993, 9007199254740994, 1.1e-6, 999999.9, 1e6 - 0.5, 6.02214076e23,
];

const nestedValues: ValueCase[] = [
  { name: 'nested-empty', value: { a: {}, b: [], c: '', d: null, e: [{}], f: [[]], g: [null], h: [''], i: { j: {} } } },
  { name: 'nested-list-of-maps', value: { items: [{ name: 'a', value: 1, tags: ['x', 'y'] }, { name: 'b', env: [{ name: 'K', value: 'v' }] }] } },
  { name: 'nested-lists', value: [[1, 2], [3, [4, [5, []]]], [], [{}], [[{ a: 1 }]]] },
  { name: 'nested-deep', value: { a: { b: { c: { d: { e: { f: { g: { h: ['deep', { i: 'deeper' }] } } } } } } } } },
  { name: 'nested-list-in-list-maps', value: [{ a: [{ b: [{ c: 1 }] }] }, [{ d: 2 }, [{ e: 3 }]]] },
  { name: 'nested-multiline-in-list', value: ['a\nb', { k: 'c\nd\n' }, [['e\nf']]] },
  { name: 'nested-long-in-deep', value: { a: { b: { c: { d: 'word '.repeat(25) + 'end', e: ['item '.repeat(20) + 'end'] } } } } },
  { name: 'k8s-like', value: {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { 'app.kubernetes.io/name': 'x', 'helm.sh/chart': 'x-1.0.0' }, annotations: { 'checksum/config': 'abc123' } },
    spec: { replicas: 3, template: { spec: { containers: [{ name: 'c', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: 0.25, memory: 134217728 } }, args: ['--port=80', '-v', '2'], env: [{ name: 'A', value: 'true' }, { name: 'B', value: '8080' }] }] } } },
  } },
  { name: 'scalars-top', value: [true, false, null, 0, 1.5, 'plain', 'yes', ''] },
];

function valueCases(): ValueCase[] {
  const cases: ValueCase[] = [];
  SPECIAL_STRINGS.forEach((s, i) => {
    cases.push({ name: `special-${i}-top`, value: s });
    cases.push({ name: `special-${i}-map`, value: { k: s, [s]: 'v', l: [s], n: { [s]: [s] } } });
  });
  MULTILINE_STRINGS.forEach((s, i) => {
    cases.push({ name: `multiline-${i}-top`, value: s });
    cases.push({ name: `multiline-${i}-nested`, value: { a: s, b: [s], c: { d: [{ e: s }] } } });
    cases.push({ name: `multiline-${i}-key`, value: { [s]: 1 } });
  });
  LONG_STRINGS.forEach((s, i) => {
    cases.push({ name: `long-${i}-top`, value: s });
    cases.push({ name: `long-${i}-nested`, value: { key: s, list: [s], deeper: { inner: { x: s } } } });
    if (s.length <= 200) cases.push({ name: `long-${i}-key`, value: { [s]: s } });
  });
  FLOATS.forEach((f, i) => {
    cases.push({ name: `float-${i}`, value: { v: f, n: -f, l: [f] } });
  });
  cases.push({ name: 'key-order', value: Object.fromEntries([
    // go-yaml's key order is not transitive for some key sets (e.g. a10 < a1b2 < a01 < a10), and
    // Go's map iteration order is random, so helm's own output varies for those: only consistent keys here.
    '1', '2', '3', '10', 'a10', 'a9', 'a_b', 'aB', 'a-1', 'a1', 'A', '_x', '01', '001', 'a01', 'a0', 'a00', 'b', 'B', 'ab', 'a', 'aa', 'a.b', 'a b', 'a/b', 'z', 'Z', 'é', 'e', 'f', '中', '😀', '-', '.', '~', 'x10y', 'x10', 'v1.2.3', 'v1.10.0', 'v1.9.9', 'item-2', 'item-10', 'item-1', 'r0a', 'r00a', 'r1a', '10a', '9a', '09a', 'a10b1', 'API', 'Api', 'api', 'aPI', '_', '__', '1_', 'éa', 'ea', '٣', 'a٣', 'a3', 'x0', 'x-0', 'x_0', 'x.0', 'x 0', 'x/0', 'x00', 'x000', 'x001', 'x0001', 'x02', 'x20', 'x200', 'x0x', 'x00x', 'a00b', 'a10b', 'a010b', 'b0', 'b00', 'b000', 'b0a', 'b00a',
  ].map((k, i) => [k, i])) });
  cases.push({ name: 'key-long-128', value: { ['k'.repeat(128)]: 1, ['j'.repeat(129)]: 2, ['\u00e9'.repeat(64)]: 3, ['\u00e9'.repeat(65)]: 4 } });
  cases.push({ name: 'key-long-list', value: { ['k'.repeat(130)]: [1, 2], ['m'.repeat(130)]: { a: 1 }, ['n'.repeat(130)]: {}, ['o'.repeat(130)]: 'x\ny' } });
  cases.push({ name: 'key-quoting', value: Object.fromEntries([
    'yes', 'no', 'on', 'y', 'n', '1', '1.5', 'true', 'null', '~', '', ' ', ' a', 'a ', 'a: b', 'a:b', '- a', '-a',
    '#', 'a #b', '?', '? a', '[x]', '{x}', '*a', '&a', '!a', '|', '>', "'", '"', '%', '@', '`', 'a\tb', '\u00e9',
    '\u{1f600}', 'key with spaces', 'dotted.key', 'slash/key', '2001-12-14', '0x10', '1_0', '1:20', '<<', '=',
  ].map((k, i) => [k, i])) });
  cases.push(...nestedValues);
  return cases;
}
export const VALUE_CASES = valueCases();

const s = (v: string): GoValue => v;

export const TPL_CASES: TplCase[] = [
  { name: 'tpl-int', tpl: '(dict "a" 1 "b" -5 "c" 0)', value: () => ({ a: 1n, b: -5n, c: 0n }) },
  { name: 'tpl-int-big', tpl: '(dict "max" 9223372036854775807 "min" -9223372036854775808 "big" 1000000000000)', value: () => ({ max: 9223372036854775807n, min: -9223372036854775808n, big: 1000000000000n }) },
  { name: 'tpl-int64', tpl: '(list (int64 5) (int64 -7) (int64 "9223372036854775807"))', value: () => [int64(5), int64(-7), int64(9223372036854775807n)] },
  { name: 'tpl-int-fn', tpl: '(list (int 3) (int "42") (int 4.9))', value: () => [3n, 42n, 4n] },
  { name: 'tpl-float64', tpl: '(list (float64 3) (float64 "1e21") (float64 0.1) 1.5 2.0 1e6 1e21 100000000000000000000.0)', value: () => [3, 1e21, 0.1, 1.5, 2, 1e6, 1e21, 1e20] },
  { name: 'tpl-negzero', tpl: '(list (float64 "-0"))', value: () => [-0] },
  { name: 'tpl-mixed', tpl: '(dict "i" 1 "f" 1.0 "s" "1" "b" true "n" nil "l" (list 1 1.5 "x") "m" (dict))', value: () => ({ i: 1n, f: 1, s: '1', b: true, n: null, l: [1n, 1.5, 'x'], m: {} }) },
  { name: 'tpl-until', tpl: '(until 3)', value: () => withType([0n, 1n, 2n], '[]int') },
  { name: 'tpl-strings', tpl: '(splitList "," "a,yes,1,")', value: () => withType(['a', 'yes', '1', ''], '[]string') },
  { name: 'tpl-tostrings', tpl: '(toStrings (list 1 "a" 2.5 true))', value: () => withType(['1', 'a', '2.5', 'true'], '[]string') },
  { name: 'tpl-empty-list', tpl: '(list)', value: () => [] },
  { name: 'tpl-empty-dict', tpl: '(dict)', value: () => ({}) },
  { name: 'tpl-string', tpl: '"hello"', value: () => s('hello') },
  { name: 'tpl-int-top', tpl: '42', value: () => 42n },
  { name: 'tpl-float-top', tpl: '4.5', value: () => 4.5 },
  { name: 'tpl-bool-top', tpl: 'true', value: () => true },
  { name: 'tpl-nil-top', tpl: '.Values.nope', value: () => null, skip: ['toToml'] },
  { name: 'tpl-bytes', tpl: '(.Files.GetBytes "files/bin")', value: () => new Uint8Array([0, 1, 2, 250, 255, 65, 66]) },
  { name: 'tpl-bytes-in-map', tpl: '(dict "b" (.Files.GetBytes "files/bin") "e" (.Files.GetBytes "files/empty"))', value: () => ({ b: new Uint8Array([0, 1, 2, 250, 255, 65, 66]), e: new Uint8Array(0) }) },
  { name: 'tpl-long-key', tpl: `(dict "${'k'.repeat(1030)}" 1)`, value: () => ({ ['k'.repeat(1030)]: 1n }) },
  { name: 'tpl-key-1022', tpl: `(dict "${'k'.repeat(1022)}" 1)`, value: () => ({ ['k'.repeat(1022)]: 1n }) },
  { name: 'tpl-key-1023', tpl: `(dict "${'k'.repeat(1023)}" 1)`, value: () => ({ ['k'.repeat(1023)]: 1n }) },
  { name: 'tpl-nan', tpl: '(list (float64 "NaN"))', value: () => [NaN] },
  { name: 'tpl-inf', tpl: '(dict "a" (float64 "+Inf"))', value: () => ({ a: Infinity }) },
  { name: 'tpl-toml-arrays', tpl: '(dict "a" (list (list 1 2) (list "x")) "b" (list (dict "x" 1) 2) "c" (list (dict "p" (dict "q" 1)) (dict "r" (list (dict "s" 1)))))', value: () => ({ a: [[1n, 2n], ['x']], b: [{ x: 1n }, 2n], c: [{ p: { q: 1n } }, { r: [{ s: 1n }] }] }) },
  { name: 'tpl-toml-nil-elem', tpl: '(dict "a" (list 1 nil))', value: () => ({ a: [1n, null] }) },
  { name: 'tpl-toml-top-list', tpl: '(list 1 2)', value: () => [1n, 2n] },
  { name: 'tpl-toml-top-list-maps', tpl: '(list (dict "a" 1))', value: () => [{ a: 1n }] },
  { name: 'tpl-toml-nil-value', tpl: '(dict "a" nil "b" 1 "c" (dict "d" nil))', value: () => ({ a: null, b: 1n, c: { d: null } }) },
];

export const DECODE_INPUTS: string[] = [
  // YAML
  'a: 1', 'a: 1\nb: [1, 2.5, "x", yes, ~]', '', '# only a comment', 'null', '~', '[1, 2]', '- a\n- b', 'just a string',
  '42', 'a: {b: {c: [1, {d: e}]}}', 'a: 1\na: 2', '1: one\n2.5: two\ntrue: three', 'a: &x 1\nb: *x',
  'base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2', 'a: [1, 2', 'a: b: c', '\tbad: tab', 'a: 9223372036854775807',
  'a: 18446744073709551615', 'a: 0x1F\nb: 0755\nc: 1e3\nd: .inf\ne: 2001-12-14', 'a: "quoted"\nb: \'single\'',
  'a: |\n  literal\n  text\nb: >\n  folded\n  text', '---\na: 1\n---\nb: 2', 'a: !!str 1\nb: !!int "2"',
  '? [complex]\n: key', 'a: .nan', '{a: 1}', '- [1]\n- {a: 2}', '"\\u00e9"',
  // JSON
  '{"a":1,"b":[true,false,null],"c":{"d":"e"}}', '{"a": 1e400}', '{"a": 1e400, "b": 2}', '[1, 1e400]', '{"a":1,}',
  '{"a" 1}', '{a:1}', '[1,2,]', '[1 2]', 'nul', 'tru', '{"a":"\\x"}', '{"a":"\\u12"}', '{"a":"\\ud83d\\ude00"}',
  '{"a":"\\ud83d"}', '{"a":01}', '{"a":-}', '{"a":1.}', '{"a":1e}', '{"a":"tab\there"}', '{} {}', '{"a":1} x',
  '   ', '"str"', 'true', '{"a":1,"a":2}', '{"__proto__":{"x":1}}', '{"big":12345678901234567890}',
  '{"neg":-0,"exp":1E2,"frac":0.5e-3}', '[]', '{}', '\'single\'', '{"a":[1,{"b":null}]}', '\u00e9', '{"é":"ü"}',
  // TOML
  'a = 1', 'a = 1\nb = 2.5\nc = "s"\nd = true', '[t]\nx = 1\n[t.u]\ny = 2', '[[arr]]\nx = 1\n[[arr]]\nx = 2',
  'a = [1, 2, 3]', 'a = [1, "x"]', 'a = {x = 1, y = "z"}', 'a = 1979-05-27T07:32:00Z', 'a = 1979-05-27',
  'a = 07:32:00', 'a = 1979-05-27T07:32:00', 'a = 0x1F\nb = 0o17\nc = 0b101\nd = 1_000', 'a = inf\nb = -inf\nc = nan',
  "a = 'literal'\nb = '''multi\nline'''", 'a = """\nmulti\nline"""', 'a = ', 'a = 1\na = 2', '= 1', 'a.b.c = 1',
  '"quoted key" = 1', 'a = 9223372036854775807', 'a = 9223372036854775808', 'a = 1e400', '[a]\n[a]', 'a = [1,\n2,\n]',
  'a = "unterminated', 'a = 1 # comment', 'a = 1.0', 'a = -0.0', 'a = +1', 'a = 1e6', 'a = 01',
  // more TOML
  String.raw`a = "esc \t \n \" \\ \u00e9 \U0001F600 \e \x41"`, String.raw`a = "bad \q"`, String.raw`a = "bad \u12"`,
  String.raw`a = "\ud800"`, 'a = """\nline one \\\n   continued\n"""', "a = '''\nraw \\n\n'''", 'a = """x""""',
  'a = """x"""""', 'a = """x""""""', 'a.b = 1\na.c = 2', 'a.b = 1\na = 2', 'a = 1\na.b = 2',
  '[a]\nb = 1\n[a.c]\nd = 2\n[a]\ne = 3', '[a.b]\nx = 1\n[a]\ny = 2', '[[a]]\nx = 1\n[a]\ny = 2', 'a = [1]\n[[a]]\nx = 1',
  '[[a.b]]\nx = 1\n[[a.b]]\nx = 2\n[[a]]\ny = 3', '[[a]]\n[[a.b]]\nc = 1\n[[a.b]]\nc = 2',
  'a = {b = 1, c = {d = 2}}\n[x]\ny = [{z = 1}, {z = 2}]', 'a = {b = 1}\na.c = 2', 'a = {\n  b = 1,\n  c = 2,\n}',
  'a = {b = 1,}', 'a = {,}', 'a = [,]', 'a = [1,,2]', 'a = [1 2]', 'a = {b = 1 c = 2}',
  'a = 1979-05-27T07:32:00-07:00', 'a = 1979-05-27T07:32:00.999999-07:00', 'a = 1979-05-27 07:32:00Z',
  'a = 1979-05-27t07:32:00z', 'a = 1979-05-27T07:32:00.123456789123Z', 'a = 1979-05-27T07:32Z', 'a = 1979-05-27T07:32',
  'a = 07:32', 'a = 1979-05-27T7:32:00Z', 'a = 1979-02-30', 'a = 1979-13-01', 'a = 1979-05-27T25:00:00',
  'a = 1979-05-27T07:32:00+25:00', 'a = 2000-02-29T00:00:00Z', 'a = 1979-05-27 # date then comment', 'a = 00:00:00.5',
  'a = 1979-05-27T00:00:00+00:00', 'a = 0xDEAD_BEEF', 'a = 0x_1', 'a = 1__0', 'a = _1', 'a = 1_', 'a = -0x1', 'a = +0o7',
  'a = 0b2', 'a = 0o8', 'a = 0xg', 'a = 0X1F', 'a = 1.5e3\nb = 1e-3\nc = 6.02e23\nd = 1_000.000_1', 'a = 1.', 'a = .5',
  'a = 01.5', 'a = 1.5.5', 'a = 1e_5', 'a = +nan\nb = -nan\nc = +inf', 'a = nan\n', 'a = naN', 'a = -i', 'a = True',
  'a = tru', 'a = yes', '"" = 1', "'lit key' = 2\n\"a.b\" = 3", 'a b = 1', 'a. b = 1', 'a .b = 1', '.a = 1', 'a. = 1',
  'a = 1 b = 2', '[ a . b ]\nc = 1', '[a]]', '[[a]', '[]', '[a.]\n', '[.a]', 'a = 1\n\n\n# c\n\n[b]\n\n  c = 2  # t\n',
  'a = "x\ty"', 'a = "x\u0001y"', '# comment \u0001 here', 'a = 1\r\nb = 2\r\n', 'a = 1\rb = 2', '\ufeffa = 1',
  'a = "\u00e9\u4e2d\u{1f600}"', '\u043a\u043b\u044e\u0447 = 1', '"\u043a\u043b\u044e\u0447" = 1',
  'a = [[1, 2], ["x"], [{b = 1}]]', 'a = [\n  1, # one\n  2,\n]', 'a = """\\\n  \\\n"""', 'a = "\\\n"',
  'x = 9_223_372_036_854_775_807\ny = -9223372036854775808\nz = -9223372036854775809',
  'n = 1000000\nf = 1000000.0\ng = 0.000001\nh = 1e21\nt = 1979-05-27T07:32:00Z\ns = "yes"\nl = [1, 2.5, "x", true]\n[m]\nk = "v"',
];

export const DECODE_CASES: DecodeCase[] = DECODE_INPUTS.map((input, i) => ({ name: `decode-${i}`, input }));

export const ERROR_CASES: ErrorCase[] = [
  { name: 'err-yaml-nan', fn: 'mustToYaml', tpl: '(list (float64 "NaN"))', value: () => [NaN] },
  { name: 'err-yaml-inf', fn: 'mustToYaml', tpl: '(dict "a" (float64 "-Inf"))', value: () => ({ a: -Infinity }) },
  { name: 'err-json-nan', fn: 'mustToJson', tpl: '(list (float64 "NaN"))', value: () => [NaN] },
  { name: 'err-json-inf', fn: 'mustToJson', tpl: '(float64 "Inf")', value: () => Infinity },
  { name: 'err-yaml-del', fn: 'mustToYaml', tpl: '(list (printf "%c" 127))', value: () => ['\u007f'] },
  { name: 'err-yaml-longkey', fn: 'mustToYaml', tpl: `(dict "${'k'.repeat(1030)}" 1)`, value: () => ({ ['k'.repeat(1030)]: 1n }) },
  { name: 'err-toml-nil', fn: 'toToml', tpl: 'nil', value: () => null },
];

