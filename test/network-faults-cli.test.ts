/**
 * Issue 8 items 9 (network part) and 10 as the user meets them, through the CLI: network faults
 * in one line naming the URL (exit 2, never "internal error"), an overall --timeout per source,
 * gaps that name the OSV URL actually used, a wrong base URL said as such. Real servers on
 * 127.0.0.1: plain http, one that accepts and never answers, and a port nothing listens on.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli } from './helpers/cli.js';

const demo = join(projectRoot, 'fixtures', 'demo', 'storefront-5.0.1.tgz');
let work: string;
let web: Server; // answers 404 to everything, like a web server that is not the one meant
let hang: Server; // accepts and never answers
const sockets: Socket[] = [];
let webUrl = '';
let hangUrl = '';
let deadUrl = '';

async function listen(s: Server): Promise<string> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'chartaudit-netfaults-'));
  web = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
  webUrl = await listen(web);
  hang = createServer(() => undefined);
  hang.on('connection', (s) => sockets.push(s));
  hangUrl = await listen(hang);
  const dead = createServer();
  deadUrl = await listen(dead);
  await new Promise((r) => dead.close(r));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  web.closeAllConnections();
  await Promise.all([web, hang].map((s) => new Promise((r) => s.close(r))));
  rmSync(work, { recursive: true, force: true });
});

/** Exit 2, one line on stderr, no library text, no "internal error". */
function expectOneLineError(r: { code: number; stderr: string }, line: string): void {
  expect(r.code).toBe(2);
  expect(r.stderr).not.toMatch(/internal error|please report|ECONN|ERR_SSL|SSL routines|\n\s+at /);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain(line);
}

describe('db update', () => {
  it.each([
    ['a 404 (wrong base URL)', () => webUrl, () => `${webUrl}/Bitnami/all.zip: HTTP 404 Not Found (is the ecosystem spelled as OSV does`],
    ['no server (connection refused, one quick retry)', () => deadUrl, () => `${deadUrl}/Bitnami/all.zip: connection refused (2 tries)`],
    ['https:// to a plain http server', () => webUrl.replace('http:', 'https:'), () => `${webUrl.replace('http:', 'https:')}/Bitnami/all.zip: TLS handshake failed: the server does not speak TLS (is it http://?)`],
  ])('%s: one line naming the URL, exit 2', async (_, base, line) => {
    const t0 = Date.now();
    const r = await runCli(['db', 'update', '--db', join(work, 'db'), '--osv-base-url', base()]);
    expectOneLineError(r, line());
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('--timeout bounds a download from a server that never answers', async () => {
    const t0 = Date.now();
    const r = await runCli(['db', 'update', '--db', join(work, 'db'), '--osv-base-url', hangUrl, '--timeout', '1']);
    expectOneLineError(r, `${hangUrl}/Bitnami/all.zip: no response within the 1 s deadline`);
    expect(Date.now() - t0).toBeLessThan(15_000); // 30 s per try without it
  }, 30_000);
});

describe('mitigations', () => {
  it('--timeout bounds a repository that never answers', async () => {
    const r = await runCli(['mitigations', 'storefront', '--repo', hangUrl, '--timeout', '1']);
    expectOneLineError(r, `${hangUrl}/index.yaml: no response within the 1 s deadline`);
  }, 30_000);

  it('a refused connection is not retried for long', async () => {
    const t0 = Date.now();
    const r = await runCli(['mitigations', 'storefront', '--repo', deadUrl]);
    expectOneLineError(r, `${deadUrl}/index.yaml: connection refused (2 tries)`);
    expect(Date.now() - t0).toBeLessThan(10_000); // 15 s of backoffs before
  });
});

describe('scan --online', () => {
  interface Report { gaps: { scope: string; reason: string }[] }

  it('a wrong --osv-url: the gap names it and says a 404 is a wrong URL, not "no such record"', async () => {
    const base = `${webUrl}/not-osv`;
    const r = await runCli(['scan', demo, '--online', '--osv-url', base, '--format', 'json']);
    expect(r.code).toBe(0);
    const gaps = (JSON.parse(r.stdout) as Report).gaps;
    expect(gaps).toContainEqual({ scope: expect.stringMatching(new RegExp(`^${base.replace(/[.]/g, '\\.')} \\(`)) as unknown, reason: `${base}/v1/querybatch: HTTP 404: is --osv-url right?` });
    expect(JSON.stringify(gaps)).not.toContain('osv.dev');
  });

  it('--timeout bounds a server that accepts and never answers; the gap says so', async () => {
    const t0 = Date.now();
    const r = await runCli(['scan', demo, '--online', '--osv-url', hangUrl, '--timeout', '1', '--format', 'json']);
    expect(Date.now() - t0).toBeLessThan(15_000); // 124 s before (4 tries × 30 s)
    expect(r.code).toBe(0);
    const gaps = (JSON.parse(r.stdout) as Report).gaps;
    expect(gaps).toContainEqual({ scope: expect.stringContaining(hangUrl) as unknown, reason: 'OSV API did not answer: no response within the 1 s deadline' });
  }, 30_000);
});
