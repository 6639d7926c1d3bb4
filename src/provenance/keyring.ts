/**
 * Keyrings: binary OpenPGP packet streams (`gpg --export`, legacy pubring.gpg, secret-key
 * exports), ASCII-armored key blocks (one or several), and GnuPG 2.1+ keybox files
 * (pubring.kbx). helm v4.1.4 reads only the first; the other two are read here on purpose.
 *
 * Parsing is structural and cheap; the cryptographic checks of an entity's self-signatures
 * run only for the entity a signature names (`validateEntity`), so a large keyring costs
 * little.
 */
import { decodeArmor } from './openpgp/armor.js';
import {
  checkSecretPart, checkSignature, keyHashPrefix, parsePublicKey, parseSignature, userIdHashPrefix,
  type PublicKey, type Signature,
} from './openpgp/keys.js';
import { PgpFormatError, readPackets, Tag, type Packet } from './openpgp/packets.js';

export type KeyringFormat = 'binary' | 'armored' | 'keybox';

export interface Identity {
  name: string;
  raw: Buffer;
  tag: number;
  sigs: Signature[];
  revocations: Signature[];
}

export interface Subkey {
  key: PublicKey;
  bindings: Signature[];
  revocations: Signature[];
}

export interface Entity {
  primary: PublicKey;
  identities: Identity[];
  subkeys: Subkey[];
  revocations: Signature[];
  /** Set by validateEntity. */
  validated?: ValidatedEntity;
}

export interface ValidatedEntity {
  /** Identities with at least one valid self-signature. */
  identities: { name: string; self: Signature; revoked: Signature | null }[];
  primarySelf: Signature | null;
  primaryIdentity: string | null;
  revoked: Signature | null;
  subkeys: { key: PublicKey; binding: Signature; revoked: Signature | null }[];
}

export interface Keyring {
  format: KeyringFormat;
  entities: Entity[];
  /** Keys skipped while reading (unsupported versions…), for the user's information. */
  skipped: string[];
}

/**
 * Reads a keyring file's bytes. Throws PgpFormatError when the bytes are not a keyring in
 * any supported format or contain no key.
 */
export function readKeyring(data: Buffer): Keyring {
  let format: KeyringFormat;
  let blocks: Buffer[];
  if (data.length >= 32 && data[4] === 1 && data.toString('latin1', 8, 12) === 'KBXf') {
    format = 'keybox';
    blocks = readKeybox(data);
  } else if (data.length > 0 && (data[0]! & 0x80) !== 0) {
    format = 'binary';
    blocks = [data];
  } else {
    const text = data.toString('utf8');
    if (!text.includes('-----BEGIN PGP ')) {
      throw new PgpFormatError('not an OpenPGP keyring: neither binary key packets, an ASCII-armored key block nor a GnuPG keybox');
    }
    format = 'armored';
    blocks = decodeArmor(text)
      .filter((b) => b.type === 'PUBLIC KEY BLOCK' || b.type === 'PRIVATE KEY BLOCK')
      .map((b) => b.data);
  }
  const ring: Keyring = { format, entities: [], skipped: [] };
  for (const block of blocks) readEntities(readPackets(block), ring);
  ring.entities = mergeDuplicates(ring.entities);
  if (ring.entities.length === 0) {
    throw new PgpFormatError(`no usable OpenPGP key in the keyring${ring.skipped.length ? ` (${ring.skipped.join('; ')})` : ''}`);
  }
  return ring;
}

/**
 * Certificates of the same primary key are one key, as GnuPG merges them on import: a
 * revocation in one copy must apply to the key however the copies are ordered.
 */
function mergeDuplicates(entities: Entity[]): Entity[] {
  const byFpr = new Map<string, Entity>();
  for (const e of entities) {
    const seen = byFpr.get(e.primary.fingerprint);
    if (!seen) {
      byFpr.set(e.primary.fingerprint, e);
      continue;
    }
    seen.identities.push(...e.identities);
    seen.revocations.push(...e.revocations);
    for (const sk of e.subkeys) {
      const same = seen.subkeys.find((s) => s.key.fingerprint === sk.key.fingerprint);
      if (same) {
        same.bindings.push(...sk.bindings);
        same.revocations.push(...sk.revocations);
      } else seen.subkeys.push(sk);
    }
  }
  return [...byFpr.values()];
}

/** Extracts the OpenPGP keyblocks of a keybox file (GnuPG's kbx format, blob type 2). */
function readKeybox(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let p = 0;
  while (p + 5 <= data.length) {
    const len = data.readUInt32BE(p);
    if (len < 5 || p + len > data.length) throw new PgpFormatError('corrupt keybox: blob length out of range');
    const type = data[p + 4]!;
    if (type === 2) {
      if (len < 20) throw new PgpFormatError('corrupt keybox: short OpenPGP blob');
      const flags = data.readUInt16BE(p + 6);
      const off = data.readUInt32BE(p + 8);
      const klen = data.readUInt32BE(p + 12);
      if (off + klen > len) throw new PgpFormatError('corrupt keybox: keyblock out of range');
      // Flag 0x0004 marks an ephemeral blob (a key gpg only looked at): not part of the keyring.
      if ((flags & 0x0004) === 0) out.push(data.subarray(p + off, p + off + klen));
    }
    p += len;
  }
  return out;
}

/**
 * Keys of a version or algorithm we do not read are skipped, as go-crypto skips them; a
 * malformed key packet makes the keyring unusable, as in helm and openpgp.js.
 */
function isUnsupportedKey(e: unknown): boolean {
  if (!(e instanceof PgpFormatError)) throw e;
  return /^(unsupported key packet version|unknown public key algorithm)/.test(e.message);
}

function readEntities(packets: Packet[], ring: Keyring): void {
  let cur: Entity | null = null;
  let skipping = false;
  let lastIdentity: Identity | null = null;
  let lastSubkey: Subkey | null = null;
  const finish = () => {
    if (cur) ring.entities.push(cur);
    cur = null;
  };
  for (const pkt of packets) {
    switch (pkt.tag) {
      case Tag.PublicKey:
      case Tag.SecretKey: {
        finish();
        lastIdentity = null;
        lastSubkey = null;
        try {
          const primary = parsePublicKey(pkt.body);
          if (pkt.tag === Tag.SecretKey) checkSecretPart(pkt.body, primary.body.length);
          cur = { primary, identities: [], subkeys: [], revocations: [] };
          skipping = false;
        } catch (e) {
          if (!isUnsupportedKey(e)) throw new PgpFormatError(`malformed key packet in the keyring: ${(e as Error).message}`);
          ring.skipped.push((e as Error).message);
          skipping = true;
        }
        break;
      }
      case Tag.PublicSubkey:
      case Tag.SecretSubkey: {
        if (!cur || skipping) break;
        lastIdentity = null;
        try {
          const key = parsePublicKey(pkt.body);
          if (pkt.tag === Tag.SecretSubkey) checkSecretPart(pkt.body, key.body.length);
          lastSubkey = { key, bindings: [], revocations: [] };
          (cur as Entity).subkeys.push(lastSubkey);
        } catch (e) {
          if (!isUnsupportedKey(e)) throw new PgpFormatError(`malformed subkey packet in the keyring (key ${(cur as Entity).primary.fingerprint}): ${(e as Error).message}`);
          lastSubkey = null;
        }
        break;
      }
      case Tag.UserId:
      case Tag.UserAttribute: {
        if (!cur || skipping) break;
        lastSubkey = null;
        lastIdentity = {
          name: pkt.tag === Tag.UserId ? pkt.body.toString('utf8') : '[user attribute]',
          raw: pkt.body, tag: pkt.tag, sigs: [], revocations: [],
        };
        (cur as Entity).identities.push(lastIdentity);
        break;
      }
      case Tag.Signature: {
        if (!cur || skipping) break;
        let sig: Signature;
        try {
          sig = parseSignature(pkt.body);
        } catch (e) {
          if (!(e instanceof PgpFormatError)) throw e;
          // A signature of a version we do not read is skipped (go-crypto: unsupported); a
          // malformed one makes the keyring unusable, as in helm and openpgp.js.
          if (e.message.startsWith('unsupported signature packet version')) break;
          throw new PgpFormatError(`malformed signature packet in the keyring (key ${(cur as Entity).primary.fingerprint}): ${e.message}`);
        }
        if ((sig.type === 0x18 || sig.type === 0x28 || sig.type === 0x20) && sig.created === null) {
          // helm refuses the keyring here too ("subkey signature invalid: no creation time")
          throw new PgpFormatError(`key binding or revocation signature without a creation time (key ${(cur as Entity).primary.fingerprint})`);
        }
        if ((sig.type === 0x20 || sig.type === 0x28) && !sig.issuerConflict && !issuedBy(sig, (cur as Entity).primary) && (sig.issuerKeyId !== null || sig.issuerFingerprint !== null)) {
          // Designated revokers are not supported; helm refuses the keyring here too.
          throw new PgpFormatError(`revocation signature signed by another key than ${(cur as Entity).primary.fingerprint} (designated revokers are not supported)`);
        }
        if (sig.type === 0x20) (cur as Entity).revocations.push(sig);
        else if (lastSubkey) {
          if (sig.type === 0x18) lastSubkey.bindings.push(sig);
          else if (sig.type === 0x28) lastSubkey.revocations.push(sig);
        } else if (lastIdentity) {
          if (sig.type >= 0x10 && sig.type <= 0x13) lastIdentity.sigs.push(sig);
          else if (sig.type === 0x30) lastIdentity.revocations.push(sig);
        }
        break;
      }
      case Tag.Marker:
      case Tag.Trust:
        break; // carry nothing we use
      default:
        // Messages, encrypted data and the like have no place in a keyring (helm and openpgp.js refuse them too).
        throw new PgpFormatError(`packet of type ${pkt.tag} is not allowed in a keyring`);
    }
  }
  finish();
}

// A certification must name its issuer (go-crypto and openpgp.js refuse one that does not).
const issuedBy = (sig: Signature, k: PublicKey): boolean => !sig.issuerConflict && (
  (sig.issuerFingerprint !== null && sig.issuerFingerprint === k.fingerprint) ||
  (sig.issuerFingerprint === null && sig.issuerKeyId === k.keyId));

const newest = (sigs: Signature[]): Signature | null =>
  sigs.reduce<Signature | null>((a, s) => (!a || (s.created?.getTime() ?? 0) > (a.created?.getTime() ?? 0) ? s : a), null);

/** Verifies an entity's self-signatures, binding signatures and revocations once. */
export function validateEntity(e: Entity): ValidatedEntity {
  if (e.validated) return e.validated;
  const pk = e.primary;
  const pkData = keyHashPrefix(pk);
  // As GnuPG: a self-signature needs a hashed creation time no older than the keys it is
  // about (a signature from before a key existed is a forgery or a clock error).
  const valid = (sig: Signature, data: Buffer[], signer: PublicKey = pk, about: PublicKey = signer): boolean =>
    issuedBy(sig, signer) && sig.unknownCritical.length === 0 && sig.created !== null &&
    sig.created.getTime() >= Math.max(pk.created.getTime(), about.created.getTime(), signer.created.getTime()) &&
    checkSignature(signer, sig, data) === null;
  // A revocation counts whenever the primary key made it, whatever its dates, issuer hints or
  // critical subpackets (anyone can add those to the unhashed area to make it "invalid"):
  // failing closed costs a re-export, not a forgery.
  const validRevocation = (sig: Signature, data: Buffer[]): boolean => checkSignature(pk, sig, data) === null;

  const identities: ValidatedEntity['identities'] = [];
  for (const id of e.identities) {
    const data = [pkData, userIdHashPrefix(id.raw, id.tag)];
    const self = newest(id.sigs.filter((s) => valid(s, data)));
    if (!self || id.tag !== Tag.UserId) continue;
    identities.push({ name: id.name, self, revoked: id.revocations.find((s) => validRevocation(s, data)) ?? null });
  }
  const primaryFlagged = identities.filter((i) => i.self.primaryUserId);
  const pool = primaryFlagged.length ? primaryFlagged : identities;
  const primaryId = pool.reduce<(typeof identities)[number] | null>(
    (a, i) => (!a || (i.self.created?.getTime() ?? 0) > (a.self.created?.getTime() ?? 0) ? i : a), null);

  const subkeys: ValidatedEntity['subkeys'] = [];
  for (const sk of e.subkeys) {
    const data = [pkData, keyHashPrefix(sk.key)];
    const binding = newest(sk.bindings.filter((s) => valid(s, data, pk, sk.key)));
    if (!binding) continue;
    // A subkey that may sign (flags absent count as "may sign", as in GnuPG) must sign back
    // (0x19, RFC 9580 §5.2.1.11) so nobody can claim another person's key as their subkey.
    if (binding.keyFlags === null || binding.keyFlags & 0x02) {
      const back = binding.embedded;
      if (!back || back.type !== 0x19 || !valid(back, data, sk.key)) continue;
    }
    subkeys.push({ key: sk.key, binding, revoked: sk.revocations.find((s) => validRevocation(s, data)) ?? null });
  }
  e.validated = {
    identities,
    primarySelf: primaryId?.self ?? null,
    primaryIdentity: primaryId?.name ?? null,
    revoked: e.revocations.find((s) => validRevocation(s, [pkData])) ?? null,
    subkeys,
  };
  return e.validated;
}

export interface SigningKey {
  entity: Entity;
  key: PublicKey;
  /** The self-signature (primary) or binding signature (subkey) that gives its flags and expiry. */
  selfSig: Signature | null;
  isSubkey: boolean;
  revoked: Signature | null;
}

/** Keys with the given key ID that may make signatures (go-crypto's KeysByIdUsage). */
export function signingKeysById(ring: Keyring, keyId: string): SigningKey[] {
  const out: SigningKey[] = [];
  for (const entity of ring.entities) {
    const mentions = entity.primary.keyId === keyId || entity.subkeys.some((s) => s.key.keyId === keyId);
    if (!mentions) continue;
    const v = validateEntity(entity);
    if (v.identities.length === 0) continue; // no valid self-signature: not a usable key
    if (entity.primary.keyId === keyId) {
      const flags = v.primarySelf?.keyFlags ?? null;
      if (flags === null || flags & 0x02) {
        out.push({ entity, key: entity.primary, selfSig: v.primarySelf, isSubkey: false, revoked: v.revoked });
      }
    }
    for (const sk of v.subkeys) {
      if (sk.key.keyId !== keyId) continue;
      const flags = sk.binding.keyFlags;
      if (flags === null || flags & 0x02) {
        out.push({ entity, key: sk.key, selfSig: sk.binding, isSubkey: true, revoked: sk.revoked });
      }
    }
  }
  return out;
}
