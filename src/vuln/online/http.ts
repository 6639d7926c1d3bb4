/**
 * The HTTP layer of online mode: one JSON request with timeouts (connect, headers, body, and a
 * deadline for the whole attempt), a response size cap, and retries with exponential backoff and
 * jitter on what is worth retrying (429 and 5xx, honouring Retry-After; connection resets;
 * truncated bodies; invalid JSON; a refused connection once, quickly). An overall deadline, shared
 * by every request of a run, bounds it all: no try starts, and no backoff is waited, past it. It
 * never throws for a server that misbehaves: the caller gets `{ ok: false, reason }` and turns it
 * into a gap. It throws only for a bad local configuration (an unreadable CHARTAUDIT_EXTRA_CA_CERTS
 * file) and when the caller's signal aborts.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gunzip as gunzipCb, inflate as inflateCb, brotliDecompress as brotliCb } from 'node:zlib';
import type { Agent, Dispatcher } from 'undici';
import { undici } from '../../net/undici.js';
import { InputError } from '../../model/errors.js';
import { durationText, type Deadline } from '../../net/deadline.js';
import { describeNetworkFailure, triesText } from '../../net/problem.js';

const gunzip = promisify(gunzipCb);
const inflate = promisify(inflateCb);
const brotli = promisify(brotliCb);

export interface HttpPolicy {
  /** Connect, response headers, and body inactivity timeout, each (ms). */
  timeoutMs: number;
  /** Deadline for one whole attempt, body included (ms): a server that trickles bytes is cut off. */
  attemptTimeoutMs: number;
  /** Retries after the first try (so `retries + 1` tries in all). */
  retries: number;
  /** Backoff before the first retry (ms); doubles each retry, with jitter. */
  backoffMs: number;
  maxBackoffMs: number;
  /** A Retry-After longer than this is not waited for: the request fails at once (ms). */
  maxRetryAfterMs: number;
  /** Largest response body accepted, after decompression (bytes). */
  maxResponseBytes: number;
  userAgent: string;
  /** The run's overall deadline, shared by all its requests. */
  deadline?: Deadline | undefined;
  /** Told of each retry before its wait, in one line naming the URL. */
  onRetry?: ((message: string) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** For tests: a source of randomness for jitter, [0, 1). */
  random?: () => number;
}

export interface JsonRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
}

/** Checks a parsed answer; returns a problem description, or null when it is usable. */
export type Validator = (value: unknown) => string | null;

export type JsonResult =
  | { ok: true; value: unknown; tries: number }
  | {
      ok: false;
      /** One line for a gap: what failed and how often. */
      reason: string;
      /** The last HTTP status, when there was one. */
      status: number | null;
      tries: number;
    };

type Attempt =
  | { kind: 'ok'; value: unknown }
  /** `once`: a refused connection, worth one quick retry and no more. */
  | { kind: 'retry'; problem: string; status: number | null; retryAfterMs?: number; once?: boolean }
  | { kind: 'fail'; reason: string; status: number | null }
  /** Cut off by the run's deadline: `problem` says how far it got. */
  | { kind: 'deadline'; problem: string; status: number | null };

/** A refused connection is retried once, after at most this long: on loopback it is not transient. */
const REFUSED_RETRY_MS = 500;

/**
 * The undici dispatcher for OSV requests: keep-alive connections, the policy's timeouts, and the
 * default root certificates plus those of `extraCaCertsFile` (CHARTAUDIT_EXTRA_CA_CERTS).
 */
export function createDispatcher(opts: { timeoutMs: number; connections: number; extraCaCertsFile?: string | null }): Agent {
  const ca = extraCaBundle(opts.extraCaCertsFile ?? null);
  return new (undici().Agent)({
    connections: opts.connections,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    keepAliveTimeout: 10_000,
    connect: { timeout: opts.timeoutMs, ...(ca ? { ca } : {}) },
  });
}

/**
 * Default roots plus the PEM file given: null when there is no file (Node's default store, which
 * already holds NODE_EXTRA_CA_CERTS). Passing `ca` replaces the default store, so the roots and
 * NODE_EXTRA_CA_CERTS are added back explicitly.
 */
export function extraCaBundle(file: string | null): string[] | null {
  if (file === null || file === '') return null;
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`CHARTAUDIT_EXTRA_CA_CERTS: cannot read ${file}: ${(e as Error).message}`, file);
  }
  const certs = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  if (!certs) throw new InputError(`CHARTAUDIT_EXTRA_CA_CERTS: ${file} holds no PEM certificate`, file);
  const bundle = [...rootCertificates];
  const nodeExtra = process.env.NODE_EXTRA_CA_CERTS;
  if (nodeExtra) {
    try {
      bundle.push(...(readFileSync(nodeExtra, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []));
    } catch {
      // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS; do the same (silently).
    }
  }
  bundle.push(...certs);
  return bundle;
}

/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns milliseconds from
 * `now`, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/^[A-Za-z]{3},? /.test(v)) return undefined; // IMF-fixdate, RFC 850 or asctime: a day name first
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Exponential backoff with jitter: the n-th retry (1-based) waits base·2^(n-1), capped, times [0.5, 1). */
export function backoffDelay(retry: number, policy: Pick<HttpPolicy, 'backoffMs' | 'maxBackoffMs' | 'random'>): number {
  const exp = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (retry - 1));
  const r = (policy.random ?? Math.random)();
  return Math.round(exp * (0.5 + r / 2));
}

/** One JSON request, retried as the policy says, within its deadline. */
export async function requestJson(
  dispatcher: Dispatcher,
  req: JsonRequest,
  policy: HttpPolicy,
  validate: Validator,
): Promise<JsonResult> {
  const maxTries = Math.max(1, Math.floor(policy.retries) + 1);
  const deadline = policy.deadline;
  let last: Extract<Attempt, { kind: 'retry' }> | null = null;
  for (let tries = 1; tries <= maxTries; tries++) {
    policy.signal?.throwIfAborted();
    if (deadline?.expired()) {
      // Only a request queued behind others gets here: a retry is not begun without time for it.
      return { ok: false, reason: `OSV API not asked: ${deadline} had passed`, status: null, tries: tries - 1 };
    }
    const a = await attemptOnce(dispatcher, req, policy, validate);
    if (a.kind === 'ok') return { ok: true, value: a.value, tries };
    if (a.kind === 'fail') return { ok: false, reason: a.reason, status: a.status, tries };
    if (a.kind === 'deadline') {
      return { ok: false, reason: `OSV API did not answer: ${a.problem} within ${deadline}${tries > 1 ? ` (${triesText(tries)})` : ''}`, status: a.status, tries };
    }
    last = a;
    const allowed = a.once ? Math.min(2, maxTries) : maxTries;
    if (tries >= allowed) return { ok: false, reason: `OSV API did not answer: ${a.problem} after ${triesText(tries)}`, status: a.status, tries };
    let delay = a.once ? Math.min(REFUSED_RETRY_MS, backoffDelay(tries, policy)) : backoffDelay(tries, policy);
    if (a.retryAfterMs !== undefined) {
      if (a.retryAfterMs > policy.maxRetryAfterMs) {
        return {
          ok: false,
          reason: `OSV API did not answer: ${a.problem} with Retry-After of ${Math.ceil(a.retryAfterMs / 1000)} s, longer than the ${Math.ceil(policy.maxRetryAfterMs / 1000)} s this run waits (${triesText(tries)})`,
          status: a.status,
          tries,
        };
      }
      delay = a.retryAfterMs;
    }
    if (deadline && !deadline.allows(delay)) {
      return { ok: false, reason: `OSV API did not answer: ${a.problem} after ${triesText(tries)}; ${deadline} leaves no time for another`, status: a.status, tries };
    }
    try {
      policy.onRetry?.(`${req.url}: ${a.problem}; try ${tries + 1} of ${allowed} in ${durationText(delay)}`);
    } catch {
      // a progress callback must not break the query
    }
    try {
      await sleep(delay, undefined, policy.signal ? { signal: policy.signal } : undefined);
    } catch (e) {
      throw policy.signal?.aborted ? policy.signal.reason : e;
    }
  }
  const problem = last?.problem ?? 'no answer';
  return { ok: false, reason: `OSV API did not answer: ${problem} after ${triesText(maxTries)}`, status: last?.status ?? null, tries: maxTries };
}

async function attemptOnce(dispatcher: Dispatcher, req: JsonRequest, policy: HttpPolicy, validate: Validator): Promise<Attempt> {
  // undici's own headers and body timeouts run on ~1 s "fast timers"; these native timers make the
  // configured times exact (undici's stay set as a backstop). All abort through one controller.
  const ctl = new AbortController();
  const timeout = (problem: string): void => ctl.abort(new TimeoutAbort(problem));
  const deadline = setTimeout(() => timeout(`no complete response within ${policy.attemptTimeoutMs} ms`), policy.attemptTimeoutMs);
  let gotHeaders = false;
  const stopAtRunDeadline =
    policy.deadline?.onExpiry(() => ctl.abort(new RunDeadlineAbort(gotHeaders ? 'no complete response' : 'no response'))) ?? ((): void => undefined);
  let phase = setTimeout(() => timeout(`no response headers within ${policy.timeoutMs} ms`), policy.timeoutMs);
  const touch = (): void => {
    clearTimeout(phase);
    phase = setTimeout(() => timeout(`response body stalled for ${policy.timeoutMs} ms`), policy.timeoutMs);
  };
  const onOuterAbort = (): void => ctl.abort(policy.signal?.reason);
  policy.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let res: Dispatcher.ResponseData | undefined;
  try {
    res = await send(dispatcher, req, policy, ctl.signal);
    touch();
    gotHeaders = true;
    if (res.statusCode < 200 || res.statusCode >= 300) return await judgeStatus(res, req, touch);
    return await readJson(res, policy, validate, touch);
  } catch (e) {
    if (policy.signal?.aborted) throw policy.signal.reason;
    const reason: unknown = ctl.signal.aborted ? ctl.signal.reason : undefined;
    if (reason instanceof RunDeadlineAbort) return { kind: 'deadline', problem: reason.message, status: res?.statusCode ?? null };
    if (reason instanceof TimeoutAbort) return { kind: 'retry', problem: reason.message, status: res?.statusCode ?? null };
    return classifyError(e, req.url, res?.statusCode ?? null);
  } finally {
    clearTimeout(deadline);
    clearTimeout(phase);
    stopAtRunDeadline();
    policy.signal?.removeEventListener('abort', onOuterAbort);
  }
}

function send(dispatcher: Dispatcher, req: JsonRequest, policy: HttpPolicy, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-encoding': 'gzip, deflate, br',
    'user-agent': policy.userAgent,
  };
  let body: string | undefined;
  if (req.body !== undefined) {
    body = JSON.stringify(req.body);
    headers['content-type'] = 'application/json';
  }
  return dispatcher.request({ origin: new URL(req.url).origin, path: pathOf(req.url), method: req.method, headers, body, signal });
}

/** A status other than 2xx: retry what may pass (429, 408, 5xx but 501), fail the rest. */
async function judgeStatus(res: Dispatcher.ResponseData, req: JsonRequest, touch: () => void): Promise<Attempt> {
  const status = res.statusCode;
  const text = await readCapped(res, 4096, true, touch).then(
    (b) => b.toString('utf8'),
    () => '',
  );
  if (status === 429 || status === 408 || (status >= 500 && status !== 501)) {
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(res.headers['retry-after']) : undefined;
    return { kind: 'retry', problem: `HTTP ${status}`, status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  // The caller knows what a 404 means at its endpoint (no such record, or a wrong base URL).
  if (status === 404) return { kind: 'fail', reason: `${req.url}: HTTP 404`, status };
  const msg = errorMessage(text);
  return { kind: 'fail', reason: `OSV API refused the request: HTTP ${status}${msg ? ` (${msg})` : ''}`, status };
}

/** A 2xx answer: read within the size cap, decoded, parsed and validated. */
async function readJson(res: Dispatcher.ResponseData, policy: HttpPolicy, validate: Validator, touch: () => void): Promise<Attempt> {
  const status = res.statusCode;
  const declared = contentLength(res.headers['content-length']);
  if (declared !== null && declared > policy.maxResponseBytes) {
    res.body.destroy();
    return tooLarge(policy, status);
  }
  let raw: Buffer;
  try {
    raw = await readCapped(res, policy.maxResponseBytes, false, touch);
  } catch (e) {
    if (e instanceof TooLargeError) return tooLarge(policy, status);
    throw e;
  }
  if (declared !== null && raw.length !== declared) {
    return { kind: 'retry', problem: `truncated response (${raw.length} of ${declared} bytes)`, status };
  }
  let text: string;
  try {
    text = (await decode(raw, res.headers['content-encoding'], policy.maxResponseBytes)).toString('utf8');
  } catch (e) {
    if (e instanceof TooLargeError) return tooLarge(policy, status);
    return { kind: 'retry', problem: `undecodable response body (${(e as Error).message})`, status };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'retry', problem: 'invalid JSON in the response', status };
  }
  const problem = validate(value);
  if (problem !== null) return { kind: 'retry', problem: `unexpected response: ${problem}`, status };
  return { kind: 'ok', value };
}

/** The reason an attempt was cut off by one of its timers. */
class TimeoutAbort extends Error {
  override name = 'TimeoutAbort';
}
/** The reason an attempt was cut off by the run's overall deadline. */
class RunDeadlineAbort extends Error {
  override name = 'RunDeadlineAbort';
}
class TooLargeError extends Error {
  override name = 'TooLargeError';
}

function tooLarge(policy: HttpPolicy, status: number): Attempt {
  return { kind: 'fail', reason: `OSV API response too large: more than ${policy.maxResponseBytes} bytes`, status };
}

function pathOf(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}

function contentLength(v: string | string[] | undefined): number | null {
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined || !/^\s*\d+\s*$/.test(s)) return null;
  return Number(s);
}

/** Reads the body up to `cap` bytes (calling `onChunk` for each): beyond it, throws TooLargeError (or truncates when `truncate`). */
async function readCapped(res: Dispatcher.ResponseData, cap: number, truncate: boolean, onChunk: () => void): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    onChunk();
    size += chunk.length;
    if (size > cap) {
      res.body.destroy();
      if (truncate) {
        chunks.push(chunk.subarray(0, chunk.length - (size - cap)));
        return Buffer.concat(chunks);
      }
      throw new TooLargeError();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function decode(raw: Buffer, encoding: string | string[] | undefined, cap: number): Promise<Buffer> {
  const enc = (Array.isArray(encoding) ? encoding.join(',') : encoding ?? '').trim().toLowerCase();
  if (enc === '' || enc === 'identity') return raw;
  const opts = { maxOutputLength: cap };
  try {
    if (enc === 'gzip' || enc === 'x-gzip') return await gunzip(raw, opts);
    if (enc === 'deflate') return await inflate(raw, opts);
    if (enc === 'br') return await brotli(raw, opts);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw new TooLargeError();
    throw e;
  }
  throw new Error(`unsupported Content-Encoding ${enc}`);
}

/** OSV's error bodies are `{"code":3,"message":"…"}`; anything else is shown shortened. */
function errorMessage(text: string): string {
  let msg = text;
  try {
    const j = JSON.parse(text) as unknown;
    if (j && typeof j === 'object' && typeof (j as { message?: unknown }).message === 'string') msg = (j as { message: string }).message;
  } catch {
    // not JSON: keep the text
  }
  msg = msg.replace(/\s+/g, ' ').trim();
  return msg.length > 200 ? `${msg.slice(0, 200)}…` : msg;
}

/** A request that threw: what went wrong, in plain words, and whether to try again. */
function classifyError(e: unknown, url: string, status: number | null): Attempt {
  const p = describeNetworkFailure(e, url);
  if (p.retry === 'no') return { kind: 'fail', reason: `OSV API did not answer: ${p.text}`, status };
  // A connection lost after the headers came is a truncated answer.
  const lost = /closed the connection|connection reset/.test(p.text);
  return { kind: 'retry', problem: status !== null && lost ? 'truncated response (connection closed)' : p.text, status, ...(p.retry === 'once' ? { once: true } : {}) };
}
