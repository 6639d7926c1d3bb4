/**
 * Matches of a scan's packages against a database file, kept between scans
 * (src/commands/scan/vulnerabilities.ts): scans of the same images with other values note,
 * write and then read them, with the findings a scan without the cache gives; a database file
 * written since (same path, other contents) is matched afresh; a damaged entry is matched afresh
 * and written again.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hermeticEnv } from './helpers/hermetic.js';
import { openDb } from '../src/vuln/db/store.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin', 'chartaudit.js');
const demoChart = join(root, 'fixtures', 'demo', 'storefront-5.0.1.tgz');
const tempDir = (what: string) => mkdtempSync(join(tmpdir(), `chartaudit-matches-${what}-`));

interface Report { findings: { id: string; image: string }[]; gaps: { reason: string }[] }

function scan(cache: string, db: string, release: string, extra: Record<string, string> = {}, status = 0): Report {
  const r = spawnSync(bin, ['scan', demoChart, '--release-name', release, '--db', db, '--offline', '--skip-image-contents', '--max-db-age', '1000000', '--format', 'json'], {
    encoding: 'utf8', env: { ...hermeticEnv(), XDG_CACHE_HOME: cache, ...extra }, timeout: 120_000,
  });
  expect(r.stderr.replace(/^warning: the vulnerability data is \d+ days old .*\n/, '')).toBe('');
  expect(r.status).toBe(status);
  return JSON.parse(r.stdout) as Report;
}

function matches(cache: string): string[] {
  const dir = join(cache, 'chartaudit', 'templates');
  try {
    return readdirSync(dir).filter((f) => /^matches-[0-9a-f]{64}\.json$/.test(f)).map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** A copy of the demo database, to change. */
function demoDb(): string {
  const dir = tempDir('db');
  cpSync(join(root, 'fixtures', 'demo', 'db'), dir, { recursive: true });
  return dir;
}

describe('matches against a database file, kept between scans', () => {
  it('scans of the same images with other values note, write, then read them: each report as without the cache', () => {
    const cache = tempDir('cache');
    const db = demoDb();
    const uncached = (release: string) => scan(cache, db, release, { CHARTAUDIT_NO_TEMPLATE_CACHE: '1' });
    const first = uncached('r1');
    expect(first.findings.length).toBeGreaterThan(0);
    expect(scan(cache, db, 'r1')).toEqual(first);
    expect(matches(cache)).toEqual([]);
    expect(scan(cache, db, 'r2')).toEqual(uncached('r2'));
    const [entry] = matches(cache);
    expect(entry).toBeDefined();
    expect(scan(cache, db, 'r3')).toEqual(uncached('r3'));
    // what is read is the entry
    const good = readFileSync(entry!, 'utf8');
    const id = first.findings[0]!.id;
    writeFileSync(entry!, good.replaceAll(`"${id}"`, '"CVE-0000-0001"'));
    expect(scan(cache, db, 'r4').findings.map((f) => f.id)).toContain('CVE-0000-0001');
    // damaged: matched afresh and written again
    for (const damaged of ['', '{"format":"chartaudit matches 1","findings":[', good.replace('chartaudit matches 1', 'chartaudit matches 0'), '[]', good.replace('"counts":', '"count":')]) {
      writeFileSync(entry!, damaged);
      expect(scan(cache, db, 'r5')).toEqual(uncached('r5'));
      expect(readFileSync(entry!, 'utf8')).toBe(good);
    }
  });

  it('a database file written since is matched afresh', () => {
    const cache = tempDir('cache');
    const db = demoDb();
    scan(cache, db, 'r1');
    const before = scan(cache, db, 'r2');
    expect(before.findings.length).toBeGreaterThan(0);
    expect(matches(cache)).toHaveLength(1);
    // the same path, an empty database in it
    const empty = tempDir('empty');
    openDb(empty).close();
    cpSync(join(empty, 'vulndb.sqlite'), join(db, 'vulndb.sqlite'));
    // (a database without records fails --max-db-age: exit 1)
    const after = scan(cache, db, 'r3', {}, 1);
    expect(after.findings).toEqual([]);
    expect(after.gaps.map((g) => g.reason).join('\n')).toMatch(/vulnerability database .* is empty/);
  });
});
