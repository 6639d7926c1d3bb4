/**
 * `chartaudit db import <path>`: OSV and NVD data into the local database.
 *
 * Accepted inputs (by content, then by name):
 *   - an OSV `all.zip` (or any zip of OSV `.json`/`.yaml` records), read entry by entry (zip.ts);
 *   - a folder, recursively (hidden entries and symbolic links skipped): OSV records as `.json`,
 *     `.yaml`/`.yml` (a single record, or a JSON list of records), NVD API 2.0 responses or
 *     JSON 2.0 feeds (`.json`, `.json.gz`), single NVD `cve` objects (fkie-cad mirror layout);
 *   - one such file.
 * NVD records are converted to OSV (nvd.ts). Records are validated (validate.ts): malformed ones
 * are skipped, counted and named in the summary; an archive or file that cannot be read at all
 * (not a zip, truncated, zip bomb, traversal names) is an InputError naming the file.
 *
 * Atomic: the import copies the current database to a temporary file next to it, writes into
 * the copy in transactions of `batchSize` records, and renames it over the database at the end.
 * Anything thrown midway (including by onProgress) deletes the copy and leaves the database as
 * it was. A lock file keeps two imports of one directory apart.
 */
import type Database from 'better-sqlite3';
import { openDatabase } from './sqlite.js';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  createReadStream,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Scalar } from 'yaml';
import { InputError } from '../../model/errors.js';
import { isNvdCve, isNvdEnvelope, NvdSplitter, nvdToOsv } from './nvd.js';
import { DB_FILE, RecordWriter, finishImport, initSchema, openSqlite } from './store.js';
import type { SourceInfo, Sqlite } from './store.js';
import { RecordError, validateOsvRecord } from './validate.js';
import { looksLikeZip, ZipReader } from './zip.js';
import type { ZipLimits } from './zip.js';

const MiB = 1024 * 1024;

export interface ImportLimits extends ZipLimits {
  /** Largest OSV file, YAML file or NVD element read whole (default 16 MiB). */
  maxFileBytes?: number;
  /** Most files in a folder (default 2,000,000). */
  maxFiles?: number;
  /** YAML alias expansions per file (default 100). */
  maxYamlAliases?: number;
  /** Most bytes a streamed (gzip) NVD feed may inflate to (default 8 GiB). */
  maxStreamBytes?: number;
}

export interface ImportProgress {
  phase: 'import' | 'finish';
  /** The source being imported (its name). */
  source: string;
  /** Records read so far from this source (valid or not). */
  records: number;
  /** Records or entries expected, when known (zip entries). */
  total?: number;
}

export interface ImportInput {
  path: string;
  /** Name in the sources table (default: the absolute path). */
  source?: string;
  /** Location recorded for the source (default: the absolute path), e.g. the URL it came from. */
  location?: string;
}

export interface ImportOptions {
  /** Time recorded for the import (default: now). */
  now?: Date;
  onProgress?: (p: ImportProgress) => void;
  /** Source name for importPath (default: the absolute path). */
  source?: string;
  limits?: ImportLimits;
  /** Records per transaction (default 5000). */
  batchSize?: number;
}

export interface SkippedRecord {
  /** File, `archive.zip!entry.json`, `feed.json#CVE-…` or `file.json[3]`. */
  name: string;
  reason: string;
}

export interface ImportSummary {
  imported: number;
  replaced: number;
  unchanged: number;
  /** The first 1000 skipped records. */
  skipped: SkippedRecord[];
  /** All skipped records. */
  skippedCount: number;
  sources: SourceInfo[];
  dbPath: string;
  durationMs: number;
}

const MAX_SKIPPED_LISTED = 1000;

/** Imports one path (file or folder) into the database in `dbDir`. */
export function importPath(path: string, dbDir: string, options: ImportOptions = {}): Promise<ImportSummary> {
  return importPaths([{ path, ...(options.source ? { source: options.source } : {}) }], dbDir, options);
}

/** Imports several paths with one atomic swap (what `db update` does with its downloads). */
export async function importPaths(inputs: readonly ImportInput[], dbDir: string, options: ImportOptions = {}): Promise<ImportSummary> {
  mkdirSync(dbDir, { recursive: true });
  return withDbLock(dbDir, () => importPathsLocked(inputs, dbDir, options));
}

/**
 * Runs `fn` holding `<dir>/.import.lock` (one import or update per database directory at a
 * time). A lock left by a dead process is taken over, with the temporary files it left.
 */
export async function withDbLock<T>(dbDir: string, fn: () => Promise<T>): Promise<T> {
  const release = acquireLock(dbDir);
  try {
    return await fn();
  } finally {
    release();
  }
}

/** importPaths for a caller that holds the lock (withDbLock). */
export async function importPathsLocked(inputs: readonly ImportInput[], dbDir: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const t0 = performance.now();
  const now = options.now ?? new Date();
  const dbPath = join(dbDir, DB_FILE);
  const tmp = join(dbDir, `.${DB_FILE}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let db: Sqlite | undefined;
  try {
    if (existsSync(dbPath)) {
      openSqlite(dbPath, true).close(); // checks that it is a database of our schema version
      copyFileSync(dbPath, tmp);
    }
    try {
      db = openDatabase(tmp);
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      db.pragma('cache_size = -65536');
      initSchema(db, tmp);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`${tmp}: cannot write the vulnerability database: ${(e as Error).message}`, tmp);
    }
    const imp = new Importer(db, options, now);
    for (const input of inputs) await imp.importInput(input);
    imp.commit();
    finishImport(db, imp.sources, now);
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    if (free > 1000 && free > pages / 4) db.exec('VACUUM');
    db.pragma('journal_mode = DELETE');
    db.close();
    db = undefined;
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, dbPath);
    syncDir(dbDir);
    return {
      imported: imp.imported,
      replaced: imp.replaced,
      unchanged: imp.unchanged,
      skipped: imp.skipped,
      skippedCount: imp.skippedCount,
      sources: imp.sources,
      dbPath,
      durationMs: Math.round(performance.now() - t0),
    };
  } finally {
    if (db?.open) db.close();
    rmSync(tmp, { force: true });
  }
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* not supported everywhere */
  }
}

/** Takes `<dir>/.import.lock`; a lock left by a dead process is taken over. */
function acquireLock(dir: string): () => void {
  const lock = join(dir, '.import.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new InputError(`${dir}: cannot write the vulnerability database directory: ${(e as Error).message}`, dir);
      let pid = NaN;
      try {
        pid = Number(readFileSync(lock, 'utf8').trim());
      } catch {
        /* vanished */
      }
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new InputError(`${dir}: another chartaudit import or update is running (pid ${pid}); if it is not, remove ${lock}`, lock);
      }
      // the holder died: remove the lock and whatever it left half-done
      for (const n of readdirSync(dir)) {
        if ((n.startsWith(`.${DB_FILE}.`) && n.endsWith('.tmp')) || n.startsWith('.download-')) rmSync(join(dir, n), { recursive: true, force: true });
      }
      rmSync(lock, { force: true });
    }
  }
  throw new InputError(`${dir}: cannot take the import lock ${lock}`, lock);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const STRING_KEYS = new Set(['id', 'modified', 'published', 'withdrawn', 'schema_version', 'summary', 'details', 'introduced', 'fixed', 'last_affected', 'limit', 'ecosystem', 'name', 'purl', 'score', 'url', 'repo']);
const STRING_LIST_KEYS = new Set(['aliases', 'related', 'upstream', 'versions']);

/**
 * An OSV record in YAML (yaml's YAML 1.2 core schema, alias expansion bounded). Plain scalars in
 * string fields keep their source text: `fixed: 1.10` is the version "1.10", not the number 1.1.
 */
export function parseOsvYaml(text: string, maxAliasCount = 100): unknown {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length) throw new RecordError(`invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const raw = (n: unknown): void => {
    if (!isScalar(n)) return;
    const s = n as Scalar;
    if (typeof s.value !== 'string' && s.value !== null && s.range) s.value = text.slice(s.range[0], s.range[1]).trim();
  };
  const keyOf = (pair: { key: unknown }): unknown => (isScalar(pair.key) ? (pair.key as Scalar).value : undefined);
  visit(doc, {
    Pair(_, pair) {
      const k = keyOf(pair);
      if (typeof k !== 'string') return;
      if (k === 'database_specific' || k === 'ecosystem_specific') return visit.SKIP; // free-form: left as YAML reads it
      if (STRING_KEYS.has(k)) raw(pair.value);
      else if (STRING_LIST_KEYS.has(k) && isSeq(pair.value)) for (const it of pair.value.items) raw(it);
      return undefined;
    },
  });
  try {
    return doc.toJS({ maxAliasCount });
  } catch (e) {
    throw new RecordError(`invalid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

interface SourceCtx {
  info: SourceInfo;
  /** Records read (valid or not), for progress. */
  seen: number;
  total?: number;
}

class Importer {
  imported = 0;
  replaced = 0;
  unchanged = 0;
  skipped: SkippedRecord[] = [];
  skippedCount = 0;
  sources: SourceInfo[] = [];
  private readonly writer: RecordWriter;
  private readonly begin: Database.Statement;
  private readonly commitStmt: Database.Statement;
  private inTxn = false;
  private pending = 0;
  private readonly batch: number;
  private readonly maxFile: number;
  private readonly limits: ImportLimits;

  constructor(
    private readonly db: Sqlite,
    private readonly options: ImportOptions,
    private readonly now: Date,
  ) {
    this.writer = new RecordWriter(db);
    this.begin = db.prepare('BEGIN');
    this.commitStmt = db.prepare('COMMIT');
    this.batch = options.batchSize ?? 5000;
    this.limits = options.limits ?? {};
    this.maxFile = this.limits.maxFileBytes ?? 16 * MiB;
  }

  commit(): void {
    if (this.inTxn) {
      this.commitStmt.run();
      this.inTxn = false;
      this.pending = 0;
    }
  }

  private skip(name: string, reason: string): void {
    this.skippedCount++;
    if (this.skipped.length < MAX_SKIPPED_LISTED) this.skipped.push({ name, reason });
  }

  private progress(src: SourceCtx, phase: ImportProgress['phase'] = 'import'): void {
    this.options.onProgress?.({ phase, source: src.info.name, records: src.seen, ...(src.total !== undefined ? { total: src.total } : {}) });
  }

  /** One record: validate (or convert from NVD) and store. */
  private add(src: SourceCtx, value: unknown, name: string, nvd: boolean): void {
    src.seen++;
    let rec;
    try {
      rec = nvd ? nvdToOsv(value) : validateOsvRecord(value);
    } catch (e) {
      if (!(e instanceof RecordError)) throw e;
      this.skip(name, e.message);
      this.tick(src);
      return;
    }
    if (!this.inTxn) {
      this.begin.run();
      this.inTxn = true;
    }
    const r = this.writer.upsert(rec, src.info.name);
    this[r]++;
    src.info.records++;
    if (++this.pending >= this.batch) this.commit();
    this.tick(src);
  }

  private tick(src: SourceCtx): void {
    if (src.seen % 1000 === 0) this.progress(src);
  }

  /** A parsed JSON or YAML document: an OSV record, a list of them, an NVD envelope or cve. */
  private addParsed(src: SourceCtx, value: unknown, name: string): void {
    if (isNvdEnvelope(value)) {
      value.vulnerabilities.forEach((v, i) => {
        const cve = (v as { cve?: { id?: unknown } } | null)?.cve;
        this.add(src, cve, `${name}#${typeof cve?.id === 'string' ? cve.id : `vulnerabilities[${i}]`}`, true);
      });
    } else if (isNvdCve(value)) this.add(src, value, name, true);
    else if (Array.isArray(value)) value.forEach((v, i) => this.add(src, v, `${name}[${i}]`, false));
    else this.add(src, value, name, false);
  }

  private parseBytes(src: SourceCtx, data: Buffer, name: string): void {
    let value: unknown;
    const yaml = /\.ya?ml$/i.test(name);
    try {
      const text = data.toString('utf8');
      value = yaml ? parseOsvYaml(text, this.limits.maxYamlAliases ?? 100) : JSON.parse(text);
    } catch (e) {
      src.seen++;
      this.skip(name, e instanceof RecordError ? e.message : `invalid JSON: ${(e as Error).message}`);
      return;
    }
    this.addParsed(src, value, name);
  }

  async importInput(input: ImportInput): Promise<void> {
    const abs = resolve(input.path);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      throw new InputError(`${input.path}: cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`, input.path);
    }
    const info: SourceInfo = { name: input.source ?? abs, location: input.location ?? abs, kind: '', importedAt: this.now.toISOString(), records: 0 };
    const skippedBefore = this.skippedCount;
    const src: SourceCtx = { info, seen: 0 };
    if (st.isDirectory()) {
      info.kind = 'dir';
      await this.importDir(src, abs, input.path);
    } else if (st.isFile()) {
      const head = readHead(abs, 4);
      if (looksLikeZip(head) || /\.zip$/i.test(abs)) {
        info.kind = 'osv-zip';
        this.importZip(src, abs, input.path);
      } else if (head[0] === 0x1f && head[1] === 0x8b) {
        info.kind = 'nvd-feed';
        await this.importStream(src, abs, input.path, true, true);
      } else {
        info.kind = /\.ya?ml$/i.test(abs) ? 'osv-yaml' : 'json';
        await this.importFile(src, abs, input.path, true);
      }
    } else throw new InputError(`${input.path}: not a file or directory`, input.path);
    if (info.records === 0) {
      // Nothing usable: an import that adds nothing must not look like a success (and the
      // database is left as it was: the caller never swaps it in).
      const bad = this.skippedCount - skippedBefore;
      const first = this.skipped[skippedBefore];
      throw new InputError(`${input.path}: no valid OSV or NVD record in it${bad ? ` (${bad} malformed${first ? `, first: ${first.name}: ${first.reason}` : ''})` : ''}`, input.path);
    }
    this.commit();
    this.progress(src, 'finish');
    const prev = this.sources.findIndex((s) => s.name === info.name);
    if (prev >= 0) this.sources[prev]!.records += info.records;
    else this.sources.push(info);
  }

  private importZip(src: SourceCtx, abs: string, shown: string): void {
    const zip = ZipReader.open(abs, this.limits);
    try {
      src.total = zip.count;
      for (let i = 0; i < zip.count; i++) {
        const e = zip.entry(i);
        if (e.name.endsWith('/')) continue;
        if (!/\.(json|ya?ml)$/i.test(e.name)) continue;
        const data = zip.readEntry(e);
        this.parseBytes(src, data, `${basename(shown)}!${e.name}`);
      }
    } catch (e) {
      if (e instanceof InputError && e.file === abs && shown !== abs) throw new InputError(e.message.replace(abs, shown), shown);
      throw e;
    } finally {
      zip.close();
    }
  }

  /**
   * One file: read whole up to maxFileBytes; larger JSON (and gzip) is streamed as an NVD feed.
   * `top`: the file was named by the user, so an unreadable one is an InputError, not a skip.
   */
  private async importFile(src: SourceCtx, abs: string, shown: string, top: boolean): Promise<void> {
    const size = statSync(abs).size;
    const yaml = /\.ya?ml$/i.test(abs);
    if (size > this.maxFile) {
      if (yaml) return this.fileProblem(top, shown, `larger than ${this.maxFile / MiB} MiB`);
      return this.importStream(src, abs, shown, false, top);
    }
    let data: Buffer;
    try {
      data = readFileSync(abs);
    } catch (e) {
      return this.fileProblem(top, shown, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (top) {
      let value: unknown;
      try {
        value = yaml ? parseOsvYaml(data.toString('utf8'), this.limits.maxYamlAliases ?? 100) : JSON.parse(data.toString('utf8'));
      } catch (e) {
        // A parser's message quotes the input: for binary data that would print raw bytes.
        const detail = looksBinary(data) ? 'binary data' : (e as Error).message.split('\n')[0]!.slice(0, 200);
        throw new InputError(`${shown}: ${e instanceof RecordError ? e.message : `not JSON, YAML, a zip or a gzip NVD feed (${detail})`}`, shown);
      }
      if (isNvdEnvelope(value) || isNvdCve(value)) src.info.kind = 'nvd-json';
      else if (!yaml) src.info.kind = 'osv-json';
      this.addParsed(src, value, shown);
    } else this.parseBytes(src, data, shown);
  }

  private fileProblem(top: boolean, shown: string, reason: string): void {
    if (top) throw new InputError(`${shown}: ${reason}`, shown);
    this.skip(shown, reason);
  }

  /** An NVD feed, gzip-compressed or plain JSON, streamed element by element. */
  private async importStream(src: SourceCtx, abs: string, shown: string, gzip: boolean, top: boolean): Promise<void> {
    const maxStream = this.limits.maxStreamBytes ?? 8 * 1024 * MiB;
    let total = 0;
    const splitter = new NvdSplitter((bytes, i) => {
      let item: unknown;
      try {
        item = JSON.parse(bytes.toString('utf8'));
      } catch (e) {
        src.seen++;
        this.skip(`${shown}#vulnerabilities[${i}]`, `invalid JSON: ${(e as Error).message}`);
        return;
      }
      const cve = (item as { cve?: { id?: unknown } } | null)?.cve;
      this.add(src, cve, `${shown}#${typeof cve?.id === 'string' ? cve.id : `vulnerabilities[${i}]`}`, true);
    }, this.maxFile, (i, max) => {
      src.seen++;
      this.skip(`${shown}#vulnerabilities[${i}]`, `larger than ${max} bytes`);
    });
    try {
      const sink = async (source: AsyncIterable<Buffer>): Promise<void> => {
        for await (const chunk of source) {
          total += chunk.length;
          if (total > maxStream) throw new InputError(`${shown}: inflates past ${maxStream} bytes`, shown);
          splitter.write(chunk);
        }
      };
      if (gzip) await pipeline(createReadStream(abs), createGunzip(), sink);
      else await pipeline(createReadStream(abs), sink);
      splitter.end();
    } catch (e) {
      if (e instanceof InputError) throw e;
      if (e instanceof RecordError) return this.fileProblem(top, shown, e.message);
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'Z_BUF_ERROR' || /unexpected end/i.test((e as Error).message) ? 'truncated gzip data' : code?.startsWith('Z_') ? `corrupt gzip data (${(e as Error).message})` : (e as Error).message;
      if (!top) return this.skip(shown, why);
      throw new InputError(`${shown}: ${why}`, shown);
    }
    if (splitter.found && src.info.kind === 'json') src.info.kind = 'nvd-json';
    if (!splitter.found) {
      if (top && !gzip) throw new InputError(`${shown}: larger than ${this.maxFile / MiB} MiB and not an NVD JSON feed`, shown);
      if (top) throw new InputError(`${shown}: not an NVD JSON 2.0 feed (no "vulnerabilities" list)`, shown);
      this.skip(shown, 'not an NVD JSON 2.0 feed (no "vulnerabilities" list)');
    }
  }

  private async importDir(src: SourceCtx, abs: string, shown: string): Promise<void> {
    const maxFiles = this.limits.maxFiles ?? 2_000_000;
    let files = 0;
    const stack: [string, string][] = [[abs, shown]];
    while (stack.length) {
      const [dir, dirShown] = stack.pop()!;
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch (e) {
        this.skip(dirShown, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        continue;
      }
      const subdirs: [string, string][] = [];
      for (const n of names) {
        if (n.startsWith('.')) continue;
        const p = join(dir, n);
        const ps = join(dirShown, n);
        let st;
        try {
          st = lstatSync(p);
        } catch {
          continue;
        }
        if (st.isDirectory()) subdirs.push([p, ps]);
        else if (st.isFile()) {
          const gz = /\.json\.gz$/i.test(n);
          if (!gz && !/\.(json|ya?ml)$/i.test(n)) continue;
          if (++files > maxFiles) throw new InputError(`${shown}: more than ${maxFiles} files`, shown);
          if (gz) await this.importStream(src, p, ps, true, false);
          else await this.importFile(src, p, ps, false);
        }
      }
      stack.push(...subdirs.reverse());
    }
  }
}

function readHead(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(n);
    const got = readSync(fd, b, 0, n, 0);
    return b.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** NUL bytes or invalid UTF-8 in the first 8 KiB: not a text format we read. */
function looksBinary(data: Buffer): boolean {
  const head = data.subarray(0, 8192);
  if (head.includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - 4 > 0 ? head.length - 4 : head.length));
    return false;
  } catch {
    return true;
  }
}
