/**
 * A small fake of the OSV API (https://api.osv.dev) on 127.0.0.1, for tests: a real HTTP(S)
 * server (node:http) answering with OSV's response shapes, backed by a few real OSV records
 * (`records/`: three from bitnami/vulndb @0054d6e3, Apache-2.0, and GitHub's GHSA-35jh-r3h4-6jhm).
 *
 * - `POST /v1/querybatch`: `{"queries":[{"package":{"ecosystem","name"},"version","page_token"?}]}`
 *   → `{"results":[{"vulns":[{"id","modified"}],"next_page_token"?} | {}]}` in input order; more than
 *   1,000 queries, or one query without ecosystem or name, → 400 for the batch, as OSV. Pagination is per query (`pageSize`; `tokenOnlyFirst` makes the
 *   first page of each query hold only a token, as OSV does after 20 s).
 * - `GET /v1/vulns/{id}` → the record, or 404 `{"code":5,"message":"Bug not found."}`.
 * - Faults, queued per path, misbehave on purpose: an HTTP status (with headers and body), headers
 *   never sent, a stalled body, a truncated body, a reset connection, an oversized body.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { OsvRecord } from '../../../model/advisory.js';

const here = new URL('.', import.meta.url);

/** The fixture records, by id. */
export function fixtureRecords(): OsvRecord[] {
  const dir = new URL('records/', here);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as OsvRecord);
}

export const fixtureTls = (): { ca: string; key: string; cert: string } => ({
  ca: readFileSync(new URL('tls/ca.pem', here), 'utf8'),
  key: readFileSync(new URL('tls/server.key', here), 'utf8'),
  cert: readFileSync(new URL('tls/server.pem', here), 'utf8'),
});
export const fixtureCaPath = (): string => new URL('tls/ca.pem', here).pathname;

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Accept the request and never send the headers. */
  | { kind: 'hang' }
  /** Send the headers and the first bytes of the answer, then nothing more. */
  | { kind: 'stall-body' }
  /** Declare the full Content-Length (or chunked when `chunked`), send half, close. */
  | { kind: 'truncate'; chunked?: boolean }
  /** Send the headers, then one byte every `everyMs` ms, forever. */
  | { kind: 'trickle'; everyMs: number }
  /** Close the connection without an answer. */
  | { kind: 'reset' }
  /** A 200 answer of `bytes` bytes (with Content-Length unless `chunked`). */
  | { kind: 'oversize'; bytes: number; chunked?: boolean };

export interface FakeOsvOptions {
  records?: OsvRecord[];
  /** Ids per page per query; default: all on one page. */
  pageSize?: number;
  /** The first page of each query holds only `next_page_token`. */
  tokenOnlyFirst?: boolean;
  /** Serve HTTPS with this key and certificate. */
  tls?: { key: string; cert: string };
  /** Gzip answers when the client accepts it. */
  gzip?: boolean;
  /** Wait this long before answering each request (ms). */
  delayMs?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface FakeOsv {
  url: string;
  requests: LoggedRequest[];
  /** Most requests in flight at once. */
  maxInFlight: number;
  /** Queue a fault for the next `times` requests whose path starts with `pathPrefix`. */
  fault(pathPrefix: string, fault: Fault, times?: number): void;
  close(): Promise<void>;
}

interface QueuedFault {
  prefix: string;
  fault: Fault;
  remaining: number;
}

interface Query {
  package?: { ecosystem?: string; name?: string; purl?: string };
  version?: string;
  page_token?: string;
}

export async function startFakeOsv(opts: FakeOsvOptions = {}): Promise<FakeOsv> {
  const records = opts.records ?? fixtureRecords();
  const byId = new Map(records.map((r) => [r.id, r]));
  const faults: QueuedFault[] = [];
  let inFlight = 0;

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      state.requests.push({ method: req.method ?? '', path, body });
      const f = faults.find((q) => q.remaining > 0 && path.startsWith(q.prefix));
      if (f) {
        f.remaining--;
        return applyFault(req, res, f.fault, () => answer(req, path, body));
      }
      const a = answer(req, path, body);
      if (opts.delayMs) setTimeout(() => send(req, res, a.status, a.body), opts.delayMs);
      else send(req, res, a.status, a.body);
    });
  };

  const answer = (req: IncomingMessage, path: string, body: unknown): { status: number; body: unknown } => {
    if (req.method === 'POST' && path === '/v1/querybatch') return querybatch(body);
    const m = /^\/v1\/vulns\/([^/?]+)$/.exec(path);
    if (req.method === 'GET' && m) {
      const rec = byId.get(decodeURIComponent(m[1]!));
      return rec ? { status: 200, body: rec } : { status: 404, body: { code: 5, message: 'Bug not found.' } };
    }
    return { status: 404, body: { code: 5, message: 'Not Found' } };
  };

  const querybatch = (body: unknown): { status: number; body: unknown } => {
    const queries = (body as { queries?: Query[] } | undefined)?.queries;
    if (!Array.isArray(queries)) return { status: 400, body: { code: 3, message: 'Invalid query.' } };
    if (queries.length > 1000) return { status: 400, body: { code: 3, message: 'Too many queries.' } };
    // OSV refuses the whole batch when one query is bad (google/osv.dev#1628)
    if (queries.some((q) => !q.package?.ecosystem || !q.package.name)) return { status: 400, body: { code: 3, message: 'Invalid query.' } };
    const results = [];
    for (const q of queries) {
      const eco = q.package?.ecosystem ?? '';
      const name = q.package?.name ?? '';
      const key = `${eco}/${name}@${q.version ?? ''}`;
      const matches = records.filter((r) => affects(r, eco, name, q.version)).map((r) => ({ id: r.id, modified: r.modified }));
      let offset = 0;
      let tokenOnly = opts.tokenOnlyFirst === true;
      if (q.page_token !== undefined) {
        let t: { key?: string; offset?: number };
        try {
          t = JSON.parse(Buffer.from(q.page_token, 'base64url').toString('utf8')) as typeof t;
        } catch {
          return { status: 400, body: { code: 3, message: 'Invalid page token.' } };
        }
        if (t.key !== key || typeof t.offset !== 'number') return { status: 400, body: { code: 3, message: 'Invalid page token.' } };
        offset = t.offset;
        tokenOnly = false;
      }
      const token = (o: number): string => Buffer.from(JSON.stringify({ key, offset: o })).toString('base64url');
      if (tokenOnly) {
        results.push({ next_page_token: token(0) });
        continue;
      }
      const size = opts.pageSize ?? Number.POSITIVE_INFINITY;
      const page = matches.slice(offset, offset + size);
      const r: { vulns?: unknown[]; next_page_token?: string } = {};
      if (page.length > 0) r.vulns = page;
      if (offset + page.length < matches.length) r.next_page_token = token(offset + page.length);
      results.push(r);
    }
    return { status: 200, body: { results } };
  };

  const send = (req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    let buf = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const h: Record<string, string> = { 'content-type': 'application/json', ...headers };
    if (opts.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      buf = gzipSync(buf);
      h['content-encoding'] = 'gzip';
    }
    h['content-length'] = String(buf.length);
    res.writeHead(status, h);
    res.end(buf);
  };

  const applyFault = (req: IncomingMessage, res: ServerResponse, f: Fault, real: () => { status: number; body: unknown }): void => {
    switch (f.kind) {
      case 'status':
        return send(req, res, f.status, f.body ?? JSON.stringify({ code: 13, message: 'Internal error.' }), f.headers);
      case 'hang':
        return;
      case 'stall-body': {
        const buf = Buffer.from(JSON.stringify(real().body));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(buf.length) });
        res.write(buf.subarray(0, 5));
        return;
      }
      case 'truncate': {
        const a = real();
        const buf = Buffer.from(JSON.stringify(a.body));
        res.writeHead(a.status, { 'content-type': 'application/json', ...(f.chunked ? {} : { 'content-length': String(buf.length) }) });
        res.write(buf.subarray(0, Math.floor(buf.length / 2)), () => setTimeout(() => res.socket?.destroy(), 10));
        return;
      }
      case 'trickle': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const timer = setInterval(() => res.write(' '), f.everyMs);
        res.on('close', () => clearInterval(timer));
        return;
      }
      case 'reset':
        req.socket.destroy();
        return;
      case 'oversize': {
        const buf = Buffer.from(`{"results":[${'{},'.repeat(Math.ceil(f.bytes / 3))}{}]}`);
        res.writeHead(200, { 'content-type': 'application/json', ...(f.chunked ? {} : { 'content-length': String(buf.length) }) });
        // in pieces, so a chunked answer really streams
        for (let i = 0; i < buf.length; i += 16_384) res.write(buf.subarray(i, i + 16_384));
        res.end();
        return;
      }
    }
  };

  const server: Server = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const state: FakeOsv = {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests: [],
    maxInFlight: 0,
    fault(prefix, fault, times = Number.POSITIVE_INFINITY) {
      faults.push({ prefix, fault, remaining: times });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return state;
}

/** OSV's evaluation, enough for the fixtures: `versions`, or SEMVER/ECOSYSTEM ranges of dotted numbers. */
function affects(r: OsvRecord, ecosystem: string, name: string, version: string | undefined): boolean {
  if (r.withdrawn) return false;
  for (const a of r.affected ?? []) {
    if (a.package?.ecosystem !== ecosystem || a.package.name !== name) continue;
    if (version === undefined) return true;
    if (a.versions?.includes(version)) return true;
    for (const range of a.ranges ?? []) {
      if (range.type === 'GIT') continue;
      const events = [...range.events].sort((x, y) => cmp(x.introduced ?? x.fixed ?? x.last_affected ?? '0', y.introduced ?? y.fixed ?? y.last_affected ?? '0'));
      let vulnerable = false;
      for (const e of events) {
        if (e.introduced !== undefined && cmp(version, e.introduced) >= 0) vulnerable = true;
        else if (e.fixed !== undefined && cmp(version, e.fixed) >= 0) vulnerable = false;
        else if (e.last_affected !== undefined && cmp(version, e.last_affected) > 0) vulnerable = false;
      }
      if (vulnerable) return true;
    }
  }
  return false;
}

function cmp(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
