/**
 * One registry request over node:http/https, with the rules a registry client needs and a
 * generic downloader does not have:
 *
 * - redirects followed by hand (up to 5), and the Authorization header dropped as soon as the
 *   target is another origin (Docker Hub sends blob GETs to a CDN; peers have leaked
 *   credentials that way);
 * - time-outs of our own (connect, headers, body idle), and an overall deadline that cuts a
 *   try off wherever it is;
 * - `--insecure-registry` hosts: TLS without verification, or plain HTTP when the host does
 *   not speak TLS; any other host is verified TLS only (loopback included);
 * - HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment the command was given (proxy.ts):
 *   https:// through a CONNECT tunnel, http:// forwarded; the proxy gets Proxy-Authorization
 *   from its own URL's userinfo and nothing else (the registry's Authorization travels inside
 *   the tunnel);
 * - retries with exponential backoff on 429 and 5xx (Retry-After honoured), resets and
 *   time-outs; a refused connection once, quickly; other failures at once.
 *
 * node:http rather than undici: its native parser costs about half the CPU per layer byte of
 * undici's WebAssembly one (bench/pull.ts). Blob GETs go further (rawExchange): a connection of
 * their own, read by ResponseReader, so body bytes are not even copied once. Other connections
 * are kept alive per host and reused by the next request.
 */
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect as netConnect, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { connect as tlsConnect, createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import { Deadline, durationText } from '../net/deadline.js';
import { extraCa } from '../net/extra-ca.js';
import type { RetryingHttpOptions } from '../net/options.js';
import { describeNetworkFailure, httpStatusText, triesText, type NetworkProblem, type RetryAdvice } from '../net/problem.js';
import { parseRetryAfter } from '../net/retry-after.js';
import { RegistryError } from './errors.js';
import { ProxyConfigError, ProxySettings, proxyAuthorization, redactedProxy } from './proxy.js';
import { ResponseReader, ResponseTruncated } from './raw-response.js';

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

/** A response body: a stream of Buffers, and `dump()` to discard the rest (a bounded amount, then the connection is dropped). */
export type ResponseBody = Readable & { dump(): Promise<void> };

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: ResponseBody;
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
/** Kept-alive connections idle longer than this are closed. */
const IDLE_SOCKET_MS = 4000;
/** A body discarded by dump() beyond this is not worth reading to keep the connection. */
const DUMP_LIMIT = 256 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Reads and drops what is left of `body` (keeping the connection), or drops the connection when there is much. */
function dumpBody(body: Readable): Promise<void> {
  return new Promise((resolve) => {
    if (body.readableEnded || body.destroyed) return resolve();
    let n = 0;
    body.on('data', (c: Buffer) => {
      n += c.length;
      if (n > DUMP_LIMIT) body.destroy();
    });
    body.once('end', () => resolve());
    body.once('close', () => resolve());
    body.once('error', () => resolve());
    body.resume();
  });
}

/** An error that says what a proxy answered to CONNECT. */
class ProxyRefused extends Error {
  constructor(
    message: string,
    readonly retry: RetryAdvice,
  ) {
    super(message);
  }
}

/**
 * An https agent whose connections go through a CONNECT tunnel to `proxy`; TLS to the
 * registry runs inside it. The CONNECT request carries Host and, when the proxy URL has
 * userinfo, Proxy-Authorization: never the registry's Authorization. Defined at the first use:
 * extending HttpsAgent loads node:https, which an offline scan never needs.
 */
const tunnelAgentClass = () => class TunnelAgent extends HttpsAgent {
  constructor(
    private readonly proxy: URL,
    private readonly proxyCa: SecureContext | undefined,
    private readonly connectTimeoutMs: number,
    private readonly userAgent: string,
    opts: ConstructorParameters<typeof HttpsAgent>[0],
  ) {
    super(opts);
  }

  override createConnection(options: RequestOptions & { servername?: string }, cb: (err: Error | null, socket?: Duplex) => void): undefined {
    const host = String(options.host ?? options.hostname ?? '');
    const authority = `${host.includes(':') ? `[${host}]` : host}:${options.port ?? 443}`;
    const auth = proxyAuthorization(this.proxy);
    const p = this.proxy;
    const req = (p.protocol === 'https:' ? httpsRequest : httpRequest)({
      host: p.hostname.replace(/^\[|\]$/g, ''),
      port: p.port || (p.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: authority,
      agent: false,
      setHost: false,
      headers: { host: authority, 'user-agent': this.userAgent, ...(auth ? { 'proxy-authorization': auth } : {}) },
      ...(p.protocol === 'https:' && this.proxyCa ? { secureContext: this.proxyCa } : {}),
    });
    let done = false;
    const finish = (err: Error | null, socket?: Duplex): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      cb(err, socket);
    };
    const timer = setTimeout(() => {
      req.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' }));
    }, this.connectTimeoutMs);
    req.once('connect', (res: IncomingMessage, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        const s = res.statusCode ?? 0;
        finish(new ProxyRefused(`the proxy ${redactedProxy(p)} refused the tunnel to ${authority}: ${httpStatusText(s)}`, s === 502 || s === 503 || s === 504 ? 'yes' : 'no'));
        return;
      }
      const tlsSocket = tlsConnect({ ...(options as object), socket, servername: (options.servername as string | undefined) ?? host });
      finish(null, tlsSocket);
    });
    req.once('response', (res: IncomingMessage) => {
      res.resume();
      finish(new ProxyRefused(`the proxy ${redactedProxy(p)} did not open a tunnel to ${authority} (${httpStatusText(res.statusCode ?? 0)})`, 'no'));
    });
    req.once('error', (e: NodeJS.ErrnoException) => finish(Object.assign(e, { viaProxy: redactedProxy(p) })));
    req.end();
    return undefined;
  }
};
let TunnelAgent: ReturnType<typeof tunnelAgentClass> | undefined;

export class Transport {
  readonly o: typeof TRANSPORT_DEFAULTS;
  private readonly agents = new Map<string, HttpAgent>();
  private readonly ca: string[] | undefined;
  private contexts: { verified?: SecureContext; unverified?: SecureContext } = {};
  private readonly insecure: readonly string[];
  private readonly proxies: ProxySettings | ProxyConfigError;
  /** Scheme found for each insecure host (`http:` when it does not speak TLS). */
  private readonly schemes = new Map<string, 'https:' | 'http:'>();

  constructor(private readonly opts: TransportOptions = {}) {
    this.o = { ...TRANSPORT_DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) } as typeof TRANSPORT_DEFAULTS;
    this.ca = extraCa(opts.env ?? process.env);
    this.insecure = (opts.insecure ?? []).map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
    // Proxies only from the environment the caller gave (a library never reads process.env for them).
    // A malformed proxy URL is reported by the first request that would use it.
    try {
      this.proxies = new ProxySettings(opts.env ?? {});
    } catch (e) {
      if (!(e instanceof ProxyConfigError)) throw e;
      this.proxies = e;
    }
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
    // destroy, not a graceful close: a try abandoned mid-connect must not hold the caller up
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }

  /**
   * One TLS context per kind, made on first use (each costs milliseconds, and a context per
   * connection would parse the CA bundle again). Unverified TLS needs no CA at all.
   */
  private secureContext(verified: boolean): SecureContext {
    if (verified) return (this.contexts.verified ??= createSecureContext(this.ca ? { ca: this.ca } : {}));
    return (this.contexts.unverified ??= createSecureContext({ ca: [] }));
  }

  /** The kept-alive agent for `url` (direct, or through `proxy`). */
  private agentFor(url: URL, proxy: URL | null): HttpAgent {
    const tls = url.protocol === 'https:';
    const verified = !(tls && this.isInsecure(url.host));
    const key = `${tls ? (verified ? 'tls' : 'tls-unverified') : 'plain'} ${proxy ? proxy.href : 'direct'}`;
    let a = this.agents.get(key);
    if (a) return a;
    // idle connections are dropped after 4 s (as undici does), before most servers close them under us
    const base = { keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const };
    if (!tls && proxy) {
      // http:// through a proxy: requests go to the proxy itself (absolute-form), over http or https
      a = proxy.protocol === 'https:' ? new HttpsAgent({ ...base, secureContext: this.secureContext(true) }) : new HttpAgent(base);
    } else if (!tls) {
      a = new HttpAgent(base);
    } else {
      const tlsOpts = { ...base, secureContext: this.secureContext(verified), rejectUnauthorized: verified };
      a = proxy ? new (TunnelAgent ??= tunnelAgentClass())(proxy, this.secureContext(true), this.o.connectTimeoutMs, this.o.userAgent, tlsOpts) : new HttpsAgent(tlsOpts);
    }
    this.agents.set(key, a);
    return a;
  }

  private proxyFor(url: URL): URL | null {
    if (this.proxies instanceof ProxyConfigError) throw new RegistryError(`${this.proxies.message}`, 'network', url.href);
    return this.proxies.forUrl(url);
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
    init: { method: 'GET' | 'HEAD' | 'POST'; headers: Record<string, string>; body?: string; authorization?: string | undefined; rawBody?: boolean },
  ): Promise<Answer> {
    let current = new URL(url);
    const credentialOrigin = current.origin;
    let staleRetried = false;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { 'user-agent': this.o.userAgent, ...init.headers };
      if (init.authorization && current.origin === credentialOrigin) headers.authorization = init.authorization;
      if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
      const proxy = this.proxyFor(current);
      let res: IncomingMessage;
      let timedOut = false;
      const wait = a.deadline.clamp(this.o.headersTimeoutMs);
      try {
        res =
          init.rawBody && init.method === 'GET' && proxy === null
            ? ((await this.rawExchange(a, current, headers, wait, () => (timedOut = true))) as unknown as IncomingMessage)
            : await this.exchange(a, current, proxy, init.method, headers, init.body, wait, () => (timedOut = true));
      } catch (e) {
        if (a.abortReason()) throw e;
        // A kept-alive connection the server had closed: once more on a new one, at once.
        if ((e as { staleSocket?: boolean }).staleSocket && !staleRetried && !timedOut) {
          staleRetried = true;
          hop--;
          continue;
        }
        if (timedOut) {
          // The overall deadline, not the headers time-out, ended the wait: say so, whichever timer fired first.
          if (wait < this.o.headersTimeoutMs) throw new DeadlinePassed(`${current.href}: no response`);
          throw new Retryable(`${current.href}: no response within ${durationText(this.o.headersTimeoutMs)}`);
        }
        if (e instanceof ProxyRefused) {
          if (e.retry === 'no') throw new RegistryError(`${current.href}: ${e.message}`, 'network', current.href);
          throw new Retryable(`${current.href}: ${e.message}`);
        }
        const p = describeFailure(e, current.href);
        const via = (e as { viaProxy?: string }).viaProxy;
        const text = via ? `the proxy ${via}: ${p.text}` : p.text;
        // An insecure host that does not speak TLS: plain HTTP, as docker does.
        if (current.protocol === 'https:' && this.isInsecure(current.host) && !via && /does not speak TLS|closed the connection|closed during the TLS handshake|did not answer in HTTP/.test(p.text)) {
          this.schemes.set(current.host, 'http:');
          current = new URL(current.href.replace(/^https:/, 'http:'));
          continue;
        }
        const hint = /does not speak TLS/.test(p.text) && !this.isInsecure(current.host) ? ` (for a plain-HTTP registry: --insecure-registry ${current.host})` : '';
        if (p.retry === 'no') throw new RegistryError(`${current.href}: ${text}${hint}`, 'network', current.href);
        throw new Retryable(`${current.href}: ${text}`, p.retry);
      }
      // The body stream must not outlive the outer abort.
      const onAbortBody = (): void => {
        res.destroy(a.signal.reason as Error);
      };
      a.signal.addEventListener('abort', onAbortBody, { once: true });
      res.on('close', () => a.signal.removeEventListener('abort', onAbortBody));
      res.on('error', () => undefined);
      const body = Object.assign(res, { dump: () => dumpBody(res) }) as IncomingMessage & ResponseBody;
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        await body.dump();
        if (hop >= 5) throw new RegistryError(`${url}: more than 5 redirects`, 'protocol', url);
        const loc = res.headers.location;
        const next = new URL(loc, current);
        if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new RegistryError(`${url}: redirected to a ${next.protocol} URL`, 'protocol', url);
        current = next;
        if (init.method === 'POST') throw new RegistryError(`${url}: redirected a POST`, 'protocol', url);
        continue;
      }
      if (status === 429 || status >= 500) {
        await body.dump();
        const ra = status === 429 || status === 503 ? parseRetryAfter(res.headers['retry-after']) : undefined;
        throw new Retryable(`${current.href}: ${httpStatusText(status)}`, 'yes', ra);
      }
      return { status, headers: res.headers, body, url: current.href };
    }
  }

  /**
   * Sends one request and waits for its response headers, at most `waitMs` (then `onTimeout`
   * and a rejection); the connect time-out applies while a new connection is being made, and
   * the try's abort signal cuts it off at any point.
   */
  private exchange(a: Attempt, url: URL, proxy: URL | null, method: string, headers: Record<string, string>, body: string | undefined, waitMs: number, onTimeout: () => void): Promise<IncomingMessage> {
    const forward = proxy !== null && url.protocol === 'http:';
    const target = forward ? proxy : url;
    const auth = forward ? proxyAuthorization(proxy) : null;
    const options: RequestOptions = {
      protocol: target.protocol,
      host: target.hostname.replace(/^\[|\]$/g, ''),
      port: target.port || (target.protocol === 'https:' ? 443 : 80),
      method,
      // http:// through a proxy: the absolute URL, with the registry's Host
      path: forward ? url.href : `${url.pathname}${url.search}`,
      headers: forward ? { ...headers, host: url.host, ...(auth ? { 'proxy-authorization': auth } : {}) } : headers,
      agent: this.agentFor(url, proxy),
      ...(forward ? {} : { servername: isIpLiteral(url.hostname) ? '' : url.hostname.replace(/^\[|\]$/g, '') }),
    };
    return new Promise<IncomingMessage>((resolve, reject) => {
      let req: ClientRequest;
      let connectTimer: NodeJS.Timeout | null = null;
      const headersTimer = setTimeout(() => {
        onTimeout();
        req.destroy(new Error('headers'));
      }, waitMs);
      const onAbort = (): void => {
        req.destroy(a.signal.reason as Error);
      };
      const settle = (): void => {
        clearTimeout(headersTimer);
        if (connectTimer) clearTimeout(connectTimer);
        a.signal.removeEventListener('abort', onAbort);
      };
      try {
        req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(options);
      } catch (e) {
        settle();
        reject(e as Error);
        return;
      }
      req.once('socket', (socket) => {
        if (!(socket as { connecting?: boolean }).connecting) return;
        connectTimer = setTimeout(() => req.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })), this.o.connectTimeoutMs);
        socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', () => {
          if (connectTimer) clearTimeout(connectTimer);
        });
      });
      req.once('response', (res: IncomingMessage) => {
        settle();
        resolve(res);
      });
      req.once('error', (e: NodeJS.ErrnoException) => {
        settle();
        // nothing came back on a reused connection: the server closed it while it was idle
        if (req.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) Object.assign(e, { staleSocket: true });
        reject(e);
      });
      if (a.signal.aborted) {
        onAbort();
        return;
      }
      a.signal.addEventListener('abort', onAbort, { once: true });
      req.end(body);
    });
  }

  /**
   * A GET on a connection of its own (Connection: close), its response read by ResponseReader:
   * body bytes reach the caller without node:http's copy. For blobs, with no proxy in the way.
   * Same time-outs, abort and errors as exchange().
   */
  private rawExchange(a: Attempt, url: URL, headers: Record<string, string>, waitMs: number, onTimeout: () => void): Promise<RawResponse> {
    const tls = url.protocol === 'https:';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || (tls ? 443 : 80));
    const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`];
    for (const [k, v] of Object.entries(headers)) {
      // a token or header value from elsewhere must not add lines to the request
      if (/[\r\n\0]/.test(v) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k)) return Promise.reject(Object.assign(new TypeError(`invalid character in header ${k}`), { code: 'ERR_INVALID_CHAR' }));
      lines.push(`${k}: ${v}`);
    }
    lines.push('connection: close', '', '');
    return new Promise<RawResponse>((resolve, reject) => {
      const verified = !(tls && this.isInsecure(url.host));
      const socket = tls
        ? tlsConnect({ host, port, servername: isIpLiteral(url.hostname) ? '' : host, secureContext: this.secureContext(verified), rejectUnauthorized: verified })
        : netConnect({ host, port });
      const reader = new ResponseReader({ maxHeadBytes: 64 * 1024, headRequest: false });
      const body = new (RawResponse ??= rawResponseClass())(socket);
      let answered = false;
      /** The body was handed to the caller (only then may its stream report errors). */
      let resolved = false;
      const connectTimer = setTimeout(() => socket.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })), this.o.connectTimeoutMs);
      const headersTimer = setTimeout(() => {
        onTimeout();
        socket.destroy(new Error('headers'));
      }, waitMs);
      const onAbort = (): void => {
        socket.destroy(a.signal.reason as Error);
      };
      const settle = (): void => {
        clearTimeout(headersTimer);
        clearTimeout(connectTimer);
        a.signal.removeEventListener('abort', onAbort);
      };
      const fail = (e: Error): void => {
        if (!answered) {
          settle();
          answered = true;
          reject(e);
        } else if (resolved) body.destroy(e);
        socket.destroy();
      };
      socket.once(tls ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
      socket.on('data', (chunk: Buffer) => {
        try {
          reader.feed(chunk, (b) => {
            if (!body.push(b)) socket.pause();
          });
        } catch (e) {
          fail(e as Error);
          return;
        }
        if (!answered && reader.head) {
          settle();
          answered = true;
          body.statusCode = reader.head.status;
          body.headers = reader.head.headers;
          resolved = true;
          resolve(body);
        }
        if (reader.done) {
          body.push(null);
          socket.destroy();
        }
      });
      socket.once('end', () => {
        try {
          reader.end();
        } catch (e) {
          fail(e as Error);
          return;
        }
        if (!reader.done) return;
        if (!answered) fail(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
        else body.push(null);
      });
      socket.once('error', (e) => fail(e));
      socket.once('close', () => {
        if (!answered) fail(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
        else if (resolved && !reader.done && !body.destroyed) body.destroy(new ResponseTruncated());
      });
      if (a.signal.aborted) {
        onAbort();
        return;
      }
      a.signal.addEventListener('abort', onAbort, { once: true });
      socket.write(lines.join('\r\n'));
    });
  }
}

const isIpLiteral = (hostname: string): boolean => /^\[.*\]$|^\d+\.\d+\.\d+\.\d+$/.test(hostname);

/**
 * The body of a rawExchange response, with the status and headers as IncomingMessage has them;
 * backpressure pauses the socket. Object mode: each read hands over one socket chunk as it came,
 * where a byte-mode stream's async iterator concatenates everything buffered into a fresh copy.
 * At most 16 chunks wait (a socket read is at most 64 KiB: about 1 MiB). Defined at the first
 * use: extending Readable loads node:stream (~5 ms), which an offline scan never needs.
 */
const rawResponseClass = () => class RawResponse extends Readable {
  statusCode = 0;
  headers: Record<string, string> = {};
  constructor(private readonly socket: Socket | TLSSocket) {
    super({ objectMode: true, highWaterMark: 16 });
  }
  override _read(): void {
    this.socket.resume();
  }
  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    this.socket.destroy();
    cb(err);
  }
};
type RawResponse = InstanceType<ReturnType<typeof rawResponseClass>>;
let RawResponse: ReturnType<typeof rawResponseClass> | undefined;

/**
 * describeNetworkFailure, with node:http's own words first: "socket hang up" (the server
 * closed the connection without an answer) and llhttp's HPE_ codes (not HTTP at all).
 */
function describeFailure(e: unknown, url: string): NetworkProblem {
  const err = e as { code?: unknown; message?: unknown } | null;
  if (err?.code === 'ECONNRESET' && err.message === 'socket hang up') return describeNetworkFailure({ code: 'UND_ERR_SOCKET', message: 'other side closed' }, url);
  if (typeof err?.code === 'string' && err.code.startsWith('HPE_')) return describeNetworkFailure({ name: 'HTTPParserError', message: String(err.message) }, url);
  if (err?.code === 'ECONNRESET' && err.message === 'aborted') return { text: 'the connection closed before the end of the response', retry: 'yes' };
  return describeNetworkFailure(e, url);
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
