/**
 * Parsed chart templates kept between runs: one file per template text under
 * `<cacheDir>/templates/`, named by the SHA-256 of the text and of what else decides its parse
 * (delimiters, function names, parser build), holding the trees as tree-codec JSON. Parsing is
 * most of a small chart's render in a fresh process (cold code); reading the trees back takes a
 * fraction of it, and every chart with the same file shares the entry (each subchart's copy of
 * Bitnami's common library). Only texts that parsed cleanly are stored, so errors always come
 * from the parser. An entry that cannot be read or decoded (one being written by another
 * process, one a crash cut short) is parsed afresh and written again; one that cannot be
 * written is skipped.
 *
 * A first run must not pay for later ones (CI runners often start with an empty cache): a text
 * seen for the first time is only noted (one line in `seen.log`); its trees are encoded and
 * written when it is parsed again, by a later run or another chart with the same file. Writing
 * each entry at once made a first render of wordpress ~10% slower. Entries sit in one flat
 * directory and are written in place in the background.
 *
 * A chart archive's templates are also kept together (`forArchive`): one entry per archive
 * digest holding every text's trees, short ones too, so a later render of the same archive
 * reads one file and hashes no text (see ArchiveTemplates). So is the archive's inflated tar
 * (`inflatedArchive`), by the same seen-once rule: a later load of the archive neither
 * inflates it nor loads node:zlib. And a scan's findings on what the archive deploys
 * (`deployed-…`, commands/scan/deployment.ts), read back when it is scanned again alike.
 */
import { close, closeSync, constants, existsSync, fstatSync, mkdirSync, open, openSync, readFileSync, readSync, rmSync, statSync, writeFile } from 'node:fs';
import { isAscii } from 'node:buffer';
import { join } from 'node:path';
import type { InflatedArchiveStore } from '../chart/archive.js';
import type { ParsedValues, ParsedValuesStore } from '../chart/load.js';
import { sha256HexOfText } from '../hash/sha256.js';
import { readBuffer } from './read-buffer.js';
import type { ParsedTreeStore } from '../render/template/exec.js';
import { asciiJson } from '../render/template/tree-codec.js';
import { filesIn } from './paths.js';

declare const __SOURCE_BUILD__: string | undefined;
/**
 * The program's build (scripts/build.mjs hashes the sources), for entries whose contents the
 * whole program decides (a scan's deployment, its matches). Run from source (tsx, vitest in
 * process) there is none: code edited between runs would read results of the code before, so
 * such entries are not kept.
 */
export const SOURCE_BUILD = typeof __SOURCE_BUILD__ === 'string' ? __SOURCE_BUILD__ : undefined;

/**
 * Texts shorter than this parse in less time than creating (first run) or reading (later) an
 * entry takes. 512 B instead: later runs of kafka, wordpress and redis within ±2%, the run that
 * stores them ~8% slower.
 */
const MIN_TEXT = 2048;
/** An entry larger than this is not read (a stored tree is a few times its text). */
const MAX_ENTRY = 16 * 1024 * 1024;
/** `cache prune` removes entries written longer ago than this (a render writes them again). */
const PRUNE_AGE_MS = 30 * 24 * 3600_000;
/** A kept tar larger than this is not read (the load budget's inflated limit is lower). */
const MAX_TAR = 256 * 1024 * 1024;
/** The log of texts seen once; a longer one is started afresh (it only delays storing). */
const MAX_SEEN_LOG = 1024 * 1024;
const SEEN_LOG = 'seen.log';

export class TemplateTreeCache implements ParsedTreeStore {
  readonly dir: string;
  private dirMade = false;
  /** The last text's entry id: a miss looks it up, then stores it (hashing the text once). */
  private last: { identity: string; text: string; id: string } | null = null;
  /**
   * seen.log's bytes, read at the first miss, and the ids noted since: an id is looked for in
   * the bytes (a native search) rather than the log split into a set, which at the log's
   * largest (~14,000 lines) cost a scan ~12 ms.
   */
  private seen: { log: Buffer; noted: Set<string> } | null = null;
  /** Lines for seen.log not yet written: one append for the whole render, not one per text. */
  private seenLines: string[] = [];

  constructor(cacheDir: string) {
    this.dir = join(cacheDir, 'templates');
  }

  /** The entry's id: SHA-256 of the text and what else decides its parse. */
  private id(identity: string, text: string): string {
    const last = this.last;
    if (last !== null && last.text === text && last.identity === identity) return last.id;
    const id = sha256HexOfText(`${identity}\0${text}`);
    this.last = { identity, text, id };
    return id;
  }

  /** Where the entry for this text is (or would be). */
  file(identity: string, text: string): string {
    return join(this.dir, `${this.id(identity, text)}.json`);
  }

  get(identity: string, text: string): string | undefined {
    if (text.length < MIN_TEXT) return undefined;
    return this.readEntry(this.file(identity, text), MAX_ENTRY);
  }

  put(identity: string, text: string, encode: () => string): void {
    if (text.length < MIN_TEXT) return;
    this.keep(this.id(identity, text), encode);
  }

  /**
   * The parsed templates of one chart archive (`digest`: the archive's SHA-256 in hex), kept
   * in one entry, falling back to this store's per-text entries.
   */
  forArchive(digest: string): ParsedTreeStore {
    return new ArchiveTemplates(this, digest);
  }

  /**
   * The inflated tar of the chart archive with this digest (SHA-256 in hex). The archive's
   * loader reads it only at the length the gzip trailer states, and hands back the tar of a
   * clean load to keep.
   */
  inflatedArchive(digest: string): InflatedArchiveStore {
    const id = `tar-${digest}`;
    const file = join(this.dir, `${id}.tar`);
    return {
      get: (length) => (length <= MAX_TAR ? readExactly(file, length) : undefined),
      put: (tar) => this.keep(id, () => (tar.length === 1 ? tar[0]! : Buffer.concat(tar)), '.tar'),
    };
  }

  /**
   * The values.yaml files of the chart archive with this digest (SHA-256 in hex) as an earlier
   * load parsed them, all in one entry, kept by the same seen-once rule.
   */
  parsedValues(digest: string): ParsedValuesStore {
    return new ArchiveValues(this, digest);
  }

  /**
   * @internal A file's text, or undefined when it is missing, larger than `max` or unreadable
   * (never through a link planted at its name). Read into a buffer whose pages are touched
   * already (read-buffer.ts): only the text is kept.
   */
  readEntry(file: string, max: number, encoding: 'utf8' | 'ascii' = 'utf8'): string | undefined {
    const bytes = readRegularFile(file, (size) => size <= max, readBuffer);
    if (bytes === undefined) return undefined;
    if (encoding === 'utf8') return bytes.toString('utf8');
    // ASCII: a copy into a one-byte string, no UTF-8 decoding (a byte above 0x7f: damaged)
    return isAscii(bytes) ? bytes.toString('latin1') : undefined;
  }


  /**
   * @internal Entry `id` (a `.json` file) as JSON, or undefined when it is missing, larger than
   * `max` or not JSON (the caller then works it out afresh and keeps it again).
   */
  readJson(id: string, max: number): unknown {
    const text = this.readEntry(join(this.dir, `${id}.json`), max);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }

  /** @internal SHA-256 of the parts, joined by NUL, in hex. */
  hash(...parts: string[]): string {
    return sha256HexOfText(parts.join('\0'));
  }

  /**
   * @internal Entry `id` seen before is encoded and written in the background (libuv's
   * threads: creating a file costs more here than encoding the trees, and the render goes on
   * meanwhile; Node waits for the write before it exits); one seen for the first time is only
   * noted.
   */
  keep(id: string, encode: () => string | Buffer, ext = '.json'): void {
    try {
      if (!this.dirMade) mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.dirMade = true;
      this.seen ??= this.readSeen();
    } catch {
      return; // a read-only cache: the next render parses again
    }
    if (!this.hasSeen(id)) {
      this.seen.noted.add(id);
      // parsing is synchronous: the append runs once the render has parsed its texts
      if (this.seenLines.push(`${id}\n`) === 1) setImmediate(() => this.flushSeen());
      return;
    }
    this.writeInBackground(`${id}${ext}`, constants.O_TRUNC, encode());
  }

  private pending = new Set<Promise<void>>();

  /** Resolves once the writes started so far have ended (written or not). */
  async settled(): Promise<void> {
    this.flushSeen();
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  private flushSeen(): void {
    if (this.seenLines.length === 0) return;
    // a log cut short inside a line (a write that did not finish) gets its line ended first
    const log = this.seen?.log;
    const cut = log !== undefined && log.length > 0 && log[log.length - 1] !== 0x0a && !this.seenFlushed;
    this.writeInBackground(SEEN_LOG, constants.O_APPEND, `${cut ? '\n' : ''}${this.seenLines.join('')}`);
    this.seenLines = [];
    this.seenFlushed = true;
  }

  private seenFlushed = false;

  /** Writes `data` to a file of the directory, never through a link planted at its name; failures are ignored. */
  private writeInBackground(name: string, mode: number, data: string | Buffer): void {
    const done = new Promise<void>((resolve) => {
      open(join(this.dir, name), constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | mode, 0o600, (err, fd) => {
        if (err) return resolve();
        writeFile(fd, data, () => close(fd, () => resolve()));
      });
    });
    this.pending.add(done);
    void done.then(() => this.pending.delete(done));
  }

  private readSeen(): { log: Buffer; noted: Set<string> } {
    const file = join(this.dir, SEEN_LOG);
    const empty = { log: Buffer.alloc(0), noted: new Set<string>() };
    if (!existsSync(file)) return empty;
    if (statSync(file).size > MAX_SEEN_LOG) {
      rmSync(file, { force: true });
      return empty;
    }
    return { log: readFileSync(file), noted: new Set() };
  }

  /** Whether `id` is a whole line of seen.log or was noted by this run. */
  private hasSeen(id: string): boolean {
    const { log, noted } = this.seen!;
    if (noted.has(id)) return true;
    const line = `${id}\n`;
    for (let at = log.indexOf(line, 0, 'latin1'); at >= 0; at = log.indexOf(line, at + 1, 'latin1')) {
      if (at === 0 || log[at - 1] === 0x0a) return true;
    }
    return false;
  }

  private entries(): { path: string; size: number; mtimeMs: number }[] {
    return filesIn(this.dir)
      .filter((f) => (f.name.endsWith('.json') || f.name.endsWith('.tar')) && f.stat.isFile())
      .map((f) => ({ path: f.path, size: f.stat.size, mtimeMs: f.stat.mtimeMs }));
  }

  /** How many entries there are and their size. */
  status(): { count: number; bytes: number } {
    const all = this.entries();
    return { count: all.length, bytes: all.reduce((n, f) => n + f.size, 0) };
  }

  /**
   * Removes entries written more than 30 days ago, or all of them (`everything`, for
   * `cache prune --max-size 0`). Each is only a parse saved: the next render writes it again.
   */
  prune(everything: boolean, now = Date.now()): { removed: number; freedBytes: number } {
    let removed = 0;
    let freedBytes = 0;
    for (const f of this.entries()) {
      if (!everything && now - f.mtimeMs <= PRUNE_AGE_MS) continue;
      rmSync(f.path, { force: true });
      removed++;
      freedBytes += f.size;
    }
    if (everything) rmSync(join(this.dir, SEEN_LOG), { force: true });
    return { removed, freedBytes };
  }
}

/**
 * A regular file's bytes when it is exactly `length` bytes long (never through a link planted
 * at its name); undefined when missing, of another size or unreadable.
 */
function readExactly(file: string, length: number): Buffer | undefined {
  const bytes = readRegularFile(file, (size) => size === length, (size) => Buffer.allocUnsafe(size));
  return bytes?.length === length ? bytes : undefined;
}

/**
 * The bytes of `file` read into `buffer(size)` (from its start) when it is a regular file whose
 * size `accept`s, never through a link planted at its name; undefined when it is missing, of
 * another kind or size, or unreadable.
 */
function readRegularFile(file: string, accept: (size: number) => boolean, buffer: (size: number) => Buffer): Buffer | undefined {
  // a miss is the common case of a first load: no exception built for it
  if (!existsSync(file)) return undefined;
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO planted at the name does not wait for a writer (fstat refuses it below)
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || !accept(st.size)) return undefined;
    const buf = buffer(st.size);
    let at = 0;
    for (let n; at < st.size && (n = readSync(fd, buf, at, st.size - at, at)) > 0; at += n);
    return buf.subarray(0, at);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * The archive entry's first line; then one line a text: JSON name, TAB, text length, TAB, tree
 * entry, all ASCII (asciiJson).
 */
const ARCHIVE_ENTRY_HEADER = 'chartaudit archive templates 2';
/** An archive entry larger than this is not read (its texts' entries together). */
const MAX_ARCHIVE_ENTRY = 64 * 1024 * 1024;

/**
 * The parsed templates of one chart archive in one entry, named by the SHA-256 of the
 * archive's digest and the parse identity. Texts are found by file name, their length checked
 * (the digest fixes every file's content). A later render of the archive reads one file instead
 * of one per text ≥ 2 KB, hashes no text and parses not even the short ones. Each text's line
 * is JSON-parsed only when its text is parsed, so the raw arrays die young, text by text (one
 * JSON.parse of the whole entry kept them all alive through the render: slower than per-text
 * entries). Texts the entry lacks go to the per-text entries; once the render has parsed, an
 * entry holding every text is kept by the same seen-once rule (noted at the first render,
 * written at the second).
 */
class ArchiveTemplates implements ParsedTreeStore {
  /** Each text's line in the entry (slices of the file's text): [text length, tree entry JSON]. */
  private entry: Map<string, [number, string]> | null = null;
  private entryId = '';
  /** Every text of this render, by file name: its length and its tree entry's JSON. */
  private readonly texts = new Map<string, { length: number; json: () => string }>();
  private missed = false;
  private scheduled = false;

  constructor(private readonly store: TemplateTreeCache, private readonly digest: string) {}

  get(identity: string, text: string, name: string): unknown {
    this.entry ??= this.read(identity);
    this.schedule();
    const hit = this.entry.get(name);
    if (hit !== undefined && hit[0] === text.length) {
      const json = hit[1];
      this.texts.set(name, { length: text.length, json: () => json });
      return json;
    }
    this.missed = true;
    const json = this.store.get(identity, text);
    if (json !== undefined) this.texts.set(name, { length: text.length, json: () => json });
    return json;
  }

  put(identity: string, text: string, encode: () => string, name: string): void {
    this.missed = true;
    this.schedule();
    let json: string | undefined;
    const once = (): string => (json ??= encode());
    this.texts.set(name, { length: text.length, json: once });
    this.store.put(identity, text, once);
  }

  private read(identity: string): Map<string, [number, string]> {
    this.entryId = `archive-${this.store.hash(identity, this.digest)}`;
    return readLines(this.store.readEntry(join(this.store.dir, `${this.entryId}.json`), MAX_ARCHIVE_ENTRY, 'ascii'), ARCHIVE_ENTRY_HEADER);
  }

  /** Once the render's (synchronous) parse is over: keep an entry of every text when one missed. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      if (!this.missed || this.texts.size === 0) return;
      this.store.keep(this.entryId, () => {
        const lines = [ARCHIVE_ENTRY_HEADER];
        for (const [name, t] of this.texts) lines.push(`${JSON.stringify(name)}\t${t.length}\t${t.json()}`);
        return asciiJson(`${lines.join('\n')}\n`);
      });
    });
  }
}

/** The values entry's first line; then one line a values file: JSON key, TAB, file length, TAB, values as JSON, all ASCII. */
const VALUES_ENTRY_HEADER = 'chartaudit archive values 1';
/** A values entry larger than this is not read. */
const MAX_VALUES_ENTRY = 16 * 1024 * 1024;

declare const __VALUES_BUILD__: string | undefined;
/** What decides a values file's parse besides its bytes: the YAML reader's build (scripts/build.mjs hashes its files). */
const VALUES_BUILD = typeof __VALUES_BUILD__ === 'string' ? __VALUES_BUILD__ : 'source';

/**
 * The values.yaml files of one chart archive in one entry, named by the SHA-256 of the archive's
 * digest and the YAML reader's build. Each file's values are JSON-parsed when its chart is
 * loaded. Values JSON cannot carry (-0) are left out: that file is parsed at every load.
 */
class ArchiveValues implements ParsedValuesStore {
  private entry: Map<string, [number, string]> | null = null;
  private readonly id: string;

  constructor(private readonly store: TemplateTreeCache, digest: string) {
    this.id = `values-${store.hash(VALUES_BUILD, digest)}`;
  }

  get(key: string, length: number): Record<string, unknown> | undefined {
    this.entry ??= this.read();
    const hit = this.entry.get(key);
    if (hit === undefined || hit[0] !== length) return undefined;
    try {
      const values: unknown = JSON.parse(hit[1]);
      if (values !== null && typeof values === 'object' && !Array.isArray(values)) return values as Record<string, unknown>;
    } catch {
      // damaged: parsed afresh, written again
    }
    return undefined;
  }

  put(values: ReadonlyMap<string, ParsedValues>): void {
    this.store.keep(this.id, () => {
      const lines = [VALUES_ENTRY_HEADER];
      for (const [key, v] of values) {
        let negativeZero = false;
        const json = JSON.stringify(v.values, (_, x: unknown) => {
          if (x === 0 && 1 / x < 0) negativeZero = true;
          return x;
        });
        if (!negativeZero) lines.push(`${JSON.stringify(key)}\t${v.length}\t${json}`);
      }
      return asciiJson(`${lines.join('\n')}\n`);
    });
  }

  private read(): Map<string, [number, string]> {
    return readLines(this.store.readEntry(join(this.store.dir, `${this.id}.json`), MAX_VALUES_ENTRY, 'ascii'), VALUES_ENTRY_HEADER);
  }
}

/**
 * The lines of an archive's entry (templates or values files) after its `header` line, by key:
 * JSON key, TAB, the file's length, TAB, the rest of the line (slices of the entry's text).
 * Empty when the entry is missing, of another kind or damaged (then parsed afresh, written again).
 */
function readLines(data: string | undefined, header: string): Map<string, [number, string]> {
  const found = new Map<string, [number, string]>();
  if (data === undefined || !data.startsWith(`${header}\n`)) return found;
  try {
    for (let at = header.length + 1; at < data.length;) {
      let end = data.indexOf('\n', at);
      if (end < 0) end = data.length;
      const tab1 = data.indexOf('\t', at);
      const tab2 = tab1 < 0 ? -1 : data.indexOf('\t', tab1 + 1);
      if (tab2 < 0 || tab2 > end) return new Map();
      const key: unknown = JSON.parse(data.slice(at, tab1));
      const length = Number(data.slice(tab1 + 1, tab2));
      if (typeof key !== 'string' || !Number.isInteger(length)) return new Map();
      found.set(key, [length, data.slice(tab2 + 1, end)]);
      at = end + 1;
    }
  } catch {
    return new Map();
  }
  return found;
}
