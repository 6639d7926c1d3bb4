/**
 * A string's code points as Go sees the runes of its UTF-8 (lone surrogates as U+FFFD, like
 * Go decoding invalid UTF-8). Indexed, not `for…of`: in code V8 has not optimised, iterating a
 * string allocates a string and a result object per character.
 */
export function runes(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { out.push(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000); i++; continue; }
    }
    out.push(c >= 0xd800 && c <= 0xdfff ? 0xfffd : c);
  }
  return out;
}
