/**
 * rpm's SQLite database (`rpmdb.sqlite`: Fedora 33+, RHEL 9, CBL-Mariner 2, Amazon Linux 2023):
 * the header blobs of table `Packages(hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT
 * NULL)`, read straight from the file's pages (https://www.sqlite.org/fileformat2.html) rather
 * than through a SQLite engine, for three reasons: the analyser stays a pure function of the
 * bytes; rpm leaves its databases in WAL mode (header bytes 18-19 = 2), which SQLite refuses to
 * open from memory (better-sqlite3's `new Database(buffer)` fails with "unable to open database
 * file" on the CBL-Mariner fixture until those bytes are patched); and a hostile schema could make
 * an engine run without bound (a view named Packages over a recursive query), while this reader
 * only follows one table's b-tree pages.
 *
 * What is read: the 100-byte file header (page size, reserved bytes, page count), the schema
 * table on page 1 (to find the root page of `Packages`), then that table's b-tree: interior
 * pages (type 5: child page numbers) and leaf pages (type 13: cells of payload size, rowid,
 * the local part of the record and, when it spills, the first overflow page). Records are
 * decoded from their serial types; the `blob` column is the second. A write-ahead log beside the
 * file is not applied (the caller reports it).
 *
 * Bounded: a page is visited at most once for the whole file (a b-tree or overflow cycle is a
 * problem, not a loop), so the work and the bytes copied stay within the file's size.
 */
import { DEFAULT_BLOB_LIMITS, ProblemList, type BlobLimits, type BlobReading } from './blobs.js';

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const PAGE_INTERIOR_TABLE = 5;
const PAGE_LEAF_TABLE = 13;

export function isSqlite(buf: Uint8Array): boolean {
  return buf.length >= 16 && Buffer.from(buf.buffer, buf.byteOffset, 16).equals(MAGIC);
}

class Corrupt extends Error {}

interface Varint {
  value: number;
  next: number;
}

/** A SQLite varint (1 to 9 bytes, big-endian 7-bit groups, the 9th byte whole) at `at`, below `end`. */
function varint(buf: Buffer, at: number, end: number): Varint {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    if (at + i >= end) throw new Corrupt(`varint at ${at} runs past its cell`);
    const b = buf[at + i]!;
    if (i === 8) return { value: value * 256 + b, next: at + 9 };
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) return { value, next: at + i + 1 };
  }
  throw new Corrupt('unreachable');
}

type Value = null | number | Buffer | string;

/** Size in bytes of a value of serial type `t` (https://www.sqlite.org/fileformat2.html#record_format). */
function serialSize(t: number): number {
  if (t <= 4) return t;
  if (t === 5) return 6;
  if (t === 6 || t === 7) return 8;
  if (t === 8 || t === 9) return 0;
  if (t === 10 || t === 11) throw new Corrupt(`reserved serial type ${t}`);
  return Math.floor((t - 12) / 2);
}

function decodeValue(rec: Buffer, t: number, at: number): Value {
  const size = serialSize(t);
  if (at + size > rec.length) throw new Corrupt(`record value of ${size} bytes runs past the record`);
  if (t === 0) return null;
  if (t === 8) return 0;
  if (t === 9) return 1;
  if (t <= 6) return size === 8 ? Number(rec.readBigInt64BE(at)) : rec.readIntBE(at, size);
  if (t === 7) return rec.readDoubleBE(at);
  const bytes = rec.subarray(at, at + size);
  return t % 2 === 0 ? bytes : bytes.toString('utf8');
}

/** The values of a record's first `want` columns. */
function decodeRecord(rec: Buffer, want: number): Value[] {
  const head = varint(rec, 0, rec.length);
  if (head.value > rec.length || head.value < head.next) throw new Corrupt(`record header of ${head.value} bytes does not fit a ${rec.length}-byte record`);
  const types: number[] = [];
  for (let at = head.next; at < head.value && types.length < want; ) {
    const t = varint(rec, at, head.value);
    types.push(t.value);
    at = t.next;
  }
  const values: Value[] = [];
  let at = head.value;
  for (const t of types) {
    values.push(decodeValue(rec, t, at));
    at += serialSize(t);
  }
  return values;
}

export function readSqlitePackages(buf: Buffer, limits: BlobLimits = DEFAULT_BLOB_LIMITS): BlobReading {
  const fail = (reason: string): BlobReading => ({ blobs: [], problems: [reason] });
  if (buf.length < 100) return fail(`SQLite file of ${buf.length} bytes is truncated (its header alone is 100)`);
  if (!isSqlite(buf)) return fail('not a SQLite database (no "SQLite format 3" magic)');
  const rawSize = buf.readUInt16BE(16);
  const pageSize = rawSize === 1 ? 65536 : rawSize;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return fail(`invalid SQLite page size ${rawSize}`);
  if (buf[19]! > 2) return fail(`SQLite file format read version ${buf[19]} is not supported (1 and 2 are read)`);
  const usable = pageSize - buf[20]!;
  if (usable < 480) return fail(`SQLite usable page size ${usable} is below 480`);
  const problems = new ProblemList(limits.maxProblems);
  const pagesInFile = Math.floor(buf.length / pageSize);
  // The header's page count is valid only when its change counter matches the version-valid-for field.
  const declared = buf.readUInt32BE(24) === buf.readUInt32BE(92) ? buf.readUInt32BE(28) : 0;
  let pageCount = pagesInFile;
  if (declared > 0) {
    if (declared > pagesInFile) problems.add(`truncated: the header names ${declared} pages of ${pageSize} bytes, the file holds ${pagesInFile}`);
    pageCount = Math.min(declared, pagesInFile);
  }
  if (pageCount < 1) return fail(`truncated: no complete ${pageSize}-byte page`);

  const visited = new Set<number>();
  const takePage = (n: number, what: string): number => {
    if (!Number.isInteger(n) || n < 1 || n > pageCount) throw new Corrupt(`${what} page ${n} is outside the file's ${pageCount} pages`);
    if (visited.has(n)) throw new Corrupt(`${what} page ${n} is reached twice (a cycle or a shared page)`);
    visited.add(n);
    return (n - 1) * pageSize;
  };

  /** The whole payload of a leaf cell: its local part and, when it spills, its overflow chain. */
  const payload = (page: number, cellAt: number, pageEnd: number): Buffer => {
    const size = varint(buf, cellAt, pageEnd);
    const rowid = varint(buf, size.next, pageEnd);
    const total = size.value;
    if (total > buf.length || total > limits.maxBlobBytes) throw new Corrupt(`page ${page}: a cell declares ${total} payload bytes (the file holds ${buf.length}, at most ${limits.maxBlobBytes} read)`);
    const maxLocal = usable - 35;
    let local = total;
    if (total > maxLocal) {
      const minLocal = Math.floor(((usable - 12) * 32) / 255) - 23;
      const k = minLocal + ((total - minLocal) % (usable - 4));
      local = k <= maxLocal ? k : minLocal;
    }
    const start = rowid.next;
    if (start + local + (local < total ? 4 : 0) > pageEnd) throw new Corrupt(`page ${page}: a cell's payload runs past the page`);
    if (local === total) return Buffer.from(buf.subarray(start, start + total));
    const out = Buffer.alloc(total);
    buf.copy(out, 0, start, start + local);
    let got = local;
    let next = buf.readUInt32BE(start + local);
    while (got < total) {
      if (next === 0) throw new Corrupt(`page ${page}: overflow chain ends after ${got} of ${total} bytes`);
      const at = takePage(next, 'overflow');
      const n = Math.min(usable - 4, total - got);
      buf.copy(out, got, at + 4, at + 4 + n);
      got += n;
      next = buf.readUInt32BE(at);
    }
    return out;
  };

  /** Calls `row` with each record of the table b-tree rooted at `root`, in rowid order. */
  const walkTable = (root: number, row: (record: Buffer) => boolean): void => {
    const stack = [root];
    while (stack.length > 0) {
      const page = stack.pop()!;
      const base = takePage(page, 'b-tree');
      const hdr = page === 1 ? base + 100 : base;
      const pageEnd = base + usable;
      const type = buf[hdr];
      if (type !== PAGE_INTERIOR_TABLE && type !== PAGE_LEAF_TABLE) throw new Corrupt(`page ${page} has type ${type}, expected a table b-tree page`);
      const cells = buf.readUInt16BE(hdr + 3);
      const headerSize = type === PAGE_INTERIOR_TABLE ? 12 : 8;
      const pointers = hdr + headerSize;
      if (pointers + 2 * cells > pageEnd) throw new Corrupt(`page ${page}: ${cells} cells do not fit in the page`);
      const cellAt = (i: number): number => {
        const off = buf.readUInt16BE(pointers + 2 * i);
        if (base + off < pointers + 2 * cells || base + off >= pageEnd) throw new Corrupt(`page ${page}: cell ${i} at ${off} is outside the cell area`);
        return base + off;
      };
      if (type === PAGE_INTERIOR_TABLE) {
        // Children left to right: pushed in reverse so the leftmost is read first.
        stack.push(buf.readUInt32BE(hdr + 8));
        for (let i = cells - 1; i >= 0; i--) {
          const at = cellAt(i);
          if (at + 4 > pageEnd) throw new Corrupt(`page ${page}: cell ${i} is truncated`);
          stack.push(buf.readUInt32BE(at));
        }
      } else {
        for (let i = 0; i < cells; i++) {
          if (!row(payload(page, cellAt(i), pageEnd))) return;
        }
      }
    }
  };

  let root: number | null = null;
  try {
    walkTable(1, (rec) => {
      const [type, name, , rootpage] = decodeRecord(rec, 4);
      if (type === 'table' && typeof name === 'string' && name.toLowerCase() === 'packages' && typeof rootpage === 'number') {
        root = rootpage;
        return false;
      }
      return true;
    });
  } catch (e) {
    if (e instanceof Corrupt || e instanceof RangeError) return fail(`schema: ${e.message}`);
    throw e;
  }
  if (root === null) return fail('no Packages table in the SQLite schema');
  const packagesRoot: number = root;

  const blobs: Buffer[] = [];
  let rows = 0;
  try {
    walkTable(packagesRoot, (rec) => {
      rows++;
      const [, blob] = decodeRecord(rec, 2);
      if (!Buffer.isBuffer(blob)) {
        problems.add(`Packages row ${rows}: the blob column holds ${blob === null ? 'NULL' : typeof blob}, not a blob`);
        return true;
      }
      if (blobs.length >= limits.maxPackages) {
        problems.add(`more than ${limits.maxPackages} packages: the rest is not read`);
        return false;
      }
      blobs.push(blob);
      return true;
    });
  } catch (e) {
    // RangeError: a read the checks above did not foresee still lands here, never outside.
    if (!(e instanceof Corrupt || e instanceof RangeError)) throw e;
    problems.add(`Packages table: ${e.message}; ${blobs.length} rows read before it`);
  }
  return { blobs, problems: problems.list() };
}
