import { describe, expect, it } from 'vitest';
import { bcryptCompare, bcryptHash } from './bcrypt.js';
import { PI_HEX } from './blowfish-pi.js';

/** bcrypt's base64 alphabet back to bytes (the salts below are written in it). */
const salt = (s: string): Buffer => Buffer.from(
  s.replace(/[./A-Za-z0-9]/g, (c) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'['./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.indexOf(c)]!),
  'base64',
);

describe('bcrypt', () => {
  // golang.org/x/crypto/bcrypt's test vector ("allmine"); the others were checked with Apache's
  // `htpasswd -vb` (the same hashes under $2y$).
  it.each<[string, number, string, string]>([
    ['allmine', 10, 'XajjQvNhvvRt5GSeFk1xFe', '$2a$10$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga'],
    ['', 4, 'abcdefghijklmnopqrstuu', '$2a$04$abcdefghijklmnopqrstuubyCG3zY1GIXMyxfivm.ClDiInHzxjiq'],
    ['x'.repeat(72), 5, '......................', '$2a$05$......................YgIDy4hFBdVlc/6LHnD9mX488r9cLd2'],
    ['pässwörd', 6, 'XajjQvNhvvRt5GSeFk1xFe', '$2a$06$XajjQvNhvvRt5GSeFk1xFe/6ET7h3ajGCLVhgLQgjrBGBuhoS.yMW'],
  ])('%j at cost %i', (password, cost, s, want) => {
    expect(bcryptHash(Buffer.from(password, 'utf8'), cost, salt(s))).toBe(want);
    expect(bcryptCompare(want, Buffer.from(password, 'utf8'))).toBe(true);
    expect(bcryptCompare(want, Buffer.from(`.${password.slice(1)}`, 'utf8'))).toBe(false);
  });

  it("Blowfish's table is pi's fractional hex digits (Machin's formula)", () => {
    const words = PI_HEX.length / 8;
    expect(words).toBe(18 + 1024);
    const bits = BigInt(32 * words + 64);
    const one = 1n << bits;
    const arctanInv = (x: bigint): bigint => {
      let sum = 0n;
      let term = one / x;
      for (let k = 1n; term !== 0n; k += 2n) {
        sum += ((k >> 1n) & 1n) === 0n ? term / k : -(term / k);
        term /= x * x;
      }
      return sum;
    };
    const pi = 16n * arctanInv(5n) - 4n * arctanInv(239n);
    expect(((pi - 3n * one) >> 64n).toString(16).padStart(8 * words, '0')).toBe(PI_HEX);
  });
});
