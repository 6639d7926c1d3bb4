/**
 * rpm's BerkeleyDB `Packages` file (RHEL/CentOS up to 8, Amazon Linux 2, SLES up to 15 SP2):
 * a BerkeleyDB hash database whose keys are header numbers and whose values are header blobs.
 * Read as go-rpmdb and rpm's own read-only backend (`lib/backend/bdb_ro.c`) read it, from the
 * page layout in BerkeleyDB's `dbinc/db_page.h`:
 *
 * - page 0 is the hash metadata page: magic 0x00061561 at 12 (byte-swapped when the writer had
 *   the other endianness), hash version at 16, page size at 20, encryption at 24, page type 8
 *   at 25, last page number at 32;
 * - every page starts with a 26-byte header: page number at 8, next page at 16, entry count at
 *   20, `hf_offset` at 22 (on overflow pages: the bytes of data on that page), type at 25;
 * - hash pages (type 13, or 2 before BerkeleyDB 4.6) hold an array of 2-byte item offsets after
 *   the header, key and value alternating; an item runs from its offset to the previous item's
 *   offset (the page end for the first). Its first byte is its kind: 1 = the bytes follow
 *   on the page, 3 = off-page: page number at 4 and total length at 8 of a chain of overflow
 *   pages (type 7), each holding `hf_offset` bytes after its header.
 *
 * Every hash page is scanned in file order, as go-rpmdb does (rpm walks the buckets; both see
 * the same items). The record with key 0 is rpm's next-header-number counter, not a package.
 * Bounded: pages are taken only inside the buffer, an overflow page serves one chain once
 * (a cycle or a shared page is a problem, not a loop), declared lengths are checked against the
 * buffer and the blob limit before anything is allocated.
 */
import { DEFAULT_BLOB_LIMITS, ProblemList, type BlobLimits, type BlobReading } from './blobs.js';

const HASH_MAGIC = 0x00061561;
const HASH_MAGIC_SWAPPED = 0x61150600;
const BTREE_MAGIC = 0x00053162;
const BTREE_MAGIC_SWAPPED = 0x62310500;
const PAGE_HEADER = 26;
const PAGE_HASH_UNSORTED = 2;
const PAGE_OVERFLOW = 7;
const PAGE_HASH_META = 8;
const PAGE_HASH = 13;
const ITEM_KEYDATA = 1;
const ITEM_OFFPAGE = 3;

export function isBerkeleyDbHash(buf: Uint8Array): boolean {
  if (buf.length < 16) return false;
  const magic = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(12, true);
  return magic === HASH_MAGIC || magic === HASH_MAGIC_SWAPPED || magic === BTREE_MAGIC || magic === BTREE_MAGIC_SWAPPED;
}

export function readBdbPackages(buf: Buffer, limits: BlobLimits = DEFAULT_BLOB_LIMITS): BlobReading {
  const problems = new ProblemList(limits.maxProblems);
  const fail = (reason: string): BlobReading => ({ blobs: [], problems: [reason] });
  if (buf.length < 512) return fail(`BerkeleyDB file of ${buf.length} bytes is truncated (its metadata page alone is 512)`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = view.getUint32(12, true);
  if (magic === BTREE_MAGIC || magic === BTREE_MAGIC_SWAPPED) return fail('BerkeleyDB btree database: rpm keeps Packages as a hash database');
  if (magic !== HASH_MAGIC && magic !== HASH_MAGIC_SWAPPED) return fail(`not a BerkeleyDB hash database (magic 0x${magic.toString(16)})`);
  const le = magic === HASH_MAGIC;
  const u32 = (at: number) => view.getUint32(at, le);
  const u16 = (at: number) => view.getUint16(at, le);

  const version = u32(16);
  if (version < 8 || version > 10) return fail(`unsupported BerkeleyDB hash version ${version} (8 to 10 are read)`);
  const pageSize = u32(20);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return fail(`invalid BerkeleyDB page size ${pageSize}`);
  if (buf[24] !== 0) return fail(`encrypted BerkeleyDB database (algorithm ${buf[24]}) cannot be read`);
  if (buf[25] !== PAGE_HASH_META) return fail(`BerkeleyDB metadata page has type ${buf[25]}, expected ${PAGE_HASH_META} (hash metadata)`);
  const lastPage = u32(32);
  const pagesInFile = Math.floor(buf.length / pageSize);
  const pageCount = Math.min(lastPage + 1, pagesInFile);
  if (lastPage + 1 > pagesInFile) problems.add(`truncated: the metadata names ${lastPage + 1} pages of ${pageSize} bytes, the file holds ${pagesInFile}`);

  const blobs: Buffer[] = [];
  const usedOverflow = new Set<number>();
  const seenKeys = new Set<string>();
  let tooMany = false;

  const readOverflow = (first: number, total: number, where: string): Buffer | null => {
    if (total === 0 || total > buf.length || total > limits.maxBlobBytes) {
      problems.add(`${where}: off-page item declares ${total} bytes (the file holds ${buf.length}, at most ${limits.maxBlobBytes} read)`);
      return null;
    }
    // Walk the chain first and copy after: a reference to pages already taken costs nothing.
    const segments: number[] = [];
    let got = 0;
    let page = first;
    while (got < total) {
      if (page === 0) {
        problems.add(`${where}: overflow chain ends after ${got} of ${total} bytes`);
        return null;
      }
      if (page >= pageCount) {
        problems.add(`${where}: overflow page ${page} is beyond the ${pageCount} pages of the file`);
        return null;
      }
      if (usedOverflow.has(page)) {
        problems.add(`${where}: overflow page ${page} is reached twice (a cycle or a shared page)`);
        return null;
      }
      usedOverflow.add(page);
      const at = page * pageSize;
      if (buf[at + 25] !== PAGE_OVERFLOW) {
        problems.add(`${where}: page ${page} in an overflow chain has type ${buf[at + 25]}, expected ${PAGE_OVERFLOW}`);
        return null;
      }
      const len = u16(at + 22);
      if (PAGE_HEADER + len > pageSize || len > total - got) {
        problems.add(`${where}: overflow page ${page} declares ${len} bytes (page size ${pageSize}, ${total - got} bytes still expected)`);
        return null;
      }
      segments.push(at + PAGE_HEADER, len);
      got += len;
      page = u32(at + 16);
    }
    const out = Buffer.allocUnsafe(total);
    for (let i = 0, o = 0; i < segments.length; i += 2) {
      buf.copy(out, o, segments[i]!, segments[i]! + segments[i + 1]!);
      o += segments[i + 1]!;
    }
    return out;
  };

  for (let p = 1; p < pageCount && !tooMany; p++) {
    const at = p * pageSize;
    const type = buf[at + 25];
    if (type !== PAGE_HASH && type !== PAGE_HASH_UNSORTED) continue;
    if (u32(at + 8) !== p) {
      problems.add(`page ${p}: its header names page ${u32(at + 8)}`);
      continue;
    }
    const entries = u16(at + 20);
    const indexEnd = PAGE_HEADER + 2 * entries;
    if (entries % 2 !== 0 || indexEnd > pageSize) {
      problems.add(`page ${p}: ${entries} hash entries do not form key/value pairs inside the page`);
      continue;
    }
    const offset = (i: number) => u16(at + PAGE_HEADER + 2 * i);
    for (let i = 0; i + 1 < entries; i += 2) {
      const where = `page ${p} entry ${i / 2}`;
      const keyOff = offset(i);
      const valOff = offset(i + 1);
      const keyEnd = i === 0 ? pageSize : offset(i - 1);
      if (keyOff < indexEnd || keyOff >= keyEnd || keyEnd > pageSize || valOff < indexEnd || valOff >= keyOff) {
        problems.add(`${where}: item offsets ${keyOff}/${valOff} are outside the page's item area`);
        continue;
      }
      // Keys are 4-byte header numbers; 0 is rpm's counter record.
      const keyAt = at + keyOff;
      if (keyEnd - keyOff === 5 && buf[keyAt] === ITEM_KEYDATA && buf.readUInt32LE(keyAt + 1) === 0) continue;
      const valAt = at + valOff;
      let blob: Buffer | null;
      if (buf[valAt] === ITEM_KEYDATA) {
        blob = Buffer.from(buf.subarray(valAt + 1, at + keyOff));
      } else if (buf[valAt] === ITEM_OFFPAGE) {
        if (keyOff - valOff < 12) {
          problems.add(`${where}: off-page item of ${keyOff - valOff} bytes is shorter than 12`);
          continue;
        }
        blob = readOverflow(u32(valAt + 4), u32(valAt + 8), where);
      } else {
        problems.add(`${where}: item kind ${buf[valAt]} is not a package header (duplicates are not used by rpm)`);
        continue;
      }
      if (blob === null) continue;
      const keyText = buf.toString('hex', keyAt, at + keyEnd);
      if (seenKeys.has(keyText)) continue;
      seenKeys.add(keyText);
      if (blobs.length >= limits.maxPackages) {
        problems.add(`more than ${limits.maxPackages} packages: the rest is not read`);
        tooMany = true;
        break;
      }
      blobs.push(blob);
    }
  }
  return { blobs, problems: problems.list() };
}
