/**
 * The registry client against Debian's real docker-registry (distribution 2.8) on 127.0.0.1:
 * anonymous, htpasswd Basic and token auth (our token server's JWTs, verified by the registry),
 * single-arch images and an amd64/arm64 index, credentials from config.json and a helper
 * script, and the faults a user meets (wrong password, 404, 429, stalls, a wrong digest, a
 * redirect to another host, plain HTTP where TLS was expected, --offline), each through a
 * small front server of the test's own between the client and the registry.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobCache } from '../src/cache/blobs.js';
import { RegistryClient, type RegistryClientOptions } from '../src/registry/client.js';
import { loadCredentialStore } from '../src/registry/credentials.js';
import { RegistryError } from '../src/registry/errors.js';
import { makeImage, makeIndex, type TestImage, type TestIndex } from './helpers/oci-image.js';
import {
  closeServer,
  pushAll,
  startFront,
  startRegistry,
  startSilent,
  startTokenServer,
  type FrontServer,
  type RunningRegistry,
  type TokenServer,
} from './helpers/registry.js';

let dir: string;
let store: string;
let anon: RunningRegistry;
let basic: RunningRegistry;
let tokenReg: RunningRegistry;
let tokens: TokenServer;
let single: TestImage;
let dockerImage: TestImage;
let multi: TestIndex;
const USERS = { alice: 'wonderland', bob: 'builder' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chartaudit-registry-'));
  store = join(dir, 'store');
  anon = await startRegistry(join(dir, 'anon'), store);
  single = makeImage({ layers: [{ 'etc/os-release': 'ID=debian\nVERSION_ID=12\n' }, { 'app/bin': 'x'.repeat(5000) }] });
  dockerImage = makeImage({ docker: true, layers: [{ 'a.txt': 'docker media types' }] });
  multi = makeIndex([
    makeImage({ architecture: 'amd64', layers: [{ arch: 'amd64' }] }),
    makeImage({ architecture: 'arm64', variant: 'v8', layers: [{ arch: 'arm64' }] }),
  ]);
  for (const repo of ['app', 'private/app', 'public/app', 'library/app']) await pushAll(anon.host, repo, single.blobs, single.manifest, '1.0');
  await pushAll(anon.host, 'docker-types', dockerImage.blobs, dockerImage.manifest, '2.0');
  await pushAll(anon.host, 'multi', multi.blobs, multi.index, '1.0');
  basic = await startRegistry(join(dir, 'basic'), store, { kind: 'htpasswd', users: USERS });
  tokens = await startTokenServer(join(dir, 'tokens'), { users: USERS, refreshTokens: { 'refresh-abc': 'alice' } });
  tokenReg = await startRegistry(join(dir, 'token'), store, { kind: 'token', realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, certPath: tokens.certPath });
});

afterAll(async () => {
  await Promise.all([anon?.stop(), basic?.stop(), tokenReg?.stop(), tokens?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** A client with a fresh cache (unless given) and fast retries; anonymous unless credentials are given. */
function client(o: RegistryClientOptions = {}): RegistryClient {
  return new RegistryClient({ cacheDir: join(dir, `cache-${++n}`), credentials: null, backoffMs: 20, retries: 2, ...o });
}

async function errorOf(p: Promise<unknown>): Promise<RegistryError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RegistryError) return e;
    throw e;
  }
  throw new Error('expected a RegistryError');
}

function configFile(content: unknown): string {
  const f = join(mkdtempSync(join(dir, 'cfg-')), 'config.json');
  writeFileSync(f, JSON.stringify(content));
  return f;
}

const auth = (u: string, p: string): string => Buffer.from(`${u}:${p}`).toString('base64');

describe('anonymous pulls', () => {
  it.each([
    ['an OCI single-arch image', 'app:1.0', () => single],
    ['a Docker v2 schema 2 image', 'docker-types:2.0', () => dockerImage],
  ])('%s: resolves, verifies and caches every blob', async (_name, ref, image) => {
    const c = client({ insecure: ['127.0.0.1'] });
    const im = image();
    const img = await c.pull(`${anon.host}/${ref}`);
    expect(img.digest).toBe(im.manifest.digest);
    expect(img.indexDigest).toBeNull();
    expect(img.platform).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(img.config.user).toBe('1001');
    expect(img.layers.map((l) => l.digest)).toEqual(im.layers.map((l) => l.digest));
    for (const b of im.blobs) expect(c.cache.has(b.digest)).toBe(true);
    const chunks: Buffer[] = [];
    for await (const ch of await c.openLayer(img, img.layers.length - 1)) chunks.push(ch as Buffer);
    expect(Buffer.concat(chunks).equals(im.layers[im.layers.length - 1]!.data)).toBe(true);
    await c.close();
  });

  it.each([
    ['default linux/amd64', undefined, 0],
    ['linux/arm64', 'linux/arm64', 1],
    ['linux/arm64/v8', 'linux/arm64/v8', 1],
  ])('an index resolves by platform: %s', async (_n, platform, which) => {
    const c = client({ insecure: ['127.0.0.1'] });
    const img = await c.resolve(`${anon.host}/multi:1.0`, platform ? { platform } : {});
    expect(img.indexDigest).toBe(multi.index.digest);
    expect(img.digest).toBe(multi.images[which]!.manifest.digest);
    expect(img.digest).not.toBe(multi.attestation.manifest.digest);
    await c.close();
  });

  it('an index without the platform is an error listing what it has (never the attestation)', async () => {
    const c = client({ insecure: ['127.0.0.1'] });
    const e = await errorOf(c.resolve(`${anon.host}/multi:1.0`, { platform: 'linux/s390x' }));
    expect(e.kind).toBe('platform');
    expect(e.message).toBe(`${anon.host}/multi:1.0: no image for platform linux/s390x; the index has linux/amd64, linux/arm64/v8 (choose one with --platform)`);
    await c.close();
  });

  it('a tag that is not there: 404 named with the reference', async () => {
    const c = client({ insecure: ['127.0.0.1'] });
    const e = await errorOf(c.resolve(`${anon.host}/app:9.9`));
    expect(e.kind).toBe('not-found');
    expect(e.message).toMatch(new RegExp(`^${anon.host}/app:9.9: tag 9.9 not found in ${anon.host}/app \\(HTTP 404`));
    await c.close();
  });

  it('a plain-HTTP registry without --insecure-registry: TLS error with the hint (loopback is not implied)', async () => {
    const c = client({ retries: 0 });
    const e = await errorOf(c.resolve(`${anon.host}/app:1.0`));
    expect(e.kind).toBe('network');
    expect(e.message).toBe(`https://${anon.host}/v2/app/manifests/1.0: TLS handshake failed: the server does not speak TLS (is it http://?) (for a plain-HTTP registry: --insecure-registry ${anon.host})`);
    await c.close();
  });
});

describe('htpasswd Basic auth', () => {
  it.each([
    ['config.json auths.auth (base64)', () => ({ auths: { [basic.host]: { auth: auth('alice', 'wonderland') } } })],
    ['config.json auths username/password', () => ({ auths: { [`http://${basic.host}`]: { username: 'bob', password: 'builder' } } })],
  ])('credentials from %s', async (_n, cfg) => {
    const c = client({ insecure: [basic.host], credentials: loadCredentialStore({ configFile: configFile(cfg()) }) });
    const img = await c.pull(`${basic.host}/private/app:1.0`);
    expect(img.digest).toBe(single.manifest.digest);
    await c.close();
  });

  it('credentials from a credential helper script (credHelpers, host on stdin, JSON out)', async () => {
    const bin = mkdtempSync(join(dir, 'bin-'));
    const log = join(bin, 'stdin.log');
    const script = join(bin, 'docker-credential-testhelper');
    writeFileSync(script, `#!/bin/sh\n[ "$1" = get ] || exit 3\nread host\necho "$host" >> ${log}\nif [ "$host" = "${basic.host}" ]; then echo '{"ServerURL":"${basic.host}","Username":"alice","Secret":"wonderland"}'; else echo "credentials not found in native keychain"; exit 1; fi\n`);
    chmodSync(script, 0o755);
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    const cfg = configFile({ credHelpers: { [basic.host]: 'testhelper' }, credsStore: 'testhelper' });
    const c = client({ insecure: [basic.host], env, credentials: loadCredentialStore({ configFile: cfg, env }) });
    expect((await c.pull(`${basic.host}/private/app:1.0`)).digest).toBe(single.manifest.digest);
    await c.close();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(log, 'utf8')).toBe(`${basic.host}\n`);
  });

  it('DOCKER_CONFIG/config.json is the default file', async () => {
    const dockerDir = mkdtempSync(join(dir, 'docker-'));
    writeFileSync(join(dockerDir, 'config.json'), JSON.stringify({ auths: { [basic.host]: { auth: auth('alice', 'wonderland') } } }));
    const c = new RegistryClient({ cacheDir: join(dir, `cache-${++n}`), insecure: [basic.host], env: { ...process.env, DOCKER_CONFIG: dockerDir } });
    expect((await c.resolve(`${basic.host}/private/app:1.0`)).digest).toBe(single.manifest.digest);
    await c.close();
  });

  it.each([
    ['a wrong password', { auths: { 'HOST': { auth: auth('alice', 'nope') } } }, /: HTTP 401 Unauthorized[^:]*: HOST refused the credentials \(from .*config\.json\) \(wrong username or password, or no access to private\/app\)$/],
    ['no credentials', {}, /: HTTP 401 Unauthorized[^:]*: HOST wants credentials for private\/app \(docker login, or --registry-config\)$/],
  ])('%s: a clear auth error', async (_n, cfg, re) => {
    const text = JSON.stringify(cfg).replaceAll('HOST', basic.host);
    const c = client({ insecure: [basic.host], credentials: loadCredentialStore({ configFile: configFile(JSON.parse(text)) }) });
    const e = await errorOf(c.resolve(`${basic.host}/private/app:1.0`));
    expect(e.kind).toBe('auth');
    expect(e.message.startsWith(`${basic.host}/private/app:1.0: HTTP 401`)).toBe(true);
    expect(e.message).toMatch(new RegExp(re.source.replaceAll('HOST', basic.host.replaceAll('.', '\\.'))));
    expect(e.message).not.toContain('nope');
    await c.close();
  });
});

describe('token auth (the registry verifies our token server\'s JWTs)', () => {
  it('anonymous Bearer token from the challenge (realm, service, scope)', async () => {
    const before = tokens.requests.length;
    const c = client({ insecure: [tokenReg.host] });
    expect((await c.pull(`${tokenReg.host}/public/app:1.0`)).digest).toBe(single.manifest.digest);
    const asked = tokens.requests.slice(before);
    // one token for the repository, reused for HEAD, GET and every blob
    expect(asked).toEqual([{ method: 'GET', scope: 'repository:public/app:pull', user: null, grant: null }]);
    await c.close();
  });

  it('Basic credentials sent to the token realm', async () => {
    const before = tokens.requests.length;
    const c = client({ insecure: [tokenReg.host], credentials: loadCredentialStore({ configFile: configFile({ auths: { [tokenReg.host]: { auth: auth('bob', 'builder') } } }) }) });
    expect((await c.resolve(`${tokenReg.host}/private/app:1.0`)).digest).toBe(single.manifest.digest);
    expect(tokens.requests.slice(before).map((r) => r.user)).toEqual(['bob']);
    await c.close();
  });

  it('an identity token: the OAuth2 refresh-token POST', async () => {
    const before = tokens.requests.length;
    const c = client({ insecure: [tokenReg.host], credentials: loadCredentialStore({ configFile: configFile({ auths: { [tokenReg.host]: { identitytoken: 'refresh-abc' } } }) }) });
    expect((await c.resolve(`${tokenReg.host}/private/app:1.0`)).digest).toBe(single.manifest.digest);
    expect(tokens.requests.slice(before)).toEqual([{ method: 'POST', scope: 'repository:private/app:pull', user: null, grant: 'refresh_token' }]);
    await c.close();
  });

  it.each([
    ['a wrong password', { auth: auth('bob', 'wrong') }, 'HTTP 401 Unauthorized from the token server'],
    ['a wrong identity token', { identitytoken: 'stale' }, 'HTTP 401 Unauthorized from the token server'],
  ])('%s: a clear auth error', async (_n, entry, text) => {
    const c = client({ insecure: [tokenReg.host], credentials: loadCredentialStore({ configFile: configFile({ auths: { [tokenReg.host]: entry } }) }) });
    const e = await errorOf(c.resolve(`${tokenReg.host}/private/app:1.0`));
    expect(e.kind).toBe('auth');
    expect(e.message).toContain(`${tokenReg.host}/private/app:1.0: ${text}`);
    expect(e.message).toContain(`wrong username or password for ${tokenReg.host}`);
    await c.close();
  });

  it('an anonymous token without access to a private repository: wants credentials', async () => {
    const c = client({ insecure: [tokenReg.host] });
    const e = await errorOf(c.resolve(`${tokenReg.host}/private/app:1.0`));
    expect(e.kind).toBe('auth');
    expect(e.message).toMatch(/wants credentials for private\/app/);
    await c.close();
  });
});

describe('through a front server of our own', () => {
  let front: FrontServer;
  beforeAll(async () => {
    front = await startFront(anon.host);
  });
  afterAll(async () => {
    await front.stop();
  });
  const reset = (): void => {
    front.seen.length = 0;
    front.rule = null;
    front.alter = null;
  };
  const manifestCalls = (): string[] => front.seen.filter((s) => s.path.includes('/manifests/')).map((s) => `${s.method} ${s.path.replace(/sha256:[0-9a-f]{64}/, (d) => (d === single.manifest.digest ? 'DIGEST' : d))}`);

  it('tag → digest with HEAD, then one GET by digest; each digest once per client; a warm cache needs only the HEAD', async () => {
    reset();
    const cacheDir = join(dir, `cache-${++n}`);
    const c = client({ insecure: [front.host], cacheDir });
    const a = await c.pull(`${front.host}/app:1.0`);
    const b = await c.pull(`${front.host}/app@${single.manifest.digest}`);
    await c.resolve(`${front.host}/app:1.0`);
    expect(b.digest).toBe(a.digest);
    expect(manifestCalls()).toEqual(['HEAD /v2/app/manifests/1.0', 'GET /v2/app/manifests/DIGEST']);
    expect(front.seen.filter((s) => s.path.includes('/blobs/')).length).toBe(single.layers.length + 1);
    for (const s of front.seen.filter((x) => x.path.includes('/manifests/'))) {
      expect(s.accept).toBe('application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json');
    }
    await c.close();
    reset();
    const warm = client({ insecure: [front.host], cacheDir });
    await warm.pull(`${front.host}/app:1.0`);
    expect(front.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['HEAD /v2/app/manifests/1.0']);
    await warm.close();
  });

  it('--offline: a warm cache answers with no request; a cold cache is a clear error', async () => {
    reset();
    const cacheDir = join(dir, `cache-${++n}`);
    const online = client({ insecure: [front.host], cacheDir });
    const first = await online.pull(`${front.host}/multi:1.0`, { platform: 'linux/arm64' });
    await online.close();
    reset();
    const off = client({ cacheDir, offline: true });
    const again = await off.pull(`${front.host}/multi:1.0`, { platform: 'linux/arm64' });
    expect(again).toEqual(first);
    const bytes: Buffer[] = [];
    for await (const ch of await off.openLayer(again, 0)) bytes.push(ch as Buffer);
    expect(Buffer.concat(bytes).equals(multi.images[1]!.layers[0]!.data)).toBe(true);
    expect(front.seen).toEqual([]);
    // the other platform's layers were never fetched
    const e1 = await errorOf(off.pull(`${front.host}/multi:1.0`));
    expect(e1.message).toBe(`${front.host}/multi:1.0: manifest ${multi.images[0]!.manifest.digest} not in the cache (--offline)`);
    await off.close();
    const cold = client({ offline: true });
    const e2 = await errorOf(cold.resolve(`${front.host}/multi:1.0`));
    expect(e2.kind).toBe('offline');
    expect(e2.message).toBe(`${front.host}/multi:1.0: not in the cache (--offline): this tag was never resolved here`);
    expect(front.seen).toEqual([]);
    await cold.close();
  });

  it('pull starts the layers beside the config; when the config fails, nothing is left in flight', async () => {
    const layerPaths = single.layers.map((l) => `/v2/app/blobs/${l.digest}`);
    const layersSeen = async (): Promise<boolean> => {
      for (let i = 0; i < 300; i++) {
        if (layerPaths.every((p) => front.seen.some((x) => x.path === p))) return true;
        await new Promise((r) => setTimeout(r, 10));
      }
      return false;
    };
    for (const configAnswer of [200, 404]) {
      reset();
      // the config is answered only once every layer has been asked for (or after 3 s, as a 500)
      front.rule = (req, res) => {
        if (req.url !== `/v2/app/blobs/${single.config.digest}`) return false;
        void layersSeen().then((all) => {
          if (!all) return void res.writeHead(500).end();
          if (configAnswer !== 200) return void res.writeHead(configAnswer).end();
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(single.config.data.length) }).end(single.config.data);
        });
        return true;
      };
      const c = client({ insecure: [front.host], backoffMs: 5, cacheDir: join(dir, `cache-${++n}`) });
      if (configAnswer === 200) {
        const img = await c.pull(`${front.host}/app:1.0`);
        for (const l of img.layers) expect(c.cache.has(l.digest)).toBe(true);
      } else {
        const e = await errorOf(c.pull(`${front.host}/app:1.0`));
        expect(e.message).toMatch(/blob sha256:[0-9a-f]{64}/);
        // every layer download finished before pull answered: no temp file, each one cached
        const files = readdirSync(join(c.cache.dir, 'blobs', 'sha256'));
        expect(files.filter((f) => f.startsWith('.tmp-'))).toEqual([]);
        for (const l of single.layers) expect(c.cache.has(l.digest)).toBe(true);
      }
      await c.close();
    }
  });

  it('429 with Retry-After: waits as told, then succeeds', async () => {
    reset();
    let refused = 0;
    front.rule = (req, res) => {
      if (req.method === 'HEAD' && refused === 0) {
        refused++;
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
        res.end();
        return true;
      }
      return false;
    };
    const retries: string[] = [];
    const c = client({ insecure: [front.host], backoffMs: 10, onRetry: (m) => retries.push(m) });
    const t0 = Date.now();
    expect((await c.resolve(`${front.host}/app:1.0`)).digest).toBe(single.manifest.digest);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(retries).toEqual([`${front.host}/app:1.0: http://${front.host}/v2/app/manifests/1.0: HTTP 429 Too Many Requests; try 2 of 3 in 1 s`]);
    await c.close();
  });

  it('5xx until the tries run out: one error naming the URL and the tries', async () => {
    reset();
    front.rule = (_req, res) => {
      res.writeHead(503);
      res.end();
      return true;
    };
    const c = client({ insecure: [front.host], backoffMs: 5 });
    const e = await errorOf(c.resolve(`${front.host}/app:1.0`));
    expect(e.message).toBe(`${front.host}/app:1.0: http://${front.host}/v2/app/manifests/1.0: HTTP 503 Service Unavailable (3 tries)`);
    await c.close();
  });

  it('a blob whose bytes do not match its digest is refused and nothing is cached', async () => {
    reset();
    const layer = single.layers[1]!;
    front.alter = (path, body) => (path.endsWith(layer.digest) ? Buffer.from(body.map((b, i) => (i === 100 ? b ^ 1 : b))) : body);
    const c = client({ insecure: [front.host] });
    const e = await errorOf(c.pull(`${front.host}/app:1.0`));
    expect(e.kind).toBe('integrity');
    expect(e.message).toMatch(new RegExp(`^${front.host}/app:1\\.0: blob ${layer.digest} from http://${front.host}/v2/app/blobs/${layer.digest}: the content hashes to sha256:[0-9a-f]{64}, not ${layer.digest}; refused, nothing cached$`));
    expect(c.cache.has(layer.digest)).toBe(false);
    const files = readdirSync(join(c.cache.dir, 'blobs', 'sha256'));
    expect(files.filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    expect(files).not.toContain(layer.digest.slice(7));
    await c.close();
  });

  it('a manifest whose bytes do not match its digest is refused', async () => {
    reset();
    front.alter = (path, body) => (path.includes('/manifests/') ? Buffer.concat([body, Buffer.from(' ')]) : body);
    const c = client({ insecure: [front.host] });
    const e = await errorOf(c.resolve(`${front.host}/app:1.0`));
    expect(e.kind).toBe('integrity');
    expect(e.message).toContain(`does not match its digest ${single.manifest.digest}`);
    expect(c.cache.has(single.manifest.digest)).toBe(false);
    await c.close();
  });

  it.each([
    ['with a Content-Length', true, '5242880 bytes is more than the limit of 4194304 bytes'],
    ['chunked, no Content-Length', false, 'more than the limit of 4194304 bytes'],
  ])('a manifest over the size cap is refused before it is read whole (%s)', async (_n, withLength, text) => {
    reset();
    front.rule = (req, res) => {
      if (req.method !== 'GET' || !req.url?.includes('/manifests/')) return false;
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', ...(withLength ? { 'content-length': String(5 << 20) } : {}) });
      for (let i = 0; i < 5; i++) res.write(Buffer.alloc(1 << 20, 0x20));
      res.end();
      return true;
    };
    const c = client({ insecure: [front.host] });
    const e = await errorOf(c.resolve(`${front.host}/app:1.0`));
    expect(e.kind).toBe('limit');
    expect(e.message).toBe(`${front.host}/app:1.0: the manifest ${single.manifest.digest}: ${text}`);
    await c.close();
  });

  it('a body that stalls: cut off after the idle time-out, retried, then an error', async () => {
    reset();
    const layer = single.layers[1]!;
    front.rule = (req, res) => {
      if (!req.url?.endsWith(layer.digest)) return false;
      res.writeHead(200, { 'content-length': String(layer.size) });
      res.write(layer.data.subarray(0, 10));
      return true; // and never more
    };
    const c = client({ insecure: [front.host], bodyTimeoutMs: 300, retries: 1 });
    const t0 = Date.now();
    const e = await errorOf(c.pull(`${front.host}/app:1.0`));
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(e.message).toBe(`${front.host}/app:1.0: http://${front.host}/v2/app/blobs/${layer.digest}: the response stalled for 0.3 s (2 tries)`);
    expect(c.cache.has(layer.digest)).toBe(false);
    await c.close();
  });

  it('a blob redirected to another host is fetched there without the Authorization header', async () => {
    reset();
    // Another loopback host (127.0.0.2) plays blob storage; the front asks for Basic auth like the registry would.
    const storage = await startFront(anon.host, '127.0.0.2');
    front.rule = (req, res) => {
      if (req.headers.authorization !== `Basic ${auth('alice', 'wonderland')}`) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' });
        res.end();
        return true;
      }
      if (req.method === 'GET' && req.url?.includes('/blobs/')) {
        res.writeHead(307, { location: `http://${storage.host}${req.url}` });
        res.end();
        return true;
      }
      return false;
    };
    const c = client({ insecure: [front.host, storage.host], credentials: loadCredentialStore({ configFile: configFile({ auths: { [front.host]: { auth: auth('alice', 'wonderland') } } }) }) });
    expect((await c.pull(`${front.host}/app:1.0`)).digest).toBe(single.manifest.digest);
    expect(storage.seen.length).toBe(single.layers.length + 1);
    expect(storage.seen.map((s) => s.authorization)).toEqual(storage.seen.map(() => undefined));
    expect(front.seen.filter((s) => s.authorization).length).toBeGreaterThan(0);
    await c.close();
    await storage.stop();
  });

  it('--registry-mirror: docker.io images come from the mirror, named as docker.io', async () => {
    reset();
    const c = client({ insecure: [front.host], mirrors: [`docker.io=${front.host}`] });
    const img = await c.pull('app:1.0');
    expect(img.ref).toBe('docker.io/library/app:1.0');
    expect(img.endpoint).toBe(front.host);
    expect(img.digest).toBe(single.manifest.digest);
    expect(front.seen[0]).toMatchObject({ method: 'HEAD', path: '/v2/library/app/manifests/1.0' });
    await c.close();
  });
});

describe('servers that do not answer', () => {
  it('a server that accepts and never answers: no response within the headers time-out', async () => {
    const silent = await startSilent();
    const c = client({ insecure: [silent.host], headersTimeoutMs: 200, retries: 1 });
    const t0 = Date.now();
    const e = await errorOf(c.resolve(`${silent.host}/app:1.0`));
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(new RegExp(`^${silent.host}/app:1\\.0: https?://${silent.host}/v2/app/manifests/1\\.0: no response within 0\\.2 s \\(2 tries\\)$`));
    await c.close();
    await silent.stop();
  });

  it('the overall deadline bounds every try and backoff', async () => {
    const silent = await startSilent();
    const c = client({ insecure: [silent.host], headersTimeoutMs: 10_000, retries: 5, deadlineMs: 400 });
    const t0 = Date.now();
    const e = await errorOf(c.resolve(`${silent.host}/app:1.0`));
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(e.message).toMatch(/within the 0\.4 s deadline$/);
    await c.close();
    await silent.stop();
  });

  it('a refused connection: tried once more, then said plainly', async () => {
    const s: Server = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const host = `127.0.0.1:${(s.address() as AddressInfo).port}`;
    await closeServer(s);
    const c = client({ insecure: [host] });
    const e = await errorOf(c.resolve(`${host}/app:1.0`));
    expect(e.message).toBe(`${host}/app:1.0: https://${host}/v2/app/manifests/1.0: connection refused (2 tries)`);
    await c.close();
  });
});

describe('defaults and progress', () => {
  it('Podman\'s $XDG_RUNTIME_DIR/containers/auth.json is read when docker has no config', async () => {
    const runtime = mkdtempSync(join(dir, 'run-'));
    mkdirSync(join(runtime, 'containers'));
    writeFileSync(join(runtime, 'containers', 'auth.json'), JSON.stringify({ auths: { [basic.host]: { auth: auth('bob', 'builder') } } }));
    const env = { ...process.env, DOCKER_CONFIG: join(dir, 'no-such-docker-dir'), XDG_RUNTIME_DIR: runtime };
    const c = new RegistryClient({ cacheDir: join(dir, `cache-${++n}`), insecure: [basic.host], env });
    expect((await c.resolve(`${basic.host}/private/app:1.0`)).digest).toBe(single.manifest.digest);
    await c.close();
  });

  it('--registry-config that does not exist is an error naming it', () => {
    expect(() => new RegistryClient({ cacheDir: join(dir, `cache-${++n}`), registryConfig: join(dir, 'missing.json') })).toThrow(`--registry-config ${join(dir, 'missing.json')}: cannot read it (no such file)`);
  });

  it('reports the bytes of each blob as they arrive, ending at its size', async () => {
    const seen = new Map<string, { bytes: number; total: number }>();
    const c = client({ insecure: [anon.host], onProgress: (p) => seen.set(p.digest, { bytes: p.bytes, total: p.total }) });
    await c.pull(`${anon.host}/app:1.0`);
    for (const l of single.layers) expect(seen.get(l.digest)).toEqual({ bytes: l.size, total: l.size });
    await c.close();
  });

  it('the blob cache status counts what a pull stored', async () => {
    const cacheDir = join(dir, `cache-${++n}`);
    const c = client({ insecure: [anon.host], cacheDir });
    await c.pull(`${anon.host}/app:1.0`);
    await c.close();
    const st = new BlobCache({ cacheDir }).status();
    expect(st.count).toBe(single.blobs.length);
    expect(st.bytes).toBe(single.blobs.reduce((s, b) => s + b.size, 0));
  });
});

describe('as an ImageProvider (with the merged view of src/image)', () => {
  it('reads files from the layers, streamed from the verified cache', async () => {
    const { registryProvider } = await import('../src/registry/provider.js');
    const c = client({ insecure: [anon.host] });
    const provider = registryProvider(c);
    expect(provider.accepts(`${anon.host}/app:1.0`)).toBe(true);
    expect(provider.accepts('oci-layout:./x')).toBe(false);
    const img = await provider.resolve(`${anon.host}/app:1.0`, { platform: 'linux/amd64', offline: false });
    expect(img.digest).toBe(single.manifest.digest);
    const files: Record<string, string> = {};
    await img.readFiles((p) => p === '/etc/os-release' || p === '/app/bin', (f) => {
      files[f.path] = f.content.toString();
    });
    expect(files['/etc/os-release']).toBe('ID=debian\nVERSION_ID=12\n');
    expect(files['/app/bin']).toBe('x'.repeat(5000));
    await c.close();
  });
});

describe('a cache pruned under a running client', () => {
  it('a layer pruned after it was fetched is fetched again when opened', async () => {
    const c = client({ insecure: [anon.host] });
    const img = await c.pull(`${anon.host}/app:1.0`);
    expect(c.cache.prune({ maxBytes: 0 }).status.count).toBe(0);
    const bytes: Buffer[] = [];
    for await (const ch of await c.openLayer(img, 0)) bytes.push(ch as Buffer);
    expect(Buffer.concat(bytes).equals(single.layers[0]!.data)).toBe(true);
    await c.close();
  });
});
