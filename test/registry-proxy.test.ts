/**
 * The registry client through a real HTTP proxy written here (node:http: CONNECT tunnels for
 * https://, absolute-form forwarding for http://), in front of Debian's docker-registry with
 * htpasswd Basic auth, over TLS and plain HTTP, all on 127.0.0.1. The proxy records what it
 * was asked, so the tests see that requests went through it, that NO_PROXY bypasses it, and
 * that the registry's credentials never reach the proxy as its own (Proxy-Authorization comes
 * only from the proxy URL's userinfo; the CONNECT request carries no Authorization).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient, type RegistryClientOptions } from '../src/registry/client.js';
import { loadCredentialStore } from '../src/registry/credentials.js';
import { RegistryError } from '../src/registry/errors.js';
import { makeImage, type TestImage } from './helpers/oci-image.js';
import { pushAll, startRegistry, type RunningRegistry } from './helpers/registry.js';
import { selfSignedCert } from './helpers/tls.js';

interface ProxySeen {
  method: string;
  /** CONNECT authority or the absolute URL forwarded. */
  target: string;
  headers: IncomingMessage['headers'];
}

interface TestProxy {
  url: string;
  port: number;
  seen: ProxySeen[];
  /** `Basic …` the proxy demands, or null for an open proxy. */
  requireAuth: string | null;
  stop(): Promise<void>;
}

async function startProxy(): Promise<TestProxy> {
  const sockets = new Set<Socket>();
  const p: TestProxy = { url: '', port: 0, seen: [], requireAuth: null, stop: async () => undefined };
  const refused = (h: IncomingMessage['headers']): boolean => p.requireAuth !== null && h['proxy-authorization'] !== p.requireAuth;
  const server: Server = createServer((req, res) => {
    p.seen.push({ method: req.method ?? '', target: req.url ?? '', headers: req.headers });
    if (refused(req.headers)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test proxy"' });
      res.end();
      return;
    }
    const u = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const up = httpRequest({ host: u.hostname, port: Number(u.port), method: req.method, path: `${u.pathname}${u.search}`, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    p.seen.push({ method: 'CONNECT', target: req.url ?? '', headers: req.headers });
    client.on('error', () => undefined);
    if (refused(req.headers)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test proxy"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':') as [string, string];
    const up = netConnect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    up.on('error', () => client.destroy());
    sockets.add(up);
    up.on('close', () => sockets.delete(up));
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  p.port = (server.address() as AddressInfo).port;
  p.url = `http://127.0.0.1:${p.port}`;
  p.stop = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return p;
}

let dir: string;
let anon: RunningRegistry;
let plainBasic: RunningRegistry;
let tlsBasic: RunningRegistry;
let caPath: string;
let proxy: TestProxy;
let image: TestImage;
const REGISTRY_AUTH = `Basic ${Buffer.from('alice:wonderland').toString('base64')}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chartaudit-registry-proxy-'));
  const store = join(dir, 'store');
  anon = await startRegistry(join(dir, 'anon'), store);
  image = makeImage({ layers: [{ 'etc/os-release': 'ID=debian\n' }, { 'app/bin': 'y'.repeat(300_000) }] });
  await pushAll(anon.host, 'private/app', image.blobs, image.manifest, '1.0');
  const users = { alice: 'wonderland' };
  plainBasic = await startRegistry(join(dir, 'plain'), store, { kind: 'htpasswd', users });
  const cert = selfSignedCert(dir);
  caPath = cert.certPath;
  tlsBasic = await startRegistry(join(dir, 'tls'), store, { kind: 'htpasswd', users }, { certPath: cert.certPath, keyPath: cert.certPath.replace(/cert\.pem$/, 'key.pem') });
  proxy = await startProxy();
});

afterAll(async () => {
  await Promise.all([anon?.stop(), plainBasic?.stop(), tlsBasic?.stop(), proxy?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  proxy.seen = [];
  proxy.requireAuth = null;
});

let n = 0;
function client(host: string, env: Record<string, string>, extra: RegistryClientOptions = {}): RegistryClient {
  const cfg = join(dir, `config-${++n}.json`);
  writeFileSync(cfg, JSON.stringify({ auths: { [host]: { auth: Buffer.from('alice:wonderland').toString('base64') } } }));
  return new RegistryClient({
    cacheDir: join(dir, `cache-${n}`),
    credentials: loadCredentialStore({ configFile: cfg, env }),
    env: { CHARTAUDIT_EXTRA_CA_CERTS: caPath, ...env },
    retries: 0,
    ...extra,
  });
}

async function errorOf(p: Promise<unknown>): Promise<RegistryError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RegistryError);
    return e as RegistryError;
  }
  throw new Error('expected a failure');
}

/** Every header value the proxy itself was given on CONNECT requests, and every Proxy-Authorization. */
const proxyOwnHeaders = (): string[] =>
  proxy.seen.flatMap((s) => [...(s.method === 'CONNECT' ? Object.values(s.headers).flat() : []), ...(s.headers['proxy-authorization'] ? [String(s.headers['proxy-authorization'])] : [])]).map(String);

describe('HTTPS_PROXY: a CONNECT tunnel, TLS to the registry inside it', () => {
  it('pulls through the proxy; the CONNECT request has no Authorization and no Proxy-Authorization', async () => {
    const c = client(tlsBasic.host, { HTTPS_PROXY: proxy.url });
    const img = await c.pull(`${tlsBasic.host}/private/app:1.0`);
    await c.close();
    expect(img.digest).toBe(image.manifest.digest);
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(proxy.seen.every((s) => s.method === 'CONNECT' && s.target === tlsBasic.host)).toBe(true);
    for (const s of proxy.seen) {
      expect(s.headers.authorization).toBeUndefined();
      expect(s.headers['proxy-authorization']).toBeUndefined();
      expect(s.headers.host).toBe(tlsBasic.host);
    }
    expect(proxyOwnHeaders().some((v) => v.includes(REGISTRY_AUTH.slice(6)))).toBe(false);
  });

  it('the lower-case https_proxy works too; connections are reused (fewer tunnels than requests)', async () => {
    const c = client(tlsBasic.host, { https_proxy: proxy.url });
    await c.pull(`${tlsBasic.host}/private/app:1.0`);
    await c.close();
    // HEAD, 401 → token-less Basic retry, GET manifest, config, two layers: more requests than tunnels
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(proxy.seen.length).toBeLessThan(6);
  });

  it('Proxy-Authorization comes from the proxy URL userinfo (percent-decoded), never from the registry credentials', async () => {
    proxy.requireAuth = `Basic ${Buffer.from('proxy user:p@ss:w').toString('base64')}`;
    const c = client(tlsBasic.host, { HTTPS_PROXY: `http://proxy%20user:p%40ss%3Aw@127.0.0.1:${proxy.port}` });
    expect((await c.pull(`${tlsBasic.host}/private/app:1.0`)).digest).toBe(image.manifest.digest);
    await c.close();
    expect(proxy.seen.length).toBeGreaterThan(0);
    for (const s of proxy.seen) {
      expect(s.headers['proxy-authorization']).toBe(proxy.requireAuth);
      expect(s.headers.authorization).toBeUndefined();
    }
  });

  it('a proxy that refuses the tunnel (407): a clear error naming the proxy, its password hidden', async () => {
    proxy.requireAuth = `Basic ${Buffer.from('alice:right').toString('base64')}`;
    const c = client(tlsBasic.host, { HTTPS_PROXY: `http://alice:wrong@127.0.0.1:${proxy.port}` });
    const e = await errorOf(c.resolve(`${tlsBasic.host}/private/app:1.0`));
    await c.close();
    expect(e.kind).toBe('network');
    expect(e.message).toBe(
      `https://${tlsBasic.host}/v2/private/app/manifests/1.0: the proxy http://alice:***@127.0.0.1:${proxy.port} refused the tunnel to ${tlsBasic.host}: HTTP 407 Proxy Authentication Required`,
    );
    expect(e.message).not.toContain('wrong');
  });

  it('a proxy that is not there: the error says it was the proxy', async () => {
    const gone = await startProxy();
    await gone.stop();
    const c = client(tlsBasic.host, { HTTPS_PROXY: gone.url });
    const e = await errorOf(c.resolve(`${tlsBasic.host}/private/app:1.0`));
    await c.close();
    expect(e.message).toBe(`${tlsBasic.host}/private/app:1.0: https://${tlsBasic.host}/v2/private/app/manifests/1.0: the proxy ${gone.url}: connection refused`);
  });

  it('an unusable proxy URL is a clear error', async () => {
    const c = client(tlsBasic.host, { HTTPS_PROXY: 'socks5://127.0.0.1:1080' });
    const e = await errorOf(c.resolve(`${tlsBasic.host}/private/app:1.0`));
    await c.close();
    expect(e.message).toBe('HTTPS_PROXY=socks5://127.0.0.1:1080: only http:// and https:// proxies are supported');
  });
});

describe('NO_PROXY', () => {
  it.each([
    ['the host', () => '127.0.0.1'],
    ['host:port', () => tlsBasic.host],
    ['a CIDR block', () => '127.0.0.0/8'],
    ['*', () => '*'],
    ['no_proxy, lower case', () => '127.0.0.1'],
  ])('%s: the registry is reached directly, the proxy sees nothing', async (name, value) => {
    const key = name.startsWith('no_proxy') ? 'no_proxy' : 'NO_PROXY';
    const c = client(tlsBasic.host, { HTTPS_PROXY: proxy.url, [key]: value() });
    expect((await c.pull(`${tlsBasic.host}/private/app:1.0`)).digest).toBe(image.manifest.digest);
    await c.close();
    expect(proxy.seen).toEqual([]);
  });

  it.each([
    ['another host', 'registry.example'],
    ['another port of the host', '127.0.0.1:1'],
    ['localhost (loopback is not exempt unless listed)', 'localhost'],
  ])('%s: still through the proxy', async (_n, value) => {
    const c = client(tlsBasic.host, { HTTPS_PROXY: proxy.url, NO_PROXY: value });
    await c.resolve(`${tlsBasic.host}/private/app:1.0`);
    await c.close();
    expect(proxy.seen.length).toBeGreaterThan(0);
  });
});

describe('HTTP_PROXY: plain-HTTP registries forwarded', () => {
  it('requests go to the proxy in absolute form; Proxy-Authorization only from the proxy URL, the Authorization only for the registry', async () => {
    proxy.requireAuth = `Basic ${Buffer.from('bob:proxy-secret').toString('base64')}`;
    const c = client(plainBasic.host, { HTTP_PROXY: `http://bob:proxy-secret@127.0.0.1:${proxy.port}` }, { insecure: [plainBasic.host] });
    expect((await c.pull(`${plainBasic.host}/private/app:1.0`)).digest).toBe(image.manifest.digest);
    await c.close();
    expect(proxy.seen.length).toBeGreaterThan(0);
    for (const s of proxy.seen) {
      expect(s.method).not.toBe('CONNECT');
      expect(s.target.startsWith(`http://${plainBasic.host}/v2/`)).toBe(true);
      expect(s.headers.host).toBe(plainBasic.host);
      expect(s.headers['proxy-authorization']).toBe(proxy.requireAuth);
    }
    // the registry's credentials went to the registry (forwarded), never as the proxy's own
    expect(proxy.seen.some((s) => s.headers.authorization === REGISTRY_AUTH)).toBe(true);
    expect(proxy.seen.every((s) => s.headers['proxy-authorization'] !== REGISTRY_AUTH)).toBe(true);
  });

  it('HTTPS_PROXY alone does not apply to http:// (no fallback between the two)', async () => {
    const c = client(plainBasic.host, { HTTPS_PROXY: proxy.url, NO_PROXY: '' }, { insecure: [plainBasic.host] });
    await c.pull(`${plainBasic.host}/private/app:1.0`);
    await c.close();
    // the https:// try (insecure hosts are tried with TLS first) tunnels, the http:// requests do not
    expect(proxy.seen.every((s) => s.method === 'CONNECT')).toBe(true);
  });
});

describe('the environment is the one given, never process.env', () => {
  it('HTTPS_PROXY in process.env is ignored when the client was given another environment', async () => {
    const saved = process.env.HTTPS_PROXY;
    process.env.HTTPS_PROXY = proxy.url;
    try {
      const c = client(tlsBasic.host, {});
      expect((await c.pull(`${tlsBasic.host}/private/app:1.0`)).digest).toBe(image.manifest.digest);
      await c.close();
      expect(proxy.seen).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.HTTPS_PROXY;
      else process.env.HTTPS_PROXY = saved;
    }
  });
});
