/**
 * `scan oci://…` and `scan repo/chart` (issue 10): the demo chart and its .prov pushed by the
 * reference helm v4.1.4 to Debian's docker-registry on 127.0.0.1, and served from a chart
 * repository on 127.0.0.1 that helm indexed; the provenance layer is verified like a .prov
 * beside a file, and the images come from the demo's directory mirror.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli } from './helpers/cli.js';
import { helm } from './helpers/helm.js';
import { startRegistry, type RunningRegistry } from './helpers/registry.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const demo = join(projectRoot, 'fixtures', 'demo');
const common = ['--keyring', join(demo, 'keyring.gpg'), '--db', join(demo, 'db'), '--registry-mirror', `docker.io=oci-layout:${join(demo, 'images')}`, '--format', 'json'];

describe('scan a chart from a registry or a repository', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chartaudit-scan-remote-'));
  let reg: RunningRegistry;
  let repo: Server;
  let repoUrl = '';
  beforeAll(async () => {
    reg = await startRegistry(join(dir, 'reg'), join(dir, 'store'));
    const pushed = helm(['push', join(demo, 'storefront-5.0.1.tgz'), `oci://${reg.host}/charts`, '--plain-http'], { env: { HOME: dir } });
    expect(pushed.status, pushed.stderr).toBe(0);
    // a chart repository: the archive, its .prov and helm's index
    const served = join(dir, 'repo');
    mkdirSync(served);
    for (const f of ['storefront-5.0.1.tgz', 'storefront-5.0.1.tgz.prov']) copyFileSync(join(demo, f), join(served, f));
    repo = createServer((req, res) => {
      const name = basename(decodeURIComponent((req.url ?? '/').split('?')[0]!));
      try {
        const body = readFileSync(join(served, name));
        res.writeHead(200, { 'content-length': body.length }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => repo.listen(0, '127.0.0.1', r));
    repoUrl = `http://127.0.0.1:${(repo.address() as AddressInfo).port}`;
    const indexed = helm(['repo', 'index', served, '--url', repoUrl], { env: { HOME: dir } });
    expect(indexed.status, indexed.stderr).toBe(0);
    const reposFile = process.env.HELM_REPOSITORY_CONFIG!;
    mkdirSync(dirname(reposFile), { recursive: true });
    writeFileSync(reposFile, `apiVersion: ""\nrepositories:\n- name: demo\n  url: ${repoUrl}\n`);
  }, 120_000);
  afterAll(async () => {
    await reg?.stop();
    await new Promise<void>((r) => (repo ? repo.close(() => r()) : r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['oci:// with a version', () => [`oci://${reg.host}/charts/storefront`, '--version', '5.0.1', '--insecure-registry', reg.host]],
    ['oci:// with a constraint', () => [`oci://${reg.host}/charts/storefront`, '--version', '^5.0', '--insecure-registry', reg.host]],
    ['oci:// without a version (the newest)', () => [`oci://${reg.host}/charts/storefront`, '--insecure-registry', reg.host]],
    ['repo/chart through helm\'s repositories file', () => ['demo/storefront', '--version', '5.0.1']],
    ['a chart name with --repo', () => ['storefront', '--repo', repoUrl, '--version', '~5']],
  ])('%s: fetched, provenance verified from the pushed .prov, images read', async (_n, args) => {
    const r = await runCli(['scan', ...args(), ...common]);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Json;
    expect(report.chart).toMatchObject({ name: 'storefront', version: '5.0.1' });
    expect(report.provenance.status).toBe('verified');
    expect(report.images.every((i: Json) => i.contents !== null)).toBe(true);
  }, 60_000);

  it.each([
    ['a version the registry does not have', () => [`oci://${reg.host}/charts/storefront`, '--version', '9.9.9', '--insecure-registry', reg.host], /9\.9\.9/],
    ['a constraint nothing satisfies', () => ['demo/storefront', '--version', '^7'], /\^7/],
    ['--version with a local chart', () => [join(demo, 'storefront-5.0.1.tgz'), '--version', '5.0.1'], /local chart/],
  ])('%s: exit 2, one or two lines', async (_n, args, message) => {
    const r = await runCli(['scan', ...args(), ...common]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  }, 60_000);
});
