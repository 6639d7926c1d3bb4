import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { importPath, importPaths } from '../src/vuln/db/import.js';
import { DB_FILE, openDb } from '../src/vuln/db/store.js';
import { InputError } from '../src/model/errors.js';
import { sharedPath } from './helpers/shared.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'vuln');
let BITNAMI_ZIP: string;
let root: string;
let n = 0;
const freshDir = (): string => join(root, `db${n++}`);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'chartaudit-vulndb-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ids = (db: ReturnType<typeof openDb>, eco: string, name: string): string[] => db.recordsForPackage(eco, name).map((r) => r.id);

/** The directory holds only the database (no temporary copy, no lock, no download dir). */
const onlyDb = (dir: string): void => expect(readdirSync(dir)).toEqual([DB_FILE]);

describe('the Bitnami OSV dump (../shared/osv/bitnami-all.zip)', () => {
  let dir: string;
  let first: Awaited<ReturnType<typeof importPath>>;
  beforeAll(async () => {
    BITNAMI_ZIP = sharedPath('osv', 'bitnami-all.zip'); // fails these tests, not skips them, without the data
    dir = freshDir();
    first = await importPath(BITNAMI_ZIP, dir, { source: 'osv:Bitnami', now: new Date('2026-08-06T00:00:00Z') });
  });

  it('imports the 7,444 records of 177 packages quickly', () => {
    expect(first).toMatchObject({ imported: 7444, replaced: 0, unchanged: 0, skipped: [], skippedCount: 0 });
    console.log(`bitnami-all.zip: ${first.durationMs} ms, ${statSync(first.dbPath).size} bytes`);
    expect(first.durationMs).toBeLessThan(4000); // ~0.7 s alone on this machine; the goal is < 2 s
    const db = openDb(dir, { readonly: true });
    try {
      const s = db.status();
      expect(s).toMatchObject({
        schemaVersion: 1,
        counts: { Bitnami: 7444 },
        packages: { Bitnami: 177 },
        records: { total: 7444, withdrawn: 0 },
        lastUpdate: '2026-08-06T00:00:00.000Z',
        sources: [{ name: 'osv:Bitnami', location: BITNAMI_ZIP, kind: 'osv-zip', importedAt: '2026-08-06T00:00:00.000Z', records: 7444 }],
      });
      expect(s.sizeBytes).toBeGreaterThan(1_000_000);
      onlyDb(dir);
    } finally {
      db.close();
    }
  });

  it('answers package, id, alias and CPE lookups', () => {
    const db = openDb(dir, { readonly: true });
    try {
      const pg = ids(db, 'Bitnami', 'postgresql');
      expect(pg.length).toBe(58);
      expect(pg).toContain('BIT-postgresql-2025-12817');
      expect(pg.every((id) => id.startsWith('BIT-postgresql-'))).toBe(true);
      expect(ids(db, 'Bitnami', 'no-such-package')).toEqual([]);
      const [r] = db.recordsByIds(['BIT-postgresql-2025-12817']);
      expect(r!.affected![0]!.package).toMatchObject({ ecosystem: 'Bitnami', name: 'postgresql' });
      expect(db.aliasesOf('BIT-postgresql-2025-12817')).toEqual(['CVE-2025-12817']);
      expect(db.aliasesOf('CVE-2020-11978')).toEqual(['BIT-airflow-2020-11978']);
      expect(db.cpesForPackage('Bitnami', 'postgresql')).toContainEqual({ vendor: 'postgresql', product: 'postgresql' });
      expect(db.recordsForCpe('postgresql', 'postgresql').length).toBeGreaterThanOrEqual(58);
      expect(db.recordsForPackage('Bitnami', 'activemq').find((x) => x.id === 'BIT-activemq-2020-11998')!.affected![0]!.ranges![0]!.events).toEqual([
        { introduced: '5.15.12' },
        { last_affected: '5.15.12' },
      ]);
    } finally {
      db.close();
    }
  });

  it('leaves unchanged records alone on re-import', async () => {
    const again = await importPath(BITNAMI_ZIP, dir, { source: 'osv:Bitnami' });
    expect(again).toMatchObject({ imported: 0, replaced: 0, unchanged: 7444, skippedCount: 0 });
  });

  it('cross-matches the NVD CVE-2020-11978 (versionEndExcluding 1.10.11) through the CPE of the Bitnami records', async () => {
    const s = await importPath(join(FIX, 'nvd', 'api-cves.json'), dir, { source: 'nvd:api' });
    expect(s).toMatchObject({ imported: 4, replaced: 0, unchanged: 0 });
    const db = openDb(dir, { readonly: true });
    try {
      const cpes = db.cpesForPackage('Bitnami', 'airflow');
      expect(cpes).toEqual([{ vendor: 'apache', product: 'airflow' }]);
      const byCpe = db.recordsForCpe(cpes[0]!.vendor, cpes[0]!.product);
      expect(byCpe.map((r) => r.id)).toContain('CVE-2020-11978');
      expect(byCpe.map((r) => r.id)).toContain('BIT-airflow-2020-11978');
      const nvd = byCpe.find((r) => r.id === 'CVE-2020-11978')!;
      const bit = byCpe.find((r) => r.id === 'BIT-airflow-2020-11978')!;
      expect(nvd.affected![0]!.ranges![0]!.events).toEqual([{ introduced: '0' }, { fixed: '1.10.11' }]);
      expect(bit.affected![0]!.ranges![0]!.events).toEqual([{ introduced: '0' }, { fixed: '1.10.11' }]);
      expect(db.status().counts).toMatchObject({ Bitnami: 7444, CPE: 2 });
      expect(db.status().sources.map((x) => x.name)).toEqual(['nvd:api', 'osv:Bitnami']);
    } finally {
      db.close();
    }
  });

  it('keeps the previous database when an import fails midway', async () => {
    const before = readFileSync(join(dir, DB_FILE));
    let calls = 0;
    await expect(
      importPath(BITNAMI_ZIP, dir, {
        source: 'second',
        batchSize: 500,
        onProgress: (p) => {
          if (p.phase === 'import' && p.records >= 3000 && ++calls === 1) throw new Error('interrupted on purpose');
        },
      }),
    ).rejects.toThrow('interrupted on purpose');
    expect(readFileSync(join(dir, DB_FILE)).equals(before)).toBe(true);
    onlyDb(dir);
    const db = openDb(dir, { readonly: true });
    expect(db.status().sources.map((x) => x.name)).toEqual(['nvd:api', 'osv:Bitnami']);
    db.close();
  });
});

describe('a folder of OSV JSON and YAML records', () => {
  const dir = (): string => freshDir();

  it('imports the valid records, skips and names the malformed ones, ignores other files', async () => {
    const d = dir();
    const s = await importPath(join(FIX, 'osv-dir'), d, { now: new Date('2026-01-01T00:00:00Z') });
    expect(s).toMatchObject({ imported: 8, replaced: 0, unchanged: 0, skippedCount: 6 });
    const base = join(FIX, 'osv-dir', 'malformed');
    expect(s.skipped).toEqual([
      { name: join(base, 'alias-bomb.yaml'), reason: expect.stringMatching(/invalid YAML: .*alias/i) },
      { name: join(base, 'bad-events.yaml'), reason: 'BAD-2099-0004: affected[0].ranges[0].events[0] needs exactly one of introduced, fixed, last_affected, limit' },
      { name: join(base, 'bad-timestamp.json'), reason: 'BAD-2099-0002: modified "yesterday" is not an RFC 3339 timestamp' },
      { name: join(base, 'no-id.json'), reason: 'not an OSV record: no id' },
      { name: join(base, 'no-modified.json'), reason: 'BAD-2099-0001: no modified timestamp' },
      { name: join(base, 'not-json.json'), reason: expect.stringMatching(/^invalid JSON: /) },
    ]);
    expect(s.sources).toEqual([{ name: join(FIX, 'osv-dir'), location: join(FIX, 'osv-dir'), kind: 'dir', importedAt: '2026-01-01T00:00:00.000Z', records: 8 }]);
    const db = openDb(d, { readonly: true });
    try {
      expect(db.status().counts).toEqual({ Bitnami: 1, Debian: 1, Go: 1, PyPI: 2, 'crates.io': 1, npm: 1 });
      expect(db.status().records).toEqual({ total: 8, withdrawn: 1 });
      expect(db.recordsByIds(['IGNORED-1'])).toEqual([]);
      expect(ids(db, 'Debian', 'openssl')).toEqual(['DEBIAN-CVE-2023-0464']);
      expect(ids(db, 'Debian:12', 'openssl')).toEqual(['DEBIAN-CVE-2023-0464']);
      expect(ids(db, 'npm', 'lodash')).toEqual(['GHSA-jf85-cpcp-j695']);
      expect(ids(db, 'PyPI', 'examplepkg')).toEqual(['PYSEC-2099-1', 'PYSEC-2099-2']);
      const [py] = db.recordsByIds(['PYSEC-2099-1']);
      expect(py!.affected![0]!.versions).toEqual(['1.0', '1.1', '1.9']);
      expect(py!.affected![0]!.ranges![0]!.events).toEqual([{ introduced: '0' }, { fixed: '1.10' }]);
      expect(db.aliasesOf('CVE-2099-1001')).toEqual(['GHSA-2099-aaaa-bbbb', 'PYSEC-2099-1']);
      expect(ids(db, 'crates.io', 'examplecrate')).toEqual(['RUSTSEC-2099-0001']);
    } finally {
      db.close();
    }
    onlyDb(d);
  });

  it('imports one OSV file, JSON or YAML', async () => {
    const d = dir();
    expect(await importPath(join(FIX, 'osv-dir', 'pypi', 'PYSEC-2099-1.yaml'), d)).toMatchObject({ imported: 1, sources: [{ kind: 'osv-yaml' }] });
    expect(await importPath(join(FIX, 'osv-dir', 'lists', 'osv-list.json'), d)).toMatchObject({ imported: 2, sources: [{ kind: 'osv-json' }] });
  });
});

describe('NVD API responses and JSON 2.0 feeds', () => {
  it('converts and imports an API 2.0 response, then a newer gzip feed, then an older single CVE', async () => {
    const d = freshDir();
    const api = await importPath(join(FIX, 'nvd', 'api-cves.json'), d);
    expect(api).toMatchObject({ imported: 4, replaced: 0, unchanged: 0, skipped: [], sources: [{ kind: 'nvd-json', records: 4 }] });
    const feedPath = join(FIX, 'nvd', 'nvdcve-2.0-2020.json.gz');
    const feed = await importPath(feedPath, d, { source: 'nvd:2020' });
    expect(feed).toMatchObject({ imported: 2, replaced: 1, unchanged: 0, skippedCount: 1, sources: [{ name: 'nvd:2020', kind: 'nvd-feed', records: 3 }] });
    expect(feed.skipped).toEqual([{ name: `${feedPath}#CVE-2020-99999`, reason: 'CVE-2020-99999: no valid lastModified' }]);
    const single = await importPath(join(FIX, 'nvd', 'fkie', 'CVE-2020', 'CVE-2020-119xx', 'CVE-2020-11978.json'), d);
    expect(single).toMatchObject({ imported: 0, replaced: 0, unchanged: 1 });
    const db = openDb(d, { readonly: true });
    try {
      const [airflow] = db.recordsByIds(['CVE-2020-11978']);
      expect(airflow!.modified).toBe('2026-01-05T10:00:00.000Z');
      expect(db.recordsForCpe('apache', 'tomcat').map((r) => r.id)).toEqual(['CVE-2020-1938']);
      expect(db.recordsForCpe('apache', 'log4j').map((r) => r.id)).toEqual(['CVE-2021-44228']);
      expect(db.recordsForCpe('example', 'tool\\:pro').map((r) => r.id)).toEqual(['CVE-2020-99998']);
      expect(db.recordsForCpe('example', 'negated')).toEqual([]);
      expect(db.recordsForPackage('CPE', 'apache:log4j')[0]!.affected).toHaveLength(6);
      expect(db.status().records).toEqual({ total: 6, withdrawn: 1 });
      expect(db.recordsByIds(['CVE-2099-0100'])[0]!.withdrawn).toBeTruthy();
    } finally {
      db.close();
    }
  });

  it('imports a folder of NVD files, and streams NVD JSON larger than the whole-file limit', async () => {
    const all = await importPath(join(FIX, 'nvd'), freshDir());
    expect(all).toMatchObject({ imported: 6, replaced: 1, unchanged: 1, skippedCount: 1 });
    const streamed = await importPath(join(FIX, 'nvd', 'api-cves.json'), freshDir(), { limits: { maxFileBytes: 64 * 1024 } });
    expect(streamed).toMatchObject({ imported: 4, skipped: [], sources: [{ kind: 'nvd-json' }] });
    const tooSmall = await importPath(join(FIX, 'nvd', 'api-cves.json'), freshDir(), { limits: { maxFileBytes: 1024 } });
    expect(tooSmall).toMatchObject({ imported: 1, skippedCount: 3 }); // the short rejected CVE fits
    expect(tooSmall.skipped[0]).toEqual({ name: `${join(FIX, 'nvd', 'api-cves.json')}#vulnerabilities[0]`, reason: 'larger than 1024 bytes' });
  });

  it('refuses truncated and non-NVD gzip files with an InputError naming the file', async () => {
    const bad = join(root, 'bad-feeds');
    mkdirSync(bad, { recursive: true });
    const gz = readFileSync(join(FIX, 'nvd', 'nvdcve-2.0-2020.json.gz'));
    writeFileSync(join(bad, 'truncated.json.gz'), gz.subarray(0, gz.length - 200));
    writeFileSync(join(bad, 'other.json.gz'), gzipSync('{"hello": [1, 2, 3]}'));
    writeFileSync(join(bad, 'cut.json.gz'), gzipSync('{"vulnerabilities": [{"cve": {"id": "CVE-1"'));
    await expect(importPath(join(bad, 'truncated.json.gz'), freshDir())).rejects.toThrow(`${join(bad, 'truncated.json.gz')}: truncated gzip data`);
    await expect(importPath(join(bad, 'other.json.gz'), freshDir())).rejects.toThrow(/other\.json\.gz: not an NVD JSON 2\.0 feed/);
    await expect(importPath(join(bad, 'cut.json.gz'), freshDir())).rejects.toThrow(/cut\.json\.gz: truncated JSON document/);
    // inside a folder the same files are skipped and named
    const s = await importPath(bad, freshDir());
    expect(s.skipped.map((x) => x.name.slice(bad.length + 1)).sort()).toEqual(['cut.json.gz', 'other.json.gz', 'truncated.json.gz']);
  });
});

describe('replacing records', () => {
  const rec = (modified: string, name: string): string =>
    JSON.stringify({ id: 'OSV-2099-7', modified, aliases: [`CVE-${name}`], affected: [{ package: { ecosystem: 'npm', name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }] });

  it('replaces a record only when its modified is newer, and rewrites its index rows', async () => {
    const d = freshDir();
    const f = join(root, 'rec.json');
    writeFileSync(f, rec('2024-05-01T00:00:00Z', 'first'));
    expect(await importPath(f, d)).toMatchObject({ imported: 1 });
    writeFileSync(f, rec('2024-04-30T23:59:59.999+00:00', 'older'));
    expect(await importPath(f, d)).toMatchObject({ imported: 0, replaced: 0, unchanged: 1 });
    writeFileSync(f, rec('2024-05-01T00:00:00Z', 'same'));
    expect(await importPath(f, d)).toMatchObject({ unchanged: 1 });
    writeFileSync(f, rec('2024-05-01T02:00:00+01:00', 'newer'));
    expect(await importPath(f, d)).toMatchObject({ imported: 0, replaced: 1, unchanged: 0 });
    const db = openDb(d, { readonly: true });
    try {
      expect(ids(db, 'npm', 'first')).toEqual([]);
      expect(ids(db, 'npm', 'newer')).toEqual(['OSV-2099-7']);
      expect(db.aliasesOf('OSV-2099-7')).toEqual(['CVE-newer']);
      expect(db.aliasesOf('CVE-first')).toEqual([]);
      expect(db.recordCount()).toBe(1);
    } finally {
      db.close();
    }
  });
});

describe('database files and errors', () => {
  it('says how to create a missing database', () => {
    const d = freshDir();
    expect(() => openDb(d, { readonly: true })).toThrow(InputError);
    expect(() => openDb(d, { readonly: true })).toThrow(/no vulnerability database in .*run `chartaudit db update` or `chartaudit db import <path>`/);
  });

  it('refuses a file that is not a database, and a database of another schema version', async () => {
    const d = freshDir();
    mkdirSync(d);
    writeFileSync(join(d, DB_FILE), 'garbage, not sqlite at all '.repeat(100));
    expect(() => openDb(d, { readonly: true })).toThrow(/not a vulnerability database/);
    await expect(importPath(join(FIX, 'osv-dir', 'npm'), d)).rejects.toThrow(InputError);

    const d2 = freshDir();
    await importPath(join(FIX, 'osv-dir', 'npm'), d2);
    const raw = new Database(join(d2, DB_FILE));
    raw.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    raw.close();
    expect(() => openDb(d2, { readonly: true })).toThrow(/schema version 99 is not the supported version 1/);
    await expect(importPath(join(FIX, 'osv-dir', 'npm'), d2)).rejects.toThrow(/schema version 99/);
    onlyDb(d2);
  });

  it('names unreadable inputs', async () => {
    await expect(importPath(join(root, 'nope.zip'), freshDir())).rejects.toThrow(/nope\.zip: cannot read: no such file or directory/);
    const txt = join(root, 'notes.txt');
    writeFileSync(txt, 'hello');
    await expect(importPath(txt, freshDir())).rejects.toThrow(new RegExp(`^${txt}: not JSON, YAML, a zip or a gzip NVD feed`));
    const y = join(root, 'bad.yaml');
    writeFileSync(y, 'id: [');
    await expect(importPath(y, freshDir())).rejects.toThrow(/bad\.yaml: invalid YAML/);
  });

  it('keeps two imports of one directory apart, and takes over a stale lock', async () => {
    const d = freshDir();
    mkdirSync(d);
    writeFileSync(join(d, '.import.lock'), String(process.pid));
    await expect(importPath(join(FIX, 'osv-dir', 'npm'), d)).rejects.toThrow(/another chartaudit import or update is running \(pid \d+\)/);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(d, '.import.lock'), String(dead));
    // what a crashed import or update leaves behind
    writeFileSync(join(d, `.${DB_FILE}.${dead}.abcd1234.tmp`), 'half-written');
    mkdirSync(join(d, '.download-XYZ'));
    writeFileSync(join(d, '.download-XYZ', 'osv-Bitnami.zip'), 'partial');
    expect(await importPath(join(FIX, 'osv-dir', 'npm'), d)).toMatchObject({ imported: 1 });
    onlyDb(d);
  });

  it('imports several inputs with one swap', async () => {
    const d = freshDir();
    const s = await importPaths([{ path: join(FIX, 'osv-dir', 'npm'), source: 'a' }, { path: join(FIX, 'nvd', 'api-cves.json'), source: 'b', location: 'https://example.invalid/b' }], d);
    expect(s).toMatchObject({ imported: 5, sources: [{ name: 'a', records: 1 }, { name: 'b', location: 'https://example.invalid/b', records: 4 }] });
    const copy = join(root, 'copy-of-db');
    cpSync(d, copy, { recursive: true });
    expect(openDb(copy, { readonly: true }).recordCount()).toBe(5);
  });
});
