/**
 * fetchChart against the real things: charts packaged and signed by the reference helm
 * v4.1.4, pushed by it (`helm push … --plain-http`, which adds the prov layer when the .prov
 * lies beside the .tgz) to Debian's docker-registry on 127.0.0.1, and a Helm repository served
 * on 127.0.0.1 whose index helm wrote (`helm repo index`) and which helm added to its
 * repositories file (`helm repo add`). The version chosen for each `--version` form is compared
 * with the one `helm pull` chooses; the bytes with what was pushed or served.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchChart, type ChartSourceOptions, type FetchedChart } from '../src/commands/chart-source.js';
import { checkProvenance } from '../src/commands/provenance-check.js';
import type { Env } from '../src/commands/context.js';
import { InputError, UsageError } from '../src/model/errors.js';
import { RegistryClient } from '../src/registry/client.js';
import { disposeAllGpg, Gpg } from './helpers/gpg.js';
import { assertHermetic } from './helpers/hermetic.js';
import { helm } from './helpers/helm.js';
import { blob, makeImage, makeIndex, sha256 } from './helpers/oci-image.js';
import { BlobCache } from '../src/cache/blobs.js';
import { pushAll, pushBlob, pushManifest, startFront, startRegistry, startSilent, type FrontServer, type RunningRegistry } from './helpers/registry.js';

const work = mkdtempSync(join(tmpdir(), 'chartaudit-chartsource-'));
const gpg = new Gpg();
let keyring = '';
let reg: RunningRegistry;
let basic: RunningRegistry;
let front: FrontServer;
let repoServer: ChildProcess | undefined;
let repoUrl = '';

/** A static file server on 127.0.0.1 for the directory in argv[1]; prints its port. */
const STATIC_SERVER = `
const { createServer } = require('node:http');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const dir = process.argv[1];
const s = createServer((req, res) => {
  const name = decodeURIComponent((req.url || '/').split('?')[0].slice(1));
  let body;
  try {
    if (name.includes('/') || name.startsWith('.')) throw new Error('no');
    body = readFileSync(join(dir, name));
  } catch {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, { 'content-length': body.length }).end(body);
});
s.listen(0, '127.0.0.1', () => process.stdout.write(s.address().port + '\\n'));
`;

async function stopChild(c: ChildProcess | undefined): Promise<void> {
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise<void>((r) => c.once('exit', () => r()));
  c.kill('SIGTERM');
  await exited;
}

/** Versions pushed to oci://…/charts/demo and served by the repository; signed ones carry a .prov. */
const VERSIONS: { v: string; signed: boolean }[] = [
  { v: '1.0.0', signed: true },
  { v: '1.2.3+build.5', signed: true },
  { v: '1.3.0-rc.1', signed: false },
  { v: '2.0.0', signed: true },
  { v: '2.1.0-alpha.1', signed: false },
];
const packaged = new Map<string, { tgz: string; prov: string | null }>();
const USERS = { alice: 'wonderland' };

function env(extra: Record<string, string> = {}): Env {
  return { env: { ...process.env, ...extra }, home: assertHermetic(), now: new Date() };
}

const opts = (o: Partial<ChartSourceOptions> = {}): ChartSourceOptions => ({ offline: false, insecure: ['127.0.0.1'], deadlineMs: 20_000, ...o });

async function fetchOk(ref: string, o: Partial<ChartSourceOptions> = {}, e: Env = env()): Promise<FetchedChart> {
  const r = await fetchChart(ref, opts(o), e);
  if (r === null) throw new Error(`${ref}: read as a local path`);
  return r;
}

async function errorOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

/** The tag `helm pull` picks for `--version v` (from its "Pulled: host/repo:TAG" line), or its error. */
function helmPicks(ref: string, version: string, extra: string[] = []): string {
  const dest = mkdtempSync(join(work, 'pull-'));
  const r = helm(['pull', ref, ...(version ? ['--version', version] : []), '-d', dest, ...extra]);
  if (r.status !== 0) return `error: ${r.stderr.trim().split('\n')[0]}`;
  const m = /^Pulled: .*:([^:\s]+)$/m.exec(r.stdout + r.stderr);
  return m ? m[1]! : `?${r.stdout}${r.stderr}`;
}

beforeAll(async () => {
  // a signing key; helm signs with the secret keyring, we verify with the public one
  gpg.genKey('Chart Publisher <charts@example.com>');
  const secring = gpg.write(join(work, 'secring.gpg'), gpg.exportSecret());
  keyring = gpg.write(join(work, 'pubring.gpg'), gpg.exportPublic());
  const src = join(work, 'src', 'demo');
  mkdirSync(join(src, 'templates'), { recursive: true });
  writeFileSync(join(src, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.0.0\nappVersion: "1"\n');
  writeFileSync(join(src, 'values.yaml'), 'image: docker.io/library/nginx:1.27\n');
  writeFileSync(join(src, 'templates', 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: demo\nspec:\n  containers:\n    - name: web\n      image: {{ .Values.image }}\n');
  for (const { v, signed } of VERSIONS) {
    const out = join(work, 'pkg', v);
    mkdirSync(out, { recursive: true });
    const r = helm(['package', '--version', v, ...(signed ? ['--sign', '--key', 'Chart Publisher', '--keyring', secring] : []), '-d', out, src]);
    expect(r.status, r.stderr).toBe(0);
    const tgz = join(out, `demo-${v}.tgz`);
    packaged.set(v, { tgz, prov: signed ? `${tgz}.prov` : null });
  }

  const store = join(work, 'store');
  reg = await startRegistry(join(work, 'reg'), store);
  for (const { v } of VERSIONS) {
    const r = helm(['push', packaged.get(v)!.tgz, `oci://${reg.host}/charts`, '--plain-http']);
    expect(r.status, r.stderr).toBe(0);
  }
  // the same store behind htpasswd: credentials from `helm registry login`'s file
  basic = await startRegistry(join(work, 'basic'), store, { kind: 'htpasswd', users: USERS });
  front = await startFront(reg.host);

  // not charts: an image, an artifact with two chart layers, one whose chart layer is too big
  const img = makeImage({ layers: [{ 'a.txt': 'x' }] });
  await pushAll(reg.host, 'charts/image', img.blobs, img.manifest, '1.0.0');
  const cfg = blob(Buffer.from('{"name":"twice","version":"1.0.0"}'), 'application/vnd.cncf.helm.config.v1+json');
  const tgz = readFileSync(packaged.get('1.0.0')!.tgz);
  const layerA = blob(tgz, 'application/vnd.cncf.helm.chart.content.v1.tar+gzip');
  const layerB = blob(Buffer.concat([tgz, Buffer.alloc(1)]), 'application/vnd.cncf.helm.chart.content.v1.tar+gzip');
  for (const b of [cfg, layerA, layerB]) await pushBlob(reg.host, 'charts/twice', b);
  const d = (b: typeof cfg) => ({ mediaType: b.mediaType, digest: b.digest, size: b.size });
  const twice = blob(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: d(cfg), layers: [d(layerA), d(layerB)] })), 'application/vnd.oci.image.manifest.v1+json');
  await pushManifest(reg.host, 'charts/twice', '1.0.0', twice);
  // helm < 3.7's chart layer type, and an image index
  const legacyLayer = blob(tgz, 'application/tar+gzip');
  const legacyCfg = blob(Buffer.from('{"name":"demo","version":"1.0.0"}'), 'application/vnd.cncf.helm.config.v1+json');
  for (const b of [legacyCfg, legacyLayer]) await pushBlob(reg.host, 'charts/legacy', b);
  await pushManifest(reg.host, 'charts/legacy', '1.0.0', blob(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: d(legacyCfg), layers: [d(legacyLayer)] })), 'application/vnd.oci.image.manifest.v1+json'));
  const multi = makeIndex([makeImage({ architecture: 'amd64', layers: [{ a: 'amd64' }] })]);
  await pushAll(reg.host, 'charts/multi', multi.blobs, multi.index, '1.0.0');

  // a Helm repository: index.yaml by `helm repo index`, the .tgz and .prov files beside it
  const repoDir = join(work, 'repo');
  mkdirSync(repoDir, { recursive: true });
  for (const { v } of VERSIONS) {
    const p = packaged.get(v)!;
    copyFileSync(p.tgz, join(repoDir, `demo-${v}.tgz`));
    if (p.prov) copyFileSync(p.prov, join(repoDir, `demo-${v}.tgz.prov`));
  }
  // in a child process: helm (run synchronously by the tests) must be able to reach it
  const child = spawn(process.execPath, ['-e', STATIC_SERVER, repoDir], { stdio: ['ignore', 'pipe', 'inherit'], env: { PATH: process.env.PATH ?? '' } });
  repoServer = child;
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').once('data', (d: string) => resolve(d.trim()));
    child.once('exit', (code) => reject(new Error(`the repository server exited (${code})`)));
  });
  repoUrl = `http://127.0.0.1:${port}`;
  expect(helm(['repo', 'index', repoDir, '--url', repoUrl]).status).toBe(0);
  const add = helm(['repo', 'add', 'shop', repoUrl]);
  expect(add.status, add.stderr).toBe(0);
});

afterAll(async () => {
  await Promise.all([reg?.stop(), basic?.stop(), front?.stop(), stopChild(repoServer)]);
  disposeAllGpg();
  rmSync(work, { recursive: true, force: true });
});

describe('oci:// charts pushed by helm', () => {
  const FORMS = ['', '1.0.0', '^1', '~1.2', '<2', '>=1.0.0-0 <2.0.0', '1.2.3+build.5', '>1.0.0 <1.3.0', '2.0.0', '*', '>=2.0.0-0', '1.x || 2.x'];
  it.each(FORMS)('--version %j: the version helm pull picks, the bytes helm pushed', async (form) => {
    const ref = `oci://${reg.host}/charts/demo`;
    const want = helmPicks(ref, form, ['--plain-http']);
    const got = await fetchOk(ref, { version: form });
    expect(got.origin).toMatchObject({ kind: 'oci', tag: want });
    const version = want.replace(/_/g, '+');
    expect(got.version).toBe(version);
    expect(got.label).toBe(`${ref}:${want}`);
    // helm pull saves `<name>-<version>.tgz`: the name the .prov's files: map uses
    expect(got.filename).toBe(`demo-${version}.tgz`);
    const p = packaged.get(version)!;
    expect(got.archive.equals(readFileSync(p.tgz))).toBe(true);
    if (p.prov) expect(got.prov?.equals(readFileSync(p.prov))).toBe(true);
    else expect(got.prov).toBeNull();
    expect(got.origin.kind === 'oci' && got.origin.manifestDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('the prov layer verifies against the signer\'s keyring with the file name chosen', async () => {
    const got = await fetchOk(`oci://${reg.host}/charts/demo`, { version: '1.2.3+build.5' });
    const check = await checkProvenance({ archive: got.archive, prov: got.prov, filename: got.filename, provName: got.provName, keyring }, env());
    expect(check.provenance.status).toBe('verified');
    expect(check.provenance.signer).toContain('Chart Publisher');
  });

  it('a tag in the reference, the registry\'s `_` spelling, and a digest', async () => {
    const byTag = await fetchOk(`oci://${reg.host}/charts/demo:1.2.3+build.5`);
    expect(byTag.version).toBe('1.2.3+build.5');
    const underscore = await fetchOk(`oci://${reg.host}/charts/demo`, { version: '1.2.3_build.5' });
    expect(underscore.archive.equals(byTag.archive)).toBe(true);
    const md = byTag.origin.kind === 'oci' ? byTag.origin.manifestDigest : '';
    const byDigest = await fetchOk(`oci://${reg.host}/charts/demo@${md}`);
    expect(byDigest.archive.equals(byTag.archive)).toBe(true);
    expect(byDigest.filename).toBe('demo-1.2.3+build.5.tgz'); // from the chart config helm wrote
    expect(byDigest.label).toBe(`oci://${reg.host}/charts/demo@${md}`);
    const both = await fetchOk(`oci://${reg.host}/charts/demo:1.2.3_build.5@${md}`);
    expect(both.version).toBe('1.2.3+build.5');
    // with a digest, a tag that does not exist is no error (as helm); the version is still the tag's
    const untagged = await fetchOk(`oci://${reg.host}/charts/demo:7.7.7@${md}`);
    expect(untagged.archive.equals(byTag.archive)).toBe(true);
    expect(untagged.label).toBe(`oci://${reg.host}/charts/demo@${md}`);
    expect(untagged.filename).toBe('demo-7.7.7.tgz');
    const none = await errorOf(fetchOk(`oci://${reg.host}/charts/demo@sha256:${'0'.repeat(64)}`));
    expect(none.message).toContain(`oci://${reg.host}/charts/demo@sha256:${'0'.repeat(64)}: manifest sha256:${'0'.repeat(64)} not found`);
    const wrong = await errorOf(fetchOk(`oci://${reg.host}/charts/demo:2.0.0@${md}`));
    expect(wrong).toBeInstanceOf(InputError);
    expect(wrong.message).toMatch(/tag 2\.0\.0 is sha256:[0-9a-f]+, not the digest the reference names/);
    const clash = await errorOf(fetchOk(`oci://${reg.host}/charts/demo:1.0.0`, { version: '2.0.0' }));
    expect(clash).toBeInstanceOf(UsageError);
    expect(clash.message).toContain("the reference's tag 1.0.0 and --version 2.0.0 disagree");
  });

  it('errors name the reference and say what there is', async () => {
    const base = `oci://${reg.host}/charts/demo`;
    const cases: [string, Partial<ChartSourceOptions>, typeof InputError | typeof UsageError, string][] = [
      [base, { version: '9.9.9' }, InputError, `${base}: version 9.9.9 not found (no tag 9.9.9); newest tags: 2.1.0-alpha.1, 2.0.0, 1.3.0-rc.1, 1.2.3+build.5, 1.0.0`],
      [base, { version: '^3' }, InputError, `${base}: no version satisfies --version "^3"; newest tags: 2.1.0-alpha.1, 2.0.0, 1.3.0-rc.1, 1.2.3+build.5, 1.0.0`],
      [base, { version: '>>1' }, UsageError, `${base}: --version ">>1" is neither a version nor a constraint`],
      [`oci://${reg.host}/charts/nope`, {}, InputError, `oci://${reg.host}/charts/nope: repository not found in ${reg.host}/charts/nope (HTTP 404, NAME_UNKNOWN`],
      [`oci://${reg.host}/charts/nope`, { version: '1.0.0' }, InputError, `oci://${reg.host}/charts/nope:1.0.0: tag 1.0.0 not found in ${reg.host}/charts/nope (HTTP 404`],
      [`oci://${reg.host}/charts/image`, {}, InputError, `oci://${reg.host}/charts/image:1.0.0: not a Helm chart (its config is application/vnd.oci.image.config.v1+json, not application/vnd.cncf.helm.config.v1+json); a container image: \`chartaudit image\` reads it`],
      [`oci://${reg.host}/charts/multi`, {}, InputError, `oci://${reg.host}/charts/multi:1.0.0: an index (application/vnd.oci.image.index.v1+json), not a Helm chart manifest`],
      [`oci://${reg.host}/charts/twice`, {}, InputError, `oci://${reg.host}/charts/twice:1.0.0: the manifest has 2 chart layers; which one is the chart is ambiguous`],
      [`oci://127.0.0.1:1/charts/demo`, { version: '1.0.0' }, InputError, 'oci://127.0.0.1:1/charts/demo:1.0.0: https://127.0.0.1:1/v2/charts/demo/manifests/1.0.0: connection refused'],
      ['oci://host/Demo', {}, UsageError, 'oci://host/Demo: "Demo" is not a repository path: repository name must be lowercase'],
    ];
    for (const [ref, o, type, msg] of cases) {
      const e = await errorOf(fetchOk(ref, o));
      expect(e, `${ref} ${JSON.stringify(o)}: ${e.message}`).toBeInstanceOf(type);
      expect(e.message).toContain(msg);
      expect(e.message.split('\n').length).toBeLessThanOrEqual(2);
    }
  });

  it('a provenance layer over 1 MiB is refused before a byte of it is fetched', async () => {
    const cfg = blob(Buffer.from('{"name":"bigprov","version":"1.0.0"}'), 'application/vnd.cncf.helm.config.v1+json');
    const chart = blob(readFileSync(packaged.get('1.0.0')!.tgz), 'application/vnd.cncf.helm.chart.content.v1.tar+gzip');
    const prov = blob(Buffer.alloc(1024 * 1024 + 1, 0x41), 'application/vnd.cncf.helm.chart.provenance.v1.prov');
    for (const b of [cfg, chart, prov]) await pushBlob(reg.host, 'charts/bigprov', b);
    const d = (x: typeof cfg) => ({ mediaType: x.mediaType, digest: x.digest, size: x.size });
    await pushManifest(reg.host, 'charts/bigprov', '1.0.0', blob(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: d(cfg), layers: [d(chart), d(prov)] })), 'application/vnd.oci.image.manifest.v1+json'));
    front.seen.length = 0;
    const e = await errorOf(fetchOk(`oci://${front.host}/charts/bigprov`, { version: '1.0.0' }));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe(`oci://${front.host}/charts/bigprov:1.0.0: the provenance layer is 1048577 bytes, more than the 1048576 bytes allowed`);
    expect(front.seen.filter((s) => s.path.includes('/blobs/'))).toEqual([]);
  });

  it('the legacy chart media type (application/tar+gzip) is read, with helm\'s warning', async () => {
    const got = await fetchOk(`oci://${reg.host}/charts/legacy`);
    expect(got.archive.equals(readFileSync(packaged.get('1.0.0')!.tgz))).toBe(true);
    expect(got.prov).toBeNull();
    expect(got.warnings).toEqual([`oci://${reg.host}/charts/legacy:1.0.0: chart media type application/tar+gzip is deprecated (helm says so too)`]);
  });

  it('a chart layer over 100 MiB is refused before a byte of it is fetched', async () => {
    // the front server answers for a manifest whose chart layer claims 100 MiB + 1
    const cfg = blob(Buffer.from('{"name":"big","version":"1.0.0"}'), 'application/vnd.cncf.helm.config.v1+json');
    await pushBlob(reg.host, 'charts/big', cfg);
    const manifest = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: cfg.mediaType, digest: cfg.digest, size: cfg.size },
      layers: [{ mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', digest: `sha256:${'c'.repeat(64)}`, size: 100 * 1024 * 1024 + 1 }],
    }));
    const m = blob(manifest, 'application/vnd.oci.image.manifest.v1+json');
    front.seen.length = 0;
    front.rule = (req, res) => {
      if (req.url === '/v2/charts/big/manifests/1.0.0' || req.url === `/v2/charts/big/manifests/${m.digest}`) {
        res.writeHead(200, { 'content-type': m.mediaType, 'docker-content-digest': m.digest, 'content-length': String(m.size) });
        res.end(req.method === 'HEAD' ? undefined : m.data);
        return true;
      }
      return false;
    };
    try {
      const e = await errorOf(fetchOk(`oci://${front.host}/charts/big`, { version: '1.0.0' }));
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toBe(`oci://${front.host}/charts/big:1.0.0: the chart layer is 104857601 bytes, more than the 104857600 bytes allowed`);
      expect(front.seen.filter((s) => s.path.includes('/blobs/'))).toEqual([]);
    } finally {
      front.rule = null;
    }
  });

  it('a chart layer whose bytes do not match its digest is refused and not cached', async () => {
    const cache = join(work, 'cache-tamper');
    const chartDigest = sha256(readFileSync(packaged.get('1.0.0')!.tgz));
    front.alter = (path, body) => (path.endsWith(`/blobs/${chartDigest}`) ? Buffer.concat([body.subarray(0, 100), Buffer.from('X'), body.subarray(101)]) : body);
    try {
      const e = await errorOf(fetchOk(`oci://${front.host}/charts/demo`, { version: '1.0.0' }, env({ XDG_CACHE_HOME: cache })));
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toContain(`oci://${front.host}/charts/demo:1.0.0: blob ${chartDigest} from http://${front.host}/v2/charts/demo/blobs/${chartDigest}: the content hashes to sha256:`);
      expect(e.message).toMatch(/, not sha256:[0-9a-f]{64}; refused, nothing cached$/);
      expect(new BlobCache({ cacheDir: join(cache, 'chartaudit') }).has(chartDigest)).toBe(false);
    } finally {
      front.alter = null;
    }
    const ok = await fetchOk(`oci://${front.host}/charts/demo`, { version: '1.0.0' }, env({ XDG_CACHE_HOME: cache }));
    expect(ok.archive.equals(readFileSync(packaged.get('1.0.0')!.tgz))).toBe(true);
    expect(new BlobCache({ cacheDir: join(cache, 'chartaudit') }).has(chartDigest)).toBe(true);
  });

  it('--offline: served from the cache when fetched before (no request), else a usage error', async () => {
    const e = env({ XDG_CACHE_HOME: join(work, 'cache-offline') });
    const ref = `oci://${front.host}/charts/demo`;
    const cold = await errorOf(fetchChart(ref, opts({ version: '2.0.0', offline: true }), e));
    expect(cold).toBeInstanceOf(UsageError);
    expect(cold.message).toBe(`${ref}:2.0.0: not in the cache, and a remote chart needs the network, which --offline forbids (fetch it once without --offline)`);
    const online = await fetchOk(ref, { version: '2.0.0' }, e);
    front.seen.length = 0;
    const warm = await fetchOk(ref, { version: '2.0.0', offline: true }, e);
    expect(front.seen).toEqual([]);
    expect(warm.archive.equals(online.archive)).toBe(true);
    expect(warm.prov?.equals(online.prov!)).toBe(true);
    const constraint = await errorOf(fetchChart(ref, opts({ version: '^2', offline: true }), e));
    expect(constraint).toBeInstanceOf(UsageError);
    expect(constraint.message).toContain(`${ref}: --version "^2" needs the registry's tag list, and --offline forbids the network`);
    const newest = await errorOf(fetchChart(ref, opts({ offline: true }), e));
    expect(newest.message).toContain(`${ref}: the newest version needs the registry's tag list`);
    expect(front.seen).toEqual([]);
  });

  it('a tag list in pages (Link headers) is followed to the end', async () => {
    front.seen.length = 0;
    // distribution 2.8 ignores `n`: the front server pages the list itself, as the spec says
    const all = VERSIONS.map((x) => x.v.replace(/\+/g, '_')).sort();
    front.rule = (req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname !== '/v2/charts/demo/tags/list') return false;
      const last = u.searchParams.get('last');
      const from = last === null ? 0 : all.indexOf(last) + 1;
      const page = all.slice(from, from + 2);
      const more = from + 2 < all.length;
      res.writeHead(200, { 'content-type': 'application/json', ...(more ? { link: `</v2/charts/demo/tags/list?n=2&last=${page[page.length - 1]}>; rel="next"` } : {}) });
      res.end(JSON.stringify({ name: 'charts/demo', tags: page }));
      return true;
    };
    try {
      const got = await fetchOk(`oci://${front.host}/charts/demo`, { version: '>=2.0.0-0' });
      expect(got.version).toBe('2.1.0-alpha.1');
    } finally {
      front.rule = null;
    }
    const pages = front.seen.filter((s) => s.path.includes('/tags/list')).map((s) => s.path);
    expect(pages).toEqual(['/v2/charts/demo/tags/list', '/v2/charts/demo/tags/list?n=2&last=1.2.3_build.5', '/v2/charts/demo/tags/list?n=2&last=2.0.0']);
  });

  it('a hostile tag list: not JSON, no list, a next page elsewhere', async () => {
    const ref = `oci://${front.host}/charts/demo`;
    const answers: [string, Record<string, string>, string][] = [
      ['<html>', {}, `${ref}: the tag list from http://${front.host}/v2/charts/demo/tags/list is not JSON`],
      ['{"name":"charts/demo","tags":"1.0.0"}', {}, `${ref}: the tag list from http://${front.host}/v2/charts/demo/tags/list has no list of tags`],
      ['{"tags":["1.0.0"]}', { link: '<http://evil.example/v2/charts/demo/tags/list?last=1.0.0>; rel="next"' }, `${ref}: the tag list's next-page link leads elsewhere (http://evil.example/v2/charts/demo/tags/list); refused`],
      ['{"tags":["1.0.0"]}', { link: '</v2/other/tags/list?last=1.0.0>; rel="next"' }, `${ref}: the tag list's next-page link leads elsewhere (http://${front.host}/v2/other/tags/list); refused`],
      ['{"tags":[]}', {}, `${ref}: the repository has no tag that is a SemVer version`],
      ['{"tags":["latest","v1","1.0"]}', {}, `${ref}: the repository has no tag that is a SemVer version`],
    ];
    for (const [body, headers, msg] of answers) {
      front.rule = (req, res) => {
        if (!req.url?.includes('/tags/list')) return false;
        res.writeHead(200, { 'content-type': 'application/json', ...headers });
        res.end(body);
        return true;
      };
      try {
        const e = await errorOf(fetchOk(ref, { version: '^1' }));
        expect(e, e.message).toBeInstanceOf(InputError);
        expect(e.message).toContain(msg);
      } finally {
        front.rule = null;
      }
    }
  });

  it('a tag list is bounded: pages and tags', async () => {
    const ref = `oci://${front.host}/charts/demo`;
    const cases: [(last: string | null) => { tags: string[]; next: boolean }, string][] = [
      // a registry that pages forever
      [() => ({ tags: ['1.0.0'], next: true }), `${ref}: the tag list runs past 1000 pages`],
      [() => ({ tags: Array.from({ length: 100_001 }, (_, i) => `0.0.${i}`), next: false }), `${ref}: more than 100000 tags`],
    ];
    for (const [pager, msg] of cases) {
      front.rule = (req, res) => {
        const u = new URL(req.url ?? '/', 'http://x');
        if (u.pathname !== '/v2/charts/demo/tags/list') return false;
        const p = pager(u.searchParams.get('last'));
        res.writeHead(200, { 'content-type': 'application/json', ...(p.next ? { link: '</v2/charts/demo/tags/list?last=1.0.0>; rel="next"' } : {}) });
        res.end(JSON.stringify({ tags: p.tags }));
        return true;
      };
      try {
        const t0 = Date.now();
        const e = await errorOf(fetchOk(ref, { version: '^1' }));
        expect(e, e.message).toBeInstanceOf(InputError);
        expect(e.message).toBe(msg);
        expect(Date.now() - t0).toBeLessThan(20_000);
      } finally {
        front.rule = null;
      }
    }
  });

  it('a registry that never answers costs the deadline, not more', async () => {
    const silent = await startSilent();
    try {
      const t0 = Date.now();
      const e = await errorOf(fetchOk(`oci://${silent.host}/charts/demo`, { version: '^1', deadlineMs: 1500, insecure: [] }));
      expect(Date.now() - t0).toBeLessThan(6000);
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toMatch(new RegExp(`^oci://${silent.host}/charts/demo: .*the 1\\.5 s deadline`));
    } finally {
      await silent.stop();
    }
  });

  it('--registry-mirror: the chart comes from the mirror, named by its registry', async () => {
    const got = await fetchOk('oci://charts.example.invalid/charts/demo', { version: '~1.0', mirrors: [`charts.example.invalid=${reg.host}`] });
    expect(got.label).toBe('oci://charts.example.invalid/charts/demo:1.0.0');
    expect(got.archive.equals(readFileSync(packaged.get('1.0.0')!.tgz))).toBe(true);
  });

  it('a shared registry client (as scan passes the one its image pulls use)', async () => {
    const client = new RegistryClient({ env: process.env, cacheDir: join(work, 'cache-shared'), insecure: ['127.0.0.1'], credentials: null });
    try {
      const got = await fetchOk(`oci://${reg.host}/charts/demo`, { version: '^1', registry: client, insecure: undefined });
      expect(got.version).toBe('1.2.3+build.5');
    } finally {
      await client.close();
    }
  });

  it('credentials from `helm registry login` (helm\'s registry config), and a clear error without them', async () => {
    const ref = `oci://${basic.host}/charts/demo`;
    const none = await errorOf(fetchOk(ref, { version: '1.0.0' }));
    expect(none).toBeInstanceOf(InputError);
    expect(none.message).toContain(`${basic.host} wants credentials for charts/demo`);
    const login = helm(['registry', 'login', basic.host, '--username', 'alice', '--password-stdin', '--plain-http'], { input: USERS.alice });
    expect(login.status, login.stderr).toBe(0);
    expect(readFileSync(process.env.HELM_REGISTRY_CONFIG!, 'utf8')).toContain(basic.host);
    try {
      const got = await fetchOk(ref, { version: '^2' });
      expect(got.version).toBe('2.0.0');
      // --registry-config replaces every other file
      const other = join(work, 'empty-config.json');
      writeFileSync(other, '{}');
      const only = await errorOf(fetchOk(ref, { version: '1.0.0', registryConfig: other }));
      expect(only.message).toContain(`${basic.host} wants credentials`);
    } finally {
      helm(['registry', 'logout', basic.host]);
    }
  });
});

describe('<repo>/<chart> from helm\'s repositories file', () => {
  const FORMS = ['', '1.0.0', '^1', '~1.2', '<2', '>=1.0.0-0 <2.0.0', '1.2.3+build.5', '2.0.0', '>=2.0.0-0'];
  it.each(FORMS)('--version %j: the version helm pull picks, the bytes served', async (form) => {
    const dest = mkdtempSync(join(work, 'pull-'));
    const h = helm(['pull', 'shop/demo', ...(form ? ['--version', form] : []), '-d', dest]);
    expect(h.status, h.stderr).toBe(0);
    const saved = readFileSync(join(dest, readdirSync(dest)[0]!));
    const got = await fetchOk('shop/demo', { version: form });
    expect(got.archive.equals(saved)).toBe(true);
    const p = packaged.get(got.version)!;
    expect(got.filename).toBe(`demo-${got.version}.tgz`);
    expect(got.label).toBe(`shop/demo ${got.version}`);
    if (p.prov) expect(got.prov?.equals(readFileSync(p.prov))).toBe(true);
    else expect(got.prov).toBeNull(); // no .prov: unsigned, not an error
    expect(got.origin).toEqual({ kind: 'repo', repository: 'shop', repositoryUrl: repoUrl, chartUrl: `${repoUrl}/demo-${got.version}.tgz` });
  });

  it('the .prov verifies with the file name chosen', async () => {
    const got = await fetchOk('shop/demo', { version: '2.0.0' });
    const check = await checkProvenance({ archive: got.archive, prov: got.prov, filename: got.filename, provName: got.provName, keyring }, env());
    expect(check.provenance.status).toBe('verified');
  });

  it('--repo URL with a bare chart name', async () => {
    const got = await fetchOk('demo', { version: '~1.0', repo: repoUrl });
    expect(got.version).toBe('1.0.0');
    expect(got.label).toBe('demo 1.0.0');
  });

  it('errors', async () => {
    const v = await errorOf(fetchOk('shop/demo', { version: '^3' }));
    expect(v).toBeInstanceOf(InputError);
    expect(v.message).toBe(`chart demo: version ^3 not found in repo ${repoUrl}/index.yaml, available: 2.1.0-alpha.1, 2.0.0, 1.3.0-rc.1, 1.2.3+build.5, 1.0.0`);
    const c = await errorOf(fetchOk('shop/nope'));
    expect(c.message).toBe(`chart nope not found in repo ${repoUrl}/index.yaml`);
    const r = await errorOf(fetchOk('elsewhere/demo'));
    expect(r.message).toContain(`no repository named "elsewhere" in ${process.env.HELM_REPOSITORY_CONFIG}; known: shop`);
    const off = await errorOf(fetchChart('shop/demo', opts({ offline: true }), env()));
    expect(off).toBeInstanceOf(UsageError);
    expect(off.message).toBe('shop/demo: a chart from a Helm repository needs the network, which --offline forbids (download it with `helm pull shop/demo --prov` and name the .tgz)');
    const url = await errorOf(fetchChart(`${repoUrl}/demo-1.0.0.tgz`, opts(), env()));
    expect(url).toBeInstanceOf(UsageError);
  });

  it('a local path stays local', async () => {
    expect(await fetchChart(packaged.get('1.0.0')!.tgz, opts({ version: '^9' }), env())).toBeNull();
    expect(await fetchChart('./no/such/chart', opts(), env())).toBeNull();
  });
});
