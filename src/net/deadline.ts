/**
 * An overall deadline for one source (a repository, the OSV API, one `db update` download):
 * every try, every backoff and every timer of a try fits inside it, so a server that accepts and
 * never answers costs at most the deadline, not tries × time-outs.
 */

/** `0.2 s`, `30 s`, `2.5 min`. */
export function durationText(ms: number): string {
  if (!Number.isFinite(ms)) return 'forever';
  if (ms >= 120_000) return `${Number((ms / 60_000).toFixed(1))} min`;
  if (ms >= 10_000) return `${Math.round(ms / 1000)} s`;
  return `${Number((ms / 1000).toFixed(1))} s`;
}

export class Deadline {
  /** When it passes (ms since the epoch; Infinity for none). */
  readonly at: number;

  constructor(
    /** Its length (ms); Infinity for none. */
    readonly ms: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(ms > 0)) throw new RangeError(`a deadline must be a positive number of milliseconds, not ${ms}`);
    this.at = now() + ms;
  }

  /** Milliseconds left, never negative. */
  remaining(): number {
    return Math.max(0, this.at - this.now());
  }

  expired(): boolean {
    return this.remaining() === 0;
  }

  /** `ms`, shortened to what is left. */
  clamp(ms: number): number {
    return Math.min(ms, this.remaining());
  }

  /** Whether waiting `ms` and then trying again still leaves time for the try. */
  allows(waitMs: number): boolean {
    return waitMs < this.remaining();
  }

  /** Calls `fn` when the deadline passes (never for no deadline); returns a function that cancels it. */
  onExpiry(fn: () => void): () => void {
    const left = this.remaining();
    // setTimeout fires at once for delays past 2^31-1 ms: such a deadline is as good as none.
    if (left > 2 ** 31 - 1) return () => undefined;
    const t = setTimeout(fn, left);
    return () => clearTimeout(t);
  }

  /** `the 30 s deadline`. */
  toString(): string {
    return `the ${durationText(this.ms)} deadline`;
  }
}
