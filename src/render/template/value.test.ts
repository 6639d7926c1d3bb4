import { describe, expect, it } from 'vitest';
import {
  GoComplex, GoScalar, GoStruct, T, T_MAP_IFACE, T_SLICE_IFACE, compareStrings, fromJS, int64, isTrue, kindOf,
  mapOf, namedType, parseType, sliceOf, sortedKeys, structType, typeOf, uint8, utf8Length, withType, zeroOf, type GoMap,
} from './index.js';

describe('value model', () => {
  it('type names as reflect prints them', () => {
    expect(typeOf(1n).name).toBe('int');
    expect(typeOf(1.5).name).toBe('float64');
    expect(typeOf('s').name).toBe('string');
    expect(typeOf(true).name).toBe('bool');
    expect(typeOf(null).name).toBe('interface {}');
    expect(typeOf([]).name).toBe('[]interface {}');
    expect(typeOf({}).name).toBe('map[string]interface {}');
    expect(typeOf(new Uint8Array(1)).name).toBe('[]uint8');
    expect(typeOf(int64(1)).name).toBe('int64');
    expect(typeOf(new GoComplex(1, 2)).name).toBe('complex128');
    expect(typeOf(withType(['a'], '[]string')).name).toBe('[]string');
    expect(typeOf(withType({} as GoMap, 'map[string]map[string]interface {}')).name).toBe('map[string]map[string]interface {}');
    expect(typeOf(new GoStruct(structType('a.B', []), {}, true)).name).toBe('*a.B');
  });
  it('kinds', () => {
    expect(kindOf(undefined)).toBe('invalid');
    expect(kindOf(null)).toBe('interface');
    expect(kindOf(uint8(1))).toBe('uint8');
    expect(kindOf(withType({} as GoMap, namedType('common.Values', T_MAP_IFACE)))).toBe('map');
  });
  it('parseType', () => {
    expect(parseType('any')).toBe(T.iface);
    expect(parseType('interface{}')).toBe(T.iface);
    expect(parseType('[]interface {}')).toBe(T_SLICE_IFACE);
    expect(parseType('map[string]interface {}')).toBe(T_MAP_IFACE);
    expect(parseType('map[string][]string')).toBe(mapOf(T.string, sliceOf(T.string)));
    expect(parseType('byte')).toBe(T.uint8);
    expect(() => parseType('chan int')).toThrow();
  });
  it('truth (IsTrue)', () => {
    const falsy = [undefined, null, false, '', 0n, 0, [], {}, new Uint8Array(0), int64(0), new GoComplex(0, 0), new GoStruct(structType('x.Y', []), {}, true, true)];
    const truthy = [true, 'a', 1n, -1, 0.5, NaN, [0], { a: null }, int64(2), new GoComplex(0, 1), new GoStruct(structType('x.Y', []), {})];
    for (const v of falsy) expect(isTrue(v)).toBe(false);
    for (const v of truthy) expect(isTrue(v)).toBe(true);
  });
  it('zero values', () => {
    expect(zeroOf(T.int)).toBe(0n);
    expect(zeroOf(T.string)).toBe('');
    expect(zeroOf(T.iface)).toBe(null);
    expect(typeOf(zeroOf(mapOf(T.string, T.string)) as GoMap).name).toBe('map[string]string');
    expect((zeroOf(T.int64) as GoScalar).v).toBe(0n);
  });
  it('string order is byte (code point) order', () => {
    expect(compareStrings('a', 'b')).toBe(-1);
    expect(compareStrings('\uff5e', '😀')).toBe(-1);
    expect(compareStrings('😀', '\uff5e')).toBe(1);
    expect(sortedKeys({ b: 1n, a: 2n, B: 3n, '😀': 4n, 'é': 5n })).toEqual(['B', 'a', 'b', 'é', '😀']);
  });
  it('utf8 length', () => {
    expect(utf8Length('aé日😀')).toBe(1 + 2 + 3 + 4);
  });
  it('fromJS keeps numbers as float64 and ignores prototypes', () => {
    const v = fromJS(JSON.parse('{"n": 1, "l": [1, null, {"__proto__": {"x": 1}}]}')) as GoMap;
    expect(typeof v.n).toBe('number');
    expect(Object.keys((v.l as GoMap[])[2]!)).toEqual(['__proto__']);
    expect(fromJS(new Map([['a', 1]]))).toEqual({ a: 1 });
    expect(fromJS(undefined)).toBe(null);
  });
});
