/**
 * bcrypt as golang.org/x/crypto/bcrypt does it ($2a$, cost 10 by default): Blowfish with
 * the EksBlowfish key schedule. Blowfish's initial P-array and S-boxes are the hex digits
 * of pi, computed here once (Machin's formula in BigInt) instead of being tabulated.
 */
import { randomBytes } from 'node:crypto';

let PI_WORDS: Uint32Array | undefined;

/** The first n 32-bit words of the fractional part of pi. */
function piWords(n: number): Uint32Array {
  const bits = BigInt(32 * n + 64);
  const one = 1n << bits;
  const arctanInv = (x: bigint): bigint => {
    let sum = 0n;
    let term = one / x;
    const x2 = x * x;
    for (let k = 1n; term !== 0n; k += 2n) {
      sum += ((k >> 1n) & 1n) === 0n ? term / k : -(term / k);
      term /= x2;
    }
    return sum;
  };
  const pi = 16n * arctanInv(5n) - 4n * arctanInv(239n);
  const frac = pi - 3n * one;
  const out = new Uint32Array(n);
  const shifted = frac >> 64n; // drop guard bits
  const hex = shifted.toString(16).padStart(8 * n, '0');
  for (let i = 0; i < n; i++) out[i] = parseInt(hex.slice(8 * i, 8 * i + 8), 16);
  return out;
}

class Blowfish {
  p: Uint32Array;
  s: Uint32Array[];
  constructor() {
    PI_WORDS ??= piWords(18 + 1024);
    this.p = PI_WORDS.slice(0, 18);
    this.s = [0, 1, 2, 3].map((k) => PI_WORDS!.slice(18 + 256 * k, 18 + 256 * (k + 1)));
  }

  f(x: number): number {
    const s = this.s;
    return ((((s[0]![x >>> 24]! + s[1]![(x >>> 16) & 0xff]!) >>> 0) ^ s[2]![(x >>> 8) & 0xff]!) + s[3]![x & 0xff]!) >>> 0;
  }

  encrypt(l0: number, r0: number): [number, number] {
    const p = this.p;
    let xl = (l0 ^ p[0]!) >>> 0;
    let xr = r0;
    for (let i = 1; i <= 16; i += 2) {
      xr = (xr ^ this.f(xl) ^ p[i]!) >>> 0;
      xl = (xl ^ this.f(xr) ^ p[i + 1]!) >>> 0;
    }
    xr = (xr ^ p[17]!) >>> 0;
    return [xr, xl];
  }

  private fill(next: () => [number, number]): void {
    const arrays = [this.p, ...this.s];
    let l = 0;
    let r = 0;
    for (const a of arrays) {
      for (let i = 0; i < a.length; i += 2) {
        const [sl, sr] = next();
        [l, r] = this.encrypt((l ^ sl) >>> 0, (r ^ sr) >>> 0);
        a[i] = l;
        a[i + 1] = r;
      }
    }
  }

  /** blowfish.ExpandKey. */
  expandKey(key: Uint8Array): void {
    const j = { v: 0 };
    for (let i = 0; i < 18; i++) this.p[i] = (this.p[i]! ^ nextWord(key, j)) >>> 0;
    this.fill(() => [0, 0]);
  }

  /** expandKeyWithSalt. */
  expandKeyWithSalt(key: Uint8Array, salt: Uint8Array): void {
    const j = { v: 0 };
    for (let i = 0; i < 18; i++) this.p[i] = (this.p[i]! ^ nextWord(key, j)) >>> 0;
    const k = { v: 0 };
    this.fill(() => [nextWord(salt, k), nextWord(salt, k)]);
  }
}

function nextWord(b: Uint8Array, j: { v: number }): number {
  let w = 0;
  for (let i = 0; i < 4; i++) {
    w = ((w << 8) | b[j.v]!) >>> 0;
    j.v++;
    if (j.v >= b.length) j.v = 0;
  }
  return w;
}

const ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function b64(b: Uint8Array): string {
  return Buffer.from(b).toString('base64').replace(/=+$/, '').replace(/[A-Za-z0-9+/]/g, (c) => ALPHABET[STD.indexOf(c)]!);
}

function unb64(s: string): Buffer {
  const std = s.replace(/[./A-Za-z0-9]/g, (c) => STD[ALPHABET.indexOf(c)]!);
  return Buffer.from(std, 'base64');
}

export class BcryptError extends Error {}

/** bcrypt.GenerateFromPassword(password, cost). */
export function bcryptHash(password: Uint8Array, cost = 10, saltBytes?: Uint8Array): string {
  if (password.length > 72) throw new BcryptError('bcrypt: password length exceeds 72 bytes');
  if (cost < 4 || cost > 31) throw new BcryptError(`crypto/bcrypt: cost ${cost} is outside allowed inclusive range 4..31`);
  const salt = b64(saltBytes ?? randomBytes(16));
  const csalt = unb64(salt);
  const ckey = Buffer.concat([Buffer.from(password), Buffer.from([0])]);
  const c = new Blowfish();
  c.expandKeyWithSalt(ckey, csalt);
  const rounds = 2 ** cost;
  for (let i = 0; i < rounds; i++) {
    c.expandKey(ckey);
    c.expandKey(csalt);
  }
  const cipher = Buffer.from('OrpheanBeholderScryDoubt', 'latin1');
  for (let i = 0; i < 24; i += 8) {
    let l = cipher.readUInt32BE(i);
    let r = cipher.readUInt32BE(i + 4);
    for (let j = 0; j < 64; j++) [l, r] = c.encrypt(l, r);
    cipher.writeUInt32BE(l, i);
    cipher.writeUInt32BE(r, i + 4);
  }
  return `$2a$${String(cost).padStart(2, '0')}$${salt}${b64(cipher.subarray(0, 23))}`;
}

/** bcrypt.CompareHashAndPassword (true on match). */
export function bcryptCompare(hash: string, password: Uint8Array): boolean {
  const m = /^\$2[abxy]?\$(\d\d)\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/.exec(hash);
  if (!m) return false;
  const salt = unb64(m[2]!);
  const again = bcryptHash(password, Number(m[1]), salt);
  return again.slice(-31) === m[3];
}
