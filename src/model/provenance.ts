/** The outcome of checking a chart's `.prov` file. */
export type ProvenanceStatus = 'verified' | 'failed' | 'unsigned' | 'unchecked';

export interface ProvenanceResult {
  status: ProvenanceStatus;
  /** Signer identities (`Name (Comment) <email>`) of the verifying key, when the signature checked out. */
  signer: string | null;
  /** Upper-case hex fingerprint of the signer's primary key. */
  fingerprint: string | null;
  /** Signature creation time, ISO 8601. */
  signedAt: string | null;
  /** `sha256:<hex>` of the archive as verified. */
  hash: string | null;
  /** Why verification failed or was not done; null when verified. */
  reason: string | null;
}

/** What `verify` checked and found. */
export interface VerifyOutcome {
  chart: string;
  status: 'verified' | 'failed';
  /** A ProvenanceFailure kind (`hash-mismatch`, `unknown-key`, …) or `no-provenance`; null when verified. */
  failure: string | null;
  reason: string | null;
  /** The keyring used; null when none was read. */
  keyring: string | null;
  verification: {
    signedBy: string[];
    fingerprint: string;
    signingKeyId: string;
    signedAt: Date | null;
    hash: string;
  } | null;
  warnings: string[];
}
