/**
 * A small OpenPGP v4 writer for tests that need certificates and signatures no honest tool
 * makes: subkeys bound without a back-signature, key flags in the unhashed area, signatures
 * without a creation time, nested embedded signatures, 1024-bit RSA keys. Keys come from
 * node:crypto; packets follow RFC 9580 §4-5. Test-only: nothing in src/ imports it.
 */
import { createHash, createSign, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { encodeArmor } from '../../src/provenance/openpgp/armor.js';

export interface ForgedKey {
  /** Public-key packet body. */
  body: Buffer;
  priv: KeyObject;
  algo: 1 | 22;
  created: number;
  fingerprint: string;
  keyId: string;
}

const mpi = (b: Buffer): Buffer => {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  const v = b.subarray(i);
  const bits = v.length === 0 ? 0 : (v.length - 1) * 8 + (32 - Math.clz32(v[0]!));
  return Buffer.concat([Buffer.from([bits >> 8, bits & 0xff]), v]);
};
const u32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b; };

/** A new-format packet with a fixed length header. */
export function packet(tag: number, body: Buffer): Buffer {
  const hdr = body.length < 192 ? Buffer.from([body.length])
    : body.length < 8384 ? Buffer.from([((body.length - 192) >> 8) + 192, (body.length - 192) & 0xff])
      : Buffer.concat([Buffer.from([255]), u32(body.length)]);
  return Buffer.concat([Buffer.from([0xc0 | tag]), hdr, body]);
}

/** Makes a key: `created` in seconds since the epoch. */
export function makeKey(kind: 'ed25519' | 'rsa1024' | 'rsa2048', created: number): ForgedKey {
  let body: Buffer;
  let priv: KeyObject;
  let algo: 1 | 22;
  if (kind === 'ed25519') {
    const kp = generateKeyPairSync('ed25519');
    priv = kp.privateKey;
    const x = Buffer.from(kp.publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const oid = Buffer.from('2b06010401da470f01', 'hex');
    algo = 22;
    body = Buffer.concat([Buffer.from([4]), u32(created), Buffer.from([22, oid.length]), oid, mpi(Buffer.concat([Buffer.from([0x40]), x]))]);
  } else {
    const kp = generateKeyPairSync('rsa', { modulusLength: kind === 'rsa1024' ? 1024 : 2048 });
    priv = kp.privateKey;
    const jwk = kp.publicKey.export({ format: 'jwk' });
    algo = 1;
    body = Buffer.concat([Buffer.from([4]), u32(created), Buffer.from([1]), mpi(Buffer.from(jwk.n!, 'base64url')), mpi(Buffer.from(jwk.e!, 'base64url'))]);
  }
  const fingerprint = createHash('sha1').update(keyPrefix(body)).digest('hex').toUpperCase();
  return { body, priv, algo, created, fingerprint, keyId: fingerprint.slice(-16) };
}

const keyPrefix = (body: Buffer): Buffer => Buffer.concat([Buffer.from([0x99, body.length >> 8, body.length & 0xff]), body]);
const uidPrefix = (uid: string): Buffer => { const b = Buffer.from(uid, 'utf8'); return Buffer.concat([Buffer.from([0xb4]), u32(b.length), b]); };

/** One signature subpacket; `critical` sets the top bit of its type. */
export function sub(type: number, data: Buffer, critical = false): Buffer {
  const len = data.length + 1;
  const l = len < 192 ? Buffer.from([len]) : Buffer.from([((len - 192) >> 8) + 192, (len - 192) & 0xff]);
  return Buffer.concat([l, Buffer.from([critical ? type | 0x80 : type]), data]);
}
export const sp = {
  created: (t: number) => sub(2, u32(t)),
  expires: (s: number) => sub(3, u32(s)),
  keyExpires: (s: number) => sub(9, u32(s)),
  keyFlags: (f: number) => sub(27, Buffer.from([f])),
  issuer: (k: ForgedKey) => sub(16, Buffer.from(k.keyId, 'hex')),
  issuerFpr: (k: ForgedKey | string) => sub(33, Buffer.concat([Buffer.from([4]), Buffer.from(typeof k === 'string' ? k : k.fingerprint, 'hex')])),
  embedded: (sigBody: Buffer) => sub(32, sigBody),
  notation: (name: string, value: string, critical: boolean) => {
    const n = Buffer.from(name);
    const v = Buffer.from(value);
    return sub(20, Buffer.concat([Buffer.from([0x80, 0, 0, 0, n.length >> 8, n.length & 0xff, v.length >> 8, v.length & 0xff]), n, v]), critical);
  },
  revocationReason: (code: number, text: string) => sub(29, Buffer.concat([Buffer.from([code]), Buffer.from(text)])),
};

const HashNode: Record<number, string> = { 2: 'sha1', 8: 'sha256', 10: 'sha512' };

export interface SigOptions {
  type: number;
  signer: ForgedKey;
  /** The data hashed before the trailer (key prefixes, user ID, or the signed text). */
  data: Buffer[];
  hashed: Buffer[];
  unhashed?: Buffer[];
  hashAlgo?: number;
}

/** A v4 signature packet body. */
export function signature(o: SigOptions): Buffer {
  const hashAlgo = o.hashAlgo ?? 10;
  const hashed = Buffer.concat(o.hashed);
  const unhashed = Buffer.concat(o.unhashed ?? []);
  const head = Buffer.concat([Buffer.from([4, o.type, o.signer.algo, hashAlgo, hashed.length >> 8, hashed.length & 0xff]), hashed]);
  const trailer = Buffer.concat([head, Buffer.from([4, 0xff]), u32(head.length)]);
  const h = createHash(HashNode[hashAlgo]!);
  for (const d of o.data) h.update(d);
  h.update(trailer);
  const digest = h.digest();
  let material: Buffer;
  if (o.signer.algo === 22) {
    const s = cryptoSign(null, digest, o.signer.priv);
    material = Buffer.concat([mpi(s.subarray(0, 32)), mpi(s.subarray(32))]);
  } else {
    const signer = createSign(HashNode[hashAlgo]!);
    for (const d of o.data) signer.update(d);
    signer.update(trailer);
    material = mpi(signer.sign(o.signer.priv));
  }
  return Buffer.concat([head, Buffer.from([unhashed.length >> 8, unhashed.length & 0xff]), unhashed, digest.subarray(0, 2), material]);
}

/** The usual hashed subpackets of a signature by `k` at time `t`. */
export const stamp = (k: ForgedKey, t: number): Buffer[] => [sp.created(t), sp.issuerFpr(k)];

export const selfCertData = (k: ForgedKey, uid: string): Buffer[] => [keyPrefix(k.body), uidPrefix(uid)];
export const bindingData = (primary: ForgedKey, subkey: ForgedKey): Buffer[] => [keyPrefix(primary.body), keyPrefix(subkey.body)];

/** A positive user-ID self-certification (0x13) packet. */
export function selfCert(k: ForgedKey, uid: string, t: number, extra: Buffer[] = [sp.keyFlags(0x03)]): Buffer {
  return packet(2, signature({ type: 0x13, signer: k, data: selfCertData(k, uid), hashed: [...stamp(k, t), ...extra], unhashed: [sp.issuer(k)] }));
}

/** A certificate: primary key, one user ID with its self-signature. */
export function cert(k: ForgedKey, uid: string, t: number, extra?: Buffer[]): Buffer {
  return Buffer.concat([packet(6, k.body), packet(13, Buffer.from(uid)), selfCert(k, uid, t, extra)]);
}

/** A subkey binding (0x18) with optional back-signature (0x19 by the subkey). */
export function subkeyBinding(primary: ForgedKey, subkey: ForgedKey, t: number, o: { flags?: Buffer[]; backSig?: boolean; unhashed?: Buffer[] } = {}): Buffer {
  const data = bindingData(primary, subkey);
  const hashed = [...stamp(primary, t), ...(o.flags ?? [sp.keyFlags(0x02)])];
  if (o.backSig) {
    const back = signature({ type: 0x19, signer: subkey, data, hashed: stamp(subkey, t) });
    hashed.push(sp.embedded(back));
  }
  return Buffer.concat([packet(14, subkey.body), packet(2, signature({ type: 0x18, signer: primary, data, hashed, unhashed: o.unhashed }))]);
}

/** Text as go-crypto's clearsign hashes it: trailing blanks dropped, CRLF between lines, no final break. */
export function canonicalText(text: string): Buffer {
  const lines = text.replace(/\n$/, '').split('\n').map((l) => l.replace(/[ \t\r]+$/, ''));
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** A cleartext-signed message (text signature 0x01) over `text` (which ends with a line break). */
export function clearsign(text: string, signer: ForgedKey, o: { hashed?: Buffer[]; unhashed?: Buffer[]; hashAlgo?: number; hashHeader?: string | null; rawSig?: Buffer } = {}): string {
  const hashAlgo = o.hashAlgo ?? 10;
  const sig = o.rawSig ?? packet(2, signature({ type: 0x01, signer, data: [canonicalText(text)], hashed: o.hashed ?? stamp(signer, Math.max(signer.created, 1_700_000_000)), unhashed: o.unhashed ?? [sp.issuer(signer)], hashAlgo }));
  const header = o.hashHeader === undefined ? `Hash: ${{ 2: 'SHA1', 8: 'SHA256', 10: 'SHA512' }[hashAlgo]}\n` : o.hashHeader === null ? '' : `Hash: ${o.hashHeader}\n`;
  const body = text.split('\n').map((l) => (l.startsWith('-') ? `- ${l}` : l)).join('\n');
  return `-----BEGIN PGP SIGNED MESSAGE-----\n${header}\n${body}${encodeArmor('SIGNATURE', sig)}`;
}

/** A helm-shaped message block for `filename` with the given archive bytes. */
export function messageBlock(filename: string, archive: Buffer): string {
  return `apiVersion: v2\nname: forged\nversion: 0.1.0\n\n...\nfiles:\n  ${filename}: sha256:${createHash('sha256').update(archive).digest('hex')}\n`;
}
