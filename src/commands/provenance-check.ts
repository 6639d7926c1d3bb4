/**
 * Provenance as `scan` and `mitigations` report it: verified, failed, unsigned or unchecked,
 * with the reason. Checked on the archive bytes before anything unpacks them, so a corrupted
 * or tampered archive is reported as such, not as a gzip error.
 */
import { archiveDigest } from '../hash/sha256.js';
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
  // the same digest the render and the report use: hashed once a scan (src/hash/sha256.ts)
  const hash = archiveDigest(input.archive);
  const result = (status: ReportProvenance['status'], reason: string, claimed: ProvenanceCheck['claimed'] = null, warnings: string[] = []): ProvenanceCheck => ({
    provenance: { status, signer: null, fingerprint: null, signedAt: null, hash, reason }, claimed, warnings,
  });
  if (!input.prov) return result('unsigned', `no provenance file ${input.provName}`);

  const ring = lookupKeyring(input.keyring, e);
  let cannotCheck: string;
  if (ring.found) {
    try {
      const v = await verifyBytes({ archive: input.archive, prov: input.prov, filename: input.filename, keyring: ring.found.keyring, now: e.now });
      return {
        provenance: { status: 'verified', signer: v.signedBy[0] ?? null, fingerprint: v.fingerprint, signedAt: v.signedAt?.toISOString() ?? null, hash: v.hash, reason: null },
        claimed: v.claimed,
        warnings: [],
      };
    } catch (err) {
      if (!(err instanceof ProvenanceError)) throw err;
      // Someone else's keyring, found by default, cannot say anything about this signer.
      if (err.failure !== 'unknown-key' || ring.found.explicit) return result('failed', err.message, (await readSignedText(input.prov))?.claimed ?? null);
      cannotCheck = `${err.message.replace(/ is not in the keyring$/, '')} is not in the default keyring ${ring.found.path}: pass --keyring FILE`;
    }
  } else if (ring.unusable) {
    cannotCheck = `the default keyring cannot be used (${ring.unusable}): pass --keyring FILE`;
  } else {
    cannotCheck = `no keyring to check ${input.provName} against: pass --keyring FILE`;
  }

  // The signature cannot be checked, but the signed text still names the archive's digest: an
  // archive that does not match its own .prov (or a .prov that cannot be read) fails whoever signed it.
  const signed = await readSignedText(input.prov);
  if (!signed) return result('failed', `${input.provName} is not a readable helm provenance file (no clearsigned message with a files: section)`);
  const expected = signed.files[input.filename];
  if (expected === undefined) return result('failed', `provenance does not contain a SHA for a file named ${JSON.stringify(input.filename)}`, signed.claimed);
  if (expected !== hash) {
    return result('failed', `sha256 sum does not match for ${input.filename}: ${JSON.stringify(expected)} != ${JSON.stringify(hash)}`, signed.claimed);
  }
  // "No keyring at all" is the user's choice; a default keyring that cannot speak is worth a line.
  return result('unchecked', cannotCheck, signed.claimed, ring.found || ring.unusable ? [`provenance not checked: ${cannotCheck}`] : []);
}

/** The signed text's digests and claimed name and version, unverified; null when it cannot be read at all. */
async function readSignedText(prov: Buffer): Promise<{ files: MessageBlock['files']; claimed: NonNullable<ProvenanceCheck['claimed']> } | null> {
  const block = await readMessageBlock(prov);
  return block && { files: block.files, claimed: { name: str(block.metadata.name), version: str(block.metadata.version) } };
}

async function readMessageBlock(prov: Buffer): Promise<MessageBlock | null> {
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
