/**
 * The strvals parsers, with the tables of helm v4.1.4's pkg/strvals parser_test.go and
 * literal_parser_test.go (compared like helm's tests: through a JSON-ish normal form, so
 * int and int64 compare equal), plus error texts checked against helm's messages.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_INDEX, MAX_NESTED_NAME_LEVEL, StrvalsError, decodeJsonPrefix, parse, parseFile, parseInto, parseIntoFile, parseIntoString,
  parseJSON, parseLiteral, parseLiteralInto, parseString, typedVal, type StrMap,
} from './strvals.js';

/** helm's tests compare yaml.Marshal output: bigint and number are the same there. */
function norm(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(norm);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]));
  return v;
}

interface Case { str: string; expect?: unknown; err?: boolean }

describe('strvals.Parse (--set), helm parser_test.go TestParseSet', () => {
  const tests: Case[] = [
    { str: 'name1=null,f=false,t=true', expect: { name1: null, f: false, t: true } },
    { str: 'name1=value1', expect: { name1: 'value1' } },
    { str: 'name1=value1,name2=value2', expect: { name1: 'value1', name2: 'value2' } },
    { str: 'name1=value1,name2=value2,', expect: { name1: 'value1', name2: 'value2' } },
    { str: 'name1=value1,,,,name2=value2,', err: true },
    { str: 'name1=,name2=value2', expect: { name1: '', name2: 'value2' } },
    { str: 'leading_zeros=00009', expect: { leading_zeros: '00009' } },
    { str: 'zero_int=0', expect: { zero_int: 0 } },
    { str: 'long_int=1234567890', expect: { long_int: 1234567890 } },
    { str: 'boolean=true', expect: { boolean: true } },
    { str: 'is_null=null', expect: { is_null: null } },
    { str: 'name1,name2=', err: true },
    { str: 'name1,name2=value2', err: true },
    { str: 'name1,name2=value2\\', err: true },
    { str: 'name1,name2', err: true },
    { str: 'name1=one\\,two,name2=three\\,four', expect: { name1: 'one,two', name2: 'three,four' } },
    { str: 'name1=one\\=two,name2=three\\=four', expect: { name1: 'one=two', name2: 'three=four' } },
    { str: 'name1=one two three,name2=three two one', expect: { name1: 'one two three', name2: 'three two one' } },
    { str: 'outer.inner=value', expect: { outer: { inner: 'value' } } },
    { str: 'outer.middle.inner=value', expect: { outer: { middle: { inner: 'value' } } } },
    { str: 'outer.inner1=value,outer.inner2=value2', expect: { outer: { inner1: 'value', inner2: 'value2' } } },
    { str: 'outer.inner1=value,outer.middle.inner=value', expect: { outer: { inner1: 'value', middle: { inner: 'value' } } } },
    { str: 'name1.name2', err: true },
    { str: 'name1.name2,name1.name3', err: true },
    { str: 'name1.name2=', expect: { name1: { name2: '' } } },
    { str: 'name1.=name2', err: true },
    { str: 'name1.,name2', err: true },
    { str: 'name1={value1,value2}', expect: { name1: ['value1', 'value2'] } },
    { str: 'name1={value1,value2},name2={value1,value2}', expect: { name1: ['value1', 'value2'], name2: ['value1', 'value2'] } },
    { str: 'name1={1021,902}', expect: { name1: [1021, 902] } },
    { str: 'name1.name2={value1,value2}', expect: { name1: { name2: ['value1', 'value2'] } } },
    { str: 'name1={1021,902', err: true },
    { str: 'list[0]=foo', expect: { list: ['foo'] } },
    { str: 'list[0].foo=bar', expect: { list: [{ foo: 'bar' }] } },
    { str: 'list[0].foo=bar,list[0].hello=world', expect: { list: [{ foo: 'bar', hello: 'world' }] } },
    { str: 'list[0].foo=bar,list[-30].hello=world', err: true },
    { str: 'list[0]=foo,list[1]=bar', expect: { list: ['foo', 'bar'] } },
    { str: 'list[0]=foo,list[1]=bar,', expect: { list: ['foo', 'bar'] } },
    { str: 'list[0]=foo,list[3]=bar', expect: { list: ['foo', null, null, 'bar'] } },
    { str: 'list[0]=foo,list[-20]=bar', err: true },
    { str: 'illegal[0]name.foo=bar', err: true },
    { str: 'noval[0]', expect: { noval: [] } },
    { str: 'noval[0]=', expect: { noval: [''] } },
    { str: 'nested[0][0]=1', expect: { nested: [[1]] } },
    { str: 'nested[1][1]=1', expect: { nested: [null, [null, 1]] } },
    { str: 'name1.name2[0].foo=bar,name1.name2[1].foo=bar', expect: { name1: { name2: [{ foo: 'bar' }, { foo: 'bar' }] } } },
    { str: 'name1.name2[1].foo=bar,name1.name2[0].foo=bar', expect: { name1: { name2: [{ foo: 'bar' }, { foo: 'bar' }] } } },
    { str: 'name1.name2[1].foo=bar', expect: { name1: { name2: [null, { foo: 'bar' }] } } },
    { str: ']={}].', err: true },
  ];
  for (const tt of tests) {
    it(tt.str, () => {
      if (tt.err) {
        expect(() => parse(tt.str)).toThrow(StrvalsError);
      } else {
        expect(norm(parse(tt.str))).toEqual(tt.expect);
      }
    });
  }

  const testsString: Case[] = [
    { str: 'long_int_string=1234567890', expect: { long_int_string: '1234567890' } },
    { str: 'boolean=true', expect: { boolean: 'true' } },
    { str: 'is_null=null', expect: { is_null: 'null' } },
    { str: 'zero=0', expect: { zero: '0' } },
  ];
  for (const tt of testsString) {
    it(`ParseString ${tt.str}`, () => expect(parseString(tt.str)).toEqual(tt.expect));
  }
});

describe('strvals.ParseInto, helm TestParseInto / TestParseIntoString', () => {
  it('merges into existing values', () => {
    const got: StrMap = { outer: { inner1: 'overwrite', inner2: 'value2' } };
    parseInto('outer.inner1=value1,outer.inner3=value3,outer.inner4=4', got);
    expect(norm(got)).toEqual({ outer: { inner1: 'value1', inner2: 'value2', inner3: 'value3', inner4: 4 } });
  });
  it('nested lists of maps, same index twice', () => {
    const got: StrMap = {};
    parseInto('listOuter[0][0].type=listValue', got);
    parseInto('listOuter[0][0].status=alive', got);
    expect(got).toEqual({ listOuter: [[{ type: 'listValue', status: 'alive' }]] });
  });
  it('nested lists of maps, two indexes', () => {
    const got: StrMap = {};
    parseInto('listOuter[0][0].type=listValue', got);
    parseInto('listOuter[1][0].status=alive', got);
    expect(got).toEqual({ listOuter: [[{ type: 'listValue' }], [{ status: 'alive' }]] });
  });
  it('three levels, existing data', () => {
    const got: StrMap = { listOuter: [[[{ exited: 'old' }]]] };
    parseInto('listOuter[0][1][0].type=listValue', got);
    parseInto('listOuter[0][0][1].status=alive', got);
    expect(got).toEqual({ listOuter: [[[{ exited: 'old' }, { status: 'alive' }], [{ type: 'listValue' }]]] });
  });
  it('ParseIntoString', () => {
    const got: StrMap = { outer: { inner1: 'overwrite', inner2: 'value2' } };
    parseIntoString('outer.inner1=1,outer.inner3=3', got);
    expect(got).toEqual({ outer: { inner1: '1', inner2: 'value2', inner3: '3' } });
  });
});

describe('strvals.ParseJSON (--set-json), helm TestParseJSON', () => {
  it('scalars, replacing a key', () => {
    const got: StrMap = { outer: { inner1: 'overwrite', inner2: 'value2' } };
    parseJSON('outer.inner1="1",outer.inner3=3,outer.inner4=true,outer.inner5="true"', got);
    expect(got).toEqual({ outer: { inner1: '1', inner2: 'value2', inner3: 3, inner4: true, inner5: 'true' } });
  });
  it('objects and arrays', () => {
    const got: StrMap = { outer: { inner1: { x: 'overwrite' }, inner2: 'value2', inner3: ['overwrite'] } };
    parseJSON('outer.inner1={"a":"1","b":2,"c":[1,2,3]},outer.inner3=["new value 1","new value 2"],outer.inner4={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner5=[{"A":"1","B":2,"C":[1,2,3]}]', got);
    expect(got).toEqual({
      outer: {
        inner1: { a: '1', b: 2, c: [1, 2, 3] },
        inner2: 'value2',
        inner3: ['new value 1', 'new value 2'],
        inner4: { aa: '1', bb: 2, cc: [1, 2, 3] },
        inner5: [{ A: '1', B: 2, C: [1, 2, 3] }],
      },
    });
  });
  it('null and empty values', () => {
    const got: StrMap = { outer: { inner1: { x: 'overwrite' }, inner2: 'value2' } };
    parseJSON('outer.inner1=,outer.inner3={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner3.cc[1]=null', got);
    expect(got).toEqual({ outer: { inner1: null, inner2: 'value2', inner3: { aa: '1', bb: 2, cc: [1, null, 3] } } });
  });
  it('syntax error', () => {
    expect(() => parseJSON('outer.inner1={"a":"1","b":2,"c":[1,2,3]},outer.inner3=["new value 1","new value 2"],outer.inner4={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner5={"A":"1","B":2,"C":[1,2,3]}]', {})).toThrow(StrvalsError);
  });
  it('decodes one JSON value from the front like json.Decoder', () => {
    expect(decodeJsonPrefix('{"a":1} ,b=2')).toEqual([{ a: 1 }, 7]);
    expect(decodeJsonPrefix('12,x')).toEqual([12, 2]);
    expect(decodeJsonPrefix('"é",x')).toEqual(['é', 3]);
    expect(() => decodeJsonPrefix('{"a":')).toThrow(StrvalsError);
  });
});

describe('strvals.ParseFile / ParseIntoFile (--set-file)', () => {
  const reader = (rs: string): string => {
    expect(rs).toBe('path1');
    return 'value1';
  };
  it('ParseFile', () => expect(parseFile('name1=path1', reader)).toEqual({ name1: 'value1' }));
  it('ParseIntoFile', () => {
    const got: StrMap = {};
    parseIntoFile('name1=path1', got, reader);
    expect(got).toEqual({ name1: 'value1' });
  });
});

describe('strvals nesting limit, helm TestParseSetNestedLevels', () => {
  it('accepts 3 levels', () => expect(parse('outer.middle.inner=value')).toEqual({ outer: { middle: { inner: 'value' } } }));
  it(`rejects more than ${MAX_NESTED_NAME_LEVEL}`, () => {
    let key = '';
    for (let i = 1; i <= MAX_NESTED_NAME_LEVEL + 2; i++) key += `name${i}${i <= MAX_NESTED_NAME_LEVEL + 1 ? '.' : ''}`;
    expect(() => parse(`${key}=value`)).toThrow(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
    expect(() => parseLiteral(`${key}=value`)).toThrow(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
  });
});

describe('strvals.ParseLiteral (--set-literal), helm literal_parser_test.go', () => {
  const tests: Case[] = [
    { str: 'name', err: true },
    { str: 'name=', expect: { name: '' } },
    { str: 'name=value', expect: { name: 'value' } },
    { str: 'long_int_string=1234567890', expect: { long_int_string: '1234567890' } },
    { str: 'boolean=true', expect: { boolean: 'true' } },
    { str: 'is_null=null', expect: { is_null: 'null' } },
    { str: 'zero=0', expect: { zero: '0' } },
    { str: 'name1=null,name2=value2', expect: { name1: 'null,name2=value2' } },
    { str: 'name1=value,,,tail', expect: { name1: 'value,,,tail' } },
    { str: 'leading_zeros=00009', expect: { leading_zeros: '00009' } },
    { str: 'name=one two three', expect: { name: 'one two three' } },
    { str: 'outer.inner=value', expect: { outer: { inner: 'value' } } },
    { str: 'outer.middle.inner=value', expect: { outer: { middle: { inner: 'value' } } } },
    { str: 'name1.name2', err: true },
    { str: 'name1.name2=', expect: { name1: { name2: '' } } },
    { str: 'name1.=name2', err: true },
    { str: 'name1.,name2', err: true },
    { str: 'name1={value1,value2}', expect: { name1: '{value1,value2}' } },
    { str: 'list[0]=foo', expect: { list: ['foo'] } },
    { str: 'list[0].foo=bar', expect: { list: [{ foo: 'bar' }] } },
    { str: 'list[-30].hello=world', err: true },
    { str: 'list[3]=bar', expect: { list: [null, null, null, 'bar'] } },
    { str: 'illegal[0]name.foo=bar', err: true },
    { str: 'noval[0]', expect: { noval: [] } },
    { str: 'noval[0]=', expect: { noval: [''] } },
    { str: 'nested[0][0]=1', expect: { nested: [['1']] } },
    { str: 'nested[1][1]=1', expect: { nested: [null, [null, '1']] } },
    { str: 'name1.name2[0].foo=bar', expect: { name1: { name2: [{ foo: 'bar' }] } } },
    { str: 'name1.name2[1].foo=bar', expect: { name1: { name2: [null, { foo: 'bar' }] } } },
    { str: ']={}].', expect: { ']': '{}].' } },
    { str: 'name=val,val', expect: { name: 'val,val' } },
    { str: 'name=val.val', expect: { name: 'val.val' } },
    { str: 'name=val=val', expect: { name: 'val=val' } },
    { str: 'name=val$val', expect: { name: 'val$val' } },
    { str: 'name=(value', expect: { name: '(value' } },
    { str: 'name=value)', expect: { name: 'value)' } },
    { str: 'name=(value)', expect: { name: '(value)' } },
    { str: 'name={value', expect: { name: '{value' } },
    { str: 'name=value}', expect: { name: 'value}' } },
    { str: 'name={value}', expect: { name: '{value}' } },
    { str: 'name={value1,value2}', expect: { name: '{value1,value2}' } },
    { str: 'name=val\\val', expect: { name: 'val\\val' } },
    { str: 'name=val\\\\val', expect: { name: 'val\\\\val' } },
    { str: 'name=val\\\\\\val', expect: { name: 'val\\\\\\val' } },
    { str: 'name={val,.?*v\\0a!l)some', expect: { name: '{val,.?*v\\0a!l)some' } },
    { str: 'name=em%GT)tqUDqz,i-\\h+Mbqs-!:.m\\\\rE=mkbM#rR}@{-k@', expect: { name: 'em%GT)tqUDqz,i-\\h+Mbqs-!:.m\\\\rE=mkbM#rR}@{-k@' } },
  ];
  for (const tt of tests) {
    it(tt.str, () => {
      if (tt.err) expect(() => parseLiteral(tt.str)).toThrow(StrvalsError);
      else expect(parseLiteral(tt.str)).toEqual(tt.expect);
    });
  }
  it('ParseLiteralInto keeps the rest of the line as the value', () => {
    const got: StrMap = { outer: { inner1: 'overwrite', inner2: 'value2' } };
    parseLiteralInto('outer.inner1=value1,outer.inner3=value3,outer.inner4=4', got);
    expect(got).toEqual({ outer: { inner1: 'value1,outer.inner3=value3,outer.inner4=4', inner2: 'value2' } });
  });
  it('ParseLiteralInto nested lists', () => {
    const got: StrMap = { listOuter: [[[{ exited: 'old' }]]] };
    parseLiteralInto('listOuter[0][1][0].type=listValue', got);
    parseLiteralInto('listOuter[0][0][1].status=alive', got);
    expect(got).toEqual({ listOuter: [[[{ exited: 'old' }, { status: 'alive' }], [{ type: 'listValue' }]]] });
  });
});

describe('strvals details', () => {
  it('infers types like typedVal', () => {
    expect(typedVal('TRUE', false)).toBe(true);
    expect(typedVal('Null', false)).toBe(null);
    expect(typedVal('0', false)).toBe(0n);
    expect(typedVal('-12', false)).toBe(-12n);
    expect(typedVal('+12', false)).toBe(12n);
    expect(typedVal('012', false)).toBe('012');
    expect(typedVal('1.5', false)).toBe('1.5');
    expect(typedVal('9223372036854775808', false)).toBe('9223372036854775808');
    expect(typedVal('1_000', false)).toBe('1_000');
    expect(typedVal('true', true)).toBe('true');
  });
  it('words errors like helm', () => {
    expect(() => parse('a.b')).toThrow('key "b" has no value');
    expect(() => parse('a,b=1')).toThrow('key "a" has no value (cannot end with ,)');
    expect(() => parse('a.=1')).toThrow('key map "a" has no value');
    expect(() => parse('a[x]=1')).toThrow('error parsing index: strconv.Atoi: parsing "x": invalid syntax');
    expect(() => parse('a[0]x=1')).toThrow("unexpected data at end of array index: ['x']");
    expect(() => parse('a[-1]=1')).toThrow('negative -1 index not allowed');
    expect(() => parse(`a[${MAX_INDEX + 1}]=1`)).toThrow(`index of ${MAX_INDEX + 1} is greater than maximum supported index of ${MAX_INDEX}`);
    expect(() => parse('a={x,y')).toThrow("list must terminate with '}'");
    expect(() => parseInto('a.b=1', { a: 'str' })).toThrow('unable to parse key: interface conversion: interface {} is string, not map[string]interface {}');
    expect(() => parseInto('a[0]=1', { a: 5n })).toThrow('unable to parse key: interface conversion: interface {} is int64, not []interface {}');
    expect(() => parseInto('a[0]=1', { a: null })).toThrow('unable to parse key: interface conversion: interface {} is nil, not []interface {}');
  });
  it('keeps __proto__ as an ordinary key', () => {
    const m = parse('__proto__.x=1');
    expect(Object.keys(m)).toEqual(['__proto__']);
    expect(({} as { x?: unknown }).x).toBeUndefined();
  });
});
