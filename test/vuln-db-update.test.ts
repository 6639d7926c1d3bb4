/**
 * db update against real HTTP(S) servers on 127.0.0.1 (node:http / node:https), no mocks.
 * Time-outs and backoffs are injected short so that every test stays well under a few seconds.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse, Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { updateDb, updatePlan, progressPrinter } from '../src/vuln/db/update.js';
import type { UpdateProgress } from '../src/vuln/db/update.js';
import { DownloadError, download, parseRetryAfter } from '../src/vuln/db/http.js';
import type { FetchOptions } from '../src/vuln/db/http.js';
import { DB_FILE, openDb } from '../src/vuln/db/store.js';
import { importPath } from '../src/vuln/db/import.js';
import { InputError } from '../src/model/errors.js';
import { makeZip } from '../fixtures/vuln/zip-writer.js';
import { selfSignedCert, type SelfSigned } from './helpers/tls.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'vuln');
let root: string;
let n = 0;
const freshDir = (): string => join(root, `db${n++}`);

const record = (id: string, name: string, modified = '2024-01-01T00:00:00Z'): string =>
  JSON.stringify({ id, modified, aliases: [`CVE-${id}`], affected: [{ package: { ecosystem: 'Bitnami', name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }] }] });
const BITNAMI_ZIP = makeZip([
  { name: 'BIT-a-2024-1.json', data: record('BIT-a-2024-1', 'a') },
  { name: 'BIT-b-2024-1.json', data: record('BIT-b-2024-1', 'b') },
  { name: 'BIT-b-2024-2.json', data: record('BIT-b-2024-2', 'b') },
]);
const PYPI_ZIP = makeZip([{ name: 'PYSEC-2024-1.json', data: JSON.stringify({ id: 'PYSEC-2024-1', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'PyPI', name: 'x' } }] }) }]);

/** Short time-outs and backoffs; no proxies from the environment. */
const FAST: FetchOptions = { connectTimeoutMs: 1000, headersTimeoutMs: 300, bodyTimeoutMs: 300, retries: 2, backoffMs: 20, maxBackoffMs: 100, env: {} };

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;
const servers: Server[] = [];

async function serve(handler: Handler): Promise<{ url: string; hits: () => number; paths: string[] }> {
  let hits = 0;
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    handler(req, res, ++hits);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits, paths };
}

function send(res: ServerResponse, body: Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(body.length), ...headers });
  res.end(body);
}

/** Sends the headers (announcing the full length) and half of the body, then drops the connection. */
function truncate(res: ServerResponse, body: Buffer): void {
  res.writeHead(200, { 'content-length': String(body.length) });
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => res.socket?.destroy(), 10));
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'chartaudit-vulnupdate-'));
});
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A database with one record, and a way to check it was not touched. */
async function existingDb(): Promise<{ dir: string; untouched: () => void }> {
  const dir = freshDir();
  await importPath(join(FIX, 'osv-dir', 'npm'), dir);
  const before = readFileSync(join(dir, DB_FILE));
  const ino = statSync(join(dir, DB_FILE)).ino;
  return {
    dir,
    untouched: () => {
      expect(statSync(join(dir, DB_FILE)).ino).toBe(ino);
      expect(readFileSync(join(dir, DB_FILE)).equals(before)).toBe(true);
      expect(readdirSync(dir)).toEqual([DB_FILE]);
    },
  };
}

describe('db update', () => {
  it('downloads each ecosystem zip and imports them with one swap', async () => {
    const srv = await serve((req, res) => {
      if (req.url === '/Bitnami/all.zip') send(res, BITNAMI_ZIP);
      else if (req.url === '/PyPI/all.zip') send(res, PYPI_ZIP);
      else res.writeHead(404).end();
    });
    const dir = freshDir();
    const events: UpdateProgress[] = [];
    const s = await updateDb(dir, { baseUrl: srv.url + '/', ecosystems: ['Bitnami', 'PyPI'], fetch: FAST, onProgress: (p) => events.push(p), now: new Date('2026-05-01T00:00:00Z') });
    expect(s).toMatchObject({
      imported: 4,
      skippedCount: 0,
      downloads: [
        { url: `${srv.url}/Bitnami/all.zip`, bytes: BITNAMI_ZIP.length, attempts: 1 },
        { url: `${srv.url}/PyPI/all.zip`, bytes: PYPI_ZIP.length, attempts: 1 },
      ],
      sources: [
        { name: 'osv:Bitnami', location: `${srv.url}/Bitnami/all.zip`, kind: 'osv-zip', records: 3, importedAt: '2026-05-01T00:00:00.000Z' },
        { name: 'osv:PyPI', location: `${srv.url}/PyPI/all.zip`, kind: 'osv-zip', records: 1 },
      ],
    });
    expect(events.some((e) => e.phase === 'download')).toBe(true);
    expect(events.filter((e) => e.phase === 'downloaded')).toHaveLength(2);
    expect(events.filter((e) => e.phase === 'finish').map((e) => (e as { source: string }).source)).toEqual(['osv:Bitnami', 'osv:PyPI']);
    expect(readdirSync(dir)).toEqual([DB_FILE]); // the download folder is gone
    const db = openDb(dir, { readonly: true });
    expect(db.recordsForPackage('Bitnami', 'b').map((r) => r.id)).toEqual(['BIT-b-2024-1', 'BIT-b-2024-2']);
    expect(db.status().counts).toEqual({ Bitnami: 3, PyPI: 1 });
    db.close();
  });

  it('retries a 429 after the Retry-After delay', async () => {
    const srv = await serve((_req, res, hit) => {
      if (hit === 1) res.writeHead(429, { 'retry-after': '1' }).end('slow down');
      else send(res, BITNAMI_ZIP);
    });
    const t0 = Date.now();
    const retries: UpdateProgress[] = [];
    const s = await updateDb(freshDir(), { baseUrl: srv.url, ecosystems: ['Bitnami'], fetch: FAST, onProgress: (p) => p.phase === 'download' && p.retryInMs !== undefined && retries.push(p) });
    const elapsed = Date.now() - t0;
    expect(s.downloads[0]!.attempts).toBe(2);
    expect(s.imported).toBe(3);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(3000);
    expect(retries).toMatchObject([{ retryInMs: 1000, reason: 'HTTP 429 Too Many Requests' }]);
  });

  it('caps a long Retry-After at maxRetryAfterMs', async () => {
    const srv = await serve((_req, res, hit) => (hit === 1 ? res.writeHead(429, { 'retry-after': '3600' }).end() : send(res, BITNAMI_ZIP)));
    const t0 = Date.now();
    await updateDb(freshDir(), { baseUrl: srv.url, ecosystems: ['Bitnami'], fetch: { ...FAST, maxRetryAfterMs: 50 } });
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('retries a 500 with backoff', async () => {
    const srv = await serve((_req, res, hit) => (hit === 1 ? res.writeHead(500).end('oops') : send(res, BITNAMI_ZIP)));
    const s = await updateDb(freshDir(), { baseUrl: srv.url, ecosystems: ['Bitnami'], fetch: FAST });
    expect(s.downloads[0]!.attempts).toBe(2);
    expect(srv.hits()).toBe(2);
  });

  it('retries a truncated body (fewer bytes than Content-Length)', async () => {
    const srv = await serve((_req, res, hit) => (hit === 1 ? truncate(res, BITNAMI_ZIP) : send(res, BITNAMI_ZIP)));
    const s = await updateDb(freshDir(), { baseUrl: srv.url, ecosystems: ['Bitnami'], fetch: FAST });
    expect(s.downloads[0]!.attempts).toBe(2);
    expect(s.imported).toBe(3);
  });

  it('gives up on a server that never answers within the configured time-out, leaving the db untouched', async () => {
    const { dir, untouched } = await existingDb();
    const srv = await serve(() => undefined); // accepts, never answers
    const t0 = Date.now();
    const err = await updateDb(dir, { baseUrl: srv.url, ecosystems: ['Bitnami'], fetch: { ...FAST, headersTimeoutMs: 200, retries: 1 } }).catch((e: unknown) => e);
    const elapsed = Date.now() - t0;
    expect(err).toBeInstanceOf(DownloadError);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(`${srv.url}/Bitnami/all.zip: no response within 0.2 s (2 tries)`);
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(1500);
    expect(srv.hits()).toBe(2);
    untouched();
  });

  it('gives up on a body that stalls longer than the body time-out', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(BITNAMI_ZIP.length) });
      res.write(BITNAMI_ZIP.subarray(0, 100)); // then nothing
    });
    const t0 = Date.now();
    const err = await updateDb(freshDir(), { baseUrl: srv.url, ecosystems: ['Bitnami'], fetch: { ...FAST, bodyTimeoutMs: 200, retries: 0 } }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`${srv.url}/Bitnami/all.zip: the response stalled for 0.2 s after 100 bytes`);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('fails after the retries are exhausted, and leaves the db untouched even when another source succeeded', async () => {
    const { dir, untouched } = await existingDb();
    const srv = await serve((req, res) => (req.url === '/Bitnami/all.zip' ? send(res, BITNAMI_ZIP) : res.writeHead(503).end()));
    const err = await updateDb(dir, { baseUrl: srv.url, ecosystems: ['Bitnami', 'PyPI'], fetch: FAST }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`${srv.url}/PyPI/all.zip: HTTP 503 Service Unavailable (3 tries)`);
    expect((err as DownloadError).attempts).toBe(3);
    expect(srv.hits()).toBe(4);
    untouched();
  });

  it('fails on truncated bodies after the retries', async () => {
    const { dir, untouched } = await existingDb();
    const srv = await serve((_req, res) => truncate(res, BITNAMI_ZIP));
    const err = await updateDb(dir, { baseUrl: srv.url, ecosystems: ['Bitnami'], fetch: { ...FAST, retries: 1 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as Error).message).toMatch(/Bitnami\/all\.zip: (truncated response|the server closed the connection).* \(2 tries\)$/);
    untouched();
  });

  it('does not retry a 404, and refuses bodies over the size cap', async () => {
    const { dir, untouched } = await existingDb();
    const srv = await serve((req, res) => (req.url === '/Nope/all.zip' ? res.writeHead(404).end() : send(res, BITNAMI_ZIP)));
    await expect(updateDb(dir, { baseUrl: srv.url, ecosystems: ['Nope'], fetch: FAST })).rejects.toThrow(
      `${srv.url}/Nope/all.zip: HTTP 404 Not Found (is the ecosystem spelled as OSV does, e.g. Bitnami or PyPI, and --osv-base-url right?)`,
    );
    expect(srv.hits()).toBe(1);
    await expect(updateDb(dir, { baseUrl: srv.url, ecosystems: ['Bitnami'], fetch: { ...FAST, maxBytes: 100 } })).rejects.toThrow(
      `${srv.url}/Bitnami/all.zip: ${BITNAMI_ZIP.length} bytes is more than the limit of 100`,
    );
    untouched();
  });

  it('refuses a downloaded file that is not a zip, leaving the db untouched', async () => {
    const { dir, untouched } = await existingDb();
    const srv = await serve((_req, res) => send(res, Buffer.from('<html>captive portal</html>')));
    await expect(updateDb(dir, { baseUrl: srv.url, ecosystems: ['Bitnami'], fetch: FAST })).rejects.toThrow(/osv-Bitnami\.zip: not a zip archive/);
    untouched();
  });

  it('follows redirects and escapes ecosystem names', async () => {
    const srv = await serve((req, res) => {
      if (req.url === '/Red%20Hat/all.zip') res.writeHead(302, { location: '/mirror/rh.zip' }).end();
      else if (req.url === '/mirror/rh.zip') send(res, PYPI_ZIP);
      else res.writeHead(404).end();
    });
    const s = await updateDb(freshDir(), { baseUrl: srv.url, ecosystems: ['Red Hat'], fetch: FAST });
    expect(s.sources[0]).toMatchObject({ name: 'osv:Red Hat', records: 1 });
    expect(srv.paths).toEqual(['/Red%20Hat/all.zip', '/mirror/rh.zip']);
  });

  it('downloads NVD JSON 2.0 feeds from a configurable base', async () => {
    const feed = readFileSync(join(FIX, 'nvd', 'nvdcve-2.0-2020.json.gz'));
    const srv = await serve((req, res) => (req.url === '/feeds/nvdcve-2.0-2020.json.gz' ? send(res, feed, { 'content-type': 'application/gzip' }) : res.writeHead(404).end()));
    const s = await updateDb(freshDir(), { baseUrl: srv.url, ecosystems: [], nvd: { baseUrl: `${srv.url}/feeds`, feeds: [2020] }, fetch: FAST });
    expect(s).toMatchObject({ imported: 3, skippedCount: 1, sources: [{ name: 'nvd:2020', kind: 'nvd-feed', location: `${srv.url}/feeds/nvdcve-2.0-2020.json.gz`, records: 3 }] });
  });

  it('holds the database lock for the whole update', async () => {
    const { dir, untouched } = await existingDb();
    const srv = await serve((_req, res) => send(res, BITNAMI_ZIP));
    writeFileSync(join(dir, '.import.lock'), String(process.pid));
    await expect(updateDb(dir, { baseUrl: srv.url, ecosystems: ['Bitnami'], fetch: FAST })).rejects.toThrow(/another chartaudit import or update is running/);
    expect(srv.hits()).toBe(0);
    rmSync(join(dir, '.import.lock'));
    untouched();
  });

  it('plans the default URLs', () => {
    expect(updatePlan({ now: new Date('2004-06-01T00:00:00Z'), nvd: {} }).map((p) => p.url)).toEqual([
      'https://osv-vulnerabilities.storage.googleapis.com/Bitnami/all.zip',
      'https://nvd.nist.gov/feeds/json/cve/2.0/nvdcve-2.0-2002.json.gz',
      'https://nvd.nist.gov/feeds/json/cve/2.0/nvdcve-2.0-2003.json.gz',
      'https://nvd.nist.gov/feeds/json/cve/2.0/nvdcve-2.0-2004.json.gz',
    ]);
  });

  it('prints progress lines', () => {
    const lines: string[] = [];
    const p = progressPrinter((l) => lines.push(l), 0);
    p({ phase: 'download', url: 'u', bytes: 1048576, total: 2097152, attempt: 1 });
    p({ phase: 'download', url: 'u', bytes: 0, total: null, attempt: 1, retryInMs: 1500, reason: 'HTTP 500' });
    p({ phase: 'finish', source: 'osv:Bitnami', records: 3 });
    // Lines without their line break: the caller adds it (the CLI did, and lines came out double-spaced).
    // Retries are onRetry's to tell (on a terminal only), not a progress line in a log.
    expect(lines).toEqual(['downloading u: 1.0 of 2.0 MiB', 'imported osv:Bitnami: 3 records read']);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.UTC(2015, 9, 21, 7, 28, 0))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('extra CA certificates (CHARTAUDIT_EXTRA_CA_CERTS)', () => {
  let tls: SelfSigned;
  beforeAll(() => {
    tls = selfSignedCert(root);
  });

  it('trusts a private CA only when it is given', async () => {
    const server = createHttpsServer({ key: tls.key, cert: tls.cert }, (_req, res) => send(res, BITNAMI_ZIP));
    servers.push(server as unknown as Server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { dir, untouched } = await existingDb();
    const err = await updateDb(dir, { baseUrl: url, ecosystems: ['Bitnami'], fetch: FAST }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as Error).message).toMatch(/self[- ]signed|certificate/i);
    expect((err as DownloadError).attempts).toBe(1); // a TLS failure is not retried
    untouched();
    const s = await updateDb(dir, { baseUrl: url, ecosystems: ['Bitnami'], fetch: { ...FAST, env: { CHARTAUDIT_EXTRA_CA_CERTS: tls.certPath } } });
    expect(s.imported).toBe(3);
  });

  it('https:// to a server that speaks plain http: one line saying so, not OpenSSL\'s text, no retry', async () => {
    const srv = await serve((_req, res) => send(res, BITNAMI_ZIP));
    const url = srv.url.replace('http:', 'https:');
    const err = await updateDb(freshDir(), { baseUrl: url, ecosystems: ['Bitnami'], fetch: FAST }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as Error).name).toBe('InputError'); // what src/cli/exit.ts maps to exit 2
    expect((err as Error).message).toBe(`${url}/Bitnami/all.zip: TLS handshake failed: the server does not speak TLS (is it http://?)`);
    expect((err as DownloadError).attempts).toBe(1);
  });

  it('http:// to a TLS server: the closed connection is named, with the hint', async () => {
    const server = createHttpsServer({ key: tls.key, cert: tls.cert }, (_req, res) => send(res, BITNAMI_ZIP));
    servers.push(server as unknown as Server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const err = await updateDb(freshDir(), { baseUrl: url, ecosystems: ['Bitnami'], fetch: { ...FAST, retries: 0 } }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`${url}/Bitnami/all.zip: the server closed the connection (if it speaks TLS, use https://)`);
  });

  it('names an unreadable CA file', async () => {
    const dest = join(root, 'x.bin');
    await expect(download('http://127.0.0.1:9/', dest, { ...FAST, env: { CHARTAUDIT_EXTRA_CA_CERTS: join(root, 'missing.pem') } })).rejects.toThrow(/CHARTAUDIT_EXTRA_CA_CERTS: cannot read .*missing\.pem: ENOENT/);
    expect(existsSync(dest)).toBe(false);
  });
});

describe('faults said plainly, an overall deadline, retries announced', () => {
  /** A port nothing listens on: a server opened and closed. */
  async function deadPort(): Promise<string> {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise((r) => srv.close(r));
    return `http://127.0.0.1:${port}`;
  }

  it('connection refused: one quick retry, not four backoffs', async () => {
    const url = await deadPort();
    const retries: string[] = [];
    const t0 = Date.now();
    // Backoffs that would take 15 s if a refusal were retried like a reset.
    const err = await updateDb(freshDir(), { baseUrl: url, ecosystems: ['Bitnami'], fetch: { ...FAST, retries: 4, backoffMs: 1000, maxBackoffMs: 8000 }, onRetry: (m) => retries.push(m) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as Error).message).toBe(`${url}/Bitnami/all.zip: connection refused (2 tries)`);
    expect(retries).toEqual([`${url}/Bitnami/all.zip: connection refused; try 2 of 2 in 0.5 s`]);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('a server that accepts and never answers: the deadline cuts the try short, whatever the time-outs', async () => {
    const { dir, untouched } = await existingDb();
    const srv = await serve(() => undefined);
    const t0 = Date.now();
    const err = await updateDb(dir, { baseUrl: srv.url, ecosystems: ['Bitnami'], deadlineMs: 300, fetch: { ...FAST, headersTimeoutMs: 20_000, retries: 4 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as Error).message).toBe(`${srv.url}/Bitnami/all.zip: no response within the 0.3 s deadline`);
    expect(srv.hits()).toBe(1);
    expect(Date.now() - t0).toBeLessThan(10_000); // the time-out alone would be 20 s, tries × time-out 100 s
    untouched();
  });

  it('a body that trickles past the deadline is cut off', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(BITNAMI_ZIP.length) });
      let i = 0;
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(BITNAMI_ZIP.subarray(i, ++i))), 20);
    });
    const err = await download(`${srv.url}/x.zip`, join(root, 'trickle.zip'), { ...FAST, bodyTimeoutMs: 5000, deadlineMs: 400 }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(new RegExp(`^${srv.url}/x\\.zip: the response was not complete \\(\\d+ bytes\\) within the 0\\.4 s deadline$`));
    expect(existsSync(join(root, 'trickle.zip'))).toBe(false);
  });

  it('no retry starts that the deadline would cut off; each retry is announced', async () => {
    const srv = await serve((_req, res) => res.writeHead(500).end());
    const retries: string[] = [];
    const err = await download(`${srv.url}/x.zip`, join(root, 'x.zip'), { ...FAST, retries: 4, backoffMs: 200, maxBackoffMs: 5000, deadlineMs: 1000, onRetry: (m) => retries.push(m) }).catch((e: unknown) => e);
    // Tries at 0, 200 and 600 ms; the next would start at 1400 ms, past the deadline.
    expect((err as Error).message).toBe(`${srv.url}/x.zip: HTTP 500 Internal Server Error (3 tries; the 1 s deadline leaves no time for another)`);
    expect(retries).toEqual([
      `${srv.url}/x.zip: HTTP 500 Internal Server Error; try 2 of 5 in 0.2 s`,
      `${srv.url}/x.zip: HTTP 500 Internal Server Error; try 3 of 5 in 0.4 s`,
    ]);
    expect(srv.hits()).toBe(3);
  });

  it('a server that does not speak HTTP', async () => {
    const { createServer: createTcpServer } = await import('node:net');
    const socks: import('node:net').Socket[] = [];
    const tcp = createTcpServer((sock) => {
      socks.push(sock);
      sock.end('SSH-2.0-OpenSSH_9.6\r\n');
    });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(tcp.address() as AddressInfo).port}`;
    try {
      const err = await download(`${url}/x.zip`, join(root, 'x.zip'), FAST).catch((e: unknown) => e);
      expect((err as Error).message).toBe(`${url}/x.zip: the server did not answer in HTTP (is the port right?)`);
    } finally {
      for (const sock of socks) sock.destroy();
      await new Promise((r) => tcp.close(r));
    }
  });
});
