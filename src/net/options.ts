/**
 * The time-out and retry settings every HTTP client of ours takes (registry transport, database
 * downloads, Helm repositories). Each client has its own defaults, named where it applies them.
 */
export interface RetryingHttpOptions {
  /** TCP/TLS connect time-out. */
  connectTimeoutMs?: number;
  /** Time to wait for the response headers. */
  headersTimeoutMs?: number;
  /** Longest pause between two body chunks. */
  bodyTimeoutMs?: number;
  /** Retries after the first try. */
  retries?: number;
  /** First backoff, doubled each retry. */
  backoffMs?: number;
  /** Longest backoff. */
  maxBackoffMs?: number;
  /** Longest Retry-After honoured. */
  maxRetryAfterMs?: number;
  userAgent?: string;
  /** Environment for CHARTAUDIT_EXTRA_CA_CERTS and proxies (default process.env). */
  env?: Record<string, string | undefined>;
  /** Called before each retry with one line (URL, problem, when and which try), for a progress line. */
  onRetry?: ((message: string) => void) | undefined;
}
