/**
 * Downloads for `db update` over undici: a file per URL, streamed to disk, with timeouts
 * (connect, headers, body idle), a size cap, and retries with exponential backoff on 429 (its
 * Retry-After honoured), 5xx, connection resets and time-outs, and truncated bodies (fewer bytes
 * than Content-Length). Other 4xx, TLS failures and oversize bodies fail at once.
 *
 * Extra CA certificates: `CHARTAUDIT_EXTRA_CA_CERTS` names a PEM file whose certificates are
 * trusted on top of Node's bundled roots (the CLI's launcher moves NODE_EXTRA_CA_CERTS there).
 * HTTP(S)_PROXY / NO_PROXY in the given environment are honoured.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, EnvHttpProxyAgent, interceptors, request } from 'undici';
import type { Dispatcher } from 'undici';
import { InputError } from '../../model/errors.js';

/** A download that failed (after retries when retrying made sense). Exit 2. */
export class DownloadError extends InputError {
  override name = 'DownloadError';
  constructor(
    message: string,
    readonly url: string,
    readonly attempts: number,
  ) {
    super(message, url);
  }
}

export interface FetchOptions {
  /** TCP/TLS connect time-out (default 15 s). */
  connectTimeoutMs?: number;
  /** Time to wait for the response headers (default 30 s). */
  headersTimeoutMs?: number;
  /** Longest pause between two body chunks (default 30 s). */
  bodyTimeoutMs?: number;
  /** Retries after the first attempt (default 4). */
  retries?: number;
  /** First backoff; doubles each retry (default 1 s). */
  backoffMs?: number;
  /** Longest backoff (default 30 s). */
  maxBackoffMs?: number;
  /** Longest Retry-After honoured; a longer one is waited for this long (default 120 s). */
  maxRetryAfterMs?: number;
  /** Largest body (default 2 GiB). */
  maxBytes?: number;
  userAgent?: string;
  /** Environment for CHARTAUDIT_EXTRA_CA_CERTS and proxies (default process.env). */
  env?: Record<string, string | undefined>;
}

export interface DownloadProgress {
  phase: 'download';
  url: string;
  bytes: number;
  total: number | null;
  attempt: number;
  /** Set when a failed attempt is about to be retried. */
  retryInMs?: number;
  reason?: string;
}

const DEFAULTS = {
  connectTimeoutMs: 15_000,
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  retries: 4,
  backoffMs: 1000,
  maxBackoffMs: 30_000,
  maxRetryAfterMs: 120_000,
  maxBytes: 2 * 1024 * 1024 * 1024,
  userAgent: 'chartaudit',
};

/** The certificates to trust: Node's roots plus CHARTAUDIT_EXTRA_CA_CERTS, or undefined (defaults). */
export function extraCa(env: Record<string, string | undefined>): string[] | undefined {
  const file = env.CHARTAUDIT_EXTRA_CA_CERTS;
  if (!file) return undefined;
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`CHARTAUDIT_EXTRA_CA_CERTS: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new InputError(`CHARTAUDIT_EXTRA_CA_CERTS: ${file} holds no PEM certificate`, file);
  return [...rootCertificates, pem];
}

/** An undici dispatcher with the time-outs, CA certificates, proxy settings and redirects. */
export function makeDispatcher(options: FetchOptions = {}): Dispatcher {
  const env = options.env ?? process.env;
  const ca = extraCa(env);
  const connect = { timeout: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs, ...(ca ? { ca } : {}) };
  const base = {
    connect,
    headersTimeout: options.headersTimeoutMs ?? DEFAULTS.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs ?? DEFAULTS.bodyTimeoutMs,
  };
  const proxy = (k: string): string | undefined => env[k] ?? env[k.toLowerCase()];
  const httpProxy = proxy('HTTP_PROXY');
  const httpsProxy = proxy('HTTPS_PROXY');
  const agent: Dispatcher =
    httpProxy || httpsProxy
      ? new EnvHttpProxyAgent({ ...base, httpProxy: httpProxy ?? '', httpsProxy: httpsProxy ?? httpProxy ?? '', noProxy: proxy('NO_PROXY') ?? '', ...(ca ? { requestTls: { ca } } : {}) })
      : new Agent(base);
  return agent.compose(interceptors.redirect({ maxRedirections: 5 }));
}

class Retryable extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const RETRY_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_CLOSED',
]);

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { cause?: unknown };
  const code = err.code;
  const names: Record<string, string> = {
    UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
    UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for the response',
    UND_ERR_BODY_TIMEOUT: 'timed out while receiving the body',
    UND_ERR_SOCKET: 'connection closed',
    UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'truncated body (Content-Length mismatch)',
  };
  if (code && names[code]) return names[code]!;
  const cause = err.cause as NodeJS.ErrnoException | undefined;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return code ? `${code}: ${err.message}` : err.message;
}

/** Retry-After as milliseconds (delta-seconds or an HTTP date), undefined when absent or invalid. */
export function parseRetryAfter(v: string | string[] | undefined, now = Date.now()): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  if (!s) return undefined;
  if (/^\s*\d+\s*$/.test(s)) return Number(s) * 1000;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Downloads `url` into `dest`. Throws DownloadError when it fails for good; `dest` is removed
 * then. `onProgress` is called at most every 250 ms (and at the end, and before each retry).
 */
export async function download(url: string, dest: string, options: FetchOptions & { dispatcher?: Dispatcher; onProgress?: (p: DownloadProgress) => void } = {}): Promise<{ bytes: number; attempts: number }> {
  const o = { ...DEFAULTS, ...stripUndefined(options) };
  const own = !options.dispatcher;
  const dispatcher = options.dispatcher ?? makeDispatcher(options);
  let attempt = 0;
  try {
    for (;;) {
      attempt++;
      try {
        const bytes = await once(url, dest, dispatcher, o, attempt, options.onProgress);
        return { bytes, attempts: attempt };
      } catch (e) {
        rmSync(dest, { force: true });
        if (!(e instanceof Retryable)) {
          if (e instanceof DownloadError) throw e;
          throw new DownloadError(`cannot download ${url}: ${describe(e)}`, url, attempt);
        }
        if (attempt > o.retries) {
          throw new DownloadError(`cannot download ${url}: ${e.message} (gave up after ${attempt} attempt${attempt === 1 ? '' : 's'})`, url, attempt);
        }
        const backoff = Math.min(o.maxBackoffMs, o.backoffMs * 2 ** (attempt - 1));
        const wait = e.retryAfterMs !== undefined ? Math.min(o.maxRetryAfterMs, e.retryAfterMs) : backoff;
        options.onProgress?.({ phase: 'download', url, bytes: 0, total: null, attempt, retryInMs: wait, reason: e.message });
        await sleep(wait);
      }
    }
  } finally {
    if (own) await dispatcher.close().catch(() => undefined);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function once(
  url: string,
  dest: string,
  dispatcher: Dispatcher,
  o: typeof DEFAULTS,
  attempt: number,
  onProgress?: (p: DownloadProgress) => void,
): Promise<number> {
  // Our own timers as well as undici's: undici's run on a coarse (~1 s) clock.
  const ac = new AbortController();
  let timedOut: string | null = null;
  const arm = (ms: number, why: string): NodeJS.Timeout =>
    setTimeout(() => {
      timedOut = why;
      ac.abort(new Error(why));
    }, ms);
  let timer = arm(o.headersTimeoutMs, 'timed out waiting for the response');
  let res: Dispatcher.ResponseData;
  try {
    res = await request(url, { dispatcher, method: 'GET', headers: { 'user-agent': o.userAgent, accept: '*/*' }, signal: ac.signal });
  } catch (e) {
    clearTimeout(timer);
    if (timedOut) throw new Retryable(timedOut);
    if (isRetryableError(e)) throw new Retryable(describe(e));
    throw e;
  }
  clearTimeout(timer);
  res.body.on('error', () => undefined); // errors surface through the iteration below
  const status = res.statusCode;
  if (status < 200 || status > 299) {
    await res.body.dump().catch(() => undefined);
    const what = `HTTP ${status}`;
    if (status === 429) throw new Retryable(what, parseRetryAfter(res.headers['retry-after']));
    if (status >= 500) throw new Retryable(what, status === 503 ? parseRetryAfter(res.headers['retry-after']) : undefined);
    throw new DownloadError(`cannot download ${url}: ${what}${status === 404 ? ' (not found)' : ''}`, url, attempt);
  }
  const lenHeader = res.headers['content-length'];
  const expected = typeof lenHeader === 'string' && /^\d+$/.test(lenHeader) ? Number(lenHeader) : null;
  if (expected !== null && expected > o.maxBytes) {
    res.body.destroy();
    throw new DownloadError(`cannot download ${url}: ${expected} bytes is more than the limit of ${o.maxBytes}`, url, attempt);
  }
  const fd = openSync(dest, 'w');
  let bytes = 0;
  let last = 0;
  timer = arm(o.bodyTimeoutMs, 'timed out while receiving the body');
  try {
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        timer.refresh();
        bytes += chunk.length;
        if (bytes > o.maxBytes) {
          res.body.destroy();
          throw new DownloadError(`cannot download ${url}: the body is larger than the limit of ${o.maxBytes} bytes`, url, attempt);
        }
        let off = 0;
        while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
        const now = Date.now();
        if (onProgress && now - last >= 250) {
          last = now;
          onProgress({ phase: 'download', url, bytes, total: expected, attempt });
        }
      }
    } catch (e) {
      if (e instanceof DownloadError) throw e;
      if (timedOut) throw new Retryable(`${timedOut} after ${bytes} bytes`);
      if (isRetryableError(e)) throw new Retryable(`${describe(e)} after ${bytes} bytes`);
      throw e;
    }
  } finally {
    clearTimeout(timer);
    closeSync(fd);
  }
  if (expected !== null && bytes !== expected) throw new Retryable(`truncated body: ${bytes} of ${expected} bytes`);
  onProgress?.({ phase: 'download', url, bytes, total: expected, attempt });
  return bytes;
}

function isRetryableError(e: unknown): boolean {
  const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  return RETRY_CODES.has(err.code ?? '') || RETRY_CODES.has(err.cause?.code ?? '') || /other side closed|socket hang up|terminated/i.test(err.message ?? '');
}
