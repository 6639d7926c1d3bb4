/**
 * The defects found when every command was tried as a new user would (issue 8), each as the
 * user typed it, with what is expected now. Numbers in the test names are the issue's items.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli, spawnCli } from './helpers/cli.js';
import { Gpg } from './helpers/gpg.js';
import { sharedPath } from './helpers/shared.js';
import { openDb } from '../src/vuln/db/store.js';

const demoDir = join(projectRoot, 'fixtures', 'demo');
const demo = join(demoDir, 'storefront-5.0.1.tgz');
const demoKeyring = join(demoDir, 'keyring.gpg');
const demoDb = join(demoDir, 'db');
const work = mkdtempSync(join(tmpdir(), 'chartaudit-first-use-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The private GNUPGHOME the hermetic setup gave this file. */
const gnupgHome = () => process.env.GNUPGHOME!;
const clearGnupgHome = () => {
  rmSync(gnupgHome(), { recursive: true, force: true });
  mkdirSync(gnupgHome(), { recursive: true, mode: 0o700 });
};

/** A copy of the demo chart and its .prov under `name`, with `mutate` applied to the archive. */
function demoCopy(name: string, mutate?: (b: Buffer) => void): string {
  const dir = mkdtempSync(join(work, `${name}-`));
  const file = join(dir, 'storefront-5.0.1.tgz');
  const bytes = readFileSync(demo);
  mutate?.(bytes);
  writeFileSync(file, bytes);
  copyFileSync(`${demo}.prov`, `${file}.prov`);
  return file;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const json = (s: string): Json => JSON.parse(s) as Json;

// Keyboxes as GnuPG makes them: one with no key (what any `gpg` run leaves behind) and one
// with only someone else's key.
let emptyKeybox: Buffer;
let strangersKeybox: Buffer;
beforeAll(() => {
  const empty = new Gpg();
  empty.run(['--list-keys']);
  emptyKeybox = readFileSync(join(empty.home, 'pubring.kbx'));
  const stranger = new Gpg();
  stranger.genKey('Somebody Else <else@example.org>', { algo: 'ed25519' });
  strangersKeybox = readFileSync(join(stranger.home, 'pubring.kbx'));
}, 120_000);
afterEach(clearGnupgHome);

describe('1. a keyring chartaudit found by itself', () => {
  it('an empty ~/.gnupg/pubring.kbx leaves provenance unchecked, with one warning, and the scan goes on', async () => {
    expect(emptyKeybox.length).toBe(32);
    writeFileSync(join(gnupgHome(), 'pubring.kbx'), emptyKeybox);
    const r = await runCli(['scan', demo, '--offline', '--format', 'json']);
    expect(r.code).toBe(0);
    const p = json(r.stdout).provenance;
    expect(p.status).toBe('unchecked');
    expect(p.reason).toContain('pubring.kbx');
    expect(p.reason).toContain('--keyring');
    expect(r.stderr.split('\n').filter((l) => l.includes('provenance not checked'))).toHaveLength(1);
  });

  it("a keybox of other people's keys: unchecked, naming the signer's key", async () => {
    writeFileSync(join(gnupgHome(), 'pubring.kbx'), strangersKeybox);
    const r = await runCli(['scan', demo, '--offline', '--format', 'json']);
    expect(r.code).toBe(0);
    const p = json(r.stdout).provenance;
    expect(p.status).toBe('unchecked');
    expect(p.reason).toMatch(/key [0-9A-F]{16,40}/);
    expect(p.reason).toContain('not in the default keyring');
  });

  it('the same table output reads unchecked, not FAILED', async () => {
    writeFileSync(join(gnupgHome(), 'pubring.kbx'), strangersKeybox);
    const r = await runCli(['scan', demo, '--offline', '--no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Provenance unchecked/);
  });

  it("helm's default keyring with the signer's key verifies", async () => {
    copyFileSync(demoKeyring, join(gnupgHome(), 'pubring.gpg'));
    const r = await runCli(['scan', demo, '--offline', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(json(r.stdout).provenance.status).toBe('verified');
  });

  it('a keyring named with --keyring that cannot be used stays exit 2', async () => {
    const kbx = join(work, 'empty.kbx');
    writeFileSync(kbx, emptyKeybox);
    const r = await runCli(['scan', demo, '--offline', '--keyring', kbx]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${kbx}: not a usable keyring`);
  });

  it('a digest mismatch stays failed whichever keyring is at hand (none, a stranger\'s)', async () => {
    const tampered = demoCopy('append', (b) => b.writeUInt8(b.readUInt8(b.length - 9) ^ 1, b.length - 9)); // gzip trailer: CRC32
    writeFileSync(join(gnupgHome(), 'pubring.kbx'), strangersKeybox);
    const withStranger = await runCli(['scan', tampered, '--offline', '--format', 'json']);
    clearGnupgHome();
    const withNone = await runCli(['scan', tampered, '--offline', '--format', 'json']);
    for (const r of [withStranger, withNone]) {
      expect(r.code).toBe(1);
      expect(json(r.stdout).provenance).toMatchObject({ status: 'failed', reason: expect.stringContaining('sha256 sum does not match') });
    }
  });
});

describe('1. without a keyring that can check the signature, the signed text still counts', () => {
  it.each([
    ['a .prov that is not clearsigned', (f: string) => writeFileSync(`${f}.prov`, 'just some text\n'), /is not a readable helm provenance file/],
    ['a .prov for another file name', (f: string) => writeFileSync(`${f}.prov`, readFileSync(`${f}.prov`, 'utf8').replace('storefront-5.0.1.tgz: sha256', 'other-1.0.0.tgz: sha256')), /does not contain a SHA for a file named "storefront-5.0.1.tgz"/],
  ])('%s: failed, exit 1', async (_n, spoil, reason) => {
    const f = demoCopy('spoil');
    spoil(f);
    const r = await runCli(['scan', f, '--offline', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(json(r.stdout).provenance).toMatchObject({ status: 'failed', reason: expect.stringMatching(reason) });
  });
});

describe('2. a corrupted archive with a valid .prov', () => {
  it('scan checks the digest before unpacking: provenance failed, exit 1, a report (not a gzip error)', async () => {
    const corrupted = demoCopy('flip', (b) => { b.writeUInt8(b.readUInt8(200) ^ 0xff, 200); });
    const r = await runCli(['scan', corrupted, '--offline', '--keyring', demoKeyring, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = json(r.stdout);
    expect(report.provenance).toMatchObject({ status: 'failed', reason: expect.stringContaining('sha256 sum does not match') });
    expect(report.chart).toMatchObject({ name: 'storefront', version: '5.0.1' });
    expect(report.gaps[0].reason).toContain('not examined');
    expect(report.verdict.reasons[0]).toMatch(/^provenance failed/);
    const table = await runCli(['scan', corrupted, '--offline', '--keyring', demoKeyring, '--no-color']);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('FAILED');
  });

  it('verify says the same (exit 1)', async () => {
    const corrupted = demoCopy('flip2', (b) => { b.writeUInt8(b.readUInt8(200) ^ 0xff, 200); });
    const r = await runCli(['verify', corrupted, '--keyring', demoKeyring]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('sha256 sum does not match');
  });
});

describe('3. verify --format json on failure', () => {
  it.each([
    ['tampered', () => demoCopy('t', (b) => { b.writeUInt8(b.readUInt8(200) ^ 0xff, 200); }), demoKeyring, 'hash-mismatch'],
    ['unknown key', () => demoCopy('u'), 'STRANGER', 'unknown-key'],
    ['no .prov', () => { const f = demoCopy('n'); rmSync(`${f}.prov`); return f; }, demoKeyring, 'no-provenance'],
  ])('%s: the JSON object with status failed and the reason, exit 1', async (_name, make, keyring, failure) => {
    let ring = keyring;
    if (ring === 'STRANGER') {
      ring = join(work, 'stranger.kbx');
      writeFileSync(ring, strangersKeybox);
    }
    const r = await runCli(['verify', make(), '--keyring', ring, '--format', 'json']);
    expect(r.code).toBe(1);
    const out = json(r.stdout);
    expect(out).toMatchObject({ status: 'failed', failure, reason: expect.any(String) });
    expect(out.reason.length).toBeGreaterThan(10);
  });

  it('verified: status verified, exit 0', async () => {
    const r = await runCli(['verify', demo, '--keyring', demoKeyring, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ status: 'verified', failure: null, reason: null });
  });
});

/** An OSV record of `ecosystem`/`name`, modified at `modified`. */
function osvRecord(id: string, ecosystem: string, name: string, modified: string): Json {
  return {
    schema_version: '1.6.0', id, modified, summary: `test record ${id}`,
    affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '99.0.0' }] }] }],
  };
}

describe('4. imports that yield nothing, empty databases, --db FILE', () => {
  const dbDir = () => mkdtempSync(join(work, 'db-'));
  it.each([
    ['a JSON list of numbers', (d: string) => { const f = join(d, 'numbers.json'); writeFileSync(f, '[1,2,3]'); return f; }],
    ['an empty folder', (d: string) => { const f = join(d, 'empty'); mkdirSync(f); return f; }],
    ['only malformed records', (d: string) => { const f = join(d, 'bad'); mkdirSync(f); writeFileSync(join(f, 'a.json'), '{"id": 1}'); writeFileSync(join(f, 'b.json'), '{"id": "X", "modified": "never"}'); return f; }],
  ])('db import of %s exits 2 and leaves the old database byte for byte', async (_n, make) => {
    const db = dbDir();
    const good = join(db, 'good.json');
    writeFileSync(good, JSON.stringify(osvRecord('TEST-1', 'Bitnami', 'redis', '2026-01-01T00:00:00Z')));
    expect((await runCli(['db', 'import', good, '--db', db])).code).toBe(0);
    const before = readFileSync(join(db, 'vulndb.sqlite'));
    const r = await runCli(['db', 'import', make(db), '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no valid OSV or NVD record');
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(readFileSync(join(db, 'vulndb.sqlite')).equals(before)).toBe(true);
  });

  it('scan with an empty database reports a gap, never "none found" alone', async () => {
    const db = dbDir();
    openDb(db).close();
    const r = await runCli(['scan', demo, '--db', db, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(json(r.stdout).gaps.map((g: Json) => g.reason).join('\n')).toMatch(/database .* is empty/);
  });

  it('scan with a database without records of the ecosystem the images need reports a gap', async () => {
    const db = dbDir();
    const f = join(db, 'pypi.json');
    writeFileSync(f, JSON.stringify(osvRecord('PYSEC-TEST-1', 'PyPI', 'django', '2026-01-01T00:00:00Z')));
    expect((await runCli(['db', 'import', f, '--db', db])).code).toBe(0);
    const r = await runCli(['scan', demo, '--db', db, '--format', 'json']);
    expect(json(r.stdout).gaps.map((g: Json) => g.reason).join('\n')).toContain('has no Bitnami records: 2 Bitnami packages not checked');
  });

  it('--db naming a file exits 2 instead of going online', async () => {
    const file = join(work, 'not-a-dir.sqlite');
    writeFileSync(file, 'x');
    for (const args of [['scan', demo, '--db', file], ['db', 'status', '--db', file], ['db', 'import', join(demoDir, 'osv'), '--db', file]]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${file}: not a directory`);
    }
  });
});

describe('5. the report names the database and the age of its data', () => {
  it('a database whose newest record is 126 days old: named in JSON and table, with a warning', async () => {
    const db = mkdtempSync(join(work, 'old-db-'));
    const modified = new Date(Date.now() - 126 * 86_400_000).toISOString();
    const f = join(db, 'old.json');
    writeFileSync(f, JSON.stringify([osvRecord('TEST-OLD-1', 'Bitnami', 'redis', modified), osvRecord('TEST-OLD-2', 'Bitnami', 'postgresql', '2025-01-01T00:00:00Z')]));
    expect((await runCli(['db', 'import', f, '--db', db])).code).toBe(0); // imported today: age counts from the data
    const r = await runCli(['scan', demo, '--db', db, '--format', 'json']);
    const report = json(r.stdout);
    expect(report.vulnerabilitySource).toMatchObject({ kind: 'database', path: join(db, 'vulndb.sqlite'), newestRecord: modified, ageDays: 126 });
    expect(report.vulnerabilitySource.sources[0].location).toBe(f);
    expect(report.warnings.join('\n')).toContain('the vulnerability data is 126 days old');
    expect(r.stderr).toContain('126 days old');
    const table = await runCli(['scan', demo, '--db', db, '--no-color']);
    expect(table.stdout.replace(/\n {11}/g, ' ')).toMatch(/Advisories +\S+vulndb\.sqlite \(\S+old\.json\), data 126 days old/);
    const status = await runCli(['db', 'status', '--db', db, '--format', 'json']);
    expect(json(status.stdout)).toMatchObject({ ageDays: 126, stale: true, newestRecord: modified });
  });

  it('fresh data: no warning', async () => {
    const db = mkdtempSync(join(work, 'new-db-'));
    const f = join(db, 'new.json');
    writeFileSync(f, JSON.stringify(osvRecord('TEST-NEW-1', 'Bitnami', 'redis', new Date().toISOString())));
    await runCli(['db', 'import', f, '--db', db]);
    const report = json((await runCli(['scan', demo, '--db', db, '--format', 'json'])).stdout);
    expect(report.vulnerabilitySource.ageDays).toBe(0);
    expect(report.warnings.join('\n')).not.toContain('days old');
  });
});

describe('6. contradictory flags', () => {
  it('--online --offline is a usage error', async () => {
    const r = await runCli(['scan', demo, '--online', '--offline']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--online and --offline contradict each other');
  });
});

describe('7. strict mode for CI', () => {
  const broken = () => {
    // a values file that makes the demo chart fail to render
    const f = join(work, 'broken-values.yaml');
    writeFileSync(f, 'queue:\n  image: [not, a, map]\n');
    return f;
  };
  it.each([
    [['--offline'], 0, []],
    [['--offline', '--fail-on-gaps'], 1, ['--fail-on-gaps: ']],
    [['--db', demoDb, '--require-signature'], 1, ['--require-signature: provenance is unchecked']],
    [['--db', demoDb, '--require-signature', '--keyring', demoKeyring], 0, []],
    [['--db', demoDb, '--keyring', demoKeyring, '--max-db-age', '100000'], 0, []],
    [['--db', demoDb, '--keyring', demoKeyring, '--max-db-age', '0'], 1, ['--max-db-age 0: the vulnerability data is']],
    [['--db', demoDb, '--keyring', demoKeyring, '--fail-on', 'HIGH', '--fail-on-gaps', '--max-db-age', '0'], 1, ['--fail-on high', '--fail-on-gaps', '--max-db-age 0']],
  ])('%j → exit %i', async (flags, code, reasons) => {
    const r = await runCli(['scan', demo, ...flags, '--format', 'json']);
    expect(r.code).toBe(code);
    const v = json(r.stdout).verdict;
    expect(v.failed).toBe(code === 1);
    expect(v.reasons).toHaveLength(reasons.length);
    reasons.forEach((reason, i) => expect(v.reasons[i]).toContain(reason));
  });

  it('a chart that does not render is a gap, and fails with --fail-on-gaps; the summary says why', async () => {
    const r = await runCli(['scan', demo, '--db', demoDb, '-f', broken(), '--fail-on-gaps', '--no-color']);
    expect(r.stdout).toContain('the chart did not render');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED\n {2}✗ --fail-on-gaps: \d+ gaps?/);
  });

  it('--max-db-age takes a whole number', async () => {
    const r = await runCli(['scan', demo, '--max-db-age', 'week']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--max-db-age takes a whole number');
  });
});

describe('8. a closed pipe ends quietly', () => {
  it.each([
    ['template', () => [sharedPath('corpus', 'bitnami', 'charts', 'harbor-27.0.4.tgz')]],
    ['scan', () => [demo, '--db', demoDb, '--keyring', demoKeyring, '--max-db-age', '100000', '--no-color']],
  ])('chartaudit %s … | head -c 1', (command, args) => {
    const env = { ...process.env };
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${join(projectRoot, 'bin', 'chartaudit.js')}" ${command} ${args().map((a) => `"${a}"`).join(' ')} | head -c 1 >/dev/null`], { encoding: 'utf8', env, timeout: 60_000 });
    expect(r.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(r.status).toBe(0);
  });
});

describe('9. errors in words, naming the file', () => {
  it.each([
    ['/no/such/dir/report.txt', 'the directory /no/such/dir does not exist'],
    [tmpdir(), 'it is a directory'],
    ...(existsSync('/dev/full') ? [['/dev/full', 'no space left on the device']] : []),
  ])('-o %s', async (out, why) => {
    const r = await runCli(['scan', demo, '--offline', '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').pop()).toBe(`chartaudit: ${out}: cannot write the output: ${why}`);
  });

  it('db import of random bytes says so without echoing them', async () => {
    const f = join(work, 'random.bin');
    writeFileSync(f, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
    const r = await runCli(['db', 'import', f, '--db', mkdtempSync(join(work, 'db-'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${f}: not JSON, YAML, a zip or a gzip NVD feed (binary data)`);
    // eslint-disable-next-line no-control-regex
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f\ufffd]/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('12. flags as helm users type them', () => {
  it('template RELEASE CHART (helm template [NAME] CHART)', async () => {
    const r = await runCli(['template', 'shop', demo]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('name: shop-storefront');
    const both = await runCli(['template', 'shop', demo, '--release-name', 'other']);
    expect(both.code).toBe(2);
  });

  it('chartaudit version and --version print the same', async () => {
    const a = await runCli(['version']);
    const b = await runCli(['--version']);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(a.stdout).toBe(b.stdout);
  });

  it('-o json is the format (with a warning); -o ./json writes a file named json', async () => {
    const r = await runCli(['scan', demo, '--offline', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(json(r.stdout).schemaVersion).toBe(1);
    expect(r.stderr).toContain('-o json taken as --format json');
    const cwd = process.cwd();
    const dir = mkdtempSync(join(work, 'cwd-'));
    process.chdir(dir);
    try {
      const f = await runCli(['scan', demo, '--offline', '-o', './json', '--format', 'json']);
      expect(f.code).toBe(0);
      expect(statSync(join(dir, 'json')).size).toBeGreaterThan(100);
    } finally {
      process.chdir(cwd);
    }
    const clash = await runCli(['scan', demo, '--offline', '-o', 'json', '--format', 'table']);
    expect(clash.code).toBe(2);
  });

  it('one word for the text format: table (text accepted) for every command', async () => {
    for (const args of [['verify', demo, '--keyring', demoKeyring], ['db', 'status', '--db', demoDb], ['scan', demo, '--offline']]) {
      const a = await runCli([...args, '--format', 'text']);
      const b = await runCli([...args, '--format', 'table']);
      expect(a.code).toBe(0);
      expect(a.stdout).toBe(b.stdout);
    }
  });

  it('--fail-on HIGH is accepted', async () => {
    const r = await runCli(['scan', demo, '--db', demoDb, '--keyring', demoKeyring, '--fail-on', 'HIGH', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(json(r.stdout).verdict.reasons[0]).toContain('--fail-on high');
  });

  it('help has no contradictory defaults; usage errors point at the subcommand help', async () => {
    for (const cmd of [['scan'], ['db', 'update'], ['images'], ['template']]) {
      const h = await runCli([...cmd, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).not.toContain('(default: [])');
      expect(h.stdout).not.toMatch(/default[^)]*\)\s*\(default/);
    }
    const bad = await runCli(['scan', demo, '--frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("chartaudit scan --help");
    const badDb = await runCli(['db', 'import']);
    expect(badDb.stderr).toContain("chartaudit db import --help");
  });
});

describe('13. images --format json has one shape whatever the count', () => {
  it('one chart and two charts both print a list', async () => {
    const one = json((await runCli(['images', demo, '--format', 'json'])).stdout);
    const two = json((await runCli(['images', demo, demo, '--format', 'json'])).stdout);
    expect(Array.isArray(one)).toBe(true);
    expect(Array.isArray(two)).toBe(true);
    expect(one[0]).toEqual(two[0]);
  });
});

describe('every command as a real process (its own bundle, through the code cache)', () => {
  it('sign, then verify and scan the signed chart', () => {
    const vectors = sharedPath('testdata', 'helm-provenance');
    const dir = mkdtempSync(join(work, 'sign-'));
    const tgz = join(dir, 'signtest-0.1.0.tgz');
    copyFileSync(join(vectors, 'signtest-0.1.0.tgz'), tgz);
    const signed = spawnCli(['sign', tgz, '--key', 'Helm Testing', '--keyring', join(vectors, 'helm-test-key.secret')]);
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    expect(spawnCli(['verify', tgz, '--keyring', join(vectors, 'helm-test-key.pub')]).code).toBe(0);
    const scanned = spawnCli(['scan', tgz, '--keyring', join(vectors, 'helm-test-key.pub'), '--offline', '--format', 'json']);
    expect(scanned.code).toBe(0);
    expect(json(scanned.stdout).provenance.status).toBe('verified');
  });

  it.each([
    [['template', demo]], [['images', demo]], [['db', 'status', '--db', demoDb]], [['scan', demo, '--db', demoDb]], [['version']],
  ])('%j', (args) => {
    const r = spawnCli(args);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
  });
});

describe('the real process: no stack traces', () => {
  it.each([
    [['scan', demo, '-o', '/no/such/dir/x']],
    [['scan', demo, '--online', '--offline']],
    [['verify', demo, '--keyring', '/nonexistent/keyring.gpg']],
  ])('%j', (args) => {
    const r = spawnCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  });
});
