/**
 * Downloads for `db update` over undici: a file per URL, streamed to disk, with timeouts
 * (connect, headers, body idle), a size cap, and retries with exponential backoff on 429 (its
 * Retry-After honoured), 5xx, connection resets and time-outs, and truncated bodies (fewer bytes
 * than Content-Length). Other 4xx, TLS failures and oversize bodies fail at once; a refused
 * connection is tried once more, quickly. An overall deadline bounds each download, tries and
 * backoffs included. Failures say the URL and the problem in plain words (src/net/problem.ts).
 *
 * Extra CA certificates: `CHARTAUDIT_EXTRA_CA_CERTS` names a PEM file whose certificates are
 * trusted on top of Node's bundled roots (the CLI's launcher moves NODE_EXTRA_CA_CERTS there).
 * HTTP(S)_PROXY / NO_PROXY in the given environment are honoured.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import type { Dispatcher } from 'undici';
import { undici } from '../../net/undici.js';
import { InputError } from '../../model/errors.js';
import { extraCa } from '../../net/extra-ca.js';
import { parseRetryAfter } from '../../net/retry-after.js';
import { Deadline, durationText } from '../../net/deadline.js';
import { describeNetworkFailure, httpStatusText, triesText, type RetryAdvice } from '../../net/problem.js';
import type { RetryingHttpOptions } from '../../net/options.js';

/**
 * A download that failed (after retries when retrying made sense). Named `InputError` because
 * the CLI recognises errors by name (src/cli/exit.ts): exit 2 with the message, like any input
 * that cannot be used. `instanceof DownloadError` still tells it apart.
 */
export class DownloadError extends InputError {
  override name = 'InputError';
  constructor(
    message: string,
    readonly url: string,
    readonly attempts: number,
  ) {
    super(message, url);
  }
}

/**
 * Defaults: connect 15 s, headers 30 s, body pause 30 s, 4 retries, backoff 1 s doubling to 30 s,
 * Retry-After up to 120 s (a longer one is waited for this long).
 */
export interface FetchOptions extends RetryingHttpOptions {
  /** Largest body (default 2 GiB). */
  maxBytes?: number;
  /**
   * Most time one download may take, every try and backoff included (default 10 min). A try in
   * progress is cut off when it passes; no retry starts that could not finish before it.
   */
  deadlineMs?: number;
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
  deadlineMs: 600_000,
};

/** A refused connection is retried once, after at most this long: on loopback it is not transient. */
const REFUSED_RETRY_MS = 500;

// extraCa and parseRetryAfter live in src/net (the registry transport uses them without undici)
export { extraCa } from '../../net/extra-ca.js';
export { parseRetryAfter } from '../../net/retry-after.js';

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
      ? new (undici().EnvHttpProxyAgent)({ ...base, httpProxy: httpProxy ?? '', httpsProxy: httpsProxy ?? httpProxy ?? '', noProxy: proxy('NO_PROXY') ?? '', ...(ca ? { requestTls: { ca } } : {}) })
      : new (undici().Agent)(base);
  return agent.compose(undici().interceptors.redirect({ maxRedirections: 5 }));
}

/** A try that failed in a way another try may fix. */
class Retryable extends Error {
  constructor(
    message: string,
    readonly advice: Exclude<RetryAdvice, 'no'> = 'yes',
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** A try cut off by the overall deadline: `problem` says how far it got. */
class DeadlinePassed extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A local file-system error (writing the download), not a network one: passed on as it is. */
const isFileError = (e: unknown): boolean => typeof (e as NodeJS.ErrnoException)?.syscall === 'string' && typeof (e as NodeJS.ErrnoException).path === 'string';

type Settings = typeof DEFAULTS;

/**
 * Downloads `url` into `dest`. Throws DownloadError when it fails for good (`<url>: <problem>`);
 * `dest` is removed then. `onProgress` is called at most every 250 ms (and at the end, and before
 * each retry); `onRetry` before each retry.
 */
export async function download(url: string, dest: string, options: FetchOptions & { dispatcher?: Dispatcher; onProgress?: (p: DownloadProgress) => void } = {}): Promise<{ bytes: number; attempts: number }> {
  const o: Settings = { ...DEFAULTS, ...stripUndefined(options) };
  const deadline = new Deadline(o.deadlineMs);
  const own = !options.dispatcher;
  const dispatcher = options.dispatcher ?? makeDispatcher(options);
  let attempt = 0;
  try {
    for (;;) {
      attempt++;
      try {
        const bytes = await once(url, dest, dispatcher, o, deadline, attempt, options.onProgress);
        return { bytes, attempts: attempt };
      } catch (e) {
        rmSync(dest, { force: true });
        if (e instanceof DownloadError || isFileError(e)) throw e;
        const tries = triesText(attempt);
        if (e instanceof DeadlinePassed) throw new DownloadError(`${url}: ${e.message} within ${deadline}${attempt > 1 ? ` (${tries})` : ''}`, url, attempt);
        if (!(e instanceof Retryable)) {
          // Not a network error we know: a bug, or something new from undici. Said plainly all the same.
          throw new DownloadError(`${url}: ${describeNetworkFailure(e, url).text}`, url, attempt);
        }
        const maxTries = e.advice === 'once' ? Math.min(2, o.retries + 1) : o.retries + 1;
        if (attempt >= maxTries) throw new DownloadError(`${url}: ${e.message}${attempt > 1 ? ` (${tries})` : ''}`, url, attempt);
        const backoff = Math.min(o.maxBackoffMs, o.backoffMs * 2 ** (attempt - 1));
        const wait =
          e.advice === 'once' ? Math.min(backoff, REFUSED_RETRY_MS) : e.retryAfterMs !== undefined ? Math.min(o.maxRetryAfterMs, e.retryAfterMs) : backoff;
        if (!deadline.allows(wait)) {
          throw new DownloadError(`${url}: ${e.message} (${tries}; ${deadline} leaves no time for another)`, url, attempt);
        }
        options.onProgress?.({ phase: 'download', url, bytes: 0, total: null, attempt, retryInMs: wait, reason: e.message });
        options.onRetry?.(`${url}: ${e.message}; try ${attempt + 1} of ${maxTries} in ${durationText(wait)}`);
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

/** One try. Throws Retryable, DeadlinePassed, DownloadError (for good), or a file-system error. */
async function once(
  url: string,
  dest: string,
  dispatcher: Dispatcher,
  o: Settings,
  deadline: Deadline,
  attempt: number,
  onProgress?: (p: DownloadProgress) => void,
): Promise<number> {
  // Our own timers as well as undici's: undici's run on a coarse (~1 s) clock. The deadline's
  // timer cuts the try off wherever it is.
  const ac = new AbortController();
  let timedOut: string | null = null;
  let pastDeadline = false;
  const arm = (ms: number, why: string): NodeJS.Timeout =>
    setTimeout(() => {
      timedOut = why;
      ac.abort(new Error(why));
    }, ms);
  const stop = deadline.onExpiry(() => {
    pastDeadline = true;
    ac.abort(new Error('deadline'));
  });
  let bytes = 0;
  /** The error to throw for an exception caught while the request or the body was in flight. */
  const failure = (e: unknown, phase: 'headers' | 'body'): unknown => {
    const after = phase === 'body' ? ` after ${bytes} bytes` : '';
    if (pastDeadline) return new DeadlinePassed(phase === 'headers' ? 'no response' : `the response was not complete (${bytes} bytes)`);
    if (timedOut) return new Retryable(`${timedOut}${after}`);
    if (e instanceof DownloadError || isFileError(e)) return e;
    const p = describeNetworkFailure(e, url);
    if (p.retry === 'no') return new DownloadError(`${url}: ${p.text}`, url, attempt);
    return new Retryable(`${p.text}${after}`, p.retry);
  };
  try {
    let timer = arm(o.headersTimeoutMs, `no response within ${durationText(o.headersTimeoutMs)}`);
    let res: Dispatcher.ResponseData;
    try {
      res = await undici().request(url, { dispatcher, method: 'GET', headers: { 'user-agent': o.userAgent, accept: '*/*' }, signal: ac.signal });
    } catch (e) {
      throw failure(e, 'headers');
    } finally {
      clearTimeout(timer);
    }
    res.body.on('error', () => undefined); // errors surface through the iteration below
    const status = res.statusCode;
    if (status < 200 || status > 299) {
      await res.body.dump().catch(() => undefined);
      const what = httpStatusText(status);
      if (status === 429) throw new Retryable(what, 'yes', parseRetryAfter(res.headers['retry-after']));
      if (status >= 500) throw new Retryable(what, 'yes', status === 503 ? parseRetryAfter(res.headers['retry-after']) : undefined);
      throw new DownloadError(`${url}: ${what}`, url, attempt);
    }
    const lenHeader = res.headers['content-length'];
    const expected = typeof lenHeader === 'string' && /^\d+$/.test(lenHeader) ? Number(lenHeader) : null;
    if (expected !== null && expected > o.maxBytes) {
      res.body.destroy();
      throw new DownloadError(`${url}: ${expected} bytes is more than the limit of ${o.maxBytes}`, url, attempt);
    }
    const fd = openSync(dest, 'w');
    let last = 0;
    timer = arm(o.bodyTimeoutMs, `the response stalled for ${durationText(o.bodyTimeoutMs)}`);
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        timer.refresh();
        bytes += chunk.length;
        if (bytes > o.maxBytes) {
          res.body.destroy();
          throw new DownloadError(`${url}: the body is larger than the limit of ${o.maxBytes} bytes`, url, attempt);
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
      throw failure(e, 'body');
    } finally {
      clearTimeout(timer);
      closeSync(fd);
    }
    if (expected !== null && bytes !== expected) throw new Retryable(`truncated response: ${bytes} of ${expected} bytes`);
    onProgress?.({ phase: 'download', url, bytes, total: expected, attempt });
    return bytes;
  } finally {
    stop();
  }
}
