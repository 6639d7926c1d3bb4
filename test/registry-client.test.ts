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
