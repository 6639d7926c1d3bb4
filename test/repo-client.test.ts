/**
 * The chart repository client against a real Helm repository served on 127.0.0.1 by node:http:
 * index.yaml and chart archives written on the fly.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../src/model/errors.js';
import { downloadChart, downloadProvenance, fetchIndex, fetchText, resolveChartVersion } from '../src/repo/index.js';
import { chartNameIn, resolveChartRef } from '../src/repo/repositories.js';
import { selfSignedCert, type SelfSigned } from './helpers/tls.js';

const CHART = readFileSync(new URL('../fixtures/demo/storefront-5.0.1.tgz', import.meta.url));
const PROV = readFileSync(new URL('../fixtures/demo/storefront-5.0.1.tgz.prov', import.meta.url));
const hex = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const OTHER = Buffer.from('not the chart you are looking for');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server;
let base: string;
let routes: Map<string, Handler>;
const seen: { path: string; auth: string | undefined }[] = [];
const hits = (path: string): number => seen.filter((s) => s.path === path).length;

function send(body: Buffer | string, type = 'application/octet-stream'): Handler {
  return (_req, res) => {
    const b = Buffer.from(body);
    res.writeHead(200, { 'content-type': type, 'content-length': b.length });
    res.end(b);
  };
}
function status(code: number): Handler {
  return (_req, res) => {
    res.writeHead(code, { 'content-type': 'text/plain' });
    res.end(`status ${code}`);
  };
}
/** Fails `n` times with `fail`, then answers with `ok`. */
function flaky(n: number, fail: Handler, ok: Handler): Handler {
  let left = n;
  return (req, res) => (left-- > 0 ? fail(req, res) : ok(req, res));
}
const truncated: Handler = (_req, res) => {
  res.writeHead(200, { 'content-length': 10_000 });
  res.write(Buffer.alloc(100, 1));
  setTimeout(() => res.socket?.destroy(), 10);
};
const hang: Handler = () => undefined;

function indexYaml(opts: { chartUrl?: string; digest?: string | null; extra?: string } = {}): string {
  const digest = opts.digest === undefined ? hex(CHART) : opts.digest;
  return `apiVersion: v1
entries:
  storefront:
  - apiVersion: v2
    name: storefront
    version: 5.0.1
    appVersion: 9.2.0
    created: "2024-10-01T00:00:00Z"
    urls:
    - ${opts.chartUrl ?? 'charts/storefront-5.0.1.tgz'}
${digest === null ? '' : `    digest: ${digest}\n`}  - name: storefront
    version: 4.2.0
    urls: [charts/storefront-4.2.0.tgz]
    digest: ${hex(OTHER)}
  - name: storefront
    version: 6.0.0-beta.1
    urls: [charts/storefront-6.0.0-beta.1.tgz]
${opts.extra ?? ''}generated: "2024-10-02T00:00:00Z"
`;
}

const fast = { retries: 2, backoffMs: 5, maxBackoffMs: 20, headersTimeoutMs: 2000, bodyTimeoutMs: 2000, connectTimeoutMs: 2000, env: {} };

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    seen.push({ path, auth: req.headers.authorization });
    const h = routes.get(path);
    if (h) h(req, res);
    else status(404)(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  seen.length = 0;
  routes = new Map([
    ['/repo/index.yaml', send(indexYaml(), 'text/yaml')],
    ['/repo/charts/storefront-5.0.1.tgz', send(CHART)],
    ['/repo/charts/storefront-5.0.1.tgz.prov', send(PROV)],
    ['/repo/charts/storefront-4.2.0.tgz', send(OTHER)],
  ]);
});

describe('index lookup', () => {
  it('fetches the index and picks the latest stable version, an exact one, a constraint', async () => {
    const idx = await fetchIndex(`${base}/repo`, fast);
    expect(idx.apiVersion).toBe('v1');
    expect(idx.entries.get('storefront')!.map((e) => e.version)).toEqual(['6.0.0-beta.1', '5.0.1', '4.2.0']);
    expect(resolveChartVersion(idx, 'storefront').version).toBe('5.0.1');
    expect(resolveChartVersion(idx, 'storefront', '4.2.0').version).toBe('4.2.0');
    expect(resolveChartVersion(idx, 'storefront', '~4').version).toBe('4.2.0');
  });
  it('a trailing slash in the repository URL makes no difference', async () => {
    const idx = await fetchIndex(`${base}/repo/`, fast);
    expect(idx.entries.has('storefront')).toBe(true);
    expect(hits('/repo/index.yaml')).toBe(1);
  });
  it('missing chart and missing version are clear errors', async () => {
    const idx = await fetchIndex(`${base}/repo`, fast);
    expect(() => resolveChartVersion(idx, 'redis')).toThrow(`chart redis not found in repo ${base}/repo/index.yaml`);
    expect(() => resolveChartVersion(idx, 'storefront', '7.0.0')).toThrow(/version 7\.0\.0 not found in repo .*, available: 6\.0\.0-beta\.1, 5\.0\.1, 4\.2\.0/);
  });
  it('garbage instead of an index is an InputError', async () => {
    routes.set('/repo/index.yaml', send('<html><body>Welcome to nginx</body></html>', 'text/html'));
    await expect(fetchIndex(`${base}/repo`, fast)).rejects.toThrow(/not a Helm repository index/);
  });
  it('an index over the size cap is refused', async () => {
    await expect(fetchIndex(`${base}/repo`, { ...fast, maxBytes: 100 })).rejects.toThrow(/more than the limit of 100/);
  });
});

describe('chart download', () => {
  it('relative URL, digest checked', async () => {
    const idx = await fetchIndex(`${base}/repo`, fast);
    const got = await downloadChart(resolveChartVersion(idx, 'storefront'), `${base}/repo`, fast);
    expect(got.bytes.equals(CHART)).toBe(true);
    expect(got.digest).toBe(`sha256:${hex(CHART)}`);
    expect(got.url).toBe(`${base}/repo/charts/storefront-5.0.1.tgz`);
    expect(got.fileName).toBe('storefront-5.0.1.tgz');
  });
  it('absolute URL (another path, the digest in sha256: form)', async () => {
    routes.set('/cdn/storefront.tgz', send(CHART));
    routes.set('/repo/index.yaml', send(indexYaml({ chartUrl: `${base}/cdn/storefront.tgz`, digest: `sha256:${hex(CHART).toUpperCase()}` })));
    const idx = await fetchIndex(`${base}/repo`, fast);
    const got = await downloadChart(resolveChartVersion(idx, 'storefront', '5.0.1'), `${base}/repo`, fast);
    expect(got.url).toBe(`${base}/cdn/storefront.tgz`);
    expect(got.bytes.equals(CHART)).toBe(true);
  });
  it('a digest mismatch is refused', async () => {
    routes.set('/repo/charts/storefront-5.0.1.tgz', send(OTHER));
    const idx = await fetchIndex(`${base}/repo`, fast);
    const err = await downloadChart(resolveChartVersion(idx, 'storefront'), `${base}/repo`, fast).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain(`digest mismatch: index says sha256:${hex(CHART)}, downloaded sha256:${hex(OTHER)}`);
  });
  it('an entry without a digest is refused unless allowed', async () => {
    routes.set('/repo/index.yaml', send(indexYaml({ digest: null })));
    const idx = await fetchIndex(`${base}/repo`, fast);
    const entry = resolveChartVersion(idx, 'storefront');
    await expect(downloadChart(entry, `${base}/repo`, fast)).rejects.toThrow(/no digest/);
    expect(hits('/repo/charts/storefront-5.0.1.tgz')).toBe(0);
    expect((await downloadChart(entry, `${base}/repo`, { ...fast, allowMissingDigest: true })).bytes.equals(CHART)).toBe(true);
  });
  it('the provenance file, and null when the repository has none', async () => {
    const idx = await fetchIndex(`${base}/repo`, fast);
    expect((await downloadProvenance(resolveChartVersion(idx, 'storefront'), `${base}/repo`, fast))!.equals(PROV)).toBe(true);
    expect(await downloadProvenance(resolveChartVersion(idx, 'storefront', '4.2.0'), `${base}/repo`, fast)).toBeNull();
  });
});

describe('external notes URL', () => {
  it('is fetched as text', async () => {
    routes.set('/notes/security-mitigation.yaml', send('\ufeffschemaVersion: v1\nsummary: fine\n', 'text/yaml'));
    expect(await fetchText(`${base}/notes/security-mitigation.yaml`, fast)).toBe('schemaVersion: v1\nsummary: fine\n');
  });
  it('binary, oversize, plain http to another host, and non-http URLs are refused', async () => {
    routes.set('/notes/bin', send(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01])));
    routes.set('/notes/big', send('x'.repeat(5000)));
    await expect(fetchText(`${base}/notes/bin`, fast)).rejects.toThrow(/not text/);
    await expect(fetchText(`${base}/notes/big`, { ...fast, maxBytes: 1000 })).rejects.toThrow(/limit of 1000/);
    await expect(fetchText('http://example.invalid/notes.yaml', fast)).rejects.toThrow(/plain http; only https/);
    await expect(fetchText('file:///etc/passwd', fast)).rejects.toThrow(/not an http\(s\) URL/);
  });
});

describe('server errors', () => {
  it('500 then success is retried', async () => {
    routes.set('/repo/index.yaml', flaky(2, status(500), send(indexYaml())));
    const idx = await fetchIndex(`${base}/repo`, fast);
    expect(idx.entries.has('storefront')).toBe(true);
    expect(hits('/repo/index.yaml')).toBe(3);
  });
  it('429 with Retry-After is retried', async () => {
    routes.set(
      '/repo/index.yaml',
      flaky(
        1,
        (_q, r) => {
          r.writeHead(429, { 'retry-after': '0' });
          r.end();
        },
        send(indexYaml()),
      ),
    );
    await expect(fetchIndex(`${base}/repo`, fast)).resolves.toBeTruthy();
    expect(hits('/repo/index.yaml')).toBe(2);
  });
  it('500 for good gives up with a one-line InputError', async () => {
    routes.set('/repo/index.yaml', status(503));
    const err = (await fetchIndex(`${base}/repo`, fast).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/repo\/index\.yaml: HTTP 503 Service Unavailable \(3 tries\)$/);
    expect(err.message).not.toContain('\n');
  });
  it('404 is not retried', async () => {
    const err = (await fetchIndex(`${base}/nothing-here`, fast).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(`${base}/nothing-here/index.yaml: HTTP 404 Not Found (is the repository URL right?)`);
    expect(hits('/nothing-here/index.yaml')).toBe(1);
  });
  it('a 404 chart archive', async () => {
    routes.delete('/repo/charts/storefront-5.0.1.tgz');
    const idx = await fetchIndex(`${base}/repo`, fast);
    await expect(downloadChart(resolveChartVersion(idx, 'storefront'), `${base}/repo`, fast)).rejects.toThrow(`chart storefront 5.0.1: ${base}/repo/charts/storefront-5.0.1.tgz: HTTP 404 Not Found`);
  });
  it('a time-out', async () => {
    routes.set('/repo/index.yaml', hang);
    const t0 = Date.now();
    const err = (await fetchIndex(`${base}/repo`, { ...fast, retries: 1, headersTimeoutMs: 200 }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(`${base}/repo/index.yaml: no response within 0.2 s (2 tries)`);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
  it('a truncated body is retried, then reported', async () => {
    routes.set('/repo/charts/storefront-5.0.1.tgz', flaky(1, truncated, send(CHART)));
    const idx = await fetchIndex(`${base}/repo`, fast);
    const entry = resolveChartVersion(idx, 'storefront');
    expect((await downloadChart(entry, `${base}/repo`, fast)).bytes.equals(CHART)).toBe(true);
    routes.set('/repo/charts/storefront-5.0.1.tgz', truncated);
    await expect(downloadChart(entry, `${base}/repo`, fast)).rejects.toThrow(/truncated|closed the connection/i);
  });
  it('connection refused', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const err = (await fetchIndex(`http://127.0.0.1:${port}/repo`, { ...fast, retries: 1 }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(`http://127.0.0.1:${port}/repo/index.yaml: connection refused (2 tries)`);
  });
});

describe('repositories file and basic auth', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chartaudit-repo-client-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const basic = (u: string, p: string): string => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
  function guarded(h: Handler, auth = basic('alice', 's3cret')): Handler {
    return (req, res) => (req.headers.authorization === auth ? h(req, res) : (res.writeHead(401, { 'www-authenticate': 'Basic realm="charts"' }), res.end()));
  }

  it('resolves <repo>/<chart> through $HELM_REPOSITORY_CONFIG and sends its credentials to the repository only', async () => {
    const file = join(dir, 'repositories.yaml');
    writeFileSync(file, `repositories:\n- name: private\n  url: ${base}/private\n  username: alice\n  password: s3cret\n`);
    // The chart itself lives on "another host" (localhost vs 127.0.0.1): no credentials go there.
    const other = base.replace('127.0.0.1', 'localhost');
    routes.set('/private/index.yaml', guarded(send(indexYaml({ extra: `  elsewhere:\n  - version: 1.0.0\n    urls: [${other}/cdn/e.tgz]\n    digest: ${hex(OTHER)}\n` }))));
    routes.set('/private/charts/storefront-5.0.1.tgz', guarded(send(CHART)));
    routes.set('/cdn/e.tgz', send(OTHER));

    const ref = resolveChartRef('private/storefront', { env: { HELM_REPOSITORY_CONFIG: file } });
    expect(ref.url).toBe(`${base}/private`);
    const idx = await fetchIndex(ref.url, { ...fast, access: ref.access });
    const got = await downloadChart(resolveChartVersion(idx, ref.chart), ref.url, { ...fast, access: ref.access });
    expect(got.bytes.equals(CHART)).toBe(true);
    await downloadChart(resolveChartVersion(idx, 'elsewhere'), ref.url, { ...fast, access: ref.access });
    expect(seen.find((s) => s.path === '/cdn/e.tgz')!.auth).toBeUndefined();
    expect(seen.find((s) => s.path === '/private/index.yaml')!.auth).toBe(basic('alice', 's3cret'));
  });

  it('wrong or missing credentials: a clear 401, the password never printed', async () => {
    routes.set('/private/index.yaml', guarded(send(indexYaml())));
    const err = (await fetchIndex(`${base}/private`, { ...fast, access: { username: 'alice', password: 'wrong-pw' } }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/HTTP 401.*check the username and password/);
    expect(err.message).not.toContain('wrong-pw');
    await expect(fetchIndex(`${base}/private`, fast)).rejects.toThrow(/HTTP 401.*wants credentials/);
  });

  it('--repo URL overrides the file (which need not exist)', async () => {
    const ref = resolveChartRef('whatever/storefront', { env: { HELM_REPOSITORY_CONFIG: join(dir, 'absent.yaml') }, repoUrl: `${base}/repo` });
    const idx = await fetchIndex(ref.url, fast);
    const entry = resolveChartVersion(idx, chartNameIn(ref, (n) => idx.entries.has(n)));
    expect(entry.version).toBe('5.0.1');
  });
});

describe('network faults said plainly, within a deadline', () => {
  let dir: string;
  let tls: SelfSigned;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chartaudit-repo-net-'));
    tls = selfSignedCert(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function withTlsServer<T>(fn: (url: string) => Promise<T>): Promise<T> {
    const srv = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => (req.url === '/repo/index.yaml' ? send(indexYaml(), 'text/yaml')(req, res) : status(404)(req, res)));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      return await fn(`https://127.0.0.1:${(srv.address() as AddressInfo).port}`);
    } finally {
      srv.closeAllConnections();
      await new Promise<void>((r) => srv.close(() => r()));
    }
  }

  it('https:// to a plain http server: the TLS mismatch in one line, no OpenSSL text, no retry', async () => {
    const url = base.replace('http:', 'https:');
    const err = (await fetchIndex(`${url}/repo`, fast).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(`${url}/repo/index.yaml: TLS handshake failed: the server does not speak TLS (is it http://?)`);
  });

  it('a self-signed certificate: not trusted unless its CA is given', async () => {
    await withTlsServer(async (url) => {
      const err = (await fetchIndex(`${url}/repo`, fast).catch((e: unknown) => e)) as Error;
      expect(err.message).toBe(`${url}/repo/index.yaml: TLS certificate not trusted: it is self-signed (CHARTAUDIT_EXTRA_CA_CERTS may name a PEM file with the CA to trust)`);
      const idx = await fetchIndex(`${url}/repo`, { ...fast, access: { caFile: tls.certPath } });
      expect(idx.entries.has('storefront')).toBe(true);
    });
  });

  it('http:// to a TLS server: the closed connection, with the hint', async () => {
    await withTlsServer(async (url) => {
      const plain = url.replace('https:', 'http:');
      const err = (await fetchIndex(`${plain}/repo`, { ...fast, retries: 0 }).catch((e: unknown) => e)) as Error;
      expect(err.message).toBe(`${plain}/repo/index.yaml: the server closed the connection (if it speaks TLS, use https://)`);
    });
  });

  it('a server that accepts and never answers: deadlineMs bounds the whole fetch, retries included', async () => {
    routes.set('/repo/index.yaml', hang);
    const retries: string[] = [];
    const t0 = Date.now();
    const err = (await fetchIndex(`${base}/repo`, { ...fast, retries: 4, headersTimeoutMs: 20_000, deadlineMs: 300, onRetry: (m) => retries.push(m) }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(`${base}/repo/index.yaml: no response within the 0.3 s deadline`);
    expect(hits('/repo/index.yaml')).toBe(1);
    expect(retries).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(10_000); // the time-out alone is 20 s
  });

  it('retries are announced through onRetry, naming the URL', async () => {
    routes.set('/repo/index.yaml', flaky(1, status(502), send(indexYaml())));
    const retries: string[] = [];
    await fetchIndex(`${base}/repo`, { ...fast, onRetry: (m) => retries.push(m) });
    expect(retries).toEqual([`${base}/repo/index.yaml: HTTP 502 Bad Gateway; try 2 of 3 in 0 s`]);
  });

  it('the default deadline is 30 s', async () => {
    const { DEFAULT_REPO_DEADLINE_MS } = await import('../src/repo/index.js');
    expect(DEFAULT_REPO_DEADLINE_MS).toBe(30_000);
  });
});
