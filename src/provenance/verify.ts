/**
 * Verifies a helm provenance file against a chart archive, in helm's order: find the
 * cleartext signature, check it against the keyring (unknown, bad, revoked, expired),
 * then read the signed `files:` map and compare the archive's SHA-256. Bytes in, result
 * out, no I/O (like helm's pkg/provenance).
 */
import { createHash } from 'node:crypto';
import { decodeClearsigned } from './openpgp/armor.js';
import { checkSignature, hashName, isKnownHashName, isWeakHash, MIN_RSA_BITS, parseSignature, type PublicKey, type Signature } from './openpgp/keys.js';
import { PgpFormatError, readPackets, Tag } from './openpgp/packets.js';
import { signingKeysById, validateEntity, type Keyring, type SigningKey } from './keyring.js';
import { MessageBlockError, parseMessageBlock } from './message.js';
import type { parse as yamlParse } from 'yaml';

export type ProvenanceFailure =
  | 'no-signature' | 'malformed' | 'unknown-key' | 'bad-signature' | 'weak-hash' | 'critical-notation'
  | 'revoked' | 'key-expired' | 'signature-expired' | 'not-yet-valid' | 'message' | 'no-hash' | 'hash-mismatch'
  /** RSA key below MIN_RSA_BITS (policy). */
  | 'weak-key'
  /** The signature is dated before the key that made it was created (GnuPG: "key is newer than the signature"). */
  | 'time-conflict';

export class ProvenanceError extends Error {
  override name = 'ProvenanceError';
  constructor(readonly failure: ProvenanceFailure, message: string) {
    super(message);
  }
}

export interface Verification {
  /** Every valid user ID of the signing entity, as helm prints them. */
  signedBy: string[];
  /** Primary key fingerprint, upper-case hex (helm prints the primary's even for subkey signatures). */
  fingerprint: string;
  /** Key ID of the key that made the signature (a subkey's when a subkey signed). */
  signingKeyId: string;
  signedAt: Date | null;
  /** `sha256:<hex>` of the archive. */
  hash: string;
  /** Name and version that the signed metadata claims; helm ignores them, we let callers compare. */
  claimed: { name: string | null; version: string | null };
}

export interface VerifyInput {
  archive: Buffer;
  prov: Buffer;
  /** Basename of the archive, the key of the `files:` map. */
  filename: string;
  keyring: Keyring;
  now: Date;
  /** The YAML parser, for signed text that is not in helm's plain shape (see parseMessageBlock). */
  yaml?: typeof yamlParse;
}

const fmtDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function verifyProvenance(input: VerifyInput): Verification {
  const { keyring, now } = input;
  let block;
  try {
    block = decodeClearsigned(input.prov.toString('utf8'));
  } catch (e) {
    throw new ProvenanceError('malformed', `cannot read the signature: ${(e as Error).message}`);
  }
  if (!block) throw new ProvenanceError('no-signature', 'signature block not found (not a clearsigned .prov file)');

  let sigs: Signature[];
  try {
    sigs = readPackets(block.signature).map((p) => {
      if (p.tag !== Tag.Signature) throw new PgpFormatError('non signature packet found');
      return parseSignature(p.body);
    });
  } catch (e) {
    throw new ProvenanceError('malformed', `cannot read the signature: ${(e as Error).message}`);
  }
  // go-crypto's CheckDetachedSignature: the first signature whose issuer has a signing key in the ring.
  let sig: Signature | undefined;
  let candidates: SigningKey[] = [];
  for (const s of sigs) {
    if (s.issuerKeyId === null) throw new ProvenanceError('malformed', "signature doesn't have an issuer");
    if (s.issuerConflict) {
      throw new ProvenanceError('malformed', `the signature's issuer subpackets disagree on the key that made it (issuer ${s.issuerFingerprint ?? s.issuerKeyId})`);
    }
    if (s.type !== 0x00 && s.type !== 0x01) continue;
    // The 64-bit key ID only finds candidates; the fingerprint, when given, must match too.
    candidates = signingKeysById(keyring, s.issuerKeyId)
      .filter((c) => s.issuerFingerprint === null || c.key.fingerprint === s.issuerFingerprint);
    if (candidates.length) { sig = s; break; }
  }
  if (!sig) {
    const ids = [...new Set(sigs.map((s) => s.issuerFingerprint ?? s.issuerKeyId))].join(', ');
    throw new ProvenanceError('unknown-key', `signature made by unknown entity: key ${ids || '(none)'} is not in the keyring`);
  }
  if (sig.created === null) {
    // RFC 9580 §5.2.3.11: the creation time MUST be in the hashed area; GnuPG refuses without it.
    throw new ProvenanceError('malformed', 'signature has no hashed creation time');
  }
  const unknownHash = block.hashes.find((h) => !isKnownHashName(h));
  if (unknownHash !== undefined) {
    throw new ProvenanceError('malformed', `unknown hash algorithm ${JSON.stringify(unknownHash)} in the Hash armor header`);
  }
  if (block.hashes.length && !block.hashes.some((h) => h.toUpperCase() === hashName(sig).toUpperCase())) {
    throw new ProvenanceError('malformed', `the Hash armor header (${block.hashes.join(', ')}) does not name the signature's hash ${hashName(sig)}`);
  }
  let lastErr = '';
  const signers: SigningKey[] = [];
  for (const c of candidates) {
    const err = checkSignature(c.key, sig, [block.signedBytes]);
    if (err === null) signers.push(c);
    else lastErr = err;
  }
  if (signers.length === 0) {
    throw new ProvenanceError('bad-signature', `invalid signature: ${lastErr} (the signed text or the signature was altered, or it was signed by another key)`);
  }
  if (isWeakHash(sig)) {
    throw new ProvenanceError('weak-hash', `signature uses the insecure hash ${hashName(sig)}`);
  }
  // Several certificates may claim the key (its back-signatures allow that): any failure of
  // any of them wins, by severity, so the keyring's order never decides the verdict.
  const failures = signers.map((c) => signerFailure(sig, c, now)).filter((f) => f !== null);
  if (failures.length) throw failures.sort((a, b) => Severity.indexOf(a.failure) - Severity.indexOf(b.failure))[0]!;
  const signer = signers[0]!;
  const v = validateEntity(signer.entity);

  let message;
  try {
    message = parseMessageBlock(block.plaintext, input.yaml);
  } catch (e) {
    if (e instanceof MessageBlockError) throw new ProvenanceError('message', e.message);
    throw e;
  }
  const actual = `sha256:${createHash('sha256').update(input.archive).digest('hex')}`;
  const expected = message.files[input.filename];
  if (expected === undefined) {
    throw new ProvenanceError('no-hash', `provenance does not contain a SHA for a file named ${JSON.stringify(input.filename)}`);
  }
  if (expected !== actual) {
    throw new ProvenanceError('hash-mismatch', `sha256 sum does not match for ${input.filename}: ${JSON.stringify(expected)} != ${JSON.stringify(actual)}`);
  }
  const str = (x: unknown) => (typeof x === 'string' ? x : x === undefined || x === null ? null : String(x));
  return {
    signedBy: v.identities.map((i) => i.name),
    fingerprint: signer.entity.primary.fingerprint,
    signingKeyId: signer.key.keyId,
    signedAt: sig.created,
    hash: actual,
    claimed: { name: str(message.metadata?.name), version: str(message.metadata?.version) },
  };
}

const Severity: ProvenanceFailure[] = ['revoked', 'key-expired', 'weak-key', 'time-conflict', 'critical-notation', 'signature-expired', 'not-yet-valid'];

/** Why `sig`, which verified with candidate `c`, must still be refused; null when it may stand. */
function signerFailure(sig: Signature, c: SigningKey, now: Date): ProvenanceError | null {
  const v = validateEntity(c.entity);
  const primary = c.entity.primary;
  const who = `${primary.fingerprint}${v.primaryIdentity ? ` (${v.primaryIdentity})` : ''}`;
  const selfSigs = [sig, v.primarySelf, ...(c.isSubkey ? [c.selfSig, c.selfSig?.embedded ?? null] : [])];
  const identityRevoked = v.identities.find((i) => i.name === v.primaryIdentity)?.revoked ?? null;
  const revocation = v.revoked ?? (c.isSubkey ? c.revoked : null) ?? identityRevoked;
  if (revocation) {
    const when = revocation.created ? ` on ${fmtDate(revocation.created)}` : '';
    const why = revocation.revocationReason ? `: ${revocation.revocationReason}` : '';
    const what = !v.revoked && c.isSubkey && c.revoked ? `subkey ${c.key.fingerprint} of key ${who}` : `key ${who}`;
    return new ProvenanceError('revoked', `signature made by revoked ${what}, revoked${when}${why}`);
  }
  const expiry = (created: Date, s: Signature | null) =>
    s?.keyExpiresIn ? new Date(created.getTime() + s.keyExpiresIn * 1000) : null;
  const keysToCheck: { key: PublicKey; self: Signature | null; what: string }[] = [{ key: primary, self: v.primarySelf, what: 'key' }];
  if (c.isSubkey) keysToCheck.push({ key: c.key, self: c.selfSig, what: 'signing subkey' });
  for (const { key, self, what } of keysToCheck) {
    const exp = expiry(key.created, self);
    if (exp && exp.getTime() <= now.getTime()) {
      return new ProvenanceError('key-expired', `key expired: ${what} ${key.fingerprint} expired on ${fmtDate(exp)}${v.primaryIdentity ? ` (${v.primaryIdentity})` : ''}`);
    }
  }
  for (const { key, what } of keysToCheck) {
    if (key.rsaBits !== null && key.rsaBits < MIN_RSA_BITS) {
      return new ProvenanceError('weak-key', `${what} ${key.fingerprint} is RSA with ${key.rsaBits} bits; chartaudit refuses RSA keys under ${MIN_RSA_BITS} bits`);
    }
  }
  for (const { key, what } of keysToCheck) {
    if (sig.created!.getTime() < key.created.getTime()) {
      return new ProvenanceError('time-conflict', `signature dated ${fmtDate(sig.created!)} is older than the ${what} ${key.fingerprint} that made it (created ${fmtDate(key.created)})`);
    }
  }
  for (const s of selfSigs) {
    const bad = s?.notations.find((n) => n.critical) ?? (s?.unknownCritical.length ? { name: s.unknownCritical[0]! } : null);
    if (bad) return new ProvenanceError('critical-notation', `invalid signature: unknown critical notation: ${bad.name}`);
  }
  for (const s of selfSigs) {
    if (s?.expiresIn && s.created && s.created.getTime() + s.expiresIn * 1000 <= now.getTime()) {
      return new ProvenanceError('signature-expired', `signature expired on ${fmtDate(new Date(s.created.getTime() + s.expiresIn * 1000))}`);
    }
  }
  if (sig.created!.getTime() > now.getTime() + 5 * 60 * 1000) {
    return new ProvenanceError('not-yet-valid', `signature is dated in the future (${fmtDate(sig.created!)})`);
  }
  return null;
}
