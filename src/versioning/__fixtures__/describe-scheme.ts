/** The standard vitest table test of one scheme over its fixture (see table.ts). */
import { describe, expect, it } from 'vitest';
import { InvalidVersionError, type VersionScheme } from '../types.js';
import { failingRows, OP, pairsOf, type Op, type SchemeFixture } from './table.js';

export function describeScheme(scheme: VersionScheme, fx: SchemeFixture): void {
  describe(`${scheme.id}: orderings`, () => {
    it.each(fx.orderings.map((r) => [...r]))('%s %s %s', (a, op, b) => {
      const want = OP[op as Op];
      expect(scheme.compare(a, b)).toBe(want);
      expect(scheme.compare(b, a)).toBe(-want || 0);
    });
    for (const [name, list] of Object.entries(fx.ascending ?? {})) {
      it(`ascending list: ${name}`, () => {
        expect(failingRows(scheme, pairsOf(list))).toEqual([]);
      });
    }
  });
  describe(`${scheme.id}: validity`, () => {
    it.each(fx.valid.map((v) => [v]))('valid %j', (v) => {
      expect(scheme.isValid(v)).toBe(true);
      expect(scheme.compare(v, v)).toBe(0);
    });
    it.each(fx.invalid.map((v) => [v]))('invalid %j', (v) => {
      expect(scheme.isValid(v)).toBe(false);
      expect(() => scheme.compare(v, v)).toThrow(InvalidVersionError);
    });
  });
}
