import { describe, expect, it } from 'vitest';
import { CoalesceError, NoValueError, coalesceTables, coalesceValues, mergeValues, pathValue, valuesTable, type ValuesChart } from './coalesce.js';

const chart = (name: string, values: Record<string, unknown>, deps: ValuesChart[] = []): ValuesChart => ({ name, values, dependencies: deps });

describe('CoalesceValues', () => {
  it('user values win, maps merge, lists and scalars are replaced', () => {
    const c = chart('top', { a: 1, m: { x: 1, y: 2 }, l: [1, 2] });
    expect(coalesceValues(c, { a: 2, m: { y: 3 }, l: [9] })).toEqual({ a: 2, m: { x: 1, y: 3 }, l: [9] });
  });

  it('a null deletes the default; a null for an unknown key is kept', () => {
    const c = chart('top', { a: 1, m: { x: 1, y: 2 } });
    expect(coalesceValues(c, { a: null, m: { x: null }, z: null })).toEqual({ m: { y: 2 }, z: null });
  });

  it('puts subchart defaults under the subchart name and copies globals down', () => {
    const sub = chart('sub', { port: 80, global: { region: 'eu', nested: { a: 1 } } });
    const c = chart('top', { global: { env: 'prod', nested: { b: 2 } }, sub: { port: 8080 } }, [sub]);
    expect(coalesceValues(c, {})).toEqual({
      global: { env: 'prod', nested: { b: 2 } },
      sub: { port: 8080, global: { region: 'eu', env: 'prod', nested: { a: 1, b: 2 } } },
    });
  });

  it('a null for a subchart key is handed to the subchart, which deletes its default', () => {
    const sub = chart('sub', { port: 80, name: 'x' });
    const c = chart('top', { sub: { name: 'y' } }, [sub]);
    expect(coalesceValues(c, { sub: { port: null } })).toEqual({ sub: { name: 'y', global: {} } });
  });

  it('does not modify the inputs', () => {
    const vals = { m: { x: 1 } };
    const c = chart('top', { m: { y: 2 } });
    coalesceValues(c, vals);
    expect(vals).toEqual({ m: { x: 1 } });
    expect(c.values).toEqual({ m: { y: 2 } });
  });

  it('warns and keeps the user value when table meets non-table', () => {
    const warnings: string[] = [];
    const c = chart('top', { m: { x: 1 }, s: 'str' });
    expect(coalesceValues(c, { m: 'scalar', s: { t: 1 } }, (w) => warnings.push(w))).toEqual({ m: 'scalar', s: { t: 1 } });
    expect(warnings).toHaveLength(1);
  });

  it('fails like helm on a non-table subchart key', () => {
    const c = chart('top', {}, [chart('sub', {})]);
    expect(() => coalesceValues(c, { sub: 'oops' })).toThrow(new CoalesceError('type mismatch on sub: %!t(string=oops)'));
    expect(() => coalesceValues(c, { sub: true })).toThrow('type mismatch on sub: true');
    expect(() => coalesceValues(c, { sub: null })).toThrow('type mismatch on sub: %!t(<nil>)');
  });

  it('MergeValues keeps nulls', () => {
    const c = chart('top', { a: 1 });
    expect(mergeValues(c, { a: null })).toEqual({ a: null });
  });

  it('CoalesceTables: dst wins, nested nulls remove src defaults', () => {
    expect(coalesceTables({ a: { b: null, c: 1 } }, { a: { b: 2, d: 3 } })).toEqual({ a: { c: 1, d: 3 } });
  });
});

describe('Values.Table and PathValue', () => {
  const v = { a: { b: { c: true, t: {} }, list: [1] }, top: false, n: null };
  it('finds non-table values', () => {
    expect(pathValue(v, 'a.b.c')).toBe(true);
    expect(pathValue(v, 'top')).toBe(false);
    expect(pathValue(v, 'a.list')).toEqual([1]);
    expect(pathValue(v, 'n')).toBeNull();
  });
  it('tables and missing keys are NoValue', () => {
    expect(() => pathValue(v, 'a.b')).toThrow(NoValueError);
    expect(() => pathValue(v, 'a.b.t')).toThrow(NoValueError);
    expect(() => pathValue(v, 'a.x.c')).toThrow('"c" is not a value');
    expect(() => pathValue(v, ' a.b.c')).toThrow(NoValueError);
    expect(() => pathValue(v, '')).toThrow('YAML path cannot be empty');
  });
  it('Table', () => {
    expect(valuesTable(v, 'a.b')).toEqual({ c: true, t: {} });
    expect(() => valuesTable(v, 'top')).toThrow('"top" is not a table');
  });
});
