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
