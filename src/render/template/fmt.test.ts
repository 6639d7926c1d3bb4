import { describe, expect, it } from 'vitest';
import {
  GoComplex, GoScalar, GoStruct, T, formatFloat, goFunc, int64, mapOf, quote, quoteToASCII, sliceOf, sprint,
  sprintf, sprintln, structType, uint8, unquote, withType, type GoMap, type Value,
} from './index.js';

describe('strconv.FormatFloat', () => {
  const cases: Array<[number, string, number, 32 | 64, string]> = [
    [1, 'e', -1, 64, '1e+00'],
    [1, 'f', -1, 64, '1'],
    [1, 'g', -1, 64, '1'],
    [0, 'e', -1, 64, '0e+00'],
    [0, 'g', 3, 64, '0'],
    [-0, 'g', -1, 64, '-0'],
    [1e23, 'g', -1, 64, '1e+23'],
    [1e23, 'e', 17, 64, '9.99999999999999916e+22'],
    [1e23, 'f', -1, 64, '100000000000000000000000'],
    [1e21, 'g', -1, 64, '1e+21'],
    [123456789, 'g', -1, 64, '1.23456789e+08'],
    [100000, 'g', -1, 64, '100000'],
    [1000000, 'g', -1, 64, '1e+06'],
    [0.0001, 'g', -1, 64, '0.0001'],
    [0.00001, 'g', -1, 64, '1e-05'],
    [1234567, 'g', 3, 64, '1.23e+06'],
    [0.00012345, 'g', 3, 64, '0.000123'],
    [100, 'g', 3, 64, '100'],
    [1000, 'g', 3, 64, '1e+03'],
    [5, 'e', 0, 64, '5e+00'],
    [3, 'f', 2, 64, '3.00'],
    [2.5, 'f', 0, 64, '2'],
    [3.5, 'f', 0, 64, '4'],
    [0.125, 'f', 2, 64, '0.12'],
    [0.375, 'f', 2, 64, '0.38'],
    [1.005, 'f', 2, 64, '1.00'],
    [5e-324, 'g', -1, 64, '5e-324'],
    [5e-324, 'e', 3, 64, '4.941e-324'],
    [1.7976931348623157e308, 'g', -1, 64, '1.7976931348623157e+308'],
    [0.1, 'b', -1, 64, '7205759403792794p-56'],
    [1, 'b', -1, 64, '4503599627370496p-52'],
    [0, 'b', -1, 64, '0p-1074'],
    [1, 'x', -1, 64, '0x1p+00'],
    [100, 'x', -1, 64, '0x1.9p+06'],
    [0, 'x', -1, 64, '0x0p+00'],
    [-1, 'X', 3, 64, '-0X1.000P+00'],
    [3.14159, 'x', 2, 64, '0x1.92p+01'],
    [1, 'x', 0, 64, '0x1p+00'],
    [1.9999, 'x', 0, 64, '0x1p+01'],
    [Math.fround(0.1), 'g', -1, 32, '0.1'],
    [16777216, 'g', -1, 32, '1.6777216e+07'],
    [Math.fround(3.4e38), 'g', -1, 32, '3.4e+38'],
    [Math.fround(0.1), 'g', -1, 64, '0.10000000149011612'],
    [NaN, 'g', -1, 64, 'NaN'],
    [Infinity, 'f', 2, 64, '+Inf'],
    [-Infinity, 'e', -1, 64, '-Inf'],
  ];
  for (const [v, f, p, b, want] of cases) {
    it(`FormatFloat(${v}, '${f}', ${p}, ${b}) = ${want}`, () => expect(formatFloat(v, f, p, b)).toBe(want));
  }
});

describe('quoting', () => {
  it('Quote', () => {
    expect(quote('a"b\\c\n\t\x00\x7f\u00e9\u200b😀')).toBe('"a\\"b\\\\c\\n\\t\\x00\\x7fé\\u200b😀"');
    expect(quoteToASCII('é😀')).toBe('"\\u00e9\\U0001f600"');
  });
  it('Unquote', () => {
    expect(unquote('"a\\tb\\x41\\101\\u00e9\\U0001F600"')).toBe('a\tbAAé😀');
    expect(unquote('`raw\\n`')).toBe('raw\\n');
    expect(() => unquote('"\\q"')).toThrow('invalid syntax');
    expect(() => unquote('"\\\'"')).toThrow('invalid syntax');
  });
});

describe('Sprint / Sprintln', () => {
  it('spacing follows the string rule', () => {
    expect(sprint([1n, 2n])).toBe('1 2');
    expect(sprint(['a', 1n, 'b'])).toBe('a1b');
    expect(sprint([1n, 'a', 2n])).toBe('1a2');
    expect(sprint([1.5, true, null])).toBe('1.5 true <nil>');
    expect(sprint([int64(1), int64(2)])).toBe('1 2');
    expect(sprint([])).toBe('');
  });
  it('Sprintln always separates', () => {
    expect(sprintln(['a', 'b', 1n])).toBe('a b 1\n');
    expect(sprintln([])).toBe('\n');
  });
  it('containers', () => {
    expect(sprint([['a', 1n, [2.5, null], { k: 'v' }]])).toBe('[a 1 [2.5 <nil>] map[k:v]]');
    expect(sprint([{ b: 1n, a: { c: [] } }])).toBe('map[a:map[c:[]] b:1]');
  });
});

describe('Sprintf with typed values', () => {
  const cases: Array<[string, Value[], string]> = [
    ['%x %d', [new GoScalar(T.int8, -1n), new GoScalar(T.int8, -128n)], '-1 -128'],
    ['%x %X %o', [uint8(255), uint8(255), uint8(8)], 'ff FF 10'],
    ['%d', [new GoScalar(T.uint64, 18446744073709551615n)], '18446744073709551615'],
    ['%v %#v', [new GoScalar(T.uint64, 255n), new GoScalar(T.uint64, 255n)], '255 0xff'],
    ['%c %q %U', [uint8(65), uint8(65), uint8(65)], "A 'A' U+0041"],
    ['%v|%.2f|%+.1e', [new GoComplex(1, 2), new GoComplex(1, -2), new GoComplex(0, 0)], '(1+2i)|(1.00-2.00i)|(+0.0e+00+0.0e+00i)'],
    ['%s|%q|%v|%x|% X|%d', Array(6).fill(new Uint8Array([104, 105])), 'hi|"hi"|[104 105]|6869|68 69|[104 105]'],
    ['%v|%#v|%T', Array(3).fill(withType(['a', 'b'], sliceOf(T.string))), '[a b]|[]string{"a", "b"}|[]string'],
    ['%#v', [withType({ a: 'b' } as GoMap, mapOf(T.string, T.string))], 'map[string]string{"a":"b"}'],
    ['%#v', [{ a: 1.5, b: [1n, 'x', null] }], 'map[string]interface {}{"a":1.5, "b":[]interface {}{1, "x", interface {}(nil)}}'],
    ['%T', [goFunc('func(string, ...interface {}) (string, error)', () => '')], 'func(string, ...interface {}) (string, error)'],
    ['%v %f', [new GoScalar(T.float32, Math.fround(0.1)), new GoScalar(T.float32, Math.fround(0.1))], '0.1 0.100000'],
    ['%5.1f|%-7.2f|%07.2f', [1.25, 1.255, -1.5], '  1.2|1.25   |-001.50'],
    ['%v', [new GoStruct(structType('p.S', []), {}, true, true)], '<nil>'],
    ['%d %s', [true, 1n], '%!d(bool=true) %!s(int=1)'],
    ['%!', [], '%!!(MISSING)'],
    ['abc%', [], 'abc%!(NOVERB)'],
    ['%d', [], '%!d(MISSING)'],
    ['%d %d', [1n, 2n, 3n], '1 2%!(EXTRA int=3)'],
    ['%[2]d %[1]d', [1n, 2n], '2 1'],
    ['%[5]d', [1n], '%!d(BADINDEX)'],
    ['%.*d', [2.5, 3n], '%!(BADPREC)3'],
    ['%*d', ['x', 3n], '%!(BADWIDTH)3'],
    ['%-*d|', [-4n, 3n], '3   |'],
    ['%6.2v', ['abcdef'], '    ab'],
    ['%x', ['日本'], 'e697a5e69cac'],
    ['%08.3f', [-3.14159], '-003.142'],
    ['% d|%+d', [5n, 5n], ' 5|+5'],
    ['%#o|%#x|%#X|%#b', [8n, 255n, 255n, 5n], '010|0xff|0XFF|0b101'],
    ['%e', [1e-300], '1.000000e-300'],
    ['%g', [1e100], '1e+100'],
    ['%v', [-0], '-0'],
    ['%t', ['x'], '%!t(string=x)'],
  ];
  for (const [f, args, want] of cases) {
    it(`Sprintf(${JSON.stringify(f)}) = ${JSON.stringify(want)}`, () => expect(sprintf(f, args)).toBe(want));
  }
});

describe('%v of a []byte (helm prints .Files this way)', () => {
  const every = Uint8Array.from({ length: 256 }, (_, i) => i);
  it.each<[string, Uint8Array, string]>([
    ['empty', new Uint8Array(0), '[]'],
    ['one digit', Uint8Array.of(0), '[0]'],
    ['digit boundaries', Uint8Array.of(9, 10, 99, 100, 255), '[9 10 99 100 255]'],
    ['every byte, cached text', every, `[${Array.from(every, String).join(' ')}]`],
  ])('%s', (_, bytes, want) => {
    expect(sprintf('%v', [bytes])).toBe(want);
    expect(sprint([bytes])).toBe(want);
    // the second print of the same array (from the cache for large arrays) is the same text
    expect(sprintf('%v', [bytes])).toBe(want);
  });
});
