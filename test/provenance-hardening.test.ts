/**
 * Issue 9 §1: each hole in the OpenPGP verifier, shown with a certificate or signature built
 * for the purpose (test/helpers/pgp-forge.ts). Every case here verified (or crashed) before
 * the fix. Bytes in, verdict out: verifyProvenance and readKeyring run in-process.
 */
import { describe, expect, it } from 'vitest';
import { readKeyring } from '../src/provenance/keyring.js';
import { MAX_SIGNATURE_NESTING, parseSignature } from '../src/provenance/openpgp/keys.js';
import { PgpFormatError, Reader, readPackets } from '../src/provenance/openpgp/packets.js';
import { ProvenanceError, verifyProvenance, type ProvenanceFailure } from '../src/provenance/verify.js';
import {
  canonicalText, cert, clearsign, makeKey, messageBlock, packet, selfCert, selfCertData, signature, sp, stamp, sub, subkeyBinding,
  type ForgedKey,
} from './helpers/pgp-forge.js';

const T0 = 1_700_000_000; // keys are made at T0, signatures at T1
const T1 = T0 + 86_400;
const NOW = new Date((T1 + 86_400) * 1000);
const archive = Buffer.from('not really a chart, but hashed like one\n');
const filename = 'forged-0.1.0.tgz';
const text = messageBlock(filename, archive);

const victim = makeKey('ed25519', T0);
const attacker = makeKey('ed25519', T0);
const subkey = makeKey('ed25519', T0);

function verdict(prov: string, ring: Buffer): ProvenanceFailure | 'verified' {
  try {
    verifyProvenance({ archive, prov: Buffer.from(prov), filename, keyring: readKeyring(ring), now: NOW });
    return 'verified';
  } catch (e) {
    if (e instanceof ProvenanceError) return e.failure;
    throw e;
  }
}
function verifyOrThrow(prov: string, ring: Buffer) {
  return verifyProvenance({ archive, prov: Buffer.from(prov), filename, keyring: readKeyring(ring), now: NOW });
}
const signedBy = (k: ForgedKey, hashed = stamp(k, T1)) => clearsign(text, k, { hashed });
const revocation = (k: ForgedKey, t: number) =>
  packet(2, signature({ type: 0x20, signer: k, data: [Buffer.concat([Buffer.from([0x99, k.body.length >> 8, k.body.length & 0xff]), k.body])], hashed: [...stamp(k, t), sp.revocationReason(2, 'compromised')] }));

describe('a subkey needs a back-signature whenever it may sign', () => {
  const victimCert = cert(victim, 'Victim <victim@example.test>', T0);
  it.each([
    ['key flags absent', { flags: [] as Buffer[] }],
    ['key flags only in the unhashed area', { flags: [], unhashed: [sp.keyFlags(0x02)] }],
    ['key flags "sign" (already refused before)', { flags: [sp.keyFlags(0x02)] }],
  ])('the attacker binds the victim key without one (%s): unknown key, not the attacker', (_, o) => {
    const ring = Buffer.concat([cert(attacker, 'Attacker <a@example.test>', T0), subkeyBinding(attacker, victim, T0, o)]);
    expect(verdict(signedBy(victim), ring)).toBe('unknown-key');
    // with the victim's own certificate in the ring too, the victim (never the attacker) is named, in either order
    for (const both of [Buffer.concat([ring, victimCert]), Buffer.concat([victimCert, ring])]) {
      expect(verifyOrThrow(signedBy(victim), both).fingerprint).toBe(victim.fingerprint);
    }
  });
  it('a subkey with its back-signature verifies, flags absent or "sign"', () => {
    for (const flags of [[], [sp.keyFlags(0x02)]]) {
      const ring = Buffer.concat([cert(attacker, 'Owner <o@example.test>', T0), subkeyBinding(attacker, subkey, T0, { flags, backSig: true })]);
      const v = verifyOrThrow(signedBy(subkey), ring);
      expect(v.fingerprint).toBe(attacker.fingerprint);
      expect(v.signingKeyId).toBe(subkey.keyId);
    }
  });
  it('an encryption-only subkey cannot sign, back-signature or not', () => {
    const ring = Buffer.concat([cert(attacker, 'Owner <o@example.test>', T0), subkeyBinding(attacker, subkey, T0, { flags: [sp.keyFlags(0x0c)], backSig: true })]);
    expect(verdict(signedBy(subkey), ring)).toBe('unknown-key');
  });
});

describe('several certificates for one key: a revoked or expired one wins, whatever the order', () => {
  const uid = 'Victim <victim@example.test>';
  const valid = cert(victim, uid, T0);
  const revoked = Buffer.concat([packet(6, victim.body), revocation(victim, T1), packet(13, Buffer.from(uid)), selfCert(victim, uid, T0)]);
  it.each([
    ['valid copy first', [valid, revoked]],
    ['revoked copy first', [revoked, valid]],
  ])('the same primary key twice, one copy revoked (%s)', (_, parts) => {
    expect(verdict(signedBy(victim), Buffer.concat(parts))).toBe('revoked');
  });
  it.each([
    ['revoked owner first', true],
    ['valid owner first', false],
  ])('a subkey back-signed for two primaries, one revoked (%s)', (_, revokedFirst) => {
    const owner2 = makeKey('ed25519', T0);
    const a = Buffer.concat([cert(attacker, 'One <1@example.test>', T0), revocation(attacker, T1), subkeyBinding(attacker, subkey, T0, { backSig: true })]);
    const b = Buffer.concat([cert(owner2, 'Two <2@example.test>', T0), subkeyBinding(owner2, subkey, T0, { backSig: true })]);
    expect(verdict(signedBy(subkey), Buffer.concat(revokedFirst ? [a, b] : [b, a]))).toBe('revoked');
  });
  it.each([['expired first', true], ['valid first', false]])('a subkey back-signed for two primaries, one expired (%s)', (_, expiredFirst) => {
    const owner2 = makeKey('ed25519', T0);
    const a = Buffer.concat([cert(attacker, 'One <1@example.test>', T0, [sp.keyFlags(0x03), sp.keyExpires(3600)]), subkeyBinding(attacker, subkey, T0, { backSig: true })]);
    const b = Buffer.concat([cert(owner2, 'Two <2@example.test>', T0), subkeyBinding(owner2, subkey, T0, { backSig: true })]);
    expect(verdict(signedBy(subkey), Buffer.concat(expiredFirst ? [a, b] : [b, a]))).toBe('key-expired');
  });
});

describe('signature times', () => {
  const ring = cert(victim, 'Victim <victim@example.test>', T0);
  it('a signature without a hashed creation time is refused (here only in the unhashed area)', () => {
    const prov = clearsign(text, victim, { hashed: [sp.issuerFpr(victim)], unhashed: [sp.created(T1), sp.issuer(victim)] });
    expect(verdict(prov, ring)).toBe('malformed');
    expect(() => verifyOrThrow(prov, ring)).toThrow('signature has no hashed creation time');
  });
  it('a signature older than its key is refused', () => {
    expect(() => verifyOrThrow(signedBy(victim, stamp(victim, T0 - 60)), ring)).toThrow(/older than the key [0-9A-F]{40} that made it/);
    expect(verdict(signedBy(victim, stamp(victim, T0 - 60)), ring)).toBe('time-conflict');
  });
  it('a signature older than its signing subkey is refused', () => {
    const young = makeKey('ed25519', T1);
    const r = Buffer.concat([cert(attacker, 'Owner <o@example.test>', T0), subkeyBinding(attacker, young, T1, { backSig: true })]);
    expect(verdict(signedBy(young, stamp(young, T1)), r)).toBe('verified');
    expect(verdict(signedBy(young, stamp(young, T1 - 60)), r)).toBe('time-conflict');
  });
  it('a self-signature older than its key does not make a usable key', () => {
    expect(verdict(signedBy(victim), cert(victim, 'Victim <victim@example.test>', T0 - 60))).toBe('unknown-key');
  });
  it('a subkey binding older than the subkey does not bind it', () => {
    const young = makeKey('ed25519', T1);
    const r = Buffer.concat([cert(attacker, 'Owner <o@example.test>', T0), subkeyBinding(attacker, young, T0, { backSig: true })]);
    expect(verdict(signedBy(young, stamp(young, T1 + 60)), r)).toBe('unknown-key');
  });
});

/** A signature whose embedded-signature subpacket nests `depth` times. */
function nested(depth: number): Buffer {
  let body = signature({ type: 0x19, signer: victim, data: [], hashed: stamp(victim, T1) });
  for (let i = 0; i < depth; i++) body = signature({ type: 0x19, signer: victim, data: [], hashed: stamp(victim, T1), unhashed: [sp.embedded(body)] });
  return body;
}

/** The hostile input: minimal signatures (unknown algorithm, no material), 16 bytes a level. */
function deepMinimal(depth: number): Buffer {
  let body = Buffer.from([4, 0x19, 100, 8, 0, 0, 0, 0, 0, 0]);
  for (let i = 0; i < depth; i++) {
    const len = Buffer.alloc(5);
    len[0] = 255;
    len.writeUInt32BE(body.length + 1, 1);
    const subpacket = Buffer.concat([len, Buffer.from([32]), body]);
    body = Buffer.concat([Buffer.from([4, 0x19, 100, 8, 0, 0, subpacket.length >> 8, subpacket.length & 0xff]), subpacket, Buffer.from([0, 0])]);
  }
  return body;
}

describe('nesting of embedded signatures is bounded', () => {
  const deep = deepMinimal(3000);
  it('a 3,000-deep signature is a format error, not a stack overflow', () => {
    expect(deep.length).toBeGreaterThan(45_000);
    expect(() => parseSignature(deep)).toThrow(PgpFormatError);
    expect(() => parseSignature(deep)).toThrow(`nested more than ${MAX_SIGNATURE_NESTING} levels`);
    expect(() => parseSignature(nested(MAX_SIGNATURE_NESTING))).not.toThrow();
  });
  it('in a .prov it is "malformed"; in a keyring a format error (the keyring is refused, as helm refuses malformed ones)', () => {
    const prov = clearsign(text, victim, { rawSig: packet(2, deep) });
    expect(verdict(prov, cert(victim, 'Victim <victim@example.test>', T0))).toBe('malformed');
    const ring = Buffer.concat([cert(victim, 'Victim <victim@example.test>', T0), packet(14, subkey.body), packet(2, deep)]);
    expect(() => readKeyring(ring)).toThrow(PgpFormatError);
    expect(() => readKeyring(ring)).toThrow('malformed signature packet in the keyring');
  });
});

describe('smaller holes', () => {
  it('RSA keys under 2048 bits are refused as a policy (weak-key)', () => {
    const small = makeKey('rsa1024', T0);
    expect(() => verifyOrThrow(signedBy(small), cert(small, 'Small <s@example.test>', T0))).toThrow('is RSA with 1024 bits; chartaudit refuses RSA keys under 2048 bits');
    const big = makeKey('rsa2048', T0);
    expect(verdict(signedBy(big), cert(big, 'Big <b@example.test>', T0))).toBe('verified');
  });
  it('the Hash armor header must name the signature hash', () => {
    const ring = cert(victim, 'Victim <victim@example.test>', T0);
    expect(verdict(clearsign(text, victim, { hashHeader: 'SHA512' }), ring)).toBe('verified');
    expect(verdict(clearsign(text, victim, { hashHeader: null }), ring)).toBe('verified');
    expect(verdict(clearsign(text, victim, { hashHeader: 'SHA256, SHA512' }), ring)).toBe('verified');
    expect(() => verifyOrThrow(clearsign(text, victim, { hashHeader: 'SHA256' }), ring)).toThrow("the Hash armor header (SHA256) does not name the signature's hash SHA512");
  });
  it('partial body lengths are refused outside data packets', () => {
    const body = Buffer.alloc(512, 1);
    const partial = (tag: number) => Buffer.concat([Buffer.from([0xc0 | tag, 0xe9]), body, Buffer.from([0])]); // 512 bytes, then a final empty chunk
    expect(readPackets(partial(11))[0]!.body.length).toBe(512);
    for (const tag of [2, 6, 13, 14]) expect(() => readPackets(partial(tag))).toThrow(`partial body length not allowed for packet tag ${tag}`);
  });
  it('the issuer fingerprint, when present, must be the key found by key ID', () => {
    const ring = cert(victim, 'Victim <victim@example.test>', T0);
    const other = `${'00'.repeat(12)}${victim.keyId}`; // same 64-bit key ID, another fingerprint
    const prov = clearsign(text, victim, { hashed: [sp.created(T1), sp.issuerFpr(other)], unhashed: [sp.issuer(victim)] });
    expect(verdict(prov, ring)).toBe('unknown-key');
    const mismatch = clearsign(text, victim, { hashed: [sp.created(T1), sp.issuer(victim), sp.issuerFpr(attacker)] });
    expect(() => verifyOrThrow(mismatch, ring)).toThrow('issuer subpackets disagree');
    // an issuer added to the unhashed area that names another key: refused, not ignored
    const added = clearsign(text, victim, { hashed: stamp(victim, T1), unhashed: [sp.issuer(attacker)] });
    expect(verdict(added, ring)).toBe('malformed');
    // and a self-signature with such an added issuer does not count
    const r2 = Buffer.concat([packet(6, victim.body), packet(13, Buffer.from('V <v@example.test>')),
      packet(2, signature({ type: 0x13, signer: victim, data: selfCertData(victim, 'V <v@example.test>'), hashed: stamp(victim, T0), unhashed: [sp.issuer(attacker)] }))]);
    expect(verdict(signedBy(victim), r2)).toBe('unknown-key');
  });
});

describe('found by the differential test (openpgp.js, helm and gpg refuse these too)', () => {
  const ring = cert(victim, 'Victim <victim@example.test>', T0);
  it('an unknown critical subpacket in the unhashed area puts the signature in error', () => {
    const prov = clearsign(text, victim, { unhashed: [sp.issuer(victim), sub(60, Buffer.from([1]), true)] });
    expect(verdict(prov, ring)).toBe('critical-notation');
  });
  it('a critical notation in the unhashed area puts the signature in error too (as GnuPG)', () => {
    const prov = clearsign(text, victim, { unhashed: [sp.issuer(victim), sp.notation('x@example.test', 'y', true)] });
    expect(verdict(prov, ring)).toBe('critical-notation');
    expect(verdict(clearsign(text, victim, { unhashed: [sp.issuer(victim), sp.notation('x@example.test', 'y', false)] }), ring)).toBe('verified');
  });
  it('a Hash armor header naming an unknown algorithm is malformed', () => {
    expect(() => verifyOrThrow(clearsign(text, victim, { hashHeader: 'SHA512, NOPE' }), ring)).toThrow('unknown hash algorithm "NOPE" in the Hash armor header');
  });
  it('a keyring holding a non-key packet, a malformed key or a binding without creation time is refused', () => {
    expect(() => readKeyring(Buffer.concat([ring, packet(3, Buffer.from([4, 9, 2, 3]))]))).toThrow('packet of type 3 is not allowed in a keyring');
    expect(() => readKeyring(Buffer.concat([ring, packet(6, victim.body.subarray(0, 20))]))).toThrow('malformed key packet in the keyring');
    const noTime = packet(2, signature({ type: 0x18, signer: victim, data: [], hashed: [sp.issuerFpr(victim)] }));
    expect(() => readKeyring(Buffer.concat([ring, packet(14, subkey.body), noTime]))).toThrow('without a creation time');
  });
  it('a self-signature that names no issuer does not count', () => {
    const uid = 'V <v@example.test>';
    const r = Buffer.concat([packet(6, victim.body), packet(13, Buffer.from(uid)),
      packet(2, signature({ type: 0x13, signer: victim, data: selfCertData(victim, uid), hashed: [sp.created(T0)] }))]);
    expect(verdict(signedBy(victim), r)).toBe('unknown-key');
  });
});

describe('a revocation cannot be neutralised from the unhashed area', () => {
  const uid = 'Victim <victim@example.test>';
  const revoke = (unhashed: Buffer[]) => packet(2, signature({
    type: 0x20, signer: victim, data: [Buffer.concat([Buffer.from([0x99, victim.body.length >> 8, victim.body.length & 0xff]), victim.body])],
    hashed: [...stamp(victim, T1), sp.revocationReason(2, 'compromised')], unhashed,
  }));
  it.each([
    ['an unknown critical subpacket', [sub(60, Buffer.from([1]), true)]],
    ['an issuer naming another key', [sp.issuer(attacker)]],
  ])('%s added to it', (_, unhashed) => {
    const ring = Buffer.concat([packet(6, victim.body), revoke(unhashed), packet(13, Buffer.from(uid)), selfCert(victim, uid, T0)]);
    expect(verdict(signedBy(victim), ring)).toBe('revoked');
  });
});

describe('found by the 100,000-mutation run', () => {
  const ring = cert(victim, 'Victim <victim@example.test>', T0);
  const good = signature({ type: 0x01, signer: victim, data: [canonicalText(text)], hashed: stamp(victim, T1), unhashed: [sp.issuer(victim)] });
  it('a valid signature whose two-byte hash tag was changed is refused (as go-crypto, GnuPG, openpgp.js)', () => {
    expect(verdict(clearsign(text, victim, { rawSig: packet(2, good) }), ring)).toBe('verified');
    const bad = Buffer.from(good);
    const sigR = new Reader(good);
    sigR.bytes(4); sigR.bytes(sigR.u16()); sigR.bytes(sigR.u16());
    bad[sigR.pos]! ^= 0xff; // the first byte of the hash tag
    expect(() => verifyOrThrow(clearsign(text, victim, { rawSig: packet(2, bad) }), ring)).toThrow("hash tag doesn't match");
  });
  it('bytes after the signature MPIs are a format error', () => {
    expect(() => parseSignature(Buffer.concat([good, Buffer.from([0])]))).toThrow('trailing data after the signature MPIs');
  });
  it('a public key packet relabelled as a secret key, or a secret key with a bad checksum, is refused', () => {
    expect(() => readKeyring(Buffer.concat([packet(5, victim.body), packet(13, Buffer.from('V')), selfCert(victim, 'V', T0)]))).toThrow('secret key packet without secret key material');
    const secret = Buffer.concat([victim.body, Buffer.from([0, 0, 8, 1, 0, 7])]); // usage 0, MPI 0x01 (8 bits), checksum 7 (wrong: 0+8+1 = 9)
    expect(() => readKeyring(Buffer.concat([packet(5, secret), packet(13, Buffer.from('V')), selfCert(victim, 'V', T0)]))).toThrow('secret key checksum mismatch');
    const right = Buffer.concat([victim.body, Buffer.from([0, 0, 8, 1, 0, 9])]);
    expect(readKeyring(Buffer.concat([packet(5, right), packet(13, Buffer.from('V')), selfCert(victim, 'V', T0)])).entities).toHaveLength(1);
  });
  it('a revocation made by another key (a designated revoker) makes the keyring unusable, as in helm', () => {
    const byOther = packet(2, signature({ type: 0x20, signer: attacker, data: [Buffer.concat([Buffer.from([0x99, victim.body.length >> 8, victim.body.length & 0xff]), victim.body])], hashed: stamp(attacker, T1) }));
    expect(() => readKeyring(Buffer.concat([packet(6, victim.body), byOther, packet(13, Buffer.from('V')), selfCert(victim, 'V', T0)]))).toThrow('designated revokers are not supported');
  });
});
