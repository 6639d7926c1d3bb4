/**
 * Go's unicode predicates for code points past ASCII, shared by the lexer, strconv, sprig and
 * the encoders. Each Unicode-property regular expression is made at its first use: making one
 * costs 0.03–0.5 ms (ICU's property tables; ~2 ms for the dozen a render's bundle made at load),
 * and most renders test only ASCII. White space is the White_Space property's fixed list, no
 * tables at all: tpl and the empty-template check test it in most renders.
 */

/** A test by the regular expression `make` returns, made at the first call. */
function lazyTest(make: () => RegExp): (s: string) => boolean {
  let re: RegExp | undefined;
  return (s) => (re ??= make()).test(s);
}

export const isLetterText = lazyTest(() => /^\p{L}$/u);
export const isUpperText = lazyTest(() => /^\p{Lu}$/u);
export const isLowerText = lazyTest(() => /^\p{Ll}$/u);
export const isTitleText = lazyTest(() => /^\p{Lt}$/u);
export const isDigitText = lazyTest(() => /^\p{Nd}$/u);
export const isNumberText = lazyTest(() => /^\p{N}$/u);
export const isPunctText = lazyTest(() => /^\p{P}$/u);
/** Go's unicode.IsGraphic less spaces (L, M, N, P, S): the printable runes past ASCII. */
export const isGraphicText = lazyTest(() => /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u);

/** Go's unicode.IsLetter of a rune (false for a negative one, such as an end-of-input mark). */
export const isLetter = (r: number): boolean => (r < 0x80 ? (r >= 65 && r <= 90) || (r >= 97 && r <= 122) : isLetterText(String.fromCodePoint(r)));
/** Go's unicode.IsDigit of a rune. */
export const isDigit = (r: number): boolean => (r < 0x80 ? r >= 48 && r <= 57 : isDigitText(String.fromCodePoint(r)));

/** Unicode's White_Space property (Go's unicode.IsSpace; JavaScript's \p{White_Space}). */
export function isSpace(r: number): boolean {
  if (r <= 0xff) return r === 0x20 || (r >= 0x09 && r <= 0x0d) || r === 0x85 || r === 0xa0;
  return r === 0x1680 || (r >= 0x2000 && r <= 0x200a) || r === 0x2028 || r === 0x2029 || r === 0x202f || r === 0x205f || r === 0x3000;
}

/** Whether `s` is all White_Space (an empty string is), as /^\p{White_Space}*$/u. */
export function isWhiteSpaceOnly(s: string): boolean {
  // every White_Space code point is in the BMP: UTF-16 units are code points here
  for (let i = 0; i < s.length; i++) if (!isSpace(s.charCodeAt(i))) return false;
  return true;
}
