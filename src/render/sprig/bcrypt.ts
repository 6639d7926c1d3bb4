/**
 * bcrypt as golang.org/x/crypto/bcrypt does it ($2a$, cost 10 by default): Blowfish with
 * the EksBlowfish key schedule. Blowfish's initial P-array and S-boxes are the hex digits
 * of pi (blowfish-pi.ts, checked against Machin's formula in bcrypt.test.ts).
 *
 * The state is one Int32Array (P then the four S-boxes) and every sum is truncated with `| 0`:
 * a cost-10 hash runs 2 × 1024 key schedules of 521 encryptions, mostly before V8 optimises
 * it, where tuples, closures and numbers outside int32 allocate (argo-cd's admin password took
 * 183 ms of a render that way).
 */
import { randomBytes } from 'node:crypto';
import { PI_HEX } from './blowfish-pi.js';
import { noteRandomDraw } from './effects.js';

/** P-array (18 words), then S-boxes 0–3 (256 words each). */
const WORDS = 18 + 1024;
const S0 = 18;
const S1 = S0 + 256;
const S2 = S1 + 256;
const S3 = S2 + 256;

let initial: Int32Array | undefined;

function initialState(): Int32Array {
  if (!initial) {
    initial = new Int32Array(WORDS);
    for (let i = 0; i < WORDS; i++) initial[i] = parseInt(PI_HEX.slice(8 * i, 8 * i + 8), 16) | 0;
  }
  return initial.slice();
}

/** Blowfish-encrypts the block lr[0], lr[1] in place. */
function encrypt(st: Int32Array, lr: Int32Array): void {
  let l = lr[0]! ^ st[0]!;
  let r = lr[1]!;
  for (let i = 1; i <= 16; i += 2) {
    r ^= ((((st[S0 + (l >>> 24)]! + st[S1 + ((l >>> 16) & 0xff)]!) | 0) ^ st[S2 + ((l >>> 8) & 0xff)]!) + st[S3 + (l & 0xff)]!) ^ st[i]!;
    l ^= ((((st[S0 + (r >>> 24)]! + st[S1 + ((r >>> 16) & 0xff)]!) | 0) ^ st[S2 + ((r >>> 8) & 0xff)]!) + st[S3 + (r & 0xff)]!) ^ st[i + 1]!;
  }
  lr[0] = r ^ st[17]!;
  lr[1] = l;
}

/**
 * blowfish.ExpandKey (salt null) or expandKeyWithSalt: the key cycled into P, then P and the
 * S-boxes replaced by chained encryptions (of the salt's words cycled, when there is one).
 */
function expandKey(st: Int32Array, key: Uint8Array, salt: Int32Array | null, lr: Int32Array): void {
  let j = 0;
  for (let i = 0; i < 18; i++) {
    let w = 0;
    for (let k = 0; k < 4; k++) {
      w = (w << 8) | key[j]!;
      if (++j === key.length) j = 0;
    }
    st[i] = st[i]! ^ w;
  }
  lr[0] = 0;
  lr[1] = 0;
  for (let i = 0, s = 0; i < WORDS; i += 2) {
    if (salt !== null) {
      lr[0] = lr[0]! ^ salt[s]!;
      lr[1] = lr[1]! ^ salt[s + 1]!;
      s = (s + 2) % salt.length;
    }
    encrypt(st, lr);
    st[i] = lr[0]!;
    st[i + 1] = lr[1]!;
  }
}

/** A byte string's big-endian 32-bit words, the bytes cycled to fill whole words (Go's getNextWord). */
function words(b: Uint8Array, n: number): Int32Array {
  const out = new Int32Array(n);
  let j = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 4; k++) {
      out[i] = (out[i]! << 8) | b[j]!;
      if (++j === b.length) j = 0;
    }
  }
  return out;
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
  if (saltBytes === undefined) noteRandomDraw();
  const salt = b64(saltBytes ?? randomBytes(16));
  const csalt = unb64(salt);
  const ckey = Buffer.concat([Buffer.from(password), Buffer.from([0])]);
  const st = initialState();
  const lr = new Int32Array(2);
  // the salt (16 bytes: 22 characters of bcrypt's base64) is 4 words, taken two a block
  expandKey(st, ckey, words(csalt, 4), lr);
  const rounds = 2 ** cost;
  for (let i = 0; i < rounds; i++) {
    expandKey(st, ckey, null, lr);
    expandKey(st, csalt, null, lr);
  }
  const cipher = Buffer.from('OrpheanBeholderScryDoubt', 'latin1');
  for (let i = 0; i < 24; i += 8) {
    lr[0] = cipher.readInt32BE(i);
    lr[1] = cipher.readInt32BE(i + 4);
    for (let j = 0; j < 64; j++) encrypt(st, lr);
    cipher.writeInt32BE(lr[0]!, i);
    cipher.writeInt32BE(lr[1]!, i + 4);
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
