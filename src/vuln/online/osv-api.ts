/**
 * Online mode: the OSV records that concern a list of packages, from the OSV API
 * (https://google.github.io/osv.dev/api/, reference/vulndata.md "OSV API").
 *
 * 1. `POST /v1/querybatch`, at most 1,000 queries a request; the answer holds, in input order,
 *    only `{id, modified}` of the vulnerabilities of each query. Pagination is per query: the
 *    queries that returned `next_page_token` are sent again (alone) with `page_token`, until none
 *    does (a page may hold only the token).
 * 2. `GET /v1/vulns/{id}` for each distinct id, with bounded concurrency, each answer checked (a
 *    JSON object with `id` and `modified`, the id the one asked for).
 *
 * Never silent: whatever could not be fetched after the retries, or within the run's overall
 * deadline, becomes a Gap naming the API's URL, the packages (or records) it concerns and why,
 * and those packages are listed in `incomplete`.
 */
import type { Dispatcher } from 'undici';
import type { OsvRecord } from '../../model/advisory.js';
import type { Gap } from '../../model/report.js';
import { Deadline } from '../../net/deadline.js';
import { VERSION } from '../../version.js';
import { createDispatcher, requestJson, type HttpPolicy, type JsonResult } from './http.js';

export interface OsvPackageQuery {
  ecosystem: string;
  name: string;
  version: string;
}

export interface OsvProgress {
  /** `querybatch`: packages whose id lists are complete (or given up); `vulns`: records fetched (or given up). */
  phase: 'querybatch' | 'vulns';
  done: number;
  total: number;
}

export interface QueryOsvOptions {
  /** Default https://api.osv.dev */
  baseUrl?: string;
  /**
   * Most time the whole query may take, every request, try and backoff included (ms). Default
   * DEFAULT_OSV_DEADLINE_MS. What is not answered by then becomes a gap.
   */
  deadlineMs?: number;
  /** Told of each retry before its wait, in one line naming the URL and the problem (a progress line on a terminal). */
  onRetry?: (message: string) => void;
  /** Connect, response-headers and body-inactivity timeout, each (ms). Default 30,000. */
  timeoutMs?: number;
  /** Deadline for one whole request attempt (ms). Default 120,000. */
  attemptTimeoutMs?: number;
  /** Retries after the first try. Default 3 (4 tries). */
  retries?: number;
  /** First backoff (ms), doubled each retry, with jitter. Default 500. */
  backoffMs?: number;
  /** Default 30,000. */
  maxBackoffMs?: number;
  /** A longer Retry-After fails the request instead of waiting (ms). Default 60,000. */
  maxRetryAfterMs?: number;
  /** Largest response accepted, after decompression (bytes). Default 32 MiB (OSV's HTTP/1.1 cap). */
  maxResponseBytes?: number;
  /** Parallel `vulns/{id}` requests. Default 8. */
  concurrency?: number;
  /** Queries per querybatch request; at most (and by default) 1,000, OSV's limit. */
  batchSize?: number;
  /** Pages followed per query before giving up on it. Default 100. */
  maxPages?: number;
  /** PEM file of extra CA certificates; default `$CHARTAUDIT_EXTRA_CA_CERTS`. */
  extraCaCertsFile?: string | null;
  /** A dispatcher to use instead of the one made here (which is closed at the end). */
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
  onProgress?: (p: OsvProgress) => void;
  /** For tests: jitter randomness. */
  random?: () => number;
}

export interface OsvQueryResult {
  /** The distinct records, sorted by id. */
  records: OsvRecord[];
  /** What could not be fetched; never empty when something is missing. */
  gaps: Gap[];
  /** The packages whose results are not complete (each is named in a gap), in input order. */
  incomplete: OsvPackageQuery[];
}

export const DEFAULT_OSV_URL = 'https://api.osv.dev';
/** A scan's OSV queries take a few seconds; past a minute the user hears why rather than waits. */
export const DEFAULT_OSV_DEADLINE_MS = 60_000;
/** google/osv.dev bindings/go/osvdev: MaxQueriesPerQueryBatchRequest = 1000. */
export const MAX_QUERIES_PER_BATCH = 1000;
/** Extra querybatch requests a batch may spend isolating the queries OSV refuses (HTTP 400). */
const MAX_SPLIT_REQUESTS = 64;

export const packageLabel = (p: OsvPackageQuery): string => `${p.ecosystem}/${p.name}@${p.version}`;

/** `https://api.osv.dev (Bitnami/nginx@1.25.3)`: the API asked, and a short list of the packages. */
export function gapScope(pkgs: OsvPackageQuery[], baseUrl: string = DEFAULT_OSV_URL): string {
  const shown = pkgs.slice(0, 5).map(packageLabel).join(', ');
  const more = pkgs.length > 5 ? ` and ${pkgs.length - 5} more` : '';
  return `${baseUrl} (${shown}${more})`;
}

interface QueryState {
  pkg: OsvPackageQuery;
  ids: Set<string>;
  token: string | null;
  pages: number;
  failed: boolean;
}

/** What every step of one queryOsv call shares. */
interface Run {
  baseUrl: string;
  policy: HttpPolicy;
  dispatcher: Dispatcher;
  concurrency: number;
  batchSize: number;
  maxPages: number;
  opts: QueryOsvOptions;
}

export async function queryOsv(packages: OsvPackageQuery[], opts: QueryOsvOptions = {}): Promise<OsvQueryResult> {
  const all = distinctQueries(packages);
  if (all.length === 0) return { records: [], gaps: [], incomplete: [] };
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 8));
  const policy = policyOf(opts);
  const dispatcher =
    opts.dispatcher ??
    createDispatcher({
      timeoutMs: policy.timeoutMs,
      connections: concurrency,
      extraCaCertsFile: opts.extraCaCertsFile !== undefined ? opts.extraCaCertsFile : process.env.CHARTAUDIT_EXTRA_CA_CERTS ?? null,
    });
  const run: Run = {
    baseUrl: (opts.baseUrl ?? DEFAULT_OSV_URL).replace(/\/+$/, ''),
    policy,
    dispatcher,
    concurrency,
    batchSize: Math.min(MAX_QUERIES_PER_BATCH, Math.max(1, Math.floor(opts.batchSize ?? MAX_QUERIES_PER_BATCH))),
    maxPages: Math.max(1, opts.maxPages ?? 100),
    opts,
  };
  try {
    const batchGaps = await queryIds(all, run);
    const { records, gaps: recordGaps } = await fetchRecords(all, run);
    return { records, gaps: [...batchGaps, ...recordGaps], incomplete: all.filter((s) => s.failed).map((s) => s.pkg) };
  } finally {
    if (!opts.dispatcher) await dispatcher.close().catch(() => undefined);
  }
}

function policyOf(opts: QueryOsvOptions): HttpPolicy {
  return {
    timeoutMs: opts.timeoutMs ?? 30_000,
    attemptTimeoutMs: opts.attemptTimeoutMs ?? 120_000,
    retries: opts.retries ?? 3,
    backoffMs: opts.backoffMs ?? 500,
    maxBackoffMs: opts.maxBackoffMs ?? 30_000,
    maxRetryAfterMs: opts.maxRetryAfterMs ?? 60_000,
    maxResponseBytes: opts.maxResponseBytes ?? 32 * 1024 * 1024,
    userAgent: `chartaudit/${VERSION}`,
    deadline: new Deadline(opts.deadlineMs ?? DEFAULT_OSV_DEADLINE_MS),
    onRetry: opts.onRetry,
    signal: opts.signal,
    ...(opts.random ? { random: opts.random } : {}),
  };
}

/** One state per distinct (ecosystem, name, version), in input order. */
function distinctQueries(packages: OsvPackageQuery[]): QueryState[] {
  const states = new Map<string, QueryState>();
  for (const p of packages) {
    const pkg = { ecosystem: p.ecosystem, name: p.name, version: p.version };
    const key = JSON.stringify([pkg.ecosystem, pkg.name, pkg.version]);
    if (!states.has(key)) states.set(key, { pkg, ids: new Set(), token: null, pages: 0, failed: false });
  }
  return [...states.values()];
}

/** Step 1: every query's vulnerability ids, batch by batch (a few at once); the gaps, in batch order. */
async function queryIds(all: QueryState[], run: Run): Promise<Gap[]> {
  const batches: QueryState[][] = [];
  for (let i = 0; i < all.length; i += run.batchSize) batches.push(all.slice(i, i + run.batchSize));
  const batchGaps: Gap[][] = batches.map(() => []);
  const progress = { done: 0, total: all.length };
  await mapLimit(batches, Math.min(run.concurrency, 4), (batch, bi) => queryGroup(batch, run, { left: MAX_SPLIT_REQUESTS }, batchGaps[bi]!, progress));
  return batchGaps.flat();
}

/**
 * Queries a group to its last page. OSV answers 400 for a whole batch when one query in it is
 * bad (google/osv.dev#1628): the group is then halved, within a budget of extra requests, to
 * isolate the bad queries and still answer the others.
 */
async function queryGroup(group: QueryState[], run: Run, budget: { left: number }, out: Gap[], progress: { done: number; total: number }): Promise<void> {
  let pending = group;
  while (pending.length > 0) {
    const sent = pending;
    const res = await sendBatch(sent, run);
    if (!res.ok) {
      if (res.status === 400 && sent.length > 1 && budget.left >= 2) {
        budget.left -= 2;
        const mid = Math.ceil(sent.length / 2);
        await queryGroup(sent.slice(0, mid), run, budget, out, progress);
        await queryGroup(sent.slice(mid), run, budget, out, progress);
        return;
      }
      for (const s of sent) s.failed = true;
      const reason = batchFailure(res, run);
      out.push({ scope: gapScope(sent.map((s) => s.pkg), run.baseUrl), reason: sent.some((s) => s.pages > 0) ? `results incomplete after some pages: ${reason}` : reason });
      progress.done += sent.length;
      report(run.opts, 'querybatch', progress.done, progress.total);
      return;
    }
    pending = takePage(sent, (res.value as BatchResponse).results, run, out, progress);
    report(run.opts, 'querybatch', progress.done, progress.total);
  }
}

function sendBatch(sent: QueryState[], run: Run): Promise<JsonResult> {
  const queries = sent.map((s) => ({
    package: { ecosystem: s.pkg.ecosystem, name: s.pkg.name },
    ...(s.pkg.version !== '' ? { version: s.pkg.version } : {}),
    ...(s.token !== null ? { page_token: s.token } : {}),
  }));
  return requestJson(run.dispatcher, { method: 'POST', url: `${run.baseUrl}/v1/querybatch`, body: { queries } }, run.policy, (v) => checkBatch(v, sent.length));
}

/** A failed querybatch in words: a 404 there means the base URL is not an OSV API. */
function batchFailure(res: Extract<JsonResult, { ok: false }>, run: Run): string {
  if (res.status === 404) return `${run.baseUrl}/v1/querybatch: HTTP 404: is --osv-url right?`;
  return res.reason;
}

/** Records one page of answers; returns the queries that have another page to fetch. */
function takePage(sent: QueryState[], results: BatchResponse['results'], run: Run, out: Gap[], progress: { done: number }): QueryState[] {
  const next: QueryState[] = [];
  sent.forEach((s, i) => {
    const r = results[i]!;
    for (const v of r.vulns ?? []) s.ids.add(v.id);
    s.pages++;
    const token = typeof r.next_page_token === 'string' && r.next_page_token !== '' ? r.next_page_token : null;
    if (token === null) {
      s.token = null;
      progress.done++;
    } else if (s.pages >= run.maxPages) {
      s.failed = true;
      out.push({ scope: gapScope([s.pkg], run.baseUrl), reason: `OSV API results incomplete: still paginating after ${s.pages} page${s.pages === 1 ? '' : 's'}` });
      progress.done++;
    } else {
      s.token = token;
      next.push(s);
    }
  });
  return next;
}

/** Step 2: `vulns/{id}` for each distinct id; the records by id, and a gap per record missing. */
async function fetchRecords(all: QueryState[], run: Run): Promise<{ records: OsvRecord[]; gaps: Gap[] }> {
  const byId = new Map<string, QueryState[]>();
  for (const s of all) {
    for (const id of s.ids) {
      const list = byId.get(id);
      if (list) list.push(s);
      else byId.set(id, [s]);
    }
  }
  const ids = [...byId.keys()].sort();
  const records: (OsvRecord | null)[] = ids.map(() => null);
  const gaps: (Gap | null)[] = ids.map(() => null);
  let fetched = 0;
  report(run.opts, 'vulns', 0, ids.length);
  await mapLimit(ids, run.concurrency, async (id, i) => {
    const res = await requestJson(run.dispatcher, { method: 'GET', url: `${run.baseUrl}/v1/vulns/${encodeURIComponent(id)}` }, run.policy, (v) => checkRecord(v, id));
    if (res.ok) {
      records[i] = res.value as OsvRecord;
    } else {
      const concerned = byId.get(id)!;
      for (const s of concerned) s.failed = true;
      const reason = res.status === 404 ? 'OSV API has no such record (HTTP 404)' : res.reason;
      gaps[i] = { scope: gapScope(concerned.map((s) => s.pkg), run.baseUrl), reason: `record ${id} missing: ${reason}` };
    }
    report(run.opts, 'vulns', ++fetched, ids.length);
  });
  return { records: records.filter((r): r is OsvRecord => r !== null), gaps: gaps.filter((g): g is Gap => g !== null) };
}

function report(opts: QueryOsvOptions, phase: OsvProgress['phase'], done: number, total: number): void {
  try {
    opts.onProgress?.({ phase, done, total });
  } catch {
    // a progress callback must not break the query
  }
}

interface BatchResponse {
  results: { vulns?: { id: string; modified?: string }[]; next_page_token?: string }[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{"results":[{"vulns":[{"id","modified"}], "next_page_token"?} | {} …]}`, one result per query. */
export function checkBatch(v: unknown, queries: number): string | null {
  if (!isObject(v) || !Array.isArray(v.results)) return 'no "results" array';
  if (v.results.length !== queries) return `${v.results.length} results for ${queries} queries`;
  for (const [i, r] of v.results.entries()) {
    if (!isObject(r)) return `result ${i} is not an object`;
    if (r.vulns !== undefined && r.vulns !== null) {
      if (!Array.isArray(r.vulns)) return `result ${i}: "vulns" is not an array`;
      for (const x of r.vulns) if (!isObject(x) || typeof x.id !== 'string' || x.id === '') return `result ${i}: a vulnerability without an id`;
    }
    if (r.next_page_token !== undefined && r.next_page_token !== null && typeof r.next_page_token !== 'string') {
      return `result ${i}: "next_page_token" is not a string`;
    }
  }
  return null;
}

/** A JSON object with string `id` (the one asked for) and `modified`, and well-formed lists. */
export function checkRecord(v: unknown, id: string): string | null {
  if (!isObject(v)) return 'not a JSON object';
  if (typeof v.id !== 'string') return 'record without "id"';
  if (v.id !== id) return `record ${JSON.stringify(v.id)} instead of ${JSON.stringify(id)}`;
  if (typeof v.modified !== 'string') return `record ${id} without "modified"`;
  for (const key of ['aliases', 'upstream', 'related'] as const) {
    const list = v[key];
    if (list !== undefined && list !== null && (!Array.isArray(list) || list.some((x) => typeof x !== 'string'))) {
      return `record ${id}: "${key}" is not a list of strings`;
    }
  }
  for (const key of ['affected', 'severity', 'references'] as const) {
    const list = v[key];
    if (list !== undefined && list !== null && (!Array.isArray(list) || list.some((x) => !isObject(x)))) {
      return `record ${id}: "${key}" is not a list of objects`;
    }
  }
  return null;
}

/** Runs `fn` over `items` with at most `limit` at once; rejects on the first rejection. */
async function mapLimit<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
