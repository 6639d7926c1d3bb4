/**
 * `chartaudit mitigations` says whether a scan would trust the notes it prints (issue 8 item
 * 14): it fetches the chart's .prov from the repository (as `helm pull --prov`) and checks it
 * with --keyring or the default keyring. A Helm repository on 127.0.0.1 serves the demo chart.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { projectRoot, runCli } from './helpers/cli.js';

const demoDir = join(projectRoot, 'fixtures', 'demo');
const chart = readFileSync(join(demoDir, 'storefront-5.0.1.tgz'));
const prov = readFileSync(join(demoDir, 'storefront-5.0.1.tgz.prov'));
const keyring = join(demoDir, 'keyring.gpg');
const sha = createHash('sha256').update(chart).digest('hex');

const files = new Map<string, Buffer | string>();
let server: Server;
let url = '';

beforeAll(async () => {
  const entry = (dir: string) => stringify({ apiVersion: 'v1', entries: { storefront: [{ name: 'storefront', version: '5.0.1', digest: sha, urls: [`${dir}/storefront-5.0.1.tgz`] }] } });
  files.set('/signed/index.yaml', entry('charts'));
  files.set('/signed/charts/storefront-5.0.1.tgz', chart);
  files.set('/signed/charts/storefront-5.0.1.tgz.prov', prov);
  files.set('/unsigned/index.yaml', entry('charts'));
  files.set('/unsigned/charts/storefront-5.0.1.tgz', chart);
  // A .prov whose files: digest names another archive: the chart does not match its provenance.
  files.set('/forged/index.yaml', entry('charts'));
  files.set('/forged/charts/storefront-5.0.1.tgz', chart);
  files.set('/forged/charts/storefront-5.0.1.tgz.prov', prov.toString('utf8').replace(/sha256:[0-9a-f]{64}/, `sha256:${'0'.repeat(64)}`));
  server = createServer((req, res) => {
    const body = files.get(req.url ?? '');
    if (body === undefined) { res.writeHead(404).end('not found'); return; }
    res.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('mitigations: would a scan trust these notes?', () => {
  it.each([
    ['signed, keyring given', 'signed', ['--keyring', keyring], true, /provenance verified: signed by Storefront Demo Signer/],
    ['signed, no keyring', 'signed', [], false, /provenance unchecked: no keyring/],
    ['no .prov in the repository', 'unsigned', ['--keyring', keyring], false, /provenance unsigned: no provenance file/],
    ['a .prov for other bytes', 'forged', ['--keyring', keyring], false, /provenance failed: invalid signature/],
    ['a .prov for other bytes, no keyring', 'forged', [], false, /provenance failed: sha256 sum does not match/],
  ])('%s', async (_name, repo, flags, trusted, reason) => {
    const r = await runCli(['mitigations', 'storefront', '--repo', `${url}/${repo}`, ...flags, '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { trust: { trusted: boolean; reason: string }; statements: { trusted: boolean }[] };
    expect(out.trust.trusted).toBe(trusted);
    expect(out.trust.reason).toMatch(reason);
    expect(out.statements.length).toBeGreaterThan(0);
    // Notes inside the chart carry the same trust a scan would give them.
    expect(out.statements.every((s) => s.trusted === trusted)).toBe(true);
    const table = await runCli(['mitigations', 'storefront', '--repo', `${url}/${repo}`, ...flags]);
    expect(table.stdout.split('\n')[2]).toMatch(trusted ? /^ {2}notes trusted in a scan: / : /^ {2}notes NOT trusted in a scan: /);
  });
});
