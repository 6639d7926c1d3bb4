/**
 * b64enc/b64dec/b32enc/b32dec with Go's encoding/base64 and encoding/base32 StdEncoding:
 * decoding skips CR/LF, requires correct padding and reports
 * "illegal base64 data at input byte N" (the string sprig returns on failure).
 */
import { type FuncMap } from '../template/index.js';
import { fn, fromUtf8, utf8 } from './util.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function decodeMap(alpha: string): Int16Array {
  const m = new Int16Array(256).fill(-1);
  for (let i = 0; i < alpha.length; i++) m[alpha.charCodeAt(i)] = i;
  return m;
}
const D64 = decodeMap(B64);
const D32 = decodeMap(B32);

class Corrupt extends Error {
  constructor(readonly offset: number, kind: string) { super(`illegal ${kind} data at input byte ${offset}`); }
}

/** base64.StdEncoding.DecodeString. */
export function base64Decode(s: string): Buffer {
  const src = utf8(s);
  const out: number[] = [];
  let si = 0;
  const isNL = (c: number | undefined): boolean => c === 0x0a || c === 0x0d;
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let err: Corrupt | null = null;
    let j = 0;
    let done = false;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out);
        throw new Corrupt(si - j, 'base64');
      }
      const inb = src[si]!;
      si++;
      const o = D64[inb]!;
      if (o >= 0) { dbuf[j] = o; continue; }
      if (isNL(inb)) { j--; continue; }
      if (inb !== 0x3d) throw new Corrupt(si - 1, 'base64');
      switch (j) {
        case 0: case 1: throw new Corrupt(si - 1, 'base64');
        case 2:
          while (si < src.length && isNL(src[si])) si++;
          if (si === src.length) throw new Corrupt(src.length, 'base64');
          if (src[si] !== 0x3d) throw new Corrupt(si - 1, 'base64');
          si++;
      }
      while (si < src.length && isNL(src[si])) si++;
      if (si < src.length) err = new Corrupt(si, 'base64');
      dlen = j;
      done = true;
      break;
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    for (let k = 0; k < dlen - 1; k++) out.push(bytes[k]!);
    if (err) throw err;
    if (done && dlen < 4) break;
  }
  return Buffer.from(out);
}

/** base32.StdEncoding.DecodeString. */
export function base32Decode(s: string): Buffer {
  const src = utf8(s).filter((c) => c !== 0x0a && c !== 0x0d);
  const olen = src.length;
  let p = 0;
  const out: number[] = [];
  let end = false;
  while (p < olen && !end) {
    const dbuf = [0, 0, 0, 0, 0, 0, 0, 0];
    let dlen = 8;
    for (let j = 0; j < 8;) {
      if (p === olen) throw new Corrupt(olen - (olen - p) - j, 'base32');
      const inb = src[p]!;
      p++;
      const left = olen - p;
      if (inb === 0x3d && j >= 2 && left < 8) {
        if (left + j < 8 - 1) throw new Corrupt(olen, 'base32');
        for (let k = 0; k < 8 - 1 - j; k++) {
          if (left > k && src[p + k] !== 0x3d) throw new Corrupt(olen - left + k - 1, 'base32');
        }
        dlen = j;
        end = true;
        if (dlen === 1 || dlen === 3 || dlen === 6) throw new Corrupt(olen - left - 1, 'base32');
        break;
      }
      const d = D32[inb]!;
      if (d < 0) throw new Corrupt(olen - left - 1, 'base32');
      dbuf[j] = d;
      j++;
    }
    let bits = 0n;
    for (const d of dbuf) bits = (bits << 5n) | BigInt(d);
    const nbytes = [0, 0, 1, 0, 2, 3, 0, 4, 5][dlen]!;
    for (let k = 0; k < nbytes; k++) out.push(Number((bits >> BigInt(32 - 8 * k)) & 0xffn));
  }
  return Buffer.from(out);
}

export function base32Encode(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 5) {
    const chunk = [0, 0, 0, 0, 0];
    const n = Math.min(5, b.length - i);
    for (let k = 0; k < n; k++) chunk[k] = b[i + k]!;
    let bits = 0n;
    for (const c of chunk) bits = (bits << 8n) | BigInt(c);
    const chars = [0, 2, 4, 5, 7, 8][n]!;
    for (let k = 0; k < 8; k++) out += k < chars ? B32[Number((bits >> BigInt(35 - 5 * k)) & 31n)] : '=';
  }
  return out;
}

export function encodingFuncs(): FuncMap {
  return {
    b64enc: fn('func(string) string', (v: string) => utf8(v).toString('base64')),
    b64dec: fn('func(string) string', (v: string) => {
      try { return fromUtf8(base64Decode(v)); } catch (e) { return (e as Error).message; }
    }),
    b32enc: fn('func(string) string', (v: string) => base32Encode(utf8(v))),
    b32dec: fn('func(string) string', (v: string) => {
      try { return fromUtf8(base32Decode(v)); } catch (e) { return (e as Error).message; }
    }),
  };
}
