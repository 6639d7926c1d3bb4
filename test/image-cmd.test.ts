/**
 * `chartaudit image`: the archives fixtures/image/generate.ts writes, and a real registry
 * (Debian's docker-registry on 127.0.0.1) with an image pushed by the test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli } from './helpers/cli.js';
import { makeImage, makeIndex, type TestImage, type TestIndex } from './helpers/oci-image.js';
import { pushAll, startRegistry, type RunningRegistry } from './helpers/registry.js';

const out = join(projectRoot, 'fixtures', 'image', 'out');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('chartaudit image on archives', () => {
  it.each([
    ['docker-archive (Docker 25+, OCI inside)', `docker-archive:${join(out, 'docker-oci.tar')}`, [], 'linux/amd64', 3],
    ['docker-archive (legacy)', `docker-archive:${join(out, 'docker-legacy.tar')}`, [], 'linux/amd64', 3],
    ['oci-layout, amd64 from an index', `oci-layout:${join(out, 'multiarch.oci')}`, [], 'linux/amd64', 3],
    ['oci-layout, arm64 from an index', `oci-layout:${join(out, 'multiarch.oci')}`, ['--platform', 'linux/arm64'], 'linux/arm64/v8', 3],
  ])('%s', async (_n, ref, flags, platform, layers) => {
    const r = await runCli(['image', ref, ...flags, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Json;
    expect(report.platform).toBe(platform);
    expect(report.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(report.layers).toHaveLength(layers);
    expect(Array.isArray(report.packages)).toBe(true);
    const table = await runCli(['image', ref, ...flags, '--no-color']);
    expect(table.stdout).toContain(`Digest`);
    for (const l of report.layers as { digest: string }[]) expect(table.stdout).toContain(l.digest);
    // every line fits 80 columns, but a path longer than that cannot be broken
    for (const line of table.stdout.split('\n')) if (!line.includes(out)) expect(line.length).toBeLessThanOrEqual(80);
  });

  it.each([
    ['a platform the index does not have', [`oci-layout:${join(out, 'multiarch.oci')}`, '--platform', 'windows/amd64'], /linux\/amd64/],
    ['a missing archive', ['docker-archive:/no/such/file.tar'], /no such file or directory/],
    ['a reference no source reads', ['oci-layout:'], /.+/],
  ])('%s: exit 2, one or two lines', async (_n, args, message) => {
    const r = await runCli(['image', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  });
});

describe('chartaudit image from a registry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chartaudit-image-cmd-'));
  let reg: RunningRegistry;
  let single: TestImage;
  let multi: TestIndex;
  beforeAll(async () => {
    reg = await startRegistry(join(dir, 'reg'), join(dir, 'store'));
    single = makeImage({ layers: [{ 'etc/os-release': 'ID=debian\nVERSION_ID=12\n' }, { 'app/bin': 'x'.repeat(5000) }], user: '1001' });
    multi = makeIndex([makeImage({ architecture: 'amd64', layers: [{ arch: 'amd64' }] }), makeImage({ architecture: 'arm64', variant: 'v8', layers: [{ arch: 'arm64' }] })]);
    await pushAll(reg.host, 'acme/app', single.blobs, single.manifest, '1.0');
    await pushAll(reg.host, 'acme/multi', multi.blobs, multi.index, '2.0');
  }, 120_000);
  afterAll(async () => {
    await reg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves the tag to the pushed manifest, reads every layer, then answers --offline from the cache', async () => {
    const ref = `${reg.host}/acme/app:1.0`;
    const r = await runCli(['image', ref, '--insecure-registry', reg.host, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Json;
    expect(report).toMatchObject({ ref, digest: single.manifest.digest, platform: 'linux/amd64', config: { user: '1001' } });
    expect(report.layers.map((l: Json) => l.digest)).toEqual(single.layers.map((l) => l.digest));
    await reg.stop();
    const offline = await runCli(['image', ref, '--offline', '--format', 'json']);
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout)).toEqual(report);
    reg = await startRegistry(join(dir, 'reg'), join(dir, 'store'));
  }, 60_000);

  it('cache status counts the pulled blobs; cache prune --max-size 0 empties it, and --offline then has nothing', async () => {
    const ref = `${reg.host}/acme/app:1.0`;
    expect((await runCli(['image', ref, '--insecure-registry', reg.host])).code).toBe(0);
    const status = JSON.parse((await runCli(['cache', 'status', '--format', 'json'])).stdout) as { count: number; bytes: number; dir: string };
    expect(status.count).toBeGreaterThanOrEqual(single.blobs.length);
    expect(status.dir.startsWith(process.env.XDG_CACHE_HOME!)).toBe(true);
    const kept = await runCli(['cache', 'prune', '--max-size', '1GiB', '--format', 'json']);
    expect(JSON.parse(kept.stdout)).toMatchObject({ removed: 0 });
    const pruned = await runCli(['cache', 'prune', '--max-size', '0']);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toMatch(/^removed \d+ blobs \(\d+(\.\d)? [KM]?i?B\); 0 left \(0 B\)/);
    const offline = await runCli(['image', ref, '--offline']);
    expect(offline.code).toBe(2);
    expect((await runCli(['cache', 'prune', '--max-size', 'lots'])).code).toBe(2);
  }, 60_000);

  it('chooses the platform from an index', async () => {
    const r = await runCli(['image', `${reg.host}/acme/multi:2.0`, '--insecure-registry', reg.host, '--platform', 'linux/arm64', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ platform: 'linux/arm64/v8', digest: multi.images[1]!.manifest.digest });
  });

  it.each([
    ['a tag that does not exist', (h: string) => [`${h}/acme/app:9.9`, '--insecure-registry', h]],
    ['a cold cache with --offline', (h: string) => [`${h}/acme/never-pulled:1.0`, '--offline']],
    ['plain HTTP without --insecure-registry', (h: string) => [`${h}/acme/app:1.0`, '--timeout', '5']],
  ])('%s: exit 2 with the reference named', async (_n, args) => {
    const r = await runCli(['image', ...args(reg.host)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('acme/');
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  }, 60_000);
});

describe('chartaudit image matches its packages', () => {
  const demo = join(projectRoot, 'fixtures', 'demo');
  const ref = `oci-layout:${join(demo, 'images', 'acme', 'storefront')}:9.2.0`;
  it('with a local database: findings as in a scan (source package, location), in the schema', async () => {
    const r = await runCli(['image', ref, '--db', join(demo, 'db'), '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Json;
    expect(report.vulnerabilitySource.kind).toBe('database');
    expect(report.findings.map((f: Json) => `${f.id} ${f.package.name}`)).toEqual(expect.arrayContaining(['CVE-2024-9143 openssl', 'CVE-2021-23337 lodash']));
    expect(report.findings.find((f: Json) => f.package.name === 'openssl').package.binaries).toEqual(['libssl3', 'openssl']);
    expect(report.findings.find((f: Json) => f.package.name === 'lodash').location).toMatchObject({ path: '/app/node_modules/lodash/package.json' });
    const table = await runCli(['image', ref, '--db', join(demo, 'db'), '--no-color']);
    expect(table.stdout).toMatch(/Vulnerabilities \(\d+ open\)\n/);
    expect(table.stdout).toContain('npm lodash 4.17.20  fixed in 4.17.21');
  });
  it('without a database and without --online: no network, a gap says the packages were not checked', async () => {
    const r = await runCli(['image', ref, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Json;
    expect(report.findings).toEqual([]);
    expect(report.vulnerabilitySource).toBeNull();
    expect(report.gaps.map((g: Json) => g.reason).join('\n')).toMatch(/no vulnerability database in .*: \d+ packages not checked/);
    expect((await runCli(['image', ref, '--online', '--offline'])).code).toBe(2);
  });
});
