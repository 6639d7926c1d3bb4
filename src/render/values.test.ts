/**
 * buildUserValues (helm's values.Options.MergeValues) and the raw-values → template bridge.
 * Flag-level agreement with helm is in test/render-charts.test.ts (fixtures/render-charts/values).
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../model/errors.js';
import { GoScalar, typeOf } from './template/index.js';
import { buildUserValues, toTemplateValue, toValuesMap } from './values.js';

describe('buildUserValues', () => {
  it('merges files, then --set-json, --set, --set-string, --set-file, --set-literal', () => {
    const v = buildUserValues({
      valuesFiles: [{ name: 'a.yaml', bytes: Buffer.from('a: 1\nm: {p: 1, q: 2}\n---\nb: 2\n') }, { name: 'b.yaml', bytes: Buffer.from('m: {q: 3}\n') }],
      setJson: ['j={"k":[1,2]}', '{"m":{"z":4}}'],
      set: ['s=1,a=x'],
      setString: ['s=1'],
      setFile: ['f=path'],
      setLiteral: ['l=a,b=c'],
    }, (p) => Buffer.from(`content of ${p}`));
    expect(v).toEqual({ a: 'x', b: 2, m: { p: 1, q: 3, z: 4 }, j: { k: [1, 2] }, s: '1', f: 'content of path', l: 'a,b=c' });
  });
  it('gives int64 for --set integers', () => {
    expect(buildUserValues({ set: ['i=5,z=0,f=1.5'] })).toEqual({ i: 5n, z: 0n, f: '1.5' });
  });
  it('words errors like helm', () => {
    const err = (o: Parameters<typeof buildUserValues>[0]): string => {
      try { buildUserValues(o, () => { throw new Error('open nope: no such file or directory'); }); } catch (e) { expect(e).toBeInstanceOf(InputError); return (e as Error).message; }
      return '';
    };
    expect(err({ set: ['a'] })).toBe('failed parsing --set data: key "a" has no value');
    expect(err({ setString: ['a.b'] })).toBe('failed parsing --set-string data: key "b" has no value');
    expect(err({ setJson: ['a={'] })).toBe('failed parsing --set-json data a={');
    expect(err({ setJson: ['{bad'] })).toBe('failed parsing --set-json data JSON: {bad');
    expect(err({ setFile: ['a=nope'] })).toBe('failed parsing --set-file data: open nope: no such file or directory');
    expect(err({ valuesFiles: [{ name: 'v.yaml', bytes: Buffer.from('- a\n') }] })).toMatch(/^failed to parse v.yaml: /);
  });
});

describe('toTemplateValue', () => {
  it('maps bigint to int64 and keeps float64', () => {
    const v = toTemplateValue({ i: 5n, f: 1, s: 'x', l: [1n], n: null }) as Record<string, unknown>;
    expect(v.i).toBeInstanceOf(GoScalar);
    expect(typeOf(v.i as GoScalar).name).toBe('int64');
    expect(v.f).toBe(1);
    expect(v.n).toBe(null);
  });
  it('keeps shared objects shared', () => {
    const shared = { a: 1 };
    const v = toTemplateValue({ x: shared, y: shared }) as Record<string, unknown>;
    expect(v.x).toBe(v.y);
  });
  it('types the top map as common.Values', () => {
    expect(typeOf(toValuesMap({})).name).toBe('common.Values');
  });
});
