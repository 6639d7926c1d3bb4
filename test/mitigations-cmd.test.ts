/**
 * `chartaudit mitigations` against a Helm repository served on 127.0.0.1 by the test:
 * index lookup, digest mismatch refused, external notes followed, a chart without notes,
 * server errors, helm's repositories file, and the OpenVEX output.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { projectRoot, runCli } from './helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'chartaudit-mitigations-'));
const files = new Map<string, { status?: number; body: Buffer | string }>();
let server: Server;
let url = '';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Packages a chart folder with tar, as `<name>-<version>.tgz` bytes. */
function pack(name: string, version: string, extra: Record<string, string>): Buffer {
  const dir = join(work, `${name}-src`);
  mkdirSync(join(dir, name, 'templates'), { recursive: true });
  writeFileSync(join(dir, name, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: ${version}\n`);
  for (const [f, t] of Object.entries(extra)) writeFileSync(join(dir, name, f), t);
  return execFileSync('tar', ['-C', dir, '-czf', '-', name]);
}

function index(entries: { name: string; version: string; file: string; digest: string }[]): string {
  const byName: Record<string, unknown[]> = {};
  for (const e of entries) (byName[e.name] ??= []).push({ name: e.name, version: e.version, digest: e.digest, urls: [e.file] });
  return stringify({ apiVersion: 'v1', entries: byName });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const f = files.get(req.url ?? '');
    if (!f) { res.writeHead(404).end('not found'); return; }
    res.writeHead(f.status ?? 200, { 'content-length': Buffer.byteLength(f.body) }).end(f.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const demo = readFileSync(join(projectRoot, 'fixtures', 'demo', 'storefront-5.0.1.tgz'));
  const plain = pack('plain', '1.0.0', {});
  const ext = pack('extnotes', '2.0.0', {
    'security-mitigation.yaml': `schemaVersion: v1\nsummary: notes live elsewhere\nuseMitigationExternalFile: true\nmitigationExternalFileUrl: ${'URL'}/notes/extnotes.yaml\n`,
  });
  files.set('/charts/storefront-5.0.1.tgz', { body: demo });
  files.set('/charts/plain-1.0.0.tgz', { body: plain });
  files.set('/charts/extnotes-2.0.0.tgz', { body: ext });
  files.set('/notes/extnotes.yaml', { body: 'schemaVersion: v1\nmitigations:\n  - cves: [CVE-2026-0001]\n    affectedPackageUri: helm://acme/extnotes\n    description: Fixed by configuration in the external notes.\n' });
  files.set('/index.yaml', { body: index([
    { name: 'storefront', version: '5.0.1', file: 'charts/storefront-5.0.1.tgz', digest: sha(demo) },
    { name: 'plain', version: '1.0.0', file: 'charts/plain-1.0.0.tgz', digest: sha(plain) },
    { name: 'extnotes', version: '2.0.0', file: 'charts/extnotes-2.0.0.tgz', digest: sha(ext) },
  ]) });
  files.set('/bad/index.yaml', { body: index([{ name: 'storefront', version: '5.0.1', file: '../charts/storefront-5.0.1.tgz', digest: '0'.repeat(64) }]) });
  files.set('/broken/index.yaml', { status: 500, body: 'oops' });
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

describe('chartaudit mitigations', () => {
  it('prints the notes of the chart and its subcharts, found through the index', async () => {
    const r = await runCli(['mitigations', 'storefront', '--repo', url]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('storefront 5.0.1  sha256:');
    expect(r.stdout).toContain('digest checked against the repository index');
    expect(r.stdout).toContain('storefront/security-mitigation.yaml');
    expect(r.stdout).toContain('storefront/charts/queue/security-mitigation.yaml');
    expect(r.stdout).toContain('CVE-2025-49844  docker://docker.io/bitnami/redis (>= 7.0.0, < 7.4.6)');
  });

  it('<repo>/<chart> through helm\'s repositories file', async () => {
    const cfg = join(work, 'repositories.yaml');
    writeFileSync(cfg, `apiVersion: ""\nrepositories:\n  - name: shop\n    url: ${url}\n`);
    process.env.HELM_REPOSITORY_CONFIG = cfg;
    try {
      const r = await runCli(['mitigations', 'shop/storefront', '--version', '5.0.1', '--format', 'json']);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout) as { chart: { name: string }; statements: { vulnerability: string }[] };
      expect(j.chart.name).toBe('storefront');
      expect(j.statements.map((s) => s.vulnerability).sort()).toEqual(['CVE-2024-10976', 'CVE-2025-49844']);
      const unknown = await runCli(['mitigations', 'nope/storefront']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('no repository named "nope"');
    } finally {
      delete process.env.HELM_REPOSITORY_CONFIG;
    }
  });

  it('--format openvex converts the notes (under_investigation unless stated)', async () => {
    const r = await runCli(['mitigations', 'storefront', '--repo', url, '--format', 'openvex']);
    const doc = JSON.parse(r.stdout) as { '@context': string; statements: { vulnerability: { name: string }; status: string }[] };
    expect(doc['@context']).toBe('https://openvex.dev/ns/v0.2.0');
    expect(doc.statements.map((s) => [s.vulnerability.name, s.status]).sort()).toEqual([['CVE-2024-10976', 'under_investigation'], ['CVE-2025-49844', 'under_investigation']]);
  });

  it('follows an external notes URL', async () => {
    // The chart names the URL with a placeholder: point it at this server.
    const bytes = files.get('/charts/extnotes-2.0.0.tgz')!.body as Buffer;
    expect(bytes.length).toBeGreaterThan(0);
    const ext = pack('extnotes', '2.0.0', {
      'security-mitigation.yaml': `schemaVersion: v1\nsummary: notes live elsewhere\nuseMitigationExternalFile: true\nmitigationExternalFileUrl: ${url}/notes/extnotes.yaml\n`,
    });
    files.set('/charts/extnotes-2.0.0.tgz', { body: ext });
    files.set('/ext/index.yaml', { body: index([{ name: 'extnotes', version: '2.0.0', file: '../charts/extnotes-2.0.0.tgz', digest: sha(ext) }]) });
    const r = await runCli(['mitigations', 'extnotes', '--repo', `${url}/ext`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`notes also at ${url}/notes/extnotes.yaml`);
    expect(r.stdout).toContain('CVE-2026-0001');
    expect(r.stdout).toContain('Fixed by configuration in the external notes.');
  });

  it('a chart without notes: exit 0 and a clear line', async () => {
    const r = await runCli(['mitigations', 'plain', '--repo', url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No mitigation notes: neither plain nor its subcharts have a security-mitigation.yaml.');
  });

  it.each([
    ['a digest that does not match the index', ['storefront', '--repo', `URL/bad`], 'digest mismatch'],
    ['a chart the repository does not have', ['missing', '--repo', 'URL'], 'chart missing not found'],
    ['a version it does not have', ['storefront', '--version', '9.9.9', '--repo', 'URL'], 'version 9.9.9 not found'],
    ['a server error', ['storefront', '--repo', 'URL/broken', '--timeout', '4'], 'URL/broken/index.yaml: HTTP 500 Internal Server Error (3 tries; the 4 s deadline leaves no time for another)'],
    ['no server', ['storefront', '--repo', 'http://127.0.0.1:9/'], 'http://127.0.0.1:9/index.yaml: connection refused (2 tries)'],
    ['https:// to a plain http server', ['storefront', '--repo', 'URL'.replace('URL', 'HTTPS')], 'index.yaml: TLS handshake failed: the server does not speak TLS (is it http://?)'],
    ['a wrong repository URL', ['storefront', '--repo', 'URL/no/such/repo'], 'URL/no/such/repo/index.yaml: HTTP 404 Not Found (is the repository URL right?)'],
  ])('%s: exit 2 with a clear message', async (_, args, msg) => {
    const fill = (a: string): string => a.replace('HTTPS', url.replace('http:', 'https:')).replace('URL', url);
    const t0 = Date.now();
    const r = await runCli(['mitigations', ...args.map(fill)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(fill(msg));
    expect(r.stderr).not.toMatch(/internal error|ECONN|ERR_SSL|SSL routines|at .*\.ts:\d+/);
    // A refused connection was retried for 15 s; now once, quickly.
    if (msg.includes('connection refused')) expect(Date.now() - t0).toBeLessThan(5_000);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  }, 60_000);
});
