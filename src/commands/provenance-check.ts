/**
 * Provenance as `scan` and `mitigations` report it: verified, failed, unsigned or unchecked,
 * with the reason. Checked on the archive bytes before anything unpacks them, so a corrupted
 * or tampered archive is reported as such, not as a gzip error.
 */
import { createHash } from 'node:crypto';
import type { ReportProvenance } from '../model/report.js';
import { decodeClearsigned } from '../provenance/openpgp/armor.js';
import { MessageBlockError, NeedsYamlError, parseMessageBlock, type MessageBlock } from '../provenance/message.js';
import { ProvenanceError, verifyProvenance, type Verification, type VerifyInput } from '../provenance/verify.js';
import { lookupKeyring } from './keyring.js';
import type { Env } from './context.js';

/** verifyProvenance, loading the YAML parser only for signed text not in helm's plain shape. */
export async function verifyBytes(input: VerifyInput): Promise<Verification> {
  try {
    return verifyProvenance(input);
  } catch (err) {
    if (!(err instanceof NeedsYamlError)) throw err;
    return verifyProvenance({ ...input, yaml: (await import('yaml')).parse });
  }
}

export interface ProvenanceCheck {
  provenance: ReportProvenance;
  /** Name and version the signed text claims (whether or not the signature could be checked). */
  claimed: { name: string | null; version: string | null } | null;
  warnings: string[];
}

export interface ProvenanceCheckInput {
  archive: Buffer;
  /** The .prov bytes; null when there is none. */
  prov: Buffer | null;
  /** The archive's basename: the key of the .prov's `files:` map. */
  filename: string;
  /** Shown in reasons: the .prov's path or URL. */
  provName: string;
  /** --keyring; undefined to use the default keyrings. */
  keyring: string | undefined;
}

export async function checkProvenance(input: ProvenanceCheckInput, e: Env): Promise<ProvenanceCheck> {
  const hash = `sha256:${createHash('sha256').update(input.archive).digest('hex')}`;
  const result = (status: ReportProvenance['status'], reason: string, claimed: ProvenanceCheck['claimed'] = null, warnings: string[] = []): ProvenanceCheck => ({
    provenance: { status, signer: null, fingerprint: null, signedAt: null, hash, reason }, claimed, warnings,
  });
  if (!input.prov) return result('unsigned', `no provenance file ${input.provName}`);

  const block = await readSignedText(input.prov);
  const claimed = block ? { name: str(block.metadata.name), version: str(block.metadata.version) } : null;
  // The digest needs no key: an archive that does not match its own .prov fails whoever signed it.
  const expected = block?.files[input.filename];
  if (expected !== undefined && expected !== hash) {
    return result('failed', `sha256 sum does not match for ${input.filename}: ${JSON.stringify(expected)} != ${JSON.stringify(hash)}`, claimed);
  }

  const ring = lookupKeyring(input.keyring, e);
  if (!ring.found) {
    if (ring.unusable) {
      const why = `the default keyring cannot be used (${ring.unusable}): pass --keyring FILE`;
      return result('unchecked', why, claimed, [`provenance not checked: ${why}`]);
    }
    return result('unchecked', `no keyring to check ${input.provName} against: pass --keyring FILE`, claimed);
  }
  try {
    const v = await verifyBytes({ archive: input.archive, prov: input.prov, filename: input.filename, keyring: ring.found.keyring, now: e.now });
    return {
      provenance: { status: 'verified', signer: v.signedBy[0] ?? null, fingerprint: v.fingerprint, signedAt: v.signedAt?.toISOString() ?? null, hash: v.hash, reason: null },
      claimed: v.claimed,
      warnings: [],
    };
  } catch (err) {
    if (!(err instanceof ProvenanceError)) throw err;
    if (err.failure === 'unknown-key' && !ring.found.explicit) {
      // Someone else's keyring, found by default: it cannot say anything about this signer.
      const why = `${err.message.replace(/ is not in the keyring$/, '')} is not in the default keyring ${ring.found.path}: pass --keyring FILE`;
      return result('unchecked', why, claimed, [`provenance not checked: ${why}`]);
    }
    return result('failed', err.message, claimed);
  }
}

/** The signed text's metadata and digests, unverified; null when it cannot be read at all. */
async function readSignedText(prov: Buffer): Promise<MessageBlock | null> {
  let plaintext: string;
  try {
    const block = decodeClearsigned(prov.toString('utf8'));
    if (!block) return null;
    plaintext = block.plaintext;
  } catch {
    return null;
  }
  try {
    try {
      return parseMessageBlock(plaintext);
    } catch (err) {
      if (!(err instanceof NeedsYamlError)) throw err;
      return parseMessageBlock(plaintext, (await import('yaml')).parse);
    }
  } catch (err) {
    if (err instanceof MessageBlockError) return null;
    throw err;
  }
}

const str = (x: unknown): string | null => (typeof x === 'string' ? x : x === undefined || x === null ? null : String(x));
