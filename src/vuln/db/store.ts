/**
 * The local vulnerability database: one SQLite file (better-sqlite3) in a directory chosen by the
 * caller (`--db DIR`, `$CHARTAUDIT_DB`, else `defaultDbDir`).
 *
 * Schema (version 1, `meta.schema_version`):
 *
 *   meta(key PRIMARY KEY, value)            schema_version, created_at, last_update, counts (JSON)
 *   records(id PRIMARY KEY, modified, modified_ms, withdrawn 0|1, source, json)
 *                                           one OSV record each (NVD records converted), minified JSON
 *   packages(ecosystem, name, id, base)     PK (ecosystem, name, id): every affected[].package, under its
 *                                           ecosystem as written (`Debian:12`, base=0) and under the base
 *                                           ecosystem without the `:suffix` (`Debian`, base=1); an
 *                                           ecosystem without a suffix has one row (base=1)
 *   aliases(id, alias, record)              PK (id, alias, record): both directions of every alias of a
 *                                           record (R→A and A→R), `record` = the record that said so
 *   cpes(vendor, product, id, origin)       PK (vendor, product, id, origin), index on product: CPE
 *                                           vendor/product (lower case, CPE 2.3 escaped form) of NVD records'
 *                                           affected CPEs (origin `affected`) and of OSV records'
 *                                           `database_specific.cpes` (origin `database_specific`)
 *   sources(name PRIMARY KEY, location, kind, imported_at, records)
 *                                           one row per imported source (file, folder, downloaded URL)
 *
 * Index rows of a record are deleted and rewritten when the record is replaced. Opening is cheap:
 * nothing is loaded, statements are prepared on first use; scans open the file read-only.
 */
import type Database from 'better-sqlite3';
import { openDatabase, type Sqlite } from './sqlite.js';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { OsvAffected, OsvRecord } from '../../model/advisory.js';
import { InputError } from '../../model/errors.js';
import { cpeComponent, parseCpe } from './cpe.js';
import { timestampMs, validateOsvRecord } from './validate.js';

export const SCHEMA_VERSION = 1;
/** The database file inside the database directory. */
export const DB_FILE = 'vulndb.sqlite';

export type { Sqlite };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records (
  id TEXT PRIMARY KEY,
  modified TEXT NOT NULL,
  modified_ms INTEGER NOT NULL,
  withdrawn INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL,
  json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS packages (
  ecosystem TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL, base INTEGER NOT NULL,
  PRIMARY KEY (ecosystem, name, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS packages_by_id ON packages (id);
CREATE TABLE IF NOT EXISTS aliases (
  id TEXT NOT NULL, alias TEXT NOT NULL, record TEXT NOT NULL,
  PRIMARY KEY (id, alias, record)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS aliases_by_record ON aliases (record);
CREATE TABLE IF NOT EXISTS cpes (
  vendor TEXT NOT NULL, product TEXT NOT NULL, id TEXT NOT NULL, origin TEXT NOT NULL,
  PRIMARY KEY (vendor, product, id, origin)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cpes_by_product ON cpes (product);
CREATE INDEX IF NOT EXISTS cpes_by_id ON cpes (id);
CREATE TABLE IF NOT EXISTS sources (
  name TEXT PRIMARY KEY, location TEXT NOT NULL, kind TEXT NOT NULL,
  imported_at TEXT NOT NULL, records INTEGER NOT NULL
) WITHOUT ROWID;
`;

/**
 * The default database directory (without `--db`): `$CHARTAUDIT_DB`, else the user cache dir:
 * `$XDG_CACHE_HOME/chartaudit/db` or `~/.cache/chartaudit/db` (Linux and others),
 * `~/Library/Caches/chartaudit/db` (macOS), `%LOCALAPPDATA%\chartaudit\db` (Windows).
 */
export function defaultDbDir(env: Record<string, string | undefined>, home: string, platform: NodeJS.Platform = process.platform): string {
  if (env.CHARTAUDIT_DB) return env.CHARTAUDIT_DB;
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'chartaudit', 'db');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'chartaudit', 'db');
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.cache'), 'chartaudit', 'db');
}

export interface SourceInfo {
  name: string;
  /** URL or absolute path. */
  location: string;
  /** `osv-zip`, `osv-dir`, `osv-file`, `nvd-json`, `nvd-feed`, … */
  kind: string;
  importedAt: string;
  records: number;
}

export interface DbStatus {
  schemaVersion: number;
  path: string;
  sizeBytes: number;
  /** When the last import or update finished (ISO 8601), null for an empty database. */
  lastUpdate: string | null;
  /**
   * The newest `modified` time of any record (ISO 8601), null when there is none: how fresh the
   * data is, whatever the import date (importing an old dump today does not make it new).
   */
  newestRecord: string | null;
  sources: SourceInfo[];
  /** Records (not withdrawn) per base ecosystem of their affected packages (`CPE` for NVD). */
  counts: Record<string, number>;
  /** Distinct package names (with a record not withdrawn) per base ecosystem. */
  packages: Record<string, number>;
  records: { total: number; withdrawn: number };
}

export interface OpenOptions {
  /** Open read-only (scans); the file must exist. Default false: created when absent. */
  readonly?: boolean;
}

export interface QueryOptions {
  /** Also return withdrawn records (default false: they never match). */
  includeWithdrawn?: boolean;
}

/** The `base ecosystem` of `Debian:12` is `Debian`; `Red Hat:rhel_aus:8.4::appstream` → `Red Hat`. */
export function baseEcosystem(ecosystem: string): string {
  const i = ecosystem.indexOf(':');
  return i < 0 ? ecosystem : ecosystem.slice(0, i);
}

/** Opens the database in `dir`. Read-only opens fail with an InputError when there is none. */
export function openDb(dir: string, options: OpenOptions = {}): VulnDb {
  const path = join(dir, DB_FILE);
  if (options.readonly) {
    if (!existsSync(path)) {
      throw new InputError(`no vulnerability database in ${dir}: run \`chartaudit db update\` or \`chartaudit db import <path>\``, path);
    }
    return new VulnDb(openSqlite(path, true), path);
  }
  mkdirSync(dir, { recursive: true });
  const db = openSqlite(path, false);
  initSchema(db, path);
  return new VulnDb(db, path);
}

/** Opens a SQLite file and checks its schema version (when it has one). */
export function openSqlite(path: string, readonly: boolean): Sqlite {
  let db: Sqlite;
  try {
    db = openDatabase(path, { readonly, fileMustExist: readonly });
  } catch (e) {
    throw new InputError(`${path}: cannot open the vulnerability database: ${(e as Error).message}`, path);
  }
  try {
    const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
    if (hasMeta) {
      const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
      const v = row ? Number(row.value) : NaN;
      if (v !== SCHEMA_VERSION) {
        throw new InputError(
          `${path}: vulnerability database schema version ${row?.value ?? '(none)'} is not the supported version ${SCHEMA_VERSION}; remove the directory and run \`chartaudit db update\` again`,
          path,
        );
      }
    } else if (readonly) {
      throw new InputError(`${path}: not a chartaudit vulnerability database (no meta table)`, path);
    }
  } catch (e) {
    db.close();
    if (e instanceof InputError) throw e;
    throw new InputError(`${path}: not a vulnerability database: ${(e as Error).message}`, path);
  }
  return db;
}

/** Creates the tables of an empty database (a no-op on an existing one). */
export function initSchema(db: Sqlite, path = ':memory:'): void {
  db.exec(SCHEMA);
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
  if (!row) {
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?), (?, ?)').run('schema_version', String(SCHEMA_VERSION), 'created_at', new Date().toISOString());
  } else if (Number(row.value) !== SCHEMA_VERSION) {
    throw new InputError(`${path}: vulnerability database schema version ${row.value} is not the supported version ${SCHEMA_VERSION}`, path);
  }
}

/** Read access to the database. */
export class VulnDb {
  private readonly stmts = new Map<string, Database.Statement>();

  constructor(
    /** The underlying connection (for the importer and tests). */
    readonly sqlite: Sqlite,
    /** The database file, `:memory:` for in-memory databases. */
    readonly path: string,
  ) {}

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) this.stmts.set(sql, (s = this.sqlite.prepare(sql)));
    return s;
  }

  /**
   * Records with an affected package (ecosystem, name). `Debian` finds every `Debian:<suffix>`
   * record as well; `Debian:12` only those of that suffix. Sorted by id.
   */
  recordsForPackage(ecosystem: string, name: string, options: QueryOptions = {}): OsvRecord[] {
    const rows = this.stmt(
      `SELECT r.json AS json FROM packages p JOIN records r ON r.id = p.id WHERE p.ecosystem = ? AND p.name = ?${options.includeWithdrawn ? '' : ' AND r.withdrawn = 0'} ORDER BY r.id`,
    ).all(ecosystem, name) as { json: string }[];
    return rows.map((r) => JSON.parse(r.json) as OsvRecord);
  }

  /**
   * recordsForPackage's records (not withdrawn) with only what matching reads: id, modified,
   * aliases, affected and database_specific.cpes, taken out of the JSON by SQLite. Details and
   * references are most of a Bitnami record's text (wordpress's and mariadb's 174 records: ~300
   * KB of JSON); recordsByIds reads the ones that match whole.
   */
  matchFieldsForPackage(ecosystem: string, name: string): OsvRecord[] {
    const rows = this.stmt(
      "SELECT r.id AS id, r.modified AS modified, r.json -> '$.aliases' AS aliases, r.json -> '$.affected' AS affected, r.json -> '$.database_specific.cpes' AS cpes" +
        ' FROM packages p JOIN records r ON r.id = p.id WHERE p.ecosystem = ? AND p.name = ? AND r.withdrawn = 0 ORDER BY r.id',
    ).all(ecosystem, name) as { id: string; modified: string; aliases: string | null; affected: string | null; cpes: string | null }[];
    return rows.map((r) => {
      const rec: OsvRecord = { id: r.id, modified: r.modified };
      if (r.aliases !== null) rec.aliases = JSON.parse(r.aliases) as string[];
      if (r.affected !== null) rec.affected = JSON.parse(r.affected) as OsvAffected[];
      if (r.cpes !== null) rec.database_specific = { cpes: JSON.parse(r.cpes) as unknown };
      return rec;
    });
  }

  /**
   * Records indexed under a CPE vendor and product (NVD records' affected CPEs and OSV records'
   * `database_specific.cpes`). Case-insensitive; vendor `*` (or empty) matches any vendor.
   */
  recordsForCpe(vendor: string, product: string, options: QueryOptions & { origin?: 'affected' | 'database_specific' } = {}): OsvRecord[] {
    const v = cpeComponent(vendor);
    const p = cpeComponent(product);
    const anyVendor = v === '*' || v === '';
    const where = [anyVendor ? 'c.product = ?' : 'c.vendor = ? AND c.product = ?'];
    if (options.origin) where.push('c.origin = ?');
    if (!options.includeWithdrawn) where.push('r.withdrawn = 0');
    const args: string[] = anyVendor ? [p] : [v, p];
    if (options.origin) args.push(options.origin);
    const rows = this.stmt(`SELECT DISTINCT r.id AS id, r.json AS json FROM cpes c JOIN records r ON r.id = c.id WHERE ${where.join(' AND ')} ORDER BY r.id`).all(
      ...args,
    ) as { json: string }[];
    return rows.map((r) => JSON.parse(r.json) as OsvRecord);
  }

  /** The records indexed under the CPE string's vendor and product (its version is not looked at). */
  recordsForCpeString(cpe: string, options: QueryOptions & { origin?: 'affected' | 'database_specific' } = {}): OsvRecord[] {
    const c = parseCpe(cpe);
    return c ? this.recordsForCpe(c.vendor, c.product, options) : [];
  }

  /**
   * The CPE vendor/product pairs that the records of a package carry (e.g. Bitnami `postgresql` →
   * postgresql:postgresql), to find NVD records for it with recordsForCpe.
   */
  cpesForPackage(ecosystem: string, name: string): { vendor: string; product: string }[] {
    return this.stmt(
      'SELECT DISTINCT c.vendor AS vendor, c.product AS product FROM packages p JOIN cpes c ON c.id = p.id WHERE p.ecosystem = ? AND p.name = ? ORDER BY 1, 2',
    ).all(ecosystem, name) as { vendor: string; product: string }[];
  }

  /** The records with these ids, in the order asked, missing ones left out (withdrawn included). */
  recordsByIds(ids: readonly string[]): OsvRecord[] {
    const s = this.stmt('SELECT json FROM records WHERE id = ?');
    const out: OsvRecord[] = [];
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      const row = s.get(id) as { json: string } | undefined;
      if (row) out.push(JSON.parse(row.json) as OsvRecord);
    }
    return out;
  }

  /**
   * The ids known to be the same vulnerability as `id`: aliases in both directions (a record's
   * `aliases`, and the records that list `id` as an alias), followed transitively as OSV defines
   * them (bounded at `limit` ids). Sorted, without `id` itself.
   */
  aliasesOf(id: string, options: { transitive?: boolean; limit?: number } = {}): string[] {
    const s = this.stmt('SELECT DISTINCT alias FROM aliases WHERE id = ?');
    const transitive = options.transitive ?? true;
    const limit = options.limit ?? 1000;
    const seen = new Set<string>([id]);
    const queue = [id];
    while (queue.length > 0 && seen.size < limit) {
      const cur = queue.shift()!;
      for (const { alias } of s.all(cur) as { alias: string }[]) {
        if (seen.has(alias)) continue;
        seen.add(alias);
        if (transitive) queue.push(alias);
        if (seen.size >= limit) break;
      }
    }
    seen.delete(id);
    return [...seen].sort();
  }

  /** Number of records (withdrawn included). */
  recordCount(): number {
    return (this.stmt('SELECT COUNT(*) AS n FROM records').get() as { n: number }).n;
  }

  status(): DbStatus {
    const meta = new Map((this.stmt('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    const sources = (this.stmt('SELECT name, location, kind, imported_at AS importedAt, records FROM sources ORDER BY name').all() as SourceInfo[]).map((s) => ({ ...s }));
    let stats = meta.get('stats') ? (JSON.parse(meta.get('stats')!) as Pick<DbStatus, 'counts' | 'packages' | 'records'>) : null;
    if (!stats) stats = computeStats(this.sqlite);
    let sizeBytes = 0;
    if (this.path !== ':memory:') {
      try {
        sizeBytes = statSync(this.path).size;
      } catch {
        sizeBytes = 0;
      }
    }
    return {
      schemaVersion: Number(meta.get('schema_version')),
      path: this.path,
      sizeBytes,
      lastUpdate: meta.get('last_update') ?? null,
      newestRecord: meta.get('newest_record') ?? newestRecord(this.sqlite),
      sources,
      counts: stats.counts,
      packages: stats.packages,
      records: stats.records,
    };
  }

  close(): void {
    if (this.sqlite.open) this.sqlite.close();
  }
}

/** Per-ecosystem counts; stored in meta at the end of each import so that status() is cheap. */
export function computeStats(db: Sqlite): Pick<DbStatus, 'counts' | 'packages' | 'records'> {
  const counts: Record<string, number> = {};
  const packages: Record<string, number> = {};
  const rows = db
    .prepare(
      'SELECT p.ecosystem AS ecosystem, COUNT(DISTINCT p.id) AS records, COUNT(DISTINCT p.name) AS packages FROM packages p JOIN records r ON r.id = p.id WHERE p.base = 1 AND r.withdrawn = 0 GROUP BY p.ecosystem ORDER BY p.ecosystem',
    )
    .all() as { ecosystem: string; records: number; packages: number }[];
  for (const r of rows) {
    counts[r.ecosystem] = r.records;
    packages[r.ecosystem] = r.packages;
  }
  const t = db.prepare('SELECT COUNT(*) AS total, COALESCE(SUM(withdrawn), 0) AS withdrawn FROM records').get() as { total: number; withdrawn: number };
  return { counts, packages, records: { total: t.total, withdrawn: t.withdrawn } };
}

export type UpsertResult = 'imported' | 'replaced' | 'unchanged';

/**
 * Writes records and their index rows. A record replaces the stored one with the same id only
 * when its `modified` is newer. The caller runs it inside transactions.
 */
export class RecordWriter {
  private readonly sel: Database.Statement;
  private readonly ins: Database.Statement;
  private readonly upd: Database.Statement;
  private readonly delPkg: Database.Statement;
  private readonly delAlias: Database.Statement;
  private readonly delCpe: Database.Statement;
  private readonly insPkg: Database.Statement;
  private readonly insAlias: Database.Statement;
  private readonly insCpe: Database.Statement;

  constructor(readonly db: Sqlite) {
    this.sel = db.prepare('SELECT modified_ms FROM records WHERE id = ?').pluck();
    this.ins = db.prepare('INSERT INTO records (id, modified, modified_ms, withdrawn, source, json) VALUES (?, ?, ?, ?, ?, ?)');
    this.upd = db.prepare('UPDATE records SET modified = ?, modified_ms = ?, withdrawn = ?, source = ?, json = ? WHERE id = ?');
    this.delPkg = db.prepare('DELETE FROM packages WHERE id = ?');
    this.delAlias = db.prepare('DELETE FROM aliases WHERE record = ?');
    this.delCpe = db.prepare('DELETE FROM cpes WHERE id = ?');
    this.insPkg = db.prepare('INSERT OR IGNORE INTO packages (ecosystem, name, id, base) VALUES (?, ?, ?, ?)');
    this.insAlias = db.prepare('INSERT OR IGNORE INTO aliases (id, alias, record) VALUES (?, ?, ?)');
    this.insCpe = db.prepare('INSERT OR IGNORE INTO cpes (vendor, product, id, origin) VALUES (?, ?, ?, ?)');
  }

  /** Stores a validated record (see validateOsvRecord). */
  upsert(rec: OsvRecord, source: string): UpsertResult {
    const ms = timestampMs(rec.modified);
    const existing = this.sel.get(rec.id) as number | undefined;
    if (existing !== undefined && ms <= existing) return 'unchanged';
    const json = JSON.stringify(rec);
    const withdrawn = rec.withdrawn ? 1 : 0;
    if (existing !== undefined) {
      this.upd.run(rec.modified, ms, withdrawn, source, json, rec.id);
      this.delPkg.run(rec.id);
      this.delAlias.run(rec.id);
      this.delCpe.run(rec.id);
    } else {
      this.ins.run(rec.id, rec.modified, ms, withdrawn, source, json);
    }
    this.index(rec);
    return existing !== undefined ? 'replaced' : 'imported';
  }

  private index(rec: OsvRecord): void {
    const id = rec.id;
    for (const a of rec.affected ?? []) {
      const p = a.package;
      if (p && p.ecosystem && p.name) {
        const base = baseEcosystem(p.ecosystem);
        this.insPkg.run(base, p.name, id, 1);
        if (base !== p.ecosystem) this.insPkg.run(p.ecosystem, p.name, id, 0);
      }
      const cpe = a.database_specific?.cpe;
      if (typeof cpe === 'string') this.cpe(cpe, id, 'affected');
      this.cpeList(a.database_specific?.cpes, id);
    }
    this.cpeList(rec.database_specific?.cpes, id);
    for (const alias of rec.aliases ?? []) {
      if (alias === id) continue;
      this.insAlias.run(id, alias, id);
      this.insAlias.run(alias, id, id);
    }
  }

  private cpeList(list: unknown, id: string): void {
    if (!Array.isArray(list)) return;
    for (const c of list) if (typeof c === 'string') this.cpe(c, id, 'database_specific');
  }

  private cpe(s: string, id: string, origin: string): void {
    const c = parseCpe(s);
    if (c && c.product !== '*' && c.product !== '-') this.insCpe.run(c.vendor, c.product, id, origin);
  }
}

/** Writes the source row and the statistics in meta (end of an import). */
export function finishImport(db: Sqlite, sources: SourceInfo[], now: Date): void {
  const up = db.prepare(
    'INSERT INTO sources (name, location, kind, imported_at, records) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET location = excluded.location, kind = excluded.kind, imported_at = excluded.imported_at, records = excluded.records',
  );
  const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  db.transaction(() => {
    for (const s of sources) up.run(s.name, s.location, s.kind, s.importedAt, s.records);
    meta.run('last_update', now.toISOString());
    meta.run('stats', JSON.stringify(computeStats(db)));
    const newest = newestRecord(db);
    if (newest) meta.run('newest_record', newest);
  })();
}

/** The newest record's `modified` (see DbStatus.newestRecord). */
function newestRecord(db: Sqlite): string | null {
  const row = db.prepare('SELECT modified FROM records ORDER BY modified_ms DESC LIMIT 1').get() as { modified: string } | undefined;
  return row?.modified ?? null;
}

/**
 * An in-memory database holding `records` (validated like an import; invalid ones throw), for
 * tests of the matcher and the scan: `const db = memoryDb([rec1, rec2]); db.recordsForPackage(…)`.
 */
export function memoryDb(records: readonly unknown[] = [], options: { source?: string; now?: Date } = {}): VulnDb {
  const source = options.source ?? 'memory';
  const now = options.now ?? new Date();
  const db = openDatabase(':memory:');
  initSchema(db);
  const w = new RecordWriter(db);
  db.transaction(() => {
    for (const r of records) w.upsert(validateOsvRecord(structuredClone(r)), source);
  })();
  finishImport(db, [{ name: source, location: ':memory:', kind: 'memory', importedAt: now.toISOString(), records: records.length }], now);
  return new VulnDb(db, ':memory:');
}
