/**
 * Seeded mutation fuzz of the hand-written OpenPGP readers (issue 9 §2): the packet reader,
 * the armor and cleartext decoders, key and signature parsing, and the GnuPG keybox reader,
 * fed real keyrings and signatures from GnuPG and helm with bytes flipped, lengths blown up,
 * chunks cut, repeated and shuffled. Nothing may escape but our typed errors (PgpFormatError;
 * ProvenanceError from verify), and each call stays fast and small.
 *
 * FUZZ_SEED picks another seed (CHARTAUDIT_* is scrubbed by the hermetic setup).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKeyring } from '../src/provenance/keyring.js';
import { decodeArmor, decodeClearsigned } from '../src/provenance/openpgp/armor.js';
import { parsePublicKey, parseSignature } from '../src/provenance/openpgp/keys.js';
import { PgpFormatError, readPackets } from '../src/provenance/openpgp/packets.js';
import { ProvenanceError, verifyProvenance } from '../src/provenance/verify.js';
import { rng } from './helpers/provenance-differential.js';
import { projectRoot } from './helpers/cli.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const fx = join(projectRoot, 'fixtures', 'provenance', 'out');
const vectors = join(projectRoot, '..', 'shared', 'testdata', 'helm-provenance');
const read = (f: string) => readFileSync(f);

const binaryRings = [read(join(fx, 'ring.gpg')), read(join(fx, 'subkey-revoked.gpg')), read(join(vectors, 'helm-test-key.pub')), read(join(vectors, 'helm-mixed-keyring.pub')), read(join(vectors, 'helm-test-key.secret'))];
const armoredRings = [read(join(fx, 'ring.asc'))];
const keyboxes = [read(join(fx, 'ring.kbx'))];
const provs = ['helm-rsa/signme-0.1.0.tgz.prov', 'gpg-p256.prov', 'gpg-subkey.prov', 'gpg-critical-notation.prov'].map((f) => read(join(fx, f)));

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);

/** One to eight structural mutations of `b`. */
function mutateBytes(b: Buffer, r: Rand): Buffer {
  let c = Buffer.from(b);
  const n = 1 + int(r, 8);
  for (let k = 0; k < n && c.length > 0; k++) {
    const i = int(r, c.length);
    switch (int(r, 8)) {
      case 0: c[i]! ^= 1 << int(r, 8); break;
      case 1: c[i] = [0x00, 0xff, 0x7f, 0x80, 0xc0, 0xe0, 0xfe][int(r, 7)]!; break;
      case 2: { // a length field blown up
        for (let j = i; j < Math.min(c.length, i + 4); j++) c[j] = 0xff;
        break;
      }
      case 3: c = c.subarray(0, i); break;
      case 4: c = Buffer.concat([c.subarray(0, i), c.subarray(i + 1 + int(r, 16))]); break;
      case 5: { const len = 1 + int(r, 64); c = Buffer.concat([c.subarray(0, i), c.subarray(i, i + len), c.subarray(i)]); break; }
      case 6: c = Buffer.concat([c.subarray(0, i), Buffer.from(Array.from({ length: 1 + int(r, 8) }, () => int(r, 256))), c.subarray(i)]); break;
      default: { // swap two chunks
        const j = int(r, c.length);
        const [a, z] = i < j ? [i, j] : [j, i];
        c = Buffer.concat([c.subarray(z), c.subarray(a, z), c.subarray(0, a)]);
      }
    }
  }
  return c;
}

/** Keybox-aware: mutate the blob header fields (length, type, flags, keyblock offset and length). */
function mutateKeybox(b: Buffer, r: Rand): Buffer {
  const c = Buffer.from(b);
  const blobs: number[] = [];
  for (let p = 0; p + 5 <= c.length;) {
    blobs.push(p);
    const len = c.readUInt32BE(p);
    if (len < 5) break;
    p += len;
  }
  const p = blobs[int(r, blobs.length)] ?? 0;
  const field = [0, 4, 6, 8, 12][int(r, 5)]!;
  if (p + field + 4 <= c.length) c.writeUInt32BE([0, 1, 5, 19, 20, 0xffffffff, c.length, int(r, 2 ** 32)][int(r, 8)]! >>> 0, p + field);
  return r() < 0.5 ? c : mutateBytes(c, r);
}

/** Mutates an armored text: bytes of the text or of the decoded data re-armored. */
function mutateText(t: Buffer, r: Rand): string {
  if (r() < 0.5) return mutateBytes(t, r).toString('latin1');
  const ls = t.toString('utf8').split('\n');
  const i = int(r, ls.length);
  const choices = [() => ls.splice(i, 1), () => ls.splice(i, 0, ls[i] ?? ''), () => { ls[i] = `${ls[i]}=`; }, () => { ls[i] = '-----BEGIN PGP SIGNATURE-----'; }, () => { ls[i] = ''; }, () => { ls[i] = `- ${ls[i]}`; }];
  choices[int(r, choices.length)]!();
  return ls.join('\n');
}

interface Stats { runs: number; typed: number; ok: number; maxMs: number }
function expectOnlyTyped(stats: Stats, f: () => unknown, what: string, allowed: (e: unknown) => boolean = (e) => e instanceof PgpFormatError): void {
  const t0 = performance.now();
  try {
    f();
    stats.ok++;
  } catch (e) {
    if (!allowed(e)) throw new Error(`${what}: untyped ${(e as Error).name}: ${(e as Error).message}\n${(e as Error).stack}`);
    stats.typed++;
  }
  stats.runs++;
  stats.maxMs = Math.max(stats.maxMs, performance.now() - t0);
}

const N = 4_000;

describe(`OpenPGP readers under seeded mutation (seed ${SEED})`, () => {
  it.each([
    ['packet reader and key/signature parsing (binary keyrings)', 'packets'],
    ['keyring reader: binary', 'binary'],
    ['keyring reader: armored', 'armored'],
    ['keyring reader: GnuPG keybox', 'keybox'],
    ['armor and cleartext decoders (.prov)', 'armor'],
    ['verify end to end (.prov mutated)', 'verify'],
  ])('%s', (_, target) => {
    const r = rng(SEED ^ target.length * 7919);
    const stats: Stats = { runs: 0, typed: 0, ok: 0, maxMs: 0 };
    const heap0 = process.memoryUsage().heapUsed;
    const keyring = readKeyring(binaryRings[0]!);
    const archive = read(join(fx, 'helm-rsa', 'signme-0.1.0.tgz'));
    for (let i = 0; i < N; i++) {
      switch (target) {
        case 'packets': {
          const input = mutateBytes(binaryRings[i % binaryRings.length]!, r);
          expectOnlyTyped(stats, () => {
            for (const p of readPackets(input)) {
              try {
                if (p.tag === 2) parseSignature(p.body);
                else if (p.tag === 6 || p.tag === 14 || p.tag === 5 || p.tag === 7) parsePublicKey(p.body);
              } catch (e) {
                if (!(e instanceof PgpFormatError)) throw e;
              }
            }
          }, 'readPackets');
          break;
        }
        case 'binary': expectOnlyTyped(stats, () => readKeyring(mutateBytes(binaryRings[i % binaryRings.length]!, r)), 'readKeyring(binary)'); break;
        case 'armored': expectOnlyTyped(stats, () => readKeyring(Buffer.from(mutateText(armoredRings[0]!, r), 'latin1')), 'readKeyring(armored)'); break;
        case 'keybox': expectOnlyTyped(stats, () => readKeyring(mutateKeybox(keyboxes[0]!, r)), 'readKeyring(keybox)'); break;
        case 'armor': {
          const text = mutateText(provs[i % provs.length]!, r);
          expectOnlyTyped(stats, () => { decodeClearsigned(text); decodeArmor(text); }, 'armor');
          break;
        }
        default: {
          const prov = Buffer.from(mutateText(provs[i % provs.length]!, r), 'latin1');
          expectOnlyTyped(stats, () => verifyProvenance({ archive, prov, filename: 'signme-0.1.0.tgz', keyring, now: new Date() }), 'verify', (e) => e instanceof ProvenanceError);
        }
      }
    }
    expect(stats.runs).toBe(N);
    expect(stats.typed).toBeGreaterThan(0); // the mutations do reach the error paths
    expect(stats.maxMs).toBeLessThan(1_000); // no pathological input: each call is short (inputs are a few KB)
    expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(256 * 1024 * 1024);
  }, 60_000);

  it('hostile lengths and depths are refused quickly', () => {
    const huge = Buffer.from([0xc2, 0xff, 0xff, 0xff, 0xff, 0xff, 4, 0]); // a 4 GiB signature packet in 8 bytes
    expect(() => readPackets(huge)).toThrow(PgpFormatError);
    const kbxLie = Buffer.alloc(32);
    kbxLie.writeUInt32BE(32, 0);
    kbxLie[4] = 1;
    kbxLie.write('KBXf', 8, 'latin1');
    const blob = Buffer.alloc(20);
    blob.writeUInt32BE(20, 0);
    blob[4] = 2;
    blob.writeUInt32BE(8, 8);
    blob.writeUInt32BE(0xffffffff, 12); // keyblock far past the blob
    expect(() => readKeyring(Buffer.concat([kbxLie, blob]))).toThrow('corrupt keybox: keyblock out of range');
  });
});
