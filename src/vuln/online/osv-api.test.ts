/**
 * queryOsv against a real HTTP server on 127.0.0.1 (the fake OSV of __fixtures__/fake-osv.ts),
 * never a mocked client: success, batching, pagination, and every way the server can fail.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../model/errors.js';
import type { OsvRecord } from '../../model/advisory.js';
import { fixtureCaPath, fixtureRecords, fixtureTls, startFakeOsv, type FakeOsv, type FakeOsvOptions } from './__fixtures__/fake-osv.js';
import { DEFAULT_OSV_DEADLINE_MS, queryOsv, type QueryOsvOptions } from './osv-api.js';

const NGINX = { ecosystem: 'Bitnami', name: 'nginx', version: '1.25.3' }; // BIT-nginx-2024-7347, BIT-nginx-2025-23419
const NGINX_FIXED = { ecosystem: 'Bitnami', name: 'nginx', version: '1.27.4' }; // none
const REDIS = { ecosystem: 'Bitnami', name: 'redis', version: '7.2.4' }; // BIT-redis-2024-31449
const LODASH = { ecosystem: 'npm', name: 'lodash', version: '4.17.20' }; // GHSA-35jh-r3h4-6jhm

/** Short timeouts and backoffs: every test stays well under a few seconds. */
const FAST: QueryOsvOptions = { timeoutMs: 2_000, retries: 3, backoffMs: 10, maxBackoffMs: 50, extraCaCertsFile: null };

let servers: FakeOsv[] = [];
async function fake(opts?: FakeOsvOptions): Promise<FakeOsv> {
  const s = await startFakeOsv(opts);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const batches = (s: FakeOsv) => s.requests.filter((r) => r.path === '/v1/querybatch');
const gets = (s: FakeOsv) => s.requests.filter((r) => r.path.startsWith('/v1/vulns/'));
const queriesOf = (r: { body: unknown }) => (r.body as { queries: { package: unknown; version?: string; page_token?: string }[] }).queries;
const ids = (records: OsvRecord[]) => records.map((r) => r.id);
const fixture = (id: string) => fixtureRecords().find((r) => r.id === id)!;

describe('queryOsv: answers', () => {
  it('fetches the records that concern the packages, in id order, each once', async () => {
    const s = await fake();
    const progress: string[] = [];
    const res = await queryOsv([NGINX, REDIS, LODASH, NGINX_FIXED, { ...NGINX }], {
      ...FAST,
      baseUrl: s.url,
      onProgress: (p) => progress.push(`${p.phase} ${p.done}/${p.total}`),
    });
    expect(res.gaps).toEqual([]);
    expect(res.incomplete).toEqual([]);
    expect(ids(res.records)).toEqual(['BIT-nginx-2024-7347', 'BIT-nginx-2025-23419', 'BIT-redis-2024-31449', 'GHSA-35jh-r3h4-6jhm']);
    expect(res.records[0]).toEqual(fixture('BIT-nginx-2024-7347'));
    // one querybatch of the distinct packages, in input order, in OSV's request shape
    expect(batches(s)).toHaveLength(1);
    expect(queriesOf(batches(s)[0]!)).toEqual([
      { package: { ecosystem: 'Bitnami', name: 'nginx' }, version: '1.25.3' },
      { package: { ecosystem: 'Bitnami', name: 'redis' }, version: '7.2.4' },
      { package: { ecosystem: 'npm', name: 'lodash' }, version: '4.17.20' },
      { package: { ecosystem: 'Bitnami', name: 'nginx' }, version: '1.27.4' },
    ]);
    expect(gets(s).map((r) => r.path).sort()).toEqual([
      '/v1/vulns/BIT-nginx-2024-7347',
      '/v1/vulns/BIT-nginx-2025-23419',
      '/v1/vulns/BIT-redis-2024-31449',
      '/v1/vulns/GHSA-35jh-r3h4-6jhm',
    ]);
    expect(progress.at(-1)).toBe('vulns 4/4');
    expect(progress).toContain('querybatch 4/4');
  });

  it('asks nothing for no packages, and returns nothing for packages without vulnerabilities', async () => {
    const s = await fake();
    expect(await queryOsv([], { ...FAST, baseUrl: s.url })).toEqual({ records: [], gaps: [], incomplete: [] });
    expect(s.requests).toHaveLength(0);
    expect(await queryOsv([NGINX_FIXED], { ...FAST, baseUrl: s.url })).toEqual({ records: [], gaps: [], incomplete: [] });
    expect(gets(s)).toHaveLength(0);
  });

  it('splits more than 1,000 queries into batches of at most 1,000 (the fake answers 400 above that)', async () => {
    const s = await fake();
    const pkgs = Array.from({ length: 2345 }, (_, i) => ({ ecosystem: 'npm', name: `pkg-${i}`, version: '1.0.0' }));
    pkgs[0] = NGINX;
    pkgs[1500] = REDIS;
    pkgs[2344] = LODASH;
    const res = await queryOsv(pkgs, { ...FAST, baseUrl: s.url });
    expect(res.gaps).toEqual([]);
    expect(batches(s).map((r) => queriesOf(r).length)).toEqual([1000, 1000, 345]);
    expect(ids(res.records)).toEqual(['BIT-nginx-2024-7347', 'BIT-nginx-2025-23419', 'BIT-redis-2024-31449', 'GHSA-35jh-r3h4-6jhm']);
  });

  it('follows next_page_token per query, re-sending only the queries that have one', async () => {
    const s = await fake({ pageSize: 1 });
    const res = await queryOsv([REDIS, NGINX, LODASH], { ...FAST, baseUrl: s.url });
    expect(res.gaps).toEqual([]);
    expect(ids(res.records)).toEqual(['BIT-nginx-2024-7347', 'BIT-nginx-2025-23419', 'BIT-redis-2024-31449', 'GHSA-35jh-r3h4-6jhm']);
    const b = batches(s);
    expect(b).toHaveLength(2);
    const second = queriesOf(b[1]!);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ package: { ecosystem: 'Bitnami', name: 'nginx' }, version: '1.25.3' });
    expect(typeof second[0]!.page_token).toBe('string');
  });

  it('keeps querying when a page holds only next_page_token', async () => {
    const s = await fake({ tokenOnlyFirst: true });
    const res = await queryOsv([NGINX, LODASH, NGINX_FIXED], { ...FAST, baseUrl: s.url });
    expect(res.gaps).toEqual([]);
    expect(ids(res.records)).toEqual(['BIT-nginx-2024-7347', 'BIT-nginx-2025-23419', 'GHSA-35jh-r3h4-6jhm']);
    const b = batches(s);
    expect(b).toHaveLength(2);
    expect(queriesOf(b[1]!).every((q) => typeof q.page_token === 'string')).toBe(true);
    expect(queriesOf(b[1]!)).toHaveLength(3);
  });

  it('decodes gzip answers', async () => {
    const s = await fake({ gzip: true });
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: s.url });
    expect(res.gaps).toEqual([]);
    expect(res.records).toEqual([fixture('BIT-nginx-2024-7347'), fixture('BIT-nginx-2025-23419')]);
  });

  it('fetches records with bounded concurrency', async () => {
    const records: OsvRecord[] = Array.from({ length: 24 }, (_, i) => ({
      id: `GHSA-test-${String(i).padStart(4, '0')}`,
      modified: '2026-01-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'npm', name: 'many' }, versions: ['1.0.0'] }],
    }));
    const s = await fake({ records, delayMs: 30 });
    const res = await queryOsv([{ ecosystem: 'npm', name: 'many', version: '1.0.0' }], { ...FAST, baseUrl: s.url, concurrency: 3 });
    expect(res.gaps).toEqual([]);
    expect(res.records).toHaveLength(24);
    expect(s.maxInFlight).toBeLessThanOrEqual(3);
    expect(s.maxInFlight).toBeGreaterThanOrEqual(2);
  });
});

describe('queryOsv: retries', () => {
  it('waits for Retry-After on 429, then succeeds', async () => {
    const s = await fake();
    s.fault('/v1/querybatch', { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: '{"code":8,"message":"Too many requests"}' }, 1);
    const t0 = Date.now();
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: s.url });
    const elapsed = Date.now() - t0;
    expect(res.gaps).toEqual([]);
    expect(res.records).toHaveLength(2);
    expect(batches(s)).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once on a Retry-After longer than it may wait', async () => {
    const s = await fake();
    s.fault('/v1/querybatch', { kind: 'status', status: 429, headers: { 'retry-after': '3600' } });
    const t0 = Date.now();
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: s.url, maxRetryAfterMs: 5_000 });
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(batches(s)).toHaveLength(1);
    expect(res.gaps).toEqual([
      { scope: `${s.url} (Bitnami/nginx@1.25.3)`, reason: expect.stringMatching(/^OSV API did not answer: HTTP 429 with Retry-After of 3600 s/) },
    ]);
  });

  it('retries a 500, then succeeds', async () => {
    const s = await fake();
    s.fault('/v1/querybatch', { kind: 'status', status: 500 }, 2);
    s.fault('/v1/vulns/BIT-nginx-2024-7347', { kind: 'status', status: 503 }, 1);
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: s.url });
    expect(res.gaps).toEqual([]);
    expect(res.records).toHaveLength(2);
    expect(batches(s)).toHaveLength(3);
    expect(gets(s)).toHaveLength(3);
  });

  it('retries a connection reset', async () => {
    const s = await fake();
    s.fault('/v1/querybatch', { kind: 'reset' }, 1);
    s.fault('/v1/vulns/', { kind: 'reset' }, 1);
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: s.url });
    expect(res.gaps).toEqual([]);
    expect(res.records).toHaveLength(2);
  });

  it('retries a truncated body (Content-Length mismatch, and chunked)', async () => {
    const s = await fake();
    s.fault('/v1/querybatch', { kind: 'truncate' }, 1);
    s.fault('/v1/vulns/BIT-nginx-2024-7347', { kind: 'truncate', chunked: true }, 1);
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: s.url });
    expect(res.gaps).toEqual([]);
    expect(res.records).toEqual([fixture('BIT-nginx-2024-7347'), fixture('BIT-nginx-2025-23419')]);
    expect(batches(s)).toHaveLength(2);
    expect(gets(s).filter((r) => r.path.endsWith('7347'))).toHaveLength(2);
  });

  it('retries invalid JSON, then reports a gap', async () => {
    const s = await fake();
    s.fault('/v1/querybatch', { kind: 'status', status: 200, body: '{"results":[{"vulns":[{"id":"BIT-' });
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: s.url, retries: 2 });
    expect(batches(s)).toHaveLength(3);
    expect(res.records).toEqual([]);
    expect(res.gaps).toEqual([{ scope: `${s.url} (Bitnami/nginx@1.25.3)`, reason: 'OSV API did not answer: invalid JSON in the response after 3 tries' }]);
    expect(res.incomplete).toEqual([NGINX]);
  });
});

describe('queryOsv: gaps, never silence', () => {
  it('reports a gap when the retries are exhausted (HTTP 500 after 4 tries), one for the whole batch', async () => {
    const s = await fake();
    s.fault('/v1/querybatch', { kind: 'status', status: 500 });
    const res = await queryOsv([NGINX, REDIS], { ...FAST, baseUrl: s.url });
    expect(batches(s)).toHaveLength(4);
    expect(res.records).toEqual([]);
    expect(res.gaps).toEqual([
      { scope: `${s.url} (Bitnami/nginx@1.25.3, Bitnami/redis@7.2.4)`, reason: 'OSV API did not answer: HTTP 500 after 4 tries' },
    ]);
    expect(res.incomplete).toEqual([NGINX, REDIS]);
  });

  it('keeps the batches that answered when another fails', async () => {
    const s = await fake();
    const pkgs = [NGINX, REDIS, LODASH];
    // one package a batch, one batch at a time: the second batch (REDIS) fails every try
    let n = 0;
    const res = await queryOsv(pkgs, {
      ...FAST,
      baseUrl: s.url,
      batchSize: 1,
      concurrency: 1,
      onProgress: (p) => {
        if (p.phase === 'querybatch' && p.done === 1 && n++ === 0) s.fault('/v1/querybatch', { kind: 'status', status: 502 }, 4);
      },
    });
    expect(res.gaps).toEqual([{ scope: `${s.url} (Bitnami/redis@7.2.4)`, reason: 'OSV API did not answer: HTTP 502 after 4 tries' }]);
    expect(ids(res.records)).toEqual(['BIT-nginx-2024-7347', 'BIT-nginx-2025-23419', 'GHSA-35jh-r3h4-6jhm']);
    expect(res.incomplete).toEqual([REDIS]);
  });

  it('reports a gap for a page that fails after the first, keeping what came before', async () => {
    const s = await fake({ pageSize: 1 });
    let armed = false;
    const res = await queryOsv([NGINX], {
      ...FAST,
      baseUrl: s.url,
      retries: 1,
      onProgress: (p) => {
        if (p.phase === 'querybatch' && !armed) {
          armed = true;
          s.fault('/v1/querybatch', { kind: 'status', status: 500 });
        }
      },
    });
    expect(ids(res.records)).toEqual(['BIT-nginx-2024-7347']);
    expect(res.gaps).toEqual([
      { scope: `${s.url} (Bitnami/nginx@1.25.3)`, reason: 'results incomplete after some pages: OSV API did not answer: HTTP 500 after 2 tries' },
    ]);
    expect(res.incomplete).toEqual([NGINX]);
  });

  it('times out a server that never sends headers, within the configured time', async () => {
    const s = await fake();
    s.fault('/v1/querybatch', { kind: 'hang' });
    const t0 = Date.now();
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: s.url, timeoutMs: 200, retries: 1 });
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(400); // two tries of 200 ms
    expect(elapsed).toBeLessThan(1_000);
    expect(batches(s)).toHaveLength(2);
    expect(res.gaps).toEqual([
      { scope: `${s.url} (Bitnami/nginx@1.25.3)`, reason: 'OSV API did not answer: no response headers within 200 ms after 2 tries' },
    ]);
  });

  it('times out a body that stalls', async () => {
    const s = await fake();
    s.fault('/v1/vulns/BIT-nginx-2025-23419', { kind: 'stall-body' });
    const t0 = Date.now();
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: s.url, timeoutMs: 200, retries: 1 });
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(ids(res.records)).toEqual(['BIT-nginx-2024-7347']);
    expect(res.gaps).toEqual([
      {
        scope: `${s.url} (Bitnami/nginx@1.25.3)`,
        reason: 'record BIT-nginx-2025-23419 missing: OSV API did not answer: response body stalled for 200 ms after 2 tries',
      },
    ]);
  });

  it('cuts off an attempt at its deadline even when bytes keep coming', async () => {
    const s = await fake();
    s.fault('/v1/querybatch', { kind: 'trickle', everyMs: 20 });
    const t0 = Date.now();
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: s.url, timeoutMs: 5_000, attemptTimeoutMs: 150, retries: 1 });
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(res.gaps).toEqual([
      { scope: `${s.url} (Bitnami/nginx@1.25.3)`, reason: 'OSV API did not answer: no complete response within 150 ms after 2 tries' },
    ]);
  });

  it('reports a gap for a vulns/{id} that answers 404, without retrying it, and keeps the rest', async () => {
    const s = await fake();
    s.fault('/v1/vulns/BIT-redis-2024-31449', { kind: 'status', status: 404, body: '{"code":5,"message":"Bug not found."}' });
    const res = await queryOsv([NGINX, REDIS], { ...FAST, baseUrl: s.url });
    expect(ids(res.records)).toEqual(['BIT-nginx-2024-7347', 'BIT-nginx-2025-23419']);
    expect(res.gaps).toEqual([
      { scope: `${s.url} (Bitnami/redis@7.2.4)`, reason: 'record BIT-redis-2024-31449 missing: OSV API has no such record (HTTP 404)' },
    ]);
    expect(gets(s).filter((r) => r.path.endsWith('31449'))).toHaveLength(1);
    expect(res.incomplete).toEqual([REDIS]);
  });

  it('rejects a record that is not the one asked for', async () => {
    const s = await fake();
    s.fault('/v1/vulns/BIT-redis-2024-31449', { kind: 'status', status: 200, body: JSON.stringify(fixture('BIT-nginx-2024-7347')) });
    s.fault('/v1/vulns/GHSA-35jh-r3h4-6jhm', { kind: 'status', status: 200, body: '{"id":"GHSA-35jh-r3h4-6jhm"}' });
    const res = await queryOsv([REDIS, LODASH], { ...FAST, baseUrl: s.url, retries: 1 });
    expect(res.records).toEqual([]);
    expect(res.gaps).toEqual([
      {
        scope: `${s.url} (Bitnami/redis@7.2.4)`,
        reason:
          'record BIT-redis-2024-31449 missing: OSV API did not answer: unexpected response: record "BIT-nginx-2024-7347" instead of "BIT-redis-2024-31449" after 2 tries',
      },
      {
        scope: `${s.url} (npm/lodash@4.17.20)`,
        reason: 'record GHSA-35jh-r3h4-6jhm missing: OSV API did not answer: unexpected response: record GHSA-35jh-r3h4-6jhm without "modified" after 2 tries',
      },
    ]);
  });

  it('rejects a querybatch answer with the wrong number of results', async () => {
    const s = await fake();
    s.fault('/v1/querybatch', { kind: 'status', status: 200, body: '{"results":[{}]}' });
    const res = await queryOsv([NGINX, REDIS], { ...FAST, baseUrl: s.url, retries: 0 });
    expect(res.gaps).toEqual([
      {
        scope: `${s.url} (Bitnami/nginx@1.25.3, Bitnami/redis@7.2.4)`,
        reason: 'OSV API did not answer: unexpected response: 1 results for 2 queries after 1 try',
      },
    ]);
  });

  it('reports an oversized answer as a gap without retrying (declared, and streamed)', async () => {
    const s = await fake();
    s.fault('/v1/querybatch', { kind: 'oversize', bytes: 100_000 }, 1);
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: s.url, maxResponseBytes: 50_000 });
    expect(batches(s)).toHaveLength(1);
    expect(res.gaps).toEqual([{ scope: `${s.url} (Bitnami/nginx@1.25.3)`, reason: 'OSV API response too large: more than 50000 bytes' }]);

    const s2 = await fake();
    s2.fault('/v1/querybatch', { kind: 'oversize', bytes: 100_000, chunked: true }, 1);
    const res2 = await queryOsv([NGINX], { ...FAST, baseUrl: s2.url, maxResponseBytes: 50_000 });
    expect(batches(s2)).toHaveLength(1);
    expect(res2.gaps).toEqual([{ scope: `${s2.url} (Bitnami/nginx@1.25.3)`, reason: 'OSV API response too large: more than 50000 bytes' }]);
  });

  it('caps the decompressed size of a gzip answer too', async () => {
    const s = await fake({ gzip: true });
    // the nginx records are 1.6 KB of JSON, 0.9 KB gzipped: under the cap on the wire, not once decoded
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: s.url, maxResponseBytes: 1_200 });
    expect(res.records).toEqual([]);
    expect(res.gaps.map((g) => g.reason)).toEqual([
      'record BIT-nginx-2024-7347 missing: OSV API response too large: more than 1200 bytes',
      'record BIT-nginx-2025-23419 missing: OSV API response too large: more than 1200 bytes',
    ]);
  });

  it('does not retry a 400, and shows OSV’s message', async () => {
    const s = await fake();
    s.fault('/v1/querybatch', { kind: 'status', status: 400, body: '{"code":3,"message":"Invalid query."}' });
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: s.url });
    expect(batches(s)).toHaveLength(1);
    expect(res.gaps).toEqual([{ scope: `${s.url} (Bitnami/nginx@1.25.3)`, reason: 'OSV API refused the request: HTTP 400 (Invalid query.)' }]);
  });

  it('reports a server that is not there as a gap', async () => {
    const s = await fake();
    const url = s.url;
    await s.close();
    servers = [];
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: url, retries: 1 });
    expect(res.gaps).toEqual([{ scope: `${url} (Bitnami/nginx@1.25.3)`, reason: 'OSV API did not answer: connection refused after 2 tries' }]);
  });

  it('isolates the queries OSV refuses (400 for the whole batch) and answers the others', async () => {
    const s = await fake();
    const bad = { ecosystem: 'npm', name: '', version: '1.0.0' };
    const pkgs = [
      ...Array.from({ length: 20 }, (_, i) => ({ ecosystem: 'npm', name: `p${i}`, version: '1.0.0' })),
      NGINX,
      bad,
      REDIS,
    ];
    const res = await queryOsv(pkgs, { ...FAST, baseUrl: s.url });
    expect(ids(res.records)).toEqual(['BIT-nginx-2024-7347', 'BIT-nginx-2025-23419', 'BIT-redis-2024-31449']);
    expect(res.gaps).toEqual([{ scope: `${s.url} (npm/@1.0.0)`, reason: 'OSV API refused the request: HTTP 400 (Invalid query.)' }]);
    expect(res.incomplete).toEqual([bad]);
    expect(batches(s).length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(23)));
  });

  it('names at most five packages in a batch gap', async () => {
    const s = await fake();
    s.fault('/v1/querybatch', { kind: 'status', status: 500 });
    const pkgs = Array.from({ length: 8 }, (_, i) => ({ ecosystem: 'npm', name: `p${i}`, version: '1.0.0' }));
    const res = await queryOsv(pkgs, { ...FAST, baseUrl: s.url, retries: 0 });
    expect(res.gaps).toEqual([
      { scope: `${s.url} (npm/p0@1.0.0, npm/p1@1.0.0, npm/p2@1.0.0, npm/p3@1.0.0, npm/p4@1.0.0 and 3 more)`, reason: 'OSV API did not answer: HTTP 500 after 1 try' },
    ]);
    expect(res.incomplete).toHaveLength(8);
  });

  it('stops following pages at maxPages, with a gap', async () => {
    const s = await fake({ pageSize: 1 });
    const res = await queryOsv([NGINX, REDIS], { ...FAST, baseUrl: s.url, maxPages: 1 });
    expect(ids(res.records)).toEqual(['BIT-nginx-2024-7347', 'BIT-redis-2024-31449']);
    expect(res.gaps).toEqual([{ scope: `${s.url} (Bitnami/nginx@1.25.3)`, reason: 'OSV API results incomplete: still paginating after 1 page' }]);
    expect(res.incomplete).toEqual([NGINX]);
  });

  it('stops when the caller aborts during a backoff', async () => {
    const s = await fake();
    s.fault('/v1/querybatch', { kind: 'status', status: 500 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('interrupted')), 100);
    const t0 = Date.now();
    await expect(queryOsv([NGINX], { ...FAST, baseUrl: s.url, backoffMs: 10_000, maxBackoffMs: 10_000, signal: ac.signal })).rejects.toThrow('interrupted');
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('stops when the caller aborts', async () => {
    const s = await fake();
    s.fault('/v1/querybatch', { kind: 'hang' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('interrupted')), 100);
    await expect(queryOsv([NGINX], { ...FAST, baseUrl: s.url, signal: ac.signal })).rejects.toThrow('interrupted');
  });
});

describe('queryOsv: TLS and extra CA certificates', () => {
  const tls = fixtureTls();

  it('does not trust an unknown CA, and says how to fix it', async () => {
    const s = await fake({ tls });
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: s.url });
    expect(res.gaps).toHaveLength(1);
    expect(res.gaps[0]!.reason).toBe('OSV API did not answer: TLS certificate not trusted: issued by an unknown CA (CHARTAUDIT_EXTRA_CA_CERTS may name a PEM file with the CA to trust)');
  });

  it('trusts the CA of the extraCaCertsFile option', async () => {
    const s = await fake({ tls });
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: s.url, extraCaCertsFile: fixtureCaPath() });
    expect(res.gaps).toEqual([]);
    expect(res.records).toHaveLength(2);
  });

  it('reads CHARTAUDIT_EXTRA_CA_CERTS', async () => {
    const s = await fake({ tls });
    const before = process.env.CHARTAUDIT_EXTRA_CA_CERTS;
    process.env.CHARTAUDIT_EXTRA_CA_CERTS = fixtureCaPath();
    try {
      const { extraCaCertsFile: _drop, ...rest } = FAST;
      const res = await queryOsv([NGINX], { ...rest, baseUrl: s.url });
      expect(res.gaps).toEqual([]);
      expect(res.records).toHaveLength(2);
    } finally {
      if (before === undefined) delete process.env.CHARTAUDIT_EXTRA_CA_CERTS;
      else process.env.CHARTAUDIT_EXTRA_CA_CERTS = before;
    }
  });

  it('fails loudly on an unreadable or empty CA file', async () => {
    await expect(queryOsv([NGINX], { ...FAST, extraCaCertsFile: '/nonexistent/ca.pem' })).rejects.toThrow(InputError);
    await expect(queryOsv([NGINX], { ...FAST, extraCaCertsFile: new URL('./osv-api.ts', import.meta.url).pathname })).rejects.toThrow(
      /holds no PEM certificate/,
    );
  });
});

describe('queryOsv: an overall deadline, faults said plainly, the URL used named', () => {
  it('a server that accepts and never answers: the deadline ends the query, whatever the time-outs and retries', async () => {
    const s = await fake();
    s.fault('/v1/querybatch', { kind: 'hang' });
    const retries: string[] = [];
    const t0 = Date.now();
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: s.url, timeoutMs: 20_000, retries: 3, deadlineMs: 300, onRetry: (m) => retries.push(m) });
    expect(Date.now() - t0).toBeLessThan(10_000); // 4 tries × 20 s without it
    expect(batches(s)).toHaveLength(1);
    expect(retries).toEqual([]);
    expect(res.gaps).toEqual([{ scope: `${s.url} (Bitnami/nginx@1.25.3)`, reason: 'OSV API did not answer: no response within the 0.3 s deadline' }]);
    expect(res.incomplete).toEqual([NGINX]);
  });

  it('requests still queued when the deadline passes are not sent, and say so', async () => {
    const s = await fake();
    s.fault('/v1/querybatch', { kind: 'hang' });
    const res = await queryOsv([NGINX, REDIS], { ...FAST, baseUrl: s.url, batchSize: 1, concurrency: 1, timeoutMs: 20_000, deadlineMs: 300 });
    expect(batches(s)).toHaveLength(1);
    expect(res.gaps).toEqual([
      { scope: `${s.url} (Bitnami/nginx@1.25.3)`, reason: 'OSV API did not answer: no response within the 0.3 s deadline' },
      { scope: `${s.url} (Bitnami/redis@7.2.4)`, reason: 'OSV API not asked: the 0.3 s deadline had passed' },
    ]);
    expect(res.incomplete).toEqual([NGINX, REDIS]);
  });

  it('no retry is begun that the deadline would cut off; each retry is announced with the URL', async () => {
    const s = await fake();
    s.fault('/v1/querybatch', { kind: 'status', status: 500 }, 100);
    const retries: string[] = [];
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: s.url, retries: 5, backoffMs: 200, maxBackoffMs: 10_000, random: () => 0.999, deadlineMs: 1_000, onRetry: (m) => retries.push(m) });
    // Tries at 0, ~200 and ~600 ms; the next would begin at ~1400 ms.
    expect(batches(s)).toHaveLength(3);
    expect(res.gaps).toEqual([{ scope: `${s.url} (Bitnami/nginx@1.25.3)`, reason: 'OSV API did not answer: HTTP 500 after 3 tries; the 1 s deadline leaves no time for another' }]);
    expect(retries).toEqual([`${s.url}/v1/querybatch: HTTP 500; try 2 of 6 in 0.2 s`, `${s.url}/v1/querybatch: HTTP 500; try 3 of 6 in 0.4 s`]);
  });

  it('a refused connection: one quick retry, not the backoffs', async () => {
    const s = await fake();
    const url = s.url;
    await s.close();
    servers = [];
    const t0 = Date.now();
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: url, retries: 3, backoffMs: 5_000, maxBackoffMs: 5_000 });
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(res.gaps).toEqual([{ scope: `${url} (Bitnami/nginx@1.25.3)`, reason: 'OSV API did not answer: connection refused after 2 tries' }]);
  });

  it('a wrong base URL (404 on querybatch) is said as such, not as "no such record"', async () => {
    const web = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(web.address() as AddressInfo).port}/not-osv`;
    try {
      const res = await queryOsv([NGINX], { ...FAST, baseUrl: base });
      expect(res.gaps).toEqual([{ scope: `${base} (Bitnami/nginx@1.25.3)`, reason: `${base}/v1/querybatch: HTTP 404: is --osv-url right?` }]);
    } finally {
      await new Promise((r) => web.close(r));
    }
  });

  it('https:// to a plain http server: the TLS mismatch in plain words, not retried', async () => {
    const s = await fake();
    const url = s.url.replace('http:', 'https:');
    const res = await queryOsv([NGINX], { ...FAST, baseUrl: url });
    expect(res.gaps).toEqual([{ scope: `${url} (Bitnami/nginx@1.25.3)`, reason: 'OSV API did not answer: TLS handshake failed: the server does not speak TLS (is it http://?)' }]);
  });

  it('the default deadline is a minute', () => {
    expect(DEFAULT_OSV_DEADLINE_MS).toBe(60_000);
  });
});
