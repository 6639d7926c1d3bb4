import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sqliteBlobs, sqlitePages, sqliteRootPage, sqliteRpmdb } from '../../../test/helpers/rpm.js';
import { sharedPath } from '../../../test/helpers/shared.js';
import { DEFAULT_BLOB_LIMITS } from './blobs.js';
import { readSqlitePackages } from './sqlite.js';

const mariner = () => Buffer.from(readFileSync(sharedPath('testdata', 'images', 'rpm', 'go-rpmdb-cbl-mariner-2.0', 'var', 'lib', 'rpm', 'rpmdb.sqlite')));
/** The 129 real header blobs of the CBL-Mariner database. */
const realBlobs = () => sqliteBlobs(mariner());

/** Deterministic bytes (a linear congruential sequence), so a failure can be replayed. */
function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** A mix that needs interior pages, multi-page overflow chains and payloads right at the local-size boundaries. */
function mixedBlobs(pageSize: number): Buffer[] {
  const out = realBlobs();
  for (let i = 0; i < 40; i++) out.push(bytes(pageSize - 40 + i, i)); // around maxLocal = usable - 35
  out.push(bytes(200_000, 7), bytes(1_000_000, 8), bytes(1, 9));
  for (let i = 0; i < 300; i++) out.push(bytes(20 + (i % 50), 100 + i));
  return out;
}

const hex = (bs: Buffer[]) => bs.map((b) => b.toString('hex'));

describe('SQLite rpmdb: the page reader returns what SQLite returns', () => {
  for (const pageSize of [512, 1024, 4096, 65536]) {
    it(`page size ${pageSize}: ${mixedBlobs(pageSize).length} rows of 1 byte to 1 MB, in rowid order`, () => {
      const db = sqliteRpmdb(mixedBlobs(pageSize), { pageSize });
      expect(db.readUInt16BE(16)).toBe(pageSize === 65536 ? 1 : pageSize);
      const r = readSqlitePackages(db);
      expect(r.problems).toEqual([]);
      expect(hex(r.blobs)).toEqual(hex(sqliteBlobs(db)));
    });
  }

  const variants: [string, Parameters<typeof sqliteRpmdb>[1]][] = [
    ['WAL mode (bytes 18-19 = 2, as rpm leaves its databases)', { wal: true }],
    ['deleted rows (free pages, freeblocks inside pages)', { extraSql: 'DELETE FROM Packages WHERE hnum % 3 = 0' }],
    ['auto_vacuum=FULL (pointer-map pages between the others)', { preSql: 'PRAGMA auto_vacuum = FULL' }],
    ['a schema spread over several pages (300 tables before Packages)', { preSql: Array.from({ length: 300 }, (_, i) => `CREATE TABLE t${i} (x${'y'.repeat(200)} TEXT);`).join('\n') }],
    ['rpm index tables and an index beside Packages', { extraSql: "CREATE TABLE 'Name' (key 'TEXT' NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL); CREATE INDEX n ON Name(key)" }],
  ];
  for (const [what, opts] of variants) {
    it(what, () => {
      const db = sqliteRpmdb(mixedBlobs(4096), opts);
      const r = readSqlitePackages(db);
      expect(r.problems).toEqual([]);
      expect(hex(r.blobs)).toEqual(hex(sqliteBlobs(db)));
    });
  }

  it('the table is found whatever the case of its name (SQLite names are case-insensitive)', () => {
    const db = sqliteRpmdb([bytes(10, 1)], { table: 'CREATE TABLE PACKAGES (hnum INTEGER PRIMARY KEY, blob BLOB)' });
    expect(readSqlitePackages(db)).toEqual({ blobs: [bytes(10, 1)], problems: [] });
  });
});

/** A database whose Packages table has interior pages and overflow chains, and where they are. */
function layout() {
  const db = sqliteRpmdb(mixedBlobs(4096));
  const pages = sqlitePages(db).filter((p) => p.name === 'Packages');
  const root = sqliteRootPage(db, 'Packages');
  const at = (page: number) => (page - 1) * 4096;
  const leaf = pages.find((p) => p.pagetype === 'leaf')!.pageno;
  const overflow = pages.filter((p) => p.pagetype === 'overflow').map((p) => p.pageno);
  return { db, root, at, leaf, overflow, count: sqliteBlobs(db).length };
}

describe('SQLite rpmdb: damaged and hostile files are problems, never a throw or a loop', () => {
  it('the layout used below: an interior root, leaves, overflow pages', () => {
    const { db, root, at, overflow } = layout();
    expect(db[at(root)]).toBe(5);
    expect(overflow.length).toBeGreaterThan(250);
  });

  const cases: [string, () => Buffer, RegExp[], ((n: number, count: number) => boolean)?][] = [
    ['shorter than its header', () => mariner().subarray(0, 99), [/^SQLite file of 99 bytes is truncated/]],
    ['no magic', () => Buffer.alloc(4096, 1), [/^not a SQLite database/]],
    ['page size 3', () => { const b = mariner(); b.writeUInt16BE(3, 16); return b; }, [/^invalid SQLite page size 3$/]],
    ['page size 0', () => { const b = mariner(); b.writeUInt16BE(0, 16); return b; }, [/^invalid SQLite page size 0$/]],
    ['file format read version 3', () => { const b = mariner(); b[19] = 3; return b; }, [/^SQLite file format read version 3 is not supported/]],
    ['reserved bytes leaving less than 480 usable', () => { const b = sqliteRpmdb([bytes(5, 1)], { pageSize: 512 }); b[20] = 100; return b; }, [/^SQLite usable page size 412 is below 480$/]],
    ['no Packages table', () => sqliteRpmdb([], { table: 'CREATE TABLE Other (hnum INTEGER PRIMARY KEY, blob BLOB)', extraSql: "INSERT INTO Other (blob) VALUES (x'00')" }), [/^no Packages table in the SQLite schema$/]],
    ['Packages as a view over an endless recursive query (an engine would run forever)', () => sqliteRpmdb([], {
      table: 'CREATE VIEW Packages AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x AS hnum, zeroblob(1000000) AS blob FROM c',
    }), [/^no Packages table in the SQLite schema$/]],
    ['Packages WITHOUT ROWID (an index b-tree)', () => sqliteRpmdb([], { table: 'CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB) WITHOUT ROWID', extraSql: "INSERT INTO Packages VALUES (1, x'00')" }), [/^Packages table: page 2 has type 10, expected a table b-tree page; 0 rows read before it$/]],
    ['a blob column holding text and NULL', () => {
      const b = sqliteRpmdb([], { table: 'CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob)', extraSql: "INSERT INTO Packages (blob) VALUES ('text'), (NULL), (x'00')" });
      return b;
    }, [/^Packages row 1: the blob column holds string, not a blob$/, /^Packages row 2: the blob column holds NULL, not a blob$/], (n) => n === 1],
    ['the interior root naming itself as a child (a cycle)', () => {
      const { db, root, at } = layout();
      const cell = at(root) + db.readUInt16BE(at(root) + 12);
      db.writeUInt32BE(root, cell);
      return db;
    }, [/^Packages table: b-tree page \d+ is reached twice \(a cycle or a shared page\); 0 rows read before it$/]],
    ['a child page past the end of the file', () => {
      const { db, root, at } = layout();
      db.writeUInt32BE(0x7fffffff, at(root) + 8);
      return db;
    }, [/^Packages table: b-tree page 2147483647 is outside the file's \d+ pages; \d+ rows read before it$/], (n, c) => n > 0 && n < c],
    ['an overflow page naming itself as next', () => {
      const { db, at, overflow } = layout();
      const mid = overflow.find((p) => db.readUInt32BE(at(p)) !== 0)!;
      db.writeUInt32BE(mid, at(mid));
      return db;
    }, [/^Packages table: overflow page \d+ is reached twice/], (n, c) => n < c],
    ['an overflow chain ending early', () => {
      const { db, at, overflow } = layout();
      const mid = overflow.find((p) => db.readUInt32BE(at(p)) !== 0)!;
      db.writeUInt32BE(0, at(mid));
      return db;
    }, [/^Packages table: page \d+: overflow chain ends after \d+ of \d+ bytes/], (n, c) => n < c],
    ['an overflow page past the end of the file', () => {
      const { db, at, overflow } = layout();
      db.writeUInt32BE(999_999, at(overflow.find((p) => db.readUInt32BE(at(p)) !== 0)!));
      return db;
    }, [/^Packages table: overflow page 999999 is outside the file's \d+ pages/], (n, c) => n < c],
    ['a leaf page of another type', () => {
      const { db, at, leaf } = layout();
      db[at(leaf)] = 2;
      return db;
    }, [/^Packages table: page \d+ has type 2, expected a table b-tree page/], (n, c) => n < c],
    ['a leaf page declaring 65,535 cells', () => {
      const { db, at, leaf } = layout();
      db.writeUInt16BE(0xffff, at(leaf) + 3);
      return db;
    }, [/^Packages table: page \d+: 65535 cells do not fit in the page/], (n, c) => n < c],
    ['a cell pointer into the page header', () => {
      const { db, at, leaf } = layout();
      db.writeUInt16BE(2, at(leaf) + 8);
      return db;
    }, [/^Packages table: page \d+: cell 0 at 2 is outside the cell area/], (n, c) => n < c],
    ['a cell declaring a payload of 2^63 bytes', () => {
      const { db, at, leaf } = layout();
      const cell = at(leaf) + db.readUInt16BE(at(leaf) + 8);
      Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).copy(db, cell);
      return db;
    }, [/^Packages table: page \d+: a cell declares \d+ payload bytes \(the file holds \d+/], (n, c) => n < c],
  ];
  for (const [what, make, reasons, rows = (n: number) => n === 0] of cases) {
    it(what, () => {
      const count = layout().count;
      const r = readSqlitePackages(make());
      expect(r.problems).toHaveLength(reasons.length);
      reasons.forEach((re, i) => expect(r.problems[i]).toMatch(re));
      expect(rows(r.blobs.length, count)).toBe(true);
    });
  }

  /**
   * The schema record of Packages patched in place (SQLite's defensive mode refuses
   * writable_schema): its header's serial types are table (23), name and tbl_name (29 each:
   * 8-character text) and rootpage (1: a 1-byte integer), its values start "tablePackagesPackages".
   */
  function withRootpage(serialType: number, value: number): Buffer {
    const db = sqliteRpmdb([bytes(10, 1)]);
    const types = db.indexOf(Buffer.from([23, 29, 29, 1]));
    const values = db.indexOf(Buffer.from('tablePackagesPackages', 'latin1'));
    expect(types).toBeGreaterThan(0);
    expect(values).toBeGreaterThan(types);
    db[types + 3] = serialType;
    db[values + 21] = value;
    return db;
  }
  const rootpages: [string, number, number, RegExp][] = [
    ['1 (the schema page itself)', 1, 1, /^Packages table: b-tree page 1 is reached twice \(a cycle or a shared page\); 0 rows read before it$/],
    ['0', 1, 0, /^Packages table: b-tree page 0 is outside the file's \d+ pages; 0 rows read before it$/],
    ['past the file', 1, 127, /^Packages table: b-tree page 127 is outside the file's \d+ pages; 0 rows read before it$/],
    ['negative', 1, 0xfd, /^Packages table: b-tree page -3 is outside the file's \d+ pages; 0 rows read before it$/],
    ['as text', 15, 0x32, /^no Packages table in the SQLite schema$/],
  ];
  for (const [what, serialType, value, reason] of rootpages) {
    it(`a schema naming root page ${what} for Packages`, () => {
      const r = readSqlitePackages(withRootpage(serialType, value));
      expect(r.blobs).toEqual([]);
      expect(r.problems).toEqual([expect.stringMatching(reason)]);
    });
  }

  it('a file cut in half: the rows before the cut, and the cut named', () => {
    const full = mariner();
    const r = readSqlitePackages(full.subarray(0, full.length / 2));
    expect(r.problems[0]).toMatch(/^truncated: the header names 880 pages of 4096 bytes, the file holds 440$/);
    expect(r.problems[1]).toMatch(/^Packages table: .* is outside the file's 440 pages; \d+ rows read before it$/);
    expect(hex(r.blobs)).toEqual(hex(realBlobs().slice(0, r.blobs.length)));
  });

  it('every truncation is problems or rows, never a throw', () => {
    const full = mariner();
    for (let n = 0; n <= full.length; n += 49_999) readSqlitePackages(full.subarray(0, n));
  });

  it('every single-byte corruption of the first pages is problems or rows, never a throw', () => {
    const db = sqliteRpmdb(mixedBlobs(512).slice(0, 60), { pageSize: 512 });
    for (let at = 0; at < 8 * 512; at += 7) {
      const b = Buffer.from(db);
      b[at] = b[at]! ^ 0xa5;
      readSqlitePackages(b);
    }
  });

  it('limit: maxPackages', () => {
    const r = readSqlitePackages(mariner(), { ...DEFAULT_BLOB_LIMITS, maxPackages: 100 });
    expect(r.blobs).toHaveLength(100);
    expect(r.problems).toEqual(['more than 100 packages: the rest is not read']);
  });

  it('limit: maxBlobBytes', () => {
    const r = readSqlitePackages(sqliteRpmdb([bytes(10, 1), bytes(100_000, 2)]), { ...DEFAULT_BLOB_LIMITS, maxBlobBytes: 50_000 });
    expect(r.blobs).toEqual([bytes(10, 1)]);
    expect(r.problems).toEqual([expect.stringMatching(/^Packages table: page \d+: a cell declares 100005 payload bytes \(.*at most 50000 read\); 1 rows read before it$/)]);
  });
});
