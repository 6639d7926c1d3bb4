/** What an rpmdb backend reader hands back: the header blobs it could read, and what it could not. */
export interface BlobReading {
  blobs: Buffer[];
  /** One line each; the database path is added by the caller. */
  problems: string[];
}

export interface BlobLimits {
  /** Header blobs read from one database before the rest is left as a gap. */
  maxPackages: number;
  /** Largest header blob accepted (rpm itself refuses 256 MiB). */
  maxBlobBytes: number;
  /** Problems listed per database before they are summarised as a count. */
  maxProblems: number;
}

export const DEFAULT_BLOB_LIMITS: BlobLimits = {
  // A full Fedora workstation has about 3,000 packages.
  maxPackages: 100_000,
  maxBlobBytes: 64 * 1024 * 1024,
  maxProblems: 20,
};

/** Collects problems up to a limit, then counts the rest. */
export class ProblemList {
  private readonly items: string[] = [];
  private dropped = 0;
  constructor(private readonly max: number) {}
  add(problem: string): void {
    if (this.items.length < this.max) this.items.push(problem);
    else this.dropped++;
  }
  get count(): number {
    return this.items.length + this.dropped;
  }
  list(): string[] {
    return this.dropped > 0 ? [...this.items, `${this.dropped} more problems like these`] : [...this.items];
  }
}
