/**
 * rpm test inputs made in the test: header blobs built by hand (for hostile variants) and rpm-shaped
 * SQLite databases serialised by SQLite itself (better-sqlite3), so the page reader is checked
 * against the real engine's layout.
 */
import Database from 'better-sqlite3';

export interface HeaderEntry {
  tag: number;
  type: number;
  data: Buffer;
  count?: number;
}

const str = (s: string) => Buffer.from(s + '\0');

/** A header blob: the entries in order, data laid out one after the other (no alignment padding needed for these types). */
export function headerBlob(entries: HeaderEntry[]): Buffer {
  const data = Buffer.concat(entries.map((e) => e.data));
  const index = Buffer.alloc(8 + 16 * entries.length);
  index.writeInt32BE(entries.length, 0);
  index.writeInt32BE(data.length, 4);
  let off = 0;
  entries.forEach((e, i) => {
    index.writeInt32BE(e.tag, 8 + 16 * i);
    index.writeUInt32BE(e.type, 12 + 16 * i);
    index.writeInt32BE(off, 16 + 16 * i);
    index.writeUInt32BE(e.count ?? 1, 20 + 16 * i);
    off += e.data.length;
  });
  return Buffer.concat([index, data]);
}

/** NAME, VERSION, RELEASE (and ARCH, SOURCERPM, EPOCH when given) as rpm types them. */
export function packageHeader(p: { name: string; version: string; release: string; arch?: string; sourceRpm?: string; epoch?: number }): Buffer {
  const entries: HeaderEntry[] = [];
  if (p.epoch !== undefined) {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(p.epoch);
    entries.push({ tag: 1003, type: 4, data: b });
  }
  entries.push({ tag: 1000, type: 6, data: str(p.name) }, { tag: 1001, type: 6, data: str(p.version) }, { tag: 1002, type: 6, data: str(p.release) });
  if (p.arch) entries.push({ tag: 1022, type: 6, data: str(p.arch) });
  if (p.sourceRpm) entries.push({ tag: 1044, type: 6, data: str(p.sourceRpm) });
  return headerBlob(entries);
}

/** An rpm-shaped SQLite database (rpm's own CREATE TABLE) holding these blobs, as SQLite serialises it. */
export function sqliteRpmdb(blobs: Buffer[], opts: { pageSize?: number; wal?: boolean; preSql?: string; extraSql?: string; table?: string } = {}): Buffer {
  const db = new Database(':memory:');
  if (opts.pageSize) db.pragma(`page_size = ${opts.pageSize}`);
  if (opts.preSql) db.exec(opts.preSql);
  db.exec(opts.table ?? "CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL)");
  if (blobs.length > 0) {
    const insert = db.prepare('INSERT INTO Packages (blob) VALUES (?)');
    db.transaction(() => {
      for (const b of blobs) insert.run(b);
    })();
  }
  if (opts.extraSql) db.exec(opts.extraSql);
  const out = db.serialize();
  db.close();
  // rpm's databases say WAL in bytes 18-19; an in-memory database cannot be put in WAL mode.
  if (opts.wal) out[18] = out[19] = 2;
  return out;
}

/** Page numbers of a serialised database by owner and kind (SQLite's dbstat: 'internal', 'leaf', 'overflow'). */
export function sqlitePages(db: Buffer): { name: string; pageno: number; pagetype: string }[] {
  const copy = Buffer.from(db);
  copy[18] = copy[19] = 1;
  const d = new Database(copy, { readonly: true });
  const rows = d.prepare('SELECT name, pageno, pagetype FROM dbstat ORDER BY pageno').all() as { name: string; pageno: number; pagetype: string }[];
  d.close();
  return rows;
}

/** The root page of table `name`, as the schema names it. */
export function sqliteRootPage(db: Buffer, name: string): number {
  const copy = Buffer.from(db);
  copy[18] = copy[19] = 1;
  const d = new Database(copy, { readonly: true });
  const row = d.prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?').get(name) as { rootpage: number };
  d.close();
  return row.rootpage;
}

/** The blobs SQLite returns for `SELECT blob FROM Packages ORDER BY hnum`. */
export function sqliteBlobs(db: Buffer): Buffer[] {
  const copy = Buffer.from(db);
  copy[18] = copy[19] = 1;
  const d = new Database(copy, { readonly: true });
  const rows = d.prepare('SELECT blob FROM Packages ORDER BY hnum').all() as { blob: Buffer }[];
  d.close();
  return rows.map((r) => r.blob);
}
