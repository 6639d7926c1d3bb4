/**
 * One registry request over undici, with the rules a registry client needs and a generic
 * downloader does not have:
 *
 * - redirects followed by hand (up to 5), and the Authorization header dropped as soon as the
 *   target is another origin (Docker Hub sends blob GETs to a CDN; peers have leaked
 *   credentials that way);
 * - time-outs of our own (headers, body idle) on top of undici's connect time-out, and an
 *   overall deadline that cuts a try off wherever it is;
 * - `--insecure-registry` hosts: TLS without verification, or plain HTTP when the host does
 *   not speak TLS; any other host is verified TLS only (loopback included);
 * - retries with exponential backoff on 429 and 5xx (Retry-After honoured), resets and
 *   time-outs; a refused connection once, quickly; other failures at once.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { Deadline, durationText } from '../net/deadline.js';
import type { RetryingHttpOptions } from '../net/options.js';
import { describeNetworkFailure, httpStatusText, triesText, type RetryAdvice } from '../net/problem.js';
import { extraCa, parseRetryAfter } from '../vuln/db/http.js';
import { RegistryError } from './errors.js';

/** Defaults in TRANSPORT_DEFAULTS. */
export interface TransportOptions extends RetryingHttpOptions {
  /** `HOST[:PORT]` entries reached over plain HTTP or unverified TLS. */
  insecure?: readonly string[];
}

export const TRANSPORT_DEFAULTS = {
  connectTimeoutMs: 15_000,
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  retries: 4,
  backoffMs: 1000,
  maxBackoffMs: 30_000,
  maxRetryAfterMs: 60_000,
  userAgent: 'chartaudit',
};

/** A try that another try may fix. */
export class Retryable extends Error {
  constructor(
    message: string,
    readonly advice: Exclude<RetryAdvice, 'no'> = 'yes',
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** A try cut off by the overall deadline. */
export class DeadlinePassed extends Error {}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
  /** The URL that answered (after redirects). */
  url: string;
}

export interface Attempt {
  deadline: Deadline;
  signal: AbortSignal;
  /** Restarts the body-idle timer; call per chunk. */
  alive(): void;
  /** Whether our own timers or the deadline aborted the try. */
  abortReason(): string | null;
}

const REFUSED_RETRY_MS = 500;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Transport {
  readonly o: typeof TRANSPORT_DEFAULTS;
  private verifiedAgent: Dispatcher | null = null;
  private unverifiedAgent: Dispatcher | null = null;
  private readonly ca: string[] | undefined;
  private readonly insecure: readonly string[];
  /** Scheme found for each insecure host (`http:` when it does not speak TLS). */
  private readonly schemes = new Map<string, 'https:' | 'http:'>();

  constructor(private readonly opts: TransportOptions = {}) {
    this.o = { ...TRANSPORT_DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) } as typeof TRANSPORT_DEFAULTS;
    this.ca = extraCa(opts.env ?? process.env);
    this.insecure = (opts.insecure ?? []).map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  }

  /** Whether `host` (`name[:port]`) was named by --insecure-registry (a bare name covers every port). */
  isInsecure(host: string): boolean {
    const h = host.toLowerCase();
    const name = h.replace(/:\d+$/, '');
    return this.insecure.some((e) => e === h || e === name);
  }

  /** `https://host` or, for an insecure host that spoke plain HTTP before, `http://host`. */
  baseUrl(host: string): string {
    return `${this.schemes.get(host) ?? 'https:'}//${host}`;
  }

  async close(): Promise<void> {
    // destroy, not close: a try abandoned mid-connect (see send) must not hold the caller up
    await Promise.all([this.verifiedAgent?.destroy().catch(() => undefined), this.unverifiedAgent?.destroy().catch(() => undefined)]);
  }

  /** Agents are made on first use (a TLS context costs tens of milliseconds). */
  private dispatcherFor(url: URL): Dispatcher {
    const base = { headersTimeout: 0, bodyTimeout: 0, keepAliveTimeout: 10_000 };
    if (url.protocol === 'https:' && this.isInsecure(url.host)) {
      this.unverifiedAgent ??= new Agent({ ...base, connect: { timeout: this.o.connectTimeoutMs, rejectUnauthorized: false } });
      return this.unverifiedAgent;
    }
    this.verifiedAgent ??= new Agent({ ...base, connect: { timeout: this.o.connectTimeoutMs, ...(this.ca ? { ca: this.ca } : {}) } });
    return this.verifiedAgent;
  }

  /**
   * Runs `fn` (one try: a request and the use of its body) with retries, inside `deadline`.
   * `label` begins every message (the URL or reference).
   */
  async withRetries<T>(label: string, deadline: Deadline, fn: (a: Attempt) => Promise<T>): Promise<T> {
    let attempt = 0;
    for (;;) {
      attempt++;
      const ac = new AbortController();
      let why: string | null = null;
      const abort = (reason: string): void => {
        why = reason;
        ac.abort(new Error(reason));
      };
      let idle: NodeJS.Timeout | null = null;
      const stop = deadline.onExpiry(() => abort('deadline'));
      const a: Attempt = {
        deadline,
        signal: ac.signal,
        alive: () => {
          if (idle) idle.refresh();
          else idle = setTimeout(() => abort(`the response stalled for ${durationText(this.o.bodyTimeoutMs)}`), this.o.bodyTimeoutMs);
        },
        abortReason: () => why,
      };
      try {
        return await fn(a);
      } catch (e0) {
        let e = e0;
        if (why === 'deadline') e = new DeadlinePassed(e instanceof Retryable ? e.message : 'no complete answer');
        else if (why !== null && !(e instanceof RegistryError) && !(e instanceof Retryable)) e = new Retryable(why);
        const tries = triesText(attempt);
        if (e instanceof DeadlinePassed) throw new RegistryError(`${label}: ${e.message} within ${deadline}${attempt > 1 ? ` (${tries})` : ''}`, 'network', label);
        if (!(e instanceof Retryable)) throw e;
        const maxTries = e.advice === 'once' ? Math.min(2, this.o.retries + 1) : this.o.retries + 1;
        if (attempt >= maxTries) throw new RegistryError(`${label}: ${e.message}${attempt > 1 ? ` (${tries})` : ''}`, 'network', label);
        const backoff = Math.min(this.o.maxBackoffMs, this.o.backoffMs * 2 ** (attempt - 1));
        const wait = e.advice === 'once' ? Math.min(backoff, REFUSED_RETRY_MS) : e.retryAfterMs !== undefined ? Math.min(this.o.maxRetryAfterMs, e.retryAfterMs) : backoff;
        if (!deadline.allows(wait)) throw new RegistryError(`${label}: ${e.message} (${tries}; ${deadline} leaves no time for another)`, 'network', label);
        this.opts.onRetry?.(`${label}: ${e.message}; try ${attempt + 1} of ${maxTries} in ${durationText(wait)}`);
        await sleep(wait);
      } finally {
        stop();
        if (idle) clearTimeout(idle);
      }
    }
  }

  /**
   * One exchange, redirects followed: `authorization` goes only to `credentialOrigin`'s
   * scheme+host. 429/5xx become Retryable; network failures Retryable or RegistryError.
   * Other statuses are returned for the caller to read.
   */
  async send(
    a: Attempt,
    url: string,
    init: { method: 'GET' | 'HEAD' | 'POST'; headers: Record<string, string>; body?: string; authorization?: string | undefined },
  ): Promise<Answer> {
    let current = new URL(url);
    const credentialOrigin = current.origin;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { 'user-agent': this.o.userAgent, ...init.headers };
      if (init.authorization && current.origin === credentialOrigin) headers.authorization = init.authorization;
      let res: Dispatcher.ResponseData;
      let timedOut = false;
      const ac = new AbortController();
      const onOuter = (): void => ac.abort(a.signal.reason);
      a.signal.addEventListener('abort', onOuter, { once: true });
      const wait = a.deadline.clamp(this.o.headersTimeoutMs);
      const t = setTimeout(() => {
        timedOut = true;
        ac.abort(new Error('headers'));
      }, wait);
      try {
        const pending = request(current, {
          dispatcher: this.dispatcherFor(current),
          method: init.method,
          headers,
          ...(init.body !== undefined ? { body: init.body } : {}),
          signal: ac.signal,
        });
        // undici defers an abort until the socket is connected: race it, so a host that takes
        // the TCP connection and never finishes TLS costs the headers time-out, not the connect one.
        const aborted = new Promise<never>((_, reject) => {
          if (ac.signal.aborted) reject(ac.signal.reason);
          ac.signal.addEventListener('abort', () => reject(ac.signal.reason), { once: true });
        });
        aborted.catch(() => undefined);
        try {
          res = await Promise.race([pending, aborted]);
        } catch (e) {
          pending.then((late) => late.body.destroy(), () => undefined);
          throw e;
        }
      } catch (e) {
        if (a.abortReason()) throw e;
        if (timedOut) {
          // The overall deadline, not the headers time-out, ended the wait: say so, whichever timer fired first.
          if (wait < this.o.headersTimeoutMs) throw new DeadlinePassed(`${current.href}: no response`);
          throw new Retryable(`${current.href}: no response within ${durationText(this.o.headersTimeoutMs)}`);
        }
        const p = describeNetworkFailure(e, current.href);
        // An insecure host that does not speak TLS: plain HTTP, as docker does.
        if (current.protocol === 'https:' && this.isInsecure(current.host) && /does not speak TLS|closed the connection|did not answer in HTTP/.test(p.text)) {
          this.schemes.set(current.host, 'http:');
          current = new URL(current.href.replace(/^https:/, 'http:'));
          continue;
        }
        const hint = /does not speak TLS/.test(p.text) && !this.isInsecure(current.host) ? ` (for a plain-HTTP registry: --insecure-registry ${current.host})` : '';
        if (p.retry === 'no') throw new RegistryError(`${current.href}: ${p.text}${hint}`, 'network', current.href);
        throw new Retryable(`${current.href}: ${p.text}`, p.retry);
      } finally {
        clearTimeout(t);
        a.signal.removeEventListener('abort', onOuter);
      }
      // The body stream must not outlive the outer abort.
      const onAbortBody = (): void => {
        res.body.destroy(a.signal.reason as Error);
      };
      a.signal.addEventListener('abort', onAbortBody, { once: true });
      res.body.on('close', () => a.signal.removeEventListener('abort', onAbortBody));
      res.body.on('error', () => undefined);
      const status = res.statusCode;
      if (status >= 300 && status < 400 && res.headers.location) {
        await res.body.dump().catch(() => undefined);
        if (hop >= 5) throw new RegistryError(`${url}: more than 5 redirects`, 'protocol', url);
        const loc = Array.isArray(res.headers.location) ? res.headers.location[0]! : res.headers.location;
        const next = new URL(loc, current);
        if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new RegistryError(`${url}: redirected to a ${next.protocol} URL`, 'protocol', url);
        current = next;
        if (init.method === 'POST') throw new RegistryError(`${url}: redirected a POST`, 'protocol', url);
        continue;
      }
      if (status === 429 || status >= 500) {
        await res.body.dump().catch(() => undefined);
        const ra = status === 429 || status === 503 ? parseRetryAfter(res.headers['retry-after']) : undefined;
        throw new Retryable(`${current.href}: ${httpStatusText(status)}`, 'yes', ra);
      }
      return { status, headers: res.headers, body: res.body, url: current.href };
    }
  }
}

/** Reads a whole body of at most `max` bytes; past it a RegistryError ('limit'). */
export async function readCapped(a: Attempt, ans: Answer, max: number, what: string): Promise<Buffer> {
  const len = Number(ans.headers['content-length']);
  if (Number.isFinite(len) && len > max) {
    ans.body.destroy();
    throw new RegistryError(`${what}: ${len} bytes is more than the limit of ${max} bytes`, 'limit', ans.url);
  }
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    a.alive();
    for await (const c of ans.body as AsyncIterable<Buffer>) {
      a.alive();
      n += c.length;
      if (n > max) {
        ans.body.destroy();
        throw new RegistryError(`${what}: more than the limit of ${max} bytes`, 'limit', ans.url);
      }
      chunks.push(c);
    }
  } catch (e) {
    if (e instanceof RegistryError) throw e;
    const why = a.abortReason();
    if (why) throw new Retryable(`${ans.url}: ${why} after ${n} bytes`);
    throw new Retryable(`${ans.url}: ${describeNetworkFailure(e, ans.url).text} after ${n} bytes`);
  }
  if (Number.isFinite(len) && n !== len) throw new Retryable(`${ans.url}: truncated response: ${n} of ${len} bytes`);
  return Buffer.concat(chunks);
}
