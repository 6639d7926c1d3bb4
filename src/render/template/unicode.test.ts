/** The unicode predicates agree with the Unicode-property expressions they stand for, on every code point. */
import { describe, expect, it } from 'vitest';
import {
  isDigitText, isGraphicText, isLetterText, isLowerText, isNumberText, isPunctText, isSpace, isTitleText, isUpperText,
  isWhiteSpaceOnly,
} from './unicode.js';

const everyCodePoint = function* (): Generator<[number, string]> {
  for (let r = 0; r <= 0x10ffff; r++) if (r < 0xd800 || r > 0xdfff) yield [r, String.fromCodePoint(r)];
};

describe('unicode predicates', () => {
  it('isSpace is the White_Space property', () => {
    const re = /^\p{White_Space}$/u;
    const wrong: number[] = [];
    for (const [r, ch] of everyCodePoint()) if (isSpace(r) !== re.test(ch)) wrong.push(r);
    expect(wrong).toEqual([]);
  });

  it.each<[string, (s: string) => boolean, RegExp]>([
    ['letter', isLetterText, /^\p{L}$/u], ['upper', isUpperText, /^\p{Lu}$/u], ['lower', isLowerText, /^\p{Ll}$/u],
    ['title', isTitleText, /^\p{Lt}$/u], ['digit', isDigitText, /^\p{Nd}$/u], ['number', isNumberText, /^\p{N}$/u],
    ['punct', isPunctText, /^\p{P}$/u], ['graphic', isGraphicText, /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u],
  ])('%s', (_, test, re) => {
    for (const ch of ['a', 'Z', '5', '_', ' ', 'é', 'ǅ', '٣', 'Ⅻ', '¿', '€', '\u0301', '\u2028', '😀', '\u00a0', '']) expect(test(ch), ch).toBe(re.test(ch));
  });

  it.each<[string, boolean]>([
    ['', true], [' \t\n\r\v\f', true], ['\u0085\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000', true],
    [' x ', false], ['\u200b', false], ['\ufeff', false], ['a', false],
  ])('isWhiteSpaceOnly(%j)', (s, want) => {
    expect(isWhiteSpaceOnly(s)).toBe(want);
    expect(/^\p{White_Space}*$/u.test(s)).toBe(want);
  });
});
