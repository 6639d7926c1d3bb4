/**
 * The provenance differential: seeded, structure-aware mutations of real helm-signed and
 * gpg-signed .prov files, keyrings and archives, each judged by chartaudit (in-process),
 * by openpgp.js v6 and, on a sample, by `gpg --verify`. Used by
 * test/provenance-differential.test.ts (CI, 5,000+ mutations) and
 * scripts/provenance-differential.ts (the long run).
 *
 * The invariant: chartaudit never says `verified` where openpgp.js rejects (the signature, or
 * the archive digest in the text openpgp.js verified). Where helm's go-crypto and openpgp.js
 * differ, chartaudit follows helm and the case is listed in KnownDifferences.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as yamlParse } from 'yaml';
import { readKeyring } from '../../src/provenance/keyring.js';
import { decodeArmor, encodeArmor } from '../../src/provenance/openpgp/armor.js';
import { parseSignature } from '../../src/provenance/openpgp/keys.js';
import { PgpFormatError, readPackets } from '../../src/provenance/openpgp/packets.js';
import { ProvenanceError, verifyProvenance, type ProvenanceFailure } from '../../src/provenance/verify.js';
import type { ProvCase } from '../../fixtures/provenance/generate.js';
import type { Gpg } from './gpg.js';

export interface Base {
  name: string;
  prov: Buffer;
  keyring: Buffer;
  archive: Buffer;
  filename: string;
}

export interface Mutation extends Base {
  /** The mutation operator, e.g. `sig-mpi-flip`, `keyring-revocation-drop`. */
  kind: string;
}

/** Real inputs: the committed GnuPG/helm fixtures and helm's own test vectors (../shared). */
export function loadBases(root: string): Base[] {
  const out: Base[] = [];
  const fx = join(root, 'fixtures', 'provenance', 'out');
  const cases = JSON.parse(readFileSync(join(fx, 'cases.json'), 'utf8')) as ProvCase[];
  for (const c of cases) {
    // openpgp.js reads no keybox: the keybox reader has its own fuzz test; here its binary twin.
    const ring = c.keyring.replace(/\.kbx$/, '.gpg');
    out.push({ name: c.name, prov: readFileSync(join(fx, c.prov)), keyring: readFileSync(join(fx, ring)), archive: readFileSync(join(fx, c.archive)), filename: 'signme-0.1.0.tgz' });
  }
  const v = join(root, '..', 'shared', 'testdata', 'helm-provenance');
  const vec = (name: string, prov: string, ring: string, tgz: string) =>
    out.push({ name, prov: readFileSync(join(v, prov)), keyring: readFileSync(join(v, ring)), archive: readFileSync(join(v, tgz)), filename: tgz });
  vec('helm-vector-signtest', 'signtest-0.1.0.tgz.prov', 'helm-test-key.pub', 'signtest-0.1.0.tgz');
  vec('helm-vector-hashtest', 'hashtest-1.2.3.tgz.prov', 'helm-test-key.pub', 'hashtest-1.2.3.tgz');
  vec('helm-vector-hashtest-mixed', 'hashtest-1.2.3.tgz.prov', 'helm-mixed-keyring.pub', 'hashtest-1.2.3.tgz');
  vec('helm-vector-msgblock-gpg', 'msgblock.yaml.asc', 'helm-test-key.pub', 'hashtest-1.2.3.tgz');
  return out;
}

/** mulberry32: small, seedable, good enough to pick mutations. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;
const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b; };

function flipBit(b: Buffer, from: number, to: number, r: Rand): Buffer {
  const c = Buffer.from(b);
  if (to <= from) return c;
  const i = from + int(r, to - from);
  c[i]! ^= 1 << int(r, 8);
  return c;
}

/** A new-format packet with a definite length. */
function packet(tag: number, body: Buffer): Buffer {
  const n = body.length;
  const hdr = n < 192 ? Buffer.from([n]) : n < 8384 ? Buffer.from([((n - 192) >> 8) + 192, (n - 192) & 0xff]) : Buffer.concat([Buffer.from([255]), u32(n)]);
  return Buffer.concat([Buffer.from([0xc0 | tag]), hdr, body]);
}
function subpacket(type: number, data: Buffer, critical = false): Buffer {
  const len = data.length + 1;
  const l = len < 192 ? Buffer.from([len]) : Buffer.from([((len - 192) >> 8) + 192, (len - 192) & 0xff]);
  return Buffer.concat([l, Buffer.from([critical ? type | 0x80 : type]), data]);
}

interface SigLayout { hashedStart: number; hashedEnd: number; unhashedStart: number; unhashedEnd: number; materialStart: number }
/** Where the parts of a v4 signature packet body are; null when it is not one. */
function sigLayout(b: Buffer): SigLayout | null {
  if (b.length < 10 || b[0] !== 4) return null;
  const hashedEnd = 6 + b.readUInt16BE(4);
  if (hashedEnd + 2 > b.length) return null;
  const unhashedEnd = hashedEnd + 2 + b.readUInt16BE(hashedEnd);
  if (unhashedEnd + 2 > b.length) return null;
  return { hashedStart: 6, hashedEnd, unhashedStart: hashedEnd + 2, unhashedEnd, materialStart: unhashedEnd + 2 };
}
interface Sub { start: number; end: number; type: number; dataStart: number }
function subpackets(b: Buffer, from: number, to: number): Sub[] {
  const out: Sub[] = [];
  let p = from;
  while (p < to) {
    const l0 = b[p]!;
    let len: number;
    let hl: number;
    if (l0 < 192) { len = l0; hl = 1; } else if (l0 < 255) { len = ((l0 - 192) << 8) + (b[p + 1] ?? 0) + 192; hl = 2; } else { len = p + 5 <= to ? b.readUInt32BE(p + 1) : 0; hl = 5; }
    if (len < 1 || p + hl + len > to) break;
    out.push({ start: p, end: p + hl + len, type: b[p + hl]! & 0x7f, dataStart: p + hl + 1 });
    p += hl + len;
  }
  return out;
}
/** Rebuilds a signature body with new hashed and/or unhashed areas (the old hash tag and material stay). */
function withAreas(b: Buffer, l: SigLayout, hashed: Buffer | null, unhashed: Buffer | null): Buffer {
  const h = hashed ?? b.subarray(l.hashedStart, l.hashedEnd);
  const u = unhashed ?? b.subarray(l.unhashedStart, l.unhashedEnd);
  return Buffer.concat([b.subarray(0, 4), Buffer.from([h.length >> 8, h.length & 0xff]), h, Buffer.from([u.length >> 8, u.length & 0xff]), u, b.subarray(l.unhashedEnd)]);
}

/** Mutates one signature packet body (a .prov signature, a certification, a binding, a revocation). */
function mutateSignature(b: Buffer, r: Rand, otherFprs: string[]): { body: Buffer; kind: string } {
  const l = sigLayout(b);
  if (!l) return { body: flipBit(b, 0, b.length, r), kind: 'sig-raw-flip' };
  const hashed = subpackets(b, l.hashedStart, l.hashedEnd);
  const unhashed = subpackets(b, l.unhashedStart, l.unhashedEnd);
  const op = int(r, 14);
  switch (op) {
    case 0: return { body: flipBit(b, l.materialStart + 2, b.length, r), kind: 'sig-mpi-flip' };
    case 1: return { body: b.subarray(0, l.materialStart + int(r, b.length - l.materialStart)), kind: 'sig-mpi-truncate' };
    case 2: return { body: flipBit(b, l.hashedStart, l.hashedEnd, r), kind: 'sig-hashed-subpacket-flip' };
    case 3: return { body: flipBit(b, l.unhashedStart, l.unhashedEnd, r), kind: 'sig-unhashed-subpacket-flip' };
    case 4: {
      const ct = hashed.find((s) => s.type === 2);
      if (!ct) return { body: flipBit(b, 0, 6, r), kind: 'sig-header-flip' };
      const c = Buffer.from(b);
      const old = c.readUInt32BE(ct.dataStart);
      c.writeUInt32BE(pick(r, [0, old - 1, old + 1, old - 86_400 * 365 * 10, old + 86_400 * 365 * 200, int(r, 2 ** 32)]) >>> 0, ct.dataStart);
      return { body: c, kind: 'sig-creation-time' };
    }
    case 5: {
      // creation time moved to the unhashed area: the signature no longer has a hashed one
      const ct = hashed.find((s) => s.type === 2);
      if (!ct) return { body: b, kind: 'sig-creation-time-unhashed' };
      const h = Buffer.concat([b.subarray(l.hashedStart, ct.start), b.subarray(ct.end, l.hashedEnd)]);
      const u = Buffer.concat([b.subarray(ct.start, ct.end), b.subarray(l.unhashedStart, l.unhashedEnd)]);
      return { body: withAreas(b, l, h, u), kind: 'sig-creation-time-unhashed' };
    }
    case 6: {
      const sp = subpacket(3, u32(pick(r, [1, 60, 86_400, 0])));
      const hashedSide = r() < 0.5;
      return hashedSide
        ? { body: withAreas(b, l, Buffer.concat([b.subarray(l.hashedStart, l.hashedEnd), sp]), null), kind: 'sig-expiration-hashed' }
        : { body: withAreas(b, l, null, Buffer.concat([b.subarray(l.unhashedStart, l.unhashedEnd), sp])), kind: 'sig-expiration-unhashed' };
    }
    case 7: {
      // subpackets an attacker can add without re-signing: the unhashed area
      const choices: [string, Buffer][] = [
        ['key-flags', subpacket(27, Buffer.from([pick(r, [0, 0x02, 0x03, 0x0c])]))],
        ['creation-time', subpacket(2, u32(int(r, 2 ** 32)))],
        ['key-expiration', subpacket(9, u32(1))],
        ['critical-unknown', subpacket(pick(r, [40, 60, 100]), Buffer.from([1, 2, 3]), true)],
        ['critical-notation', subpacket(20, Buffer.concat([Buffer.from([0x80, 0, 0, 0, 0, 3, 0, 1]), Buffer.from('a@bx')]), true)],
        ['revocable', subpacket(7, Buffer.from([0]))],
      ];
      if (otherFprs.length) {
        const f = pick(r, otherFprs);
        choices.push(['issuer-fpr', subpacket(33, Buffer.concat([Buffer.from([4]), Buffer.from(f, 'hex')]))]);
        choices.push(['issuer', subpacket(16, Buffer.from(f.slice(-16), 'hex'))]);
      }
      const [name, sp] = pick(r, choices);
      const front = r() < 0.5;
      const u = b.subarray(l.unhashedStart, l.unhashedEnd);
      return { body: withAreas(b, l, null, front ? Buffer.concat([sp, u]) : Buffer.concat([u, sp])), kind: `sig-unhashed-insert-${name}` };
    }
    case 8: {
      // drop one subpacket from either area
      const all = [...hashed.map((s) => ['hashed', s] as const), ...unhashed.map((s) => ['unhashed', s] as const)];
      if (!all.length) return { body: b, kind: 'sig-subpacket-drop' };
      const [area, s] = pick(r, all);
      const from = area === 'hashed' ? l.hashedStart : l.unhashedStart;
      const to = area === 'hashed' ? l.hashedEnd : l.unhashedEnd;
      const rest = Buffer.concat([b.subarray(from, s.start), b.subarray(s.end, to)]);
      return { body: area === 'hashed' ? withAreas(b, l, rest, null) : withAreas(b, l, null, rest), kind: `sig-${area}-drop-${s.type}` };
    }
    case 9: {
      // embedded signature (back-signature): mutate inside it
      const emb = [...hashed, ...unhashed].find((s) => s.type === 32);
      if (!emb) return { body: flipBit(b, l.materialStart, b.length, r), kind: 'sig-mpi-flip' };
      return { body: flipBit(b, emb.dataStart, emb.end, r), kind: 'sig-embedded-flip' };
    }
    case 10: {
      const c = Buffer.from(b);
      c[3] = pick(r, [1, 2, 3, 8, 9, 10, 11, 12, 99]);
      return { body: c, kind: 'sig-hash-algorithm' };
    }
    case 11: {
      const c = Buffer.from(b);
      c[1] = pick(r, [0x00, 0x01, 0x10, 0x13, 0x18, 0x19, 0x20, 0x28, 0x30, 0x40]);
      return { body: c, kind: 'sig-type' };
    }
    case 12: {
      const kf = hashed.find((s) => s.type === 27);
      if (!kf) return { body: flipBit(b, l.hashedStart, l.hashedEnd, r), kind: 'sig-hashed-subpacket-flip' };
      const c = Buffer.from(b);
      c[kf.dataStart] = pick(r, [0, 0x01, 0x02, 0x0c, 0xff]);
      return { body: c, kind: 'sig-key-flags-hashed' };
    }
    default: return { body: b.subarray(0, int(r, b.length)), kind: 'sig-truncate' };
  }
}

const TagNames: Record<number, string> = { 2: 'signature', 6: 'key', 13: 'uid', 14: 'subkey', 5: 'secret-key', 7: 'secret-subkey' };

/** Mutates a binary keyring (packet stream). */
function mutateKeyringPackets(data: Buffer, r: Rand): { data: Buffer; kind: string } {
  let packets: { tag: number; body: Buffer }[];
  try {
    packets = readPackets(data);
  } catch {
    return { data: flipBit(data, 0, data.length, r), kind: 'keyring-raw-flip' };
  }
  const fprs = packets.filter((p) => p.tag === 6 || p.tag === 14).map((p) => createHash('sha1').update(Buffer.from([0x99, p.body.length >> 8, p.body.length & 0xff])).update(p.body).digest('hex').toUpperCase());
  const join = (ps: { tag: number; body: Buffer }[]) => Buffer.concat(ps.map((p) => packet(p.tag, p.body)));
  // what a signature at index i is about: its preceding uid/subkey/key packet
  const context = (i: number) => { for (let j = i - 1; j >= 0; j--) if (packets[j]!.tag !== 2) return TagNames[packets[j]!.tag] ?? `tag${packets[j]!.tag}`; return 'none'; };
  const op = int(r, 10);
  const idx = (pred: (p: { tag: number; body: Buffer }) => boolean) => packets.map((p, i) => (pred(p) ? i : -1)).filter((i) => i >= 0);
  switch (op) {
    case 0: case 1: case 2: case 3: {
      // a certification, binding or revocation signature
      const sigs = idx((p) => p.tag === 2);
      if (!sigs.length) break;
      const i = pick(r, sigs);
      const m = mutateSignature(packets[i]!.body, r, fprs);
      const sigType = packets[i]!.body[1] ?? 0;
      const what = sigType === 0x20 || sigType === 0x28 || sigType === 0x30 ? 'revocation' : context(i) === 'subkey' ? 'subkey-binding' : 'uid-certification';
      const ps = packets.slice();
      ps[i] = { tag: 2, body: m.body };
      return { data: join(ps), kind: `keyring-${what}-${m.kind}` };
    }
    case 4: {
      const keys = idx((p) => p.tag === 6 || p.tag === 14);
      if (!keys.length) break;
      const i = pick(r, keys);
      const ps = packets.slice();
      const k = packets[i]!.body;
      const inCreated = r() < 0.3;
      ps[i] = { tag: packets[i]!.tag, body: inCreated ? flipBit(k, 1, 5, r) : flipBit(k, 6, k.length, r) };
      return { data: join(ps), kind: `keyring-${TagNames[packets[i]!.tag]}-${inCreated ? 'created' : 'mpi'}-flip` };
    }
    case 5: {
      const revs = idx((p) => p.tag === 2 && [0x20, 0x28, 0x30].includes(p.body[1] ?? 0));
      if (!revs.length) break;
      return { data: join(packets.filter((_, i) => !revs.includes(i))), kind: 'keyring-revocation-drop' };
    }
    case 6: {
      // the same certificate twice, one copy without its revocations, in either order
      const stripped = join(packets.filter((p) => !(p.tag === 2 && [0x20, 0x28, 0x30].includes(p.body[1] ?? 0))));
      return { data: r() < 0.5 ? Buffer.concat([stripped, data]) : Buffer.concat([data, stripped]), kind: 'keyring-duplicate-without-revocations' };
    }
    case 7: {
      const i = int(r, packets.length);
      const ps = packets.slice();
      const kind = pick(r, ['drop', 'duplicate', 'swap'] as const);
      if (kind === 'drop') ps.splice(i, 1);
      else if (kind === 'duplicate') ps.splice(i, 0, packets[i]!);
      else if (i + 1 < ps.length) [ps[i], ps[i + 1]] = [ps[i + 1]!, ps[i]!];
      return { data: join(ps), kind: `keyring-packet-${kind}-${TagNames[packets[i]!.tag] ?? packets[i]!.tag}` };
    }
    case 8: {
      const uids = idx((p) => p.tag === 13);
      if (!uids.length) break;
      const i = pick(r, uids);
      const ps = packets.slice();
      ps[i] = { tag: 13, body: flipBit(packets[i]!.body, 0, packets[i]!.body.length, r) };
      return { data: join(ps), kind: 'keyring-uid-flip' };
    }
    default:
      break;
  }
  return r() < 0.5
    ? { data: flipBit(data, 0, data.length, r), kind: 'keyring-raw-flip' }
    : { data: data.subarray(0, int(r, data.length)), kind: 'keyring-raw-truncate' };
}

interface ProvParts { head: string; hashLines: string[]; body: string[]; sigArmor: string; eol: string }
function splitProv(text: string): ProvParts | null {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const ls = text.split(eol);
  const b = ls.indexOf('-----BEGIN PGP SIGNED MESSAGE-----');
  const blank = ls.indexOf('', b);
  const s = ls.indexOf('-----BEGIN PGP SIGNATURE-----', blank);
  if (b < 0 || blank < 0 || s < 0) return null;
  return { head: ls.slice(0, b + 1).join(eol), hashLines: ls.slice(b + 1, blank), body: ls.slice(blank + 1, s), sigArmor: ls.slice(s).join(eol), eol };
}
const joinProv = (p: ProvParts) => [p.head, ...p.hashLines, '', ...p.body, p.sigArmor].join(p.eol);

/** Mutates the signature packets inside the armor, re-armoring with a correct checksum. */
function mutateProvSignature(parts: ProvParts, r: Rand, fprs: string[]): { prov: string; kind: string } | null {
  let data: Buffer;
  try {
    data = decodeArmor(parts.sigArmor.replace(/\r\n/g, '\n'))[0]!.data;
  } catch {
    return null;
  }
  let packets;
  try { packets = readPackets(data); } catch { return null; }
  const i = int(r, packets.length);
  const m = mutateSignature(packets[i]!.body, r, fprs);
  const ps = packets.map((p, j) => packet(p.tag, j === i ? m.body : p.body));
  let armor = encodeArmor('SIGNATURE', Buffer.concat(ps)).replace(/\n$/, '');
  if (parts.eol === '\r\n') armor = armor.replace(/\n/g, '\r\n');
  return { prov: joinProv({ ...parts, sigArmor: `${armor}${parts.eol}` }), kind: `prov-${m.kind}` };
}

function mutateProvText(parts: ProvParts, r: Rand): { prov: string; kind: string } {
  const p: ProvParts = { ...parts, hashLines: parts.hashLines.slice(), body: parts.body.slice() };
  const op = int(r, 12);
  const line = () => int(r, Math.max(1, p.body.length));
  switch (op) {
    case 0: {
      const v = pick(r, ['SHA256', 'SHA1', 'MD5', 'SHA512', 'SHA384', 'SHA256, SHA512', 'NOPE', 'sha512']);
      const how = pick(r, ['replace', 'remove', 'add'] as const);
      if (how === 'remove') p.hashLines = p.hashLines.filter((l) => !l.startsWith('Hash:'));
      else if (how === 'add') p.hashLines.push(`Hash: ${v}`);
      else p.hashLines = p.hashLines.map((l) => (l.startsWith('Hash:') ? `Hash: ${v}` : l));
      return { prov: joinProv(p), kind: `armor-hash-header-${how}` };
    }
    case 1: {
      p.hashLines.push(pick(r, ['Comment: hello', 'Version: x', 'Charset: UTF-8', 'garbage']));
      return { prov: joinProv(p), kind: 'armor-extra-header' };
    }
    case 2: {
      const ls = p.sigArmor.split(p.eol);
      const ci = ls.findIndex((l) => /^=[A-Za-z0-9+/]{4}$/.test(l));
      if (ci < 0) { ls.splice(ls.length - 2, 0, '=AAAA'); return { prov: joinProv({ ...p, sigArmor: ls.join(p.eol) }), kind: 'armor-checksum-add' }; }
      if (r() < 0.3) { ls.splice(ci, 1); return { prov: joinProv({ ...p, sigArmor: ls.join(p.eol) }), kind: 'armor-checksum-remove' }; }
      const c = ls[ci]!.split('');
      const k = 1 + int(r, 4);
      c[k] = c[k] === 'A' ? 'B' : 'A';
      ls[ci] = c.join('');
      return { prov: joinProv({ ...p, sigArmor: ls.join(p.eol) }), kind: 'armor-checksum-flip' };
    }
    case 3: {
      const ls = p.sigArmor.split(p.eol);
      const dataLines = ls.map((l, i) => (/^[A-Za-z0-9+/]{8,}={0,2}$/.test(l) ? i : -1)).filter((i) => i >= 0);
      if (!dataLines.length) break;
      const li = pick(r, dataLines);
      const c = ls[li]!.split('');
      const k = int(r, c.length);
      c[k] = pick(r, ['A', 'z', '0', '+', '/', '!', '=']);
      ls[li] = c.join('');
      return { prov: joinProv({ ...p, sigArmor: ls.join(p.eol) }), kind: 'armor-base64-char' };
    }
    case 4: {
      const i = line();
      const s = p.body[i] ?? '';
      if (!s.length) { p.body[i] = 'x'; return { prov: joinProv(p), kind: 'body-char' }; }
      const k = int(r, s.length);
      p.body[i] = s.slice(0, k) + pick(r, ['a', 'Z', '0', ' ', ':', '\t']) + s.slice(k + 1);
      return { prov: joinProv(p), kind: 'body-char' };
    }
    case 5: {
      const i = line();
      p.body[i] = (p.body[i] ?? '') + pick(r, [' ', '\t', '  \t ', '\u00a0', '\r']);
      return { prov: joinProv(p), kind: 'body-trailing-whitespace' };
    }
    case 6: {
      const i = line();
      const s = p.body[i] ?? '';
      if (s.startsWith('- ')) { p.body[i] = s.slice(2); return { prov: joinProv(p), kind: 'body-dash-unescape' }; }
      p.body[i] = pick(r, [`- ${s}`, `-${s}`, `-- ${s}`]);
      return { prov: joinProv(p), kind: 'body-dash-escape' };
    }
    case 7: {
      const i = p.body.findIndex((l) => /sha256:[0-9a-f]{64}/.test(l));
      if (i < 0) break;
      const s = p.body[i]!;
      const k = s.indexOf('sha256:') + 7 + int(r, 64);
      p.body[i] = s.slice(0, k) + (s[k] === '0' ? '1' : '0') + s.slice(k + 1);
      return { prov: joinProv(p), kind: 'body-digest' };
    }
    case 8: {
      const how = pick(r, ['add-end', 'remove-end', 'add-middle', 'remove-line'] as const);
      if (how === 'add-end') p.body.push('');
      else if (how === 'remove-end') p.body.pop();
      else if (how === 'add-middle') p.body.splice(line(), 0, '');
      else p.body.splice(line(), 1);
      return { prov: joinProv(p), kind: `body-lines-${how}` };
    }
    case 9:
      return { prov: joinProv(p).replace(/\r?\n/g, pick(r, ['\r\n', '\n'])), kind: 'prov-line-endings' };
    case 10:
      return { prov: pick(r, ['\n\n', 'junk before\n', '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nfirst\n']) + joinProv(p), kind: 'prov-prefix' };
    default:
      break;
  }
  const t = joinProv(p);
  return { prov: t.slice(0, int(r, t.length)), kind: 'prov-truncate' };
}

/** One mutation of one base, chosen by `r`. */
export function mutate(base: Base, r: Rand, fprsOf: (b: Base) => string[]): Mutation {
  const area = r();
  if (area < 0.45) {
    const parts = splitProv(base.prov.toString('utf8'));
    if (parts) {
      const m = r() < 0.6 ? mutateProvSignature(parts, r, fprsOf(base)) : null;
      const t = m ?? mutateProvText(parts, r);
      return { ...base, prov: Buffer.from(t.prov, 'utf8'), kind: t.kind };
    }
  }
  if (area < 0.88) {
    const armored = (base.keyring[0]! & 0x80) === 0;
    let bin = base.keyring;
    if (armored) {
      try { bin = decodeArmor(base.keyring.toString('utf8'))[0]!.data; } catch { /* raw then */ }
    }
    const m = mutateKeyringPackets(bin, r);
    const ring = armored && r() < 0.7 ? Buffer.from(encodeArmor('PUBLIC KEY BLOCK', m.data)) : m.data;
    return { ...base, keyring: ring, kind: m.kind };
  }
  if (area < 0.94) {
    const a = Buffer.from(base.archive);
    if (r() < 0.5) { a[int(r, a.length)]! ^= 1 << int(r, 8); return { ...base, archive: a, kind: 'archive-flip' }; }
    return { ...base, archive: a.subarray(0, int(r, a.length)), kind: 'archive-truncate' };
  }
  if (r() < 0.5) return { ...base, prov: flipBit(base.prov, 0, base.prov.length, r), kind: 'prov-raw-flip' };
  return { ...base, prov: base.prov.subarray(0, int(r, base.prov.length)), kind: 'prov-raw-truncate' };
}

/** `crash`: anything but our typed errors escaped (always a bug). */
export type OurVerdict = 'verified' | ProvenanceFailure | 'keyring-refused' | 'crash';
/** Signature-level verdicts: the signature was good and only the signed text or archive failed. */
export const SignatureGood = new Set<OurVerdict>(['verified', 'message', 'no-hash', 'hash-mismatch']);

/** chartaudit's verdict, exactly as the CLI computes it (keyring errors are exit 2, not a verdict). */
export function ours(m: Mutation, now: Date): { verdict: OurVerdict; message: string } {
  let keyring;
  try {
    keyring = readKeyring(m.keyring);
  } catch (e) {
    if (e instanceof PgpFormatError) return { verdict: 'keyring-refused', message: e.message };
    return { verdict: 'crash', message: (e as Error).stack ?? String(e) };
  }
  try {
    verifyProvenance({ archive: m.archive, prov: m.prov, filename: m.filename, keyring, now, yaml: yamlParse });
    return { verdict: 'verified', message: '' };
  } catch (e) {
    if (e instanceof ProvenanceError) return { verdict: e.failure, message: e.message };
    return { verdict: 'crash', message: (e as Error).stack ?? String(e) };
  }
}

type OpenPgp = typeof import('openpgp');
export interface TheirVerdict { signatureGood: boolean; digestGood: boolean; error: string }

/** openpgp.js v6 with its default configuration; the archive digest is read from the text it verified. */
export async function openpgpVerdict(openpgp: OpenPgp, m: Mutation, now: Date, keyCache?: Map<Buffer, Awaited<ReturnType<OpenPgp['readKeys']>>>): Promise<TheirVerdict> {
  try {
    const message = await openpgp.readCleartextMessage({ cleartextMessage: m.prov.toString('utf8') });
    const armored = (m.keyring[0]! & 0x80) === 0;
    let verificationKeys = keyCache?.get(m.keyring);
    if (!verificationKeys) {
      verificationKeys = armored
        ? await openpgp.readKeys({ armoredKeys: m.keyring.toString('utf8') })
        : await openpgp.readKeys({ binaryKeys: new Uint8Array(m.keyring) });
    }
    const res = await openpgp.verify({ message, verificationKeys, date: now, expectSigned: true });
    const text = res.data as string;
    const parts = text.split('\n...\n');
    let digest: unknown;
    try {
      digest = (yamlParse(parts[1] ?? '', { maxAliasCount: 0 }) as { files?: Record<string, unknown> } | null)?.files?.[m.filename];
    } catch {
      digest = undefined;
    }
    const actual = `sha256:${createHash('sha256').update(m.archive).digest('hex')}`;
    return { signatureGood: true, digestGood: parts.length >= 2 && digest === actual, error: '' };
  } catch (e) {
    return { signatureGood: false, digestGood: false, error: (e as Error).message.split('\n')[0]! };
  }
}

/** The keyring holds a signature of a version chartaudit (like go-crypto) skips as unsupported, e.g. inside a binding. */
function hasUnsupportedSignature(keyring: Buffer): boolean {
  try {
    const data = (keyring[0]! & 0x80) === 0 ? Buffer.concat(decodeArmor(keyring.toString('utf8')).map((b) => b.data)) : keyring;
    return readPackets(data).some((p) => {
      if (p.tag !== 2) return false;
      try { parseSignature(p.body); return false; } catch (e) { return (e as Error).message.startsWith('unsupported signature packet version'); }
    });
  } catch {
    return false;
  }
}

/**
 * The keyring's signatures without a hashed creation time are all user-ID certifications,
 * their revocations, or back-signatures embedded in a binding (which then just does not bind).
 */
function onlyCertificationsLackCreationTime(keyring: Buffer): boolean {
  let data = keyring;
  if ((keyring[0]! & 0x80) === 0) {
    try { data = Buffer.concat(decodeArmor(keyring.toString('utf8')).map((b) => b.data)); } catch { return false; }
  }
  let lacking = 0;
  try {
    for (const p of readPackets(data)) {
      if (p.tag !== 2) continue;
      let sig;
      try { sig = parseSignature(p.body); } catch { continue; }
      if (sig.embedded && sig.embedded.created === null) lacking++;
      if (sig.created !== null) continue;
      lacking++;
      if (!((sig.type >= 0x10 && sig.type <= 0x13) || sig.type === 0x30)) return false;
    }
  } catch {
    return false;
  }
  return lacking > 0;
}

/**
 * Where chartaudit (following helm's go-crypto, or a documented policy) says `verified` and
 * openpgp.js does not: each entry names the case and why chartaudit is right to differ.
 * A disagreement matching none of these fails the test.
 */
export const KnownDifferences: { id: string; matches: (m: Mutation, theirs: TheirVerdict) => boolean; reason: string }[] = [
  {
    id: 'certification-without-creation-time',
    matches: (m, t) => t.error.includes('Missing signature creation time subpacket') && onlyCertificationsLackCreationTime(m.keyring),
    reason: 'a user-ID certification without a hashed creation time elsewhere in the keyring: openpgp.js refuses the whole keyring; helm (go-crypto) and gpg ignore that certification, and so does chartaudit (it never counts as valid)',
  },
  {
    id: 'unsupported-signature-version',
    matches: (m, t) => t.error.startsWith('Parsing SignaturePacket failed') && hasUnsupportedSignature(m.keyring),
    reason: 'a signature of an unsupported version elsewhere in the keyring (here a back-signature turned v6): openpgp.js refuses the whole keyring; helm (go-crypto) skips it as unsupported, and so does chartaudit (the binding carrying it does not bind)',
  },
  {
    id: 'dash-escaped-empty-line',
    matches: (m, t) => /^- [ \t]*\r?$/m.test(m.prov.toString('utf8')) && t.error.includes('Signed digest did not match'),
    reason: 'a dash-escaped empty line ("- "): helm (go-crypto) and gpg undo the escape and verify, and so does chartaudit; openpgp.js drops the trailing blank first and hashes a lone "-"',
  },
  {
    id: 'end-line-trailing-blank',
    matches: (m, t) => t.error.includes('Misformed armored text') && /-----END PGP SIGNATURE-----[\t\v\f\r ]+(\n|$)/.test(m.prov.toString('latin1')),
    reason: 'blanks such as a vertical tab after the END line: helm (Go\'s TrimSpace) verifies, and so does chartaudit; openpgp.js calls the armor misformed',
  },
  {
    id: 'certification-with-unknown-hash',
    matches: (_, t) => t.error.includes('Parsing SignaturePacket failed: Invalid hash algorithm'),
    reason: 'a certification with an unknown hash algorithm elsewhere in the keyring: openpgp.js refuses the whole keyring; helm ignores that certification, and so does chartaudit (it can never verify)',
  },
  {
    id: 'key-packet-repeated',
    matches: (m, t) => m.kind === 'keyring-packet-duplicate-key' && t.error.includes('Could not find primary user'),
    reason: 'a key packet repeated back to back: helm verifies (go-crypto drops the empty first copy); chartaudit merges certificates of one key as gpg --import does; openpgp.js keeps the empty copy and finds no user ID',
  },
];

/** Where chartaudit and `gpg --verify` differ on the signature, on purpose. */
export const KnownGpgDifferences: { id: string; matches: (m: Mutation, ours: OurVerdict, gpgStatus: string, oursMessage: string) => boolean; reason: string }[] = [
  { id: 'sha1', matches: (_, o, g) => o === 'weak-hash' && g === 'GOODSIG', reason: 'GnuPG 2.2 accepts SHA-1 data signatures; chartaudit refuses them (as openpgp.js v6)' },
  { id: 'future', matches: (_, o, g) => o === 'not-yet-valid' && g === 'GOODSIG', reason: 'GnuPG accepts a signature dated in the future with a warning; chartaudit refuses it (as helm)' },
  { id: 'hash-header', matches: (m, o, g, msg) => o === 'malformed' && msg.includes('Hash armor header') && g === 'GOODSIG', reason: 'a Hash armor header that does not name the signature hash: GnuPG warns, chartaudit refuses (as helm\'s go-crypto)' },
  { id: 'no-hash-header', matches: (m, o, g) => m.kind === 'armor-hash-header-remove' && SignatureGood.has(o) && g === 'ERRSIG', reason: 'no Hash armor header: GnuPG assumes MD5 (RFC 4880) and fails; helm, openpgp.js and chartaudit take the hash from the signature (RFC 9580)' },
  { id: 'duplicate-certificate', matches: (m, o, g) => m.kind === 'keyring-duplicate-without-revocations' && (o === 'revoked' || o === 'unknown-key') && g === 'GOODSIG', reason: 'the same key twice in one keyring file, one copy without its revocation: gpg --keyring reads the first copy only; chartaudit merges the copies (as gpg --import does), so the revocation counts whatever the order' },
  { id: 'conflicting-issuer', matches: (_, o, g, msg) => o === 'malformed' && msg.includes('issuer subpackets disagree') && g === 'GOODSIG', reason: 'issuer subpackets naming different keys (one added to the unhashed area): GnuPG uses the first; helm fails on them; chartaudit refuses the signature as malformed' },
  { id: 'key-packet-repeated', matches: (m, o, g) => m.kind === 'keyring-packet-duplicate-key' && o === 'verified' && g === 'ERRSIG', reason: 'a key packet repeated back to back: helm verifies and so does chartaudit (one certificate per key); gpg --keyring takes the empty first copy' },
  { id: 'armor-without-end', matches: (_, o, g, msg) => o === 'malformed' && msg.includes('no END line') && g === 'GOODSIG', reason: 'a signature armor cut before its END line: GnuPG accepts it; helm\'s armor reader and chartaudit refuse it' },
  { id: 'armor-line-or-header', matches: (_, o, g) => o === 'no-signature' && g === 'GOODSIG', reason: 'a damaged BEGIN line or an armor header other than Hash: GnuPG still finds the signature; helm says "signature block not found", and so does chartaudit (openpgp.js refuses too)' },
  { id: 'extra-hash-header', matches: (m, o, g) => SignatureGood.has(o) && g === 'BADSIG' && (m.prov.toString('latin1').match(/^Hash:/gm)?.length ?? 0) > 1, reason: 'a second Hash header (e.g. MD5) besides the signature\'s own: helm and openpgp.js verify, and so does chartaudit; GnuPG fails' },
  { id: 'lowercase-hash-header', matches: (m, o, g) => SignatureGood.has(o) && g === 'ERRSIG' && /^Hash: .*[a-z]/m.test(m.prov.toString('latin1')), reason: 'a Hash header in lower case ("sha512"): helm and openpgp.js verify, and so does chartaudit; GnuPG does not know the name' },
  { id: 'revocation-without-issuer', matches: (m, o, g) => o === 'revoked' && g === 'GOODSIG' && m.kind.startsWith('keyring-revocation-'), reason: 'a revocation whose unhashed issuer subpacket was removed or changed (anyone can): GnuPG ignores it; chartaudit counts every revocation the primary key made (fail closed)' },
  { id: 'malformed-keyring-packet', matches: (_, o, g) => o === 'keyring-refused' && g === 'GOODSIG', reason: 'a malformed packet in the keyring: GnuPG skips it; helm and openpgp.js refuse the keyring, and so does chartaudit (exit 2)' },
];

export function gpgVerdict(g: Gpg, m: Mutation, tmp: string, i: number): string {
  const dir = join(tmp, `case-${i}`);
  mkdirSync(dir, { recursive: true });
  const armored = (m.keyring[0]! & 0x80) === 0;
  let ring = m.keyring;
  if (armored) {
    try { ring = Buffer.concat(decodeArmor(m.keyring.toString('utf8')).map((b) => b.data)); } catch { ring = Buffer.alloc(0); }
  }
  const file = join(dir, 'ring.gpg');
  writeFileSync(file, ring);
  const s = g.verifyStatus(m.prov, file).status;
  rmSync(dir, { recursive: true, force: true });
  return s;
}

export interface Disagreement { i: number; base: string; kind: string; ours: string; theirs: string }
export interface Summary {
  seed: number;
  mutations: number;
  ours: Record<string, number>;
  /** Mutations openpgp.js judged: every one chartaudit verified, plus every `openpgpEvery`-th. */
  openpgpChecked: number;
  openpgpSignatureGood: number;
  openpgpFullyGood: number;
  kinds: Record<string, number>;
  knownDifferences: Record<string, number>;
  disagreements: Disagreement[];
  gpg: { sampled: number; agree: number; known: Record<string, number>; disagreements: Disagreement[] };
  ms: number;
}

/**
 * Runs `count` seeded mutations; every `gpgEvery`-th goes to gpg too (0: none). Mutations are
 * drawn round-robin over the bases so each real file gets its share.
 */
export async function runDifferential(o: { root: string; seed: number; count: number; gpgEvery: number; openpgpEvery?: number; gpg?: Gpg; tmp: string; now?: Date; onProgress?: (done: number) => void }): Promise<Summary> {
  const openpgp = await import('openpgp');
  const t0 = Date.now();
  const now = o.now ?? new Date();
  const bases = loadBases(o.root);
  const fprCache = new Map<string, string[]>();
  const fprsOf = (b: Base) => {
    let f = fprCache.get(b.name);
    if (!f) {
      try { f = readKeyring(b.keyring).entities.flatMap((e) => [e.primary.fingerprint, ...e.subkeys.map((s) => s.key.fingerprint)]); } catch { f = []; }
      fprCache.set(b.name, f);
    }
    return f;
  };
  // openpgp.js keys of the unmutated keyrings, read once (most mutations leave the keyring alone)
  const keyCache = new Map<Buffer, Awaited<ReturnType<OpenPgp['readKeys']>>>();
  for (const b of bases) {
    try {
      keyCache.set(b.keyring, (b.keyring[0]! & 0x80) === 0
        ? await openpgp.readKeys({ armoredKeys: b.keyring.toString('utf8') })
        : await openpgp.readKeys({ binaryKeys: new Uint8Array(b.keyring) }));
    } catch { /* judged per mutation then */ }
  }
  const openpgpEvery = o.openpgpEvery ?? 1;
  const r = rng(o.seed);
  const s: Summary = { seed: o.seed, mutations: 0, ours: {}, openpgpChecked: 0, openpgpSignatureGood: 0, openpgpFullyGood: 0, kinds: {}, knownDifferences: {}, disagreements: [], gpg: { sampled: 0, agree: 0, known: {}, disagreements: [] }, ms: 0 };
  for (let i = 0; i < o.count; i++) {
    const m = mutate(bases[i % bases.length]!, r, fprsOf);
    const family = m.kind.replace(/-(\d+|[0-9a-f]{2})$/, '');
    s.kinds[family] = (s.kinds[family] ?? 0) + 1;
    const mine = ours(m, now);
    s.ours[mine.verdict] = (s.ours[mine.verdict] ?? 0) + 1;
    if (mine.verdict === 'crash') s.disagreements.push({ i, base: m.name, kind: m.kind, ours: mine.message, theirs: '(crash)' });
    // the invariant needs openpgp.js only where chartaudit verified; the rest is sampled for the figures
    const theirs = mine.verdict === 'verified' || i % openpgpEvery === 0 ? await openpgpVerdict(openpgp, m, now, keyCache) : null;
    if (theirs) {
      s.openpgpChecked++;
      if (theirs.signatureGood) s.openpgpSignatureGood++;
      if (theirs.signatureGood && theirs.digestGood) s.openpgpFullyGood++;
    }
    if (theirs && mine.verdict === 'verified' && !(theirs.signatureGood && theirs.digestGood)) {
      const known = KnownDifferences.find((k) => k.matches(m, theirs));
      if (known) s.knownDifferences[known.id] = (s.knownDifferences[known.id] ?? 0) + 1;
      else s.disagreements.push({ i, base: m.name, kind: m.kind, ours: mine.verdict, theirs: theirs.error || 'archive digest not in the verified text' });
    }
    if (o.gpg && o.gpgEvery > 0 && i % o.gpgEvery === 0) {
      const g = gpgVerdict(o.gpg, m, o.tmp, i);
      s.gpg.sampled++;
      const oursGood = SignatureGood.has(mine.verdict);
      if (oursGood === (g === 'GOODSIG')) s.gpg.agree++;
      else {
        const known = KnownGpgDifferences.find((k) => k.matches(m, mine.verdict, g, mine.message));
        if (known) s.gpg.known[known.id] = (s.gpg.known[known.id] ?? 0) + 1;
        else s.gpg.disagreements.push({ i, base: m.name, kind: m.kind, ours: `${mine.verdict}${mine.message ? `: ${mine.message}` : ''}`, theirs: g });
      }
    }
    s.mutations++;
    if (o.onProgress && (i + 1) % 1000 === 0) o.onProgress(i + 1);
  }
  s.ms = Date.now() - t0;
  return s;
}
