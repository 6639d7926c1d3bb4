/**
 * Public keys and signatures (RFC 9580 §5.2, §5.5) and their verification with node:crypto.
 * Supported: v4 keys and signatures with RSA, ECDSA (NIST P-256/384/521), EdDSA legacy
 * (Ed25519) and native Ed25519. Other algorithms parse but never verify, with a message
 * that names them, so an unsupported key can never be mistaken for a good one.
 */
import { createHash, createPublicKey, createVerify, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { PgpFormatError, Reader } from './packets.js';

export const PubAlgo: Record<number, string> = {
  1: 'RSA', 2: 'RSA', 3: 'RSA', 16: 'ElGamal', 17: 'DSA', 18: 'ECDH', 19: 'ECDSA', 22: 'EdDSA', 25: 'X25519', 26: 'X448', 27: 'Ed25519', 28: 'Ed448',
};

const HashAlgo: Record<number, { node: string; name: string; weak?: boolean }> = {
  1: { node: 'md5', name: 'MD5', weak: true },
  2: { node: 'sha1', name: 'SHA1', weak: true },
  3: { node: 'ripemd160', name: 'RIPEMD160', weak: true },
  8: { node: 'sha256', name: 'SHA256' },
  9: { node: 'sha384', name: 'SHA384' },
  10: { node: 'sha512', name: 'SHA512' },
  11: { node: 'sha224', name: 'SHA224' },
  12: { node: 'sha3-256', name: 'SHA3-256' },
  14: { node: 'sha3-512', name: 'SHA3-512' },
};

const Curves: Record<string, { name: string; jwk?: string; size: number }> = {
  '2a8648ce3d030107': { name: 'P-256', jwk: 'P-256', size: 32 },
  '2b81040022': { name: 'P-384', jwk: 'P-384', size: 48 },
  '2b81040023': { name: 'P-521', jwk: 'P-521', size: 66 },
  '2b06010401da470f01': { name: 'Ed25519', size: 32 },
  '2b060104019755010501': { name: 'Curve25519', size: 32 },
};

export interface PublicKey {
  version: number;
  algo: number;
  created: Date;
  /** Upper-case hex. */
  fingerprint: string;
  /** Upper-case hex, the low 64 bits of the fingerprint. */
  keyId: string;
  /** The packet body of the public part, as hashed in key signatures. */
  body: Buffer;
  /** The node:crypto key, or why there is none (unsupported algorithm or curve). */
  key: KeyObject | { unsupported: string };
  /** RSA modulus size in bits (null for other algorithms), for the minimum-size policy. */
  rsaBits: number | null;
}

/** Policy: RSA keys below this size are refused (NIST SP 800-131A; GnuPG's default since 2.1). */
export const MIN_RSA_BITS = 2048;

/**
 * Deepest signature nesting accepted (a binding signature embedding its back-signature is
 * depth 1). Real keys never go further; the bound keeps hostile input off the call stack.
 */
export const MAX_SIGNATURE_NESTING = 2;

const b64url = (b: Buffer): string => b.toString('base64url');
const stripZeros = (b: Buffer): Buffer => {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
};

/**
 * Parses the public part at the start of a public-key or secret-key packet body and returns
 * it with the number of bytes it took (a secret key packet continues with secret material).
 */
/**
 * Checks the secret part that follows the public part of a secret-key packet as far as it
 * can be checked without a passphrase: present, and for unencrypted material the two-byte
 * checksum (RFC 9580 §5.5.3). A public key packet relabelled as secret fails here.
 */
export function checkSecretPart(packetBody: Buffer, publicLength: number): void {
  const rest = packetBody.subarray(publicLength);
  if (rest.length < 1) throw new PgpFormatError('secret key packet without secret key material');
  if (rest[0] !== 0) return; // encrypted (or a GnuPG stub): its integrity needs the passphrase
  if (rest.length < 3) throw new PgpFormatError('truncated secret key material');
  let sum = 0;
  for (let i = 1; i < rest.length - 2; i++) sum = (sum + rest[i]!) & 0xffff;
  if (sum !== rest.readUInt16BE(rest.length - 2)) throw new PgpFormatError('secret key checksum mismatch');
}

export function parsePublicKey(packetBody: Buffer): PublicKey {
  const r = new Reader(packetBody);
  const version = r.u8();
  if (version !== 4) {
    throw new PgpFormatError(`unsupported key packet version ${version}`);
  }
  const created = new Date(r.u32() * 1000);
  const algo = r.u8();
  let key: PublicKey['key'];
  let rsaBits: number | null = null;
  const unsupported = (why: string) => ({ unsupported: why });
  try {
    switch (algo) {
      case 1: case 2: case 3: {
        const n = stripZeros(r.mpi());
        const e = r.mpi();
        rsaBits = n.length === 0 ? 0 : (n.length - 1) * 8 + (32 - Math.clz32(n[0]!));
        key = createPublicKey({ key: { kty: 'RSA', n: b64url(n), e: b64url(stripZeros(e)) }, format: 'jwk' });
        break;
      }
      case 19: case 22: case 18: {
        const oidLen = r.u8();
        const oid = r.bytes(oidLen).toString('hex');
        const point = r.mpi();
        if (algo === 18) {
          r.bytes(r.u8()); // KDF parameters
          key = unsupported('ECDH is an encryption algorithm');
          break;
        }
        const curve = Curves[oid];
        if (algo === 22) {
          if (curve?.name !== 'Ed25519' || point.length !== 33 || point[0] !== 0x40) {
            key = unsupported(`EdDSA curve ${curve?.name ?? oid}`);
            break;
          }
          key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(point.subarray(1)) }, format: 'jwk' });
        } else {
          if (!curve?.jwk || point[0] !== 0x04 || point.length !== 1 + 2 * curve.size) {
            key = unsupported(`ECDSA curve ${curve?.name ?? oid}`);
            break;
          }
          const x = point.subarray(1, 1 + curve.size);
          const y = point.subarray(1 + curve.size);
          key = createPublicKey({ key: { kty: 'EC', crv: curve.jwk, x: b64url(x), y: b64url(y) }, format: 'jwk' });
        }
        break;
      }
      case 27:
        key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(r.bytes(32)) }, format: 'jwk' });
        break;
      case 17:
        for (let i = 0; i < 4; i++) r.mpi();
        key = unsupported('DSA');
        break;
      case 16:
        for (let i = 0; i < 3; i++) r.mpi();
        key = unsupported('ElGamal is an encryption algorithm');
        break;
      case 25: r.bytes(32); key = unsupported('X25519 is an encryption algorithm'); break;
      case 26: r.bytes(56); key = unsupported('X448 is an encryption algorithm'); break;
      case 28: r.bytes(57); key = unsupported('Ed448'); break;
      default:
        throw new PgpFormatError(`unknown public key algorithm ${algo}`);
    }
  } catch (e) {
    if (e instanceof PgpFormatError) throw e;
    throw new PgpFormatError(`invalid ${PubAlgo[algo] ?? algo} public key: ${(e as Error).message}`);
  }
  const body = packetBody.subarray(0, r.pos);
  const hdr = Buffer.from([0x99, body.length >> 8, body.length & 0xff]);
  const fingerprint = createHash('sha1').update(hdr).update(body).digest('hex').toUpperCase();
  return { version, algo, created, fingerprint, keyId: fingerprint.slice(-16), body, key, rsaBits };
}

export interface Notation {
  name: string;
  critical: boolean;
}

export interface Signature {
  version: number;
  type: number;
  algo: number;
  hashAlgo: number;
  created: Date | null;
  /** Seconds after creation; 0 or null = never. */
  expiresIn: number | null;
  /** For self-signatures: seconds after key creation the key expires. */
  keyExpiresIn: number | null;
  keyFlags: number | null;
  primaryUserId: boolean;
  issuerKeyId: string | null;
  issuerFingerprint: string | null;
  /** Issuer subpackets that name different keys (e.g. one added to the unhashed area): never valid. */
  issuerConflict: boolean;
  notations: Notation[];
  /** Names of unknown subpackets marked critical: such a signature must not verify. */
  unknownCritical: string[];
  revocationReason: string | null;
  /** An embedded signature (subpacket 32), e.g. the back-signature of a signing subkey. */
  embedded: Signature | null;
  /** The bytes hashed after the data: version … hashed subpackets, plus the v4 trailer. */
  hashedTrailer: Buffer;
  hashTag: Buffer;
  /** Signature MPIs / octets. */
  material: Buffer[];
}

const KnownSubpackets = new Set([2, 3, 4, 5, 6, 7, 9, 11, 12, 16, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 37, 39]);

export function parseSignature(body: Buffer, depth = 0): Signature {
  if (depth > MAX_SIGNATURE_NESTING) {
    throw new PgpFormatError(`signature nested more than ${MAX_SIGNATURE_NESTING} levels deep (embedded signature subpackets)`);
  }
  const r = new Reader(body);
  const version = r.u8();
  if (version !== 4) throw new PgpFormatError(`unsupported signature packet version ${version}`);
  const type = r.u8();
  const algo = r.u8();
  const hashAlgo = r.u8();
  const hashedLen = r.u16();
  const hashed = r.bytes(hashedLen);
  const unhashed = r.bytes(r.u16());
  const hashTag = r.bytes(2);
  const material: Buffer[] = [];
  if (algo === 27) material.push(r.bytes(64));
  else if (algo === 1 || algo === 3) material.push(r.mpi());
  else if (algo === 17 || algo === 19 || algo === 22) material.push(r.mpi(), r.mpi());
  else material.push(r.rest());
  // Bytes after the signature material mean the MPI lengths were tampered with (helm and
  // openpgp.js refuse such a packet too).
  if (!r.done) throw new PgpFormatError('trailing data after the signature MPIs');

  const sig: Signature = {
    version, type, algo, hashAlgo, created: null, expiresIn: null, keyExpiresIn: null, keyFlags: null,
    primaryUserId: false, issuerKeyId: null, issuerFingerprint: null, issuerConflict: false, notations: [], unknownCritical: [],
    revocationReason: null, embedded: null, hashTag, material,
    hashedTrailer: Buffer.concat([
      body.subarray(0, 6 + hashedLen),
      Buffer.from([0x04, 0xff]),
      (() => { const t = Buffer.alloc(4); t.writeUInt32BE(6 + hashedLen); return t; })(),
    ]),
  };
  readSubpackets(hashed, sig, true, depth);
  readSubpackets(unhashed, sig, false, depth);
  return sig;
}

function readSubpackets(data: Buffer, sig: Signature, isHashed: boolean, depth: number): void {
  const r = new Reader(data);
  while (!r.done) {
    const l0 = r.u8();
    let len: number;
    if (l0 < 192) len = l0;
    else if (l0 < 255) len = ((l0 - 192) << 8) + r.u8() + 192;
    else len = r.u32();
    if (len < 1) throw new PgpFormatError('empty signature subpacket');
    const typeByte = r.u8();
    const critical = (typeByte & 0x80) !== 0;
    const type = typeByte & 0x7f;
    const v = new Reader(r.bytes(len - 1));
    // Only hashed subpackets are trusted for anything that changes the verdict (key flags in
    // the unhashed area count as absent, i.e. "may sign", which then needs a back-signature);
    // the issuer is only a hint for finding the key, so it may come from either area.
    switch (type) {
      case 2: if (isHashed) sig.created = new Date(v.u32() * 1000); break;
      case 3: if (isHashed) sig.expiresIn = v.u32(); break;
      case 9: if (isHashed) sig.keyExpiresIn = v.u32(); break;
      case 27: if (isHashed) sig.keyFlags = v.rest()[0] ?? 0; break;
      case 25: if (isHashed) sig.primaryUserId = v.u8() !== 0; break;
      case 16: {
        const id = v.bytes(8).toString('hex').toUpperCase();
        if (sig.issuerKeyId !== null && sig.issuerKeyId !== id) sig.issuerConflict = true;
        sig.issuerKeyId ??= id;
        break;
      }
      case 33: {
        const ver = v.u8();
        const fp = v.rest().toString('hex').toUpperCase();
        if (sig.issuerFingerprint !== null && sig.issuerFingerprint !== fp) sig.issuerConflict = true;
        sig.issuerFingerprint ??= fp;
        if (ver === 4) {
          if (sig.issuerKeyId !== null && sig.issuerKeyId !== fp.slice(-16)) sig.issuerConflict = true;
          sig.issuerKeyId ??= fp.slice(-16);
        }
        break;
      }
      case 20: if (isHashed || critical) {
        // A critical notation puts the signature in error even from the unhashed area (as GnuPG).
        v.bytes(4);
        const nl = v.u16();
        v.u16();
        sig.notations.push({ name: v.bytes(nl).toString('utf8'), critical });
      } break;
      case 29: if (isHashed) { v.u8(); sig.revocationReason = v.rest().toString('utf8'); } break;
      case 32: sig.embedded = parseSignature(v.rest(), depth + 1); break;
      default:
        // RFC 9580 §5.2.3.7: an unknown critical subpacket puts the signature in error, in
        // either area (GnuPG refuses both; an attacker can add to the unhashed one).
        if (critical && !KnownSubpackets.has(type)) sig.unknownCritical.push(`subpacket ${type}${isHashed ? '' : ' (unhashed)'}`);
    }
  }
}

export function hashName(sig: Signature): string {
  return HashAlgo[sig.hashAlgo]?.name ?? `hash algorithm ${sig.hashAlgo}`;
}

/** Whether a `Hash:` armor header value names a hash algorithm we know (e.g. `SHA512`). */
export function isKnownHashName(name: string): boolean {
  return Object.values(HashAlgo).some((h) => h.name === name.toUpperCase());
}

export function isWeakHash(sig: Signature): boolean {
  const h = HashAlgo[sig.hashAlgo];
  return !h || h.weak === true;
}

/** The bytes that identify a key inside hashed data: 0x99, 2-byte length, body. */
export function keyHashPrefix(k: PublicKey): Buffer {
  return Buffer.concat([Buffer.from([0x99, k.body.length >> 8, k.body.length & 0xff]), k.body]);
}

export function userIdHashPrefix(uid: Buffer, tag: number): Buffer {
  const h = Buffer.alloc(5);
  h[0] = tag === 17 ? 0xd1 : 0xb4;
  h.writeUInt32BE(uid.length, 1);
  return Buffer.concat([h, uid]);
}

/**
 * Checks `sig` over `data` with `key`. Returns null when it verifies, else the reason
 * in go-crypto's words (`RSA verification failure`, …).
 */
export function checkSignature(key: PublicKey, sig: Signature, data: Buffer[]): string | null {
  const hash = HashAlgo[sig.hashAlgo];
  if (!hash) return `unsupported hash algorithm ${sig.hashAlgo}`;
  if (sig.algo !== key.algo && !(key.algo <= 3 && sig.algo <= 3)) return 'public key algorithm does not match signature';
  if ('unsupported' in key.key) return `unsupported public key algorithm: ${key.key.unsupported}`;
  const algoName = PubAlgo[key.algo] ?? String(key.algo);
  const h = createHash(hash.node);
  for (const d of data) h.update(d);
  h.update(sig.hashedTrailer);
  const digest = h.digest();
  // The two-byte quick check: GnuPG and openpgp.js refuse a mismatch even when the signature
  // verifies. Checked after the signature so a changed text reports what helm reports.
  const tagMismatch = digest[0] !== sig.hashTag[0] || digest[1] !== sig.hashTag[1];
  try {
    let ok: boolean;
    if (key.algo === 22 || key.algo === 27) {
      // EdDSA signs the digest, not the message.
      const sigBytes = key.algo === 27 ? sig.material[0]! : Buffer.concat(sig.material.map((m) => pad(m, 32)));
      ok = sigBytes.length === 64 && cryptoVerify(null, digest, key.key, sigBytes);
    } else {
      const v = createVerify(hash.node);
      for (const d of data) v.update(d);
      v.update(sig.hashedTrailer);
      if (key.algo === 19) {
        const size = (key.key.asymmetricKeyDetails?.namedCurve === 'secp521r1') ? 66
          : key.key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 48 : 32;
        ok = v.verify({ key: key.key, dsaEncoding: 'ieee-p1363' }, Buffer.concat(sig.material.map((m) => pad(m, size))));
      } else {
        const modLen = ((key.key.asymmetricKeyDetails?.modulusLength ?? 0) + 7) >> 3;
        ok = v.verify(key.key, pad(sig.material[0]!, modLen));
      }
    }
    if (!ok) return `${algoName} verification failure`;
    return tagMismatch ? "hash tag doesn't match" : null;
  } catch {
    return `${algoName} verification failure`;
  }
}

function pad(b: Buffer, len: number): Buffer {
  if (b.length >= len) return b;
  return Buffer.concat([Buffer.alloc(len - b.length), b]);
}
