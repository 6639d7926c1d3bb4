/**
 * scan's vulnerability stage end to end: the local database, the OSV API (a real HTTP server
 * on 127.0.0.1 serving OSV's shapes), and what happens when a source fails: a gap, never
 * "no vulnerabilities".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OsvRecord } from '../src/model/advisory.js';
import { startFakeOsv, type FakeOsv } from '../src/vuln/online/__fixtures__/fake-osv.js';
import { projectRoot, runCli } from './helpers/cli.js';

const demo = join(projectRoot, 'fixtures', 'demo', 'storefront-5.0.1.tgz');
const demoDb = join(projectRoot, 'fixtures', 'demo', 'db');
const osvDir = join(projectRoot, 'fixtures', 'demo', 'osv');
const records = readdirSync(osvDir).map((f) => JSON.parse(readFileSync(join(osvDir, f), 'utf8')) as OsvRecord);

let osv: FakeOsv;
beforeAll(async () => {
  osv = await startFakeOsv({ records });
});
afterAll(async () => {
  await osv.close();
});

interface Report { findings: { id: string; severity: string }[]; gaps: { scope: string; reason: string }[] }
const ids = (r: Report) => r.findings.map((f) => `${f.severity} ${f.id}`);

describe('scan --online against an OSV API server', () => {
  it('finds what the local database finds', async () => {
    const local = JSON.parse((await runCli(['scan', demo, '--db', demoDb, '--offline', '--format', 'json'])).stdout) as Report;
    const r = await runCli(['scan', demo, '--online', '--osv-url', osv.url, '--format', 'json']);
    expect(r.code).toBe(0);
    const online = JSON.parse(r.stdout) as Report;
    expect(ids(online)).toEqual(ids(local));
    expect(ids(online)).toHaveLength(5);
    expect(osv.requests.some((q) => q.path === '/v1/querybatch')).toBe(true);
  });

  it('a server that fails: the report has a gap, not "no vulnerabilities", and the scan still exits 0', async () => {
    osv.fault('/v1/querybatch', { kind: 'status', status: 500 }, 10);
    const r = await runCli(['scan', demo, '--online', '--osv-url', osv.url, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings).toEqual([]);
    expect(report.gaps.map((g) => g.reason)).toContainEqual(expect.stringContaining('OSV API did not answer: HTTP 500'));
  }, 60_000);

  it('--fail-on still sees only what was examined; the table says what was not', async () => {
    osv.fault('/v1/querybatch', { kind: 'status', status: 500 }, 10);
    const r = await runCli(['scan', demo, '--online', '--osv-url', osv.url, '--no-color']);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('none found in what was examined');
    expect(text).toContain('OSV API did not answer');
  }, 60_000);
});

describe('scan without a database', () => {
  it('--offline: chart, provenance and images are reported, vulnerabilities are a gap (exit 0, a warning)', async () => {
    const r = await runCli(['scan', demo, '--offline', '--db', join(projectRoot, '.cache', 'no-such-db'), '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: no vulnerability database');
    const report = JSON.parse(r.stdout) as Report & { images: unknown[] };
    expect(report.images).toHaveLength(3);
    expect(report.gaps.map((g) => g.reason)).toContainEqual(expect.stringContaining('--offline given: 2 packages not checked'));
  });
});
