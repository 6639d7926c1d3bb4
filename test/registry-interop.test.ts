/**
 * Interop with the real tools: images pushed by skopeo (a peer's OCI layout from ../shared as it
 * is, and our own amd64/arm64 index with `--all`) read by our client with the digests skopeo
 * pushed; a registry serving TLS with a self-signed certificate, reached only through
 * --insecure-registry or a trusted CA.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RegistryClient } from '../src/registry/client.js';
import { RegistryError } from '../src/registry/errors.js';
import { makeImage, makeIndex, writeOciLayout, type TestIndex } from './helpers/oci-image.js';
import { pushAll, startRegistry, type RunningRegistry } from './helpers/registry.js';
import { sharedPath } from './helpers/shared.js';
import { selfSignedCert } from './helpers/tls.js';
import { hermeticEnv } from './helpers/hermetic.js';

let dir: string;
let reg: RunningRegistry;
let tlsReg: RunningRegistry;
let caPath: string;
let multi: TestIndex;

function skopeo(...args: string[]): void {
  try {
    execFileSync('skopeo', ['--insecure-policy', ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '', ...hermeticEnv(), TMPDIR: dir } });
  } catch (e) {
    throw new Error(`these tests need skopeo (apt-get install skopeo): skopeo ${args.join(' ')}: ${(e as { stderr?: Buffer }).stderr?.toString() ?? (e as Error).message}`);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chartaudit-interop-'));
  reg = await startRegistry(join(dir, 'reg'), join(dir, 'store'));
  multi = makeIndex([makeImage({ architecture: 'amd64', layers: [{ a: 'amd64' }] }), makeImage({ architecture: 'arm64', variant: 'v8', layers: [{ a: 'arm64' }] })]);
  const layout = join(dir, 'layout');
  writeOciLayout(layout, multi.blobs, multi.index, '1.0');
  skopeo('copy', '--all', '--dest-tls-verify=false', `oci:${layout}:1.0`, `docker://${reg.host}/skopeo/multi:1.0`);
  skopeo('copy', '--dest-tls-verify=false', `oci:${sharedPath('testdata/images/layouts/test.oci')}`, `docker://${reg.host}/shared/test:latest`);
  const cert = selfSignedCert(dir);
  caPath = cert.certPath;
  tlsReg = await startRegistry(join(dir, 'tls'), join(dir, 'store'), { kind: 'none' }, { certPath: cert.certPath, keyPath: cert.certPath.replace(/cert\.pem$/, 'key.pem') });
});

afterAll(async () => {
  await Promise.all([reg?.stop(), tlsReg?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

it('reads a peer\'s OCI layout (../shared) as skopeo pushed it, with the digest of its index.json', async () => {
  const index = JSON.parse(readFileSync(sharedPath('testdata/images/layouts/test.oci/index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const c = new RegistryClient({ cacheDir: join(dir, 'c1'), credentials: null, insecure: [reg.host] });
  const img = await c.pull(`${reg.host}/shared/test`);
  expect(img.digest).toBe(index.manifests[0]!.digest);
  expect(img.layers.length).toBeGreaterThan(0);
  for (const l of img.layers) expect(c.cache.has(l.digest)).toBe(true);
  await c.close();
});

it.each([
  ['linux/amd64', 0],
  ['linux/arm64', 1],
])('an index pushed by skopeo copy --all: %s', async (platform, i) => {
  const c = new RegistryClient({ cacheDir: join(dir, `c-${platform.replace('/', '-')}`), credentials: null, insecure: [reg.host] });
  const img = await c.pull(`${reg.host}/skopeo/multi:1.0`, { platform });
  expect(img.indexDigest).toBe(multi.index.digest);
  expect(img.digest).toBe(multi.images[i]!.manifest.digest);
  await c.close();
});

it.each([
  ['--insecure-registry: unverified TLS for that host', { insecure: ['TLS'] }, null],
  ['a trusted CA (CHARTAUDIT_EXTRA_CA_CERTS)', { env: { CHARTAUDIT_EXTRA_CA_CERTS: 'CA' } }, null],
  ['neither: the certificate is refused, said plainly', {}, 'TLS certificate not trusted: it is self-signed'],
  ['--insecure-registry for another host does not cover this one', { insecure: ['127.0.0.2'] }, 'TLS certificate not trusted: it is self-signed'],
])('a TLS registry with a self-signed certificate, %s', async (_n, o, error) => {
  const opts = JSON.parse(JSON.stringify(o).replace('"TLS"', JSON.stringify(tlsReg.host)).replace('"CA"', JSON.stringify(caPath))) as { insecure?: string[]; env?: Record<string, string> };
  const c = new RegistryClient({ cacheDir: join(dir, `c-tls-${Math.random()}`), credentials: null, retries: 0, ...opts });
  const p = c.resolve(`${tlsReg.host}/skopeo/multi:1.0`);
  if (error === null) expect((await p).indexDigest).toBe(multi.index.digest);
  else {
    const e = await p.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RegistryError);
    expect((e as Error).message).toContain(`https://${tlsReg.host}/v2/skopeo/multi/manifests/1.0: ${error}`);
  }
  await c.close();
});

it('our push helper and skopeo agree: the same layout pushed both ways has the same digest', async () => {
  await pushAll(reg.host, 'ours/multi', multi.blobs, multi.index, '1.0');
  const c = new RegistryClient({ cacheDir: join(dir, 'c-agree'), credentials: null, insecure: [reg.host] });
  expect((await c.resolve(`${reg.host}/ours/multi:1.0`)).indexDigest).toBe((await c.resolve(`${reg.host}/skopeo/multi:1.0`)).indexDigest);
  await c.close();
});
