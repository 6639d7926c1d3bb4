/**
 * A bounded zip reader over bytes already in memory, for Java archives found in image layers
 * (src/vuln/db/zip.ts reads OSV dumps from a file descriptor; this one must stay pure: bytes in,
 * entries out, no I/O). It reads the central directory and inflates only the entries asked for.
 *
 * What real jars need: zip64, data descriptors (sizes only in the central directory: `jar` and
 * most build tools write them), stored and deflate entries, and data before the archive (Spring
 * Boot's "fully executable" jars start with a shell script; offsets are then relative to the
 * archive, so they are shifted by where the central directory really is, as Java and Go do).
 *
 * Everything hostile is a {@link ZipFormatError} with a short reason: more entries than the
 * caller allows or than the directory can hold, offsets or sizes past the end, encrypted entries,
 * other methods, entries inflating past their declared size or the caller's limit, ratios no real
 * entry has, CRC mismatches. The caller's {@link InflateBudget} bounds the bytes read out of
 * entries across every archive opened for one file (nested ones included): overlapping entries
 * (the non-recursive zip bomb) cost no more than distinct ones.
 */
import { crc32, inflateRawSync } from 'node:zlib';

/** A problem with the archive or one of its entries; the message is the reason, without a path. */
export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
}

export interface ZipEntry {
  /** As stored (jars use UTF-8 names); directories end with `/`. */
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the local header in the buffer (already shifted by any data before the archive). */
  localOffset: number;
}

/**
 * Bytes still allowed to be read out of entries (inflated, or stored and checked) for one
 * top-level file; shared by every archive nested in it.
 */
export interface InflateBudget {
  remaining: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_Z64_LOCATOR = 0x07064b50;
const SIG_Z64_EOCD = 0x06064b50;
const SIG_CEN = 0x02014b50;
const SIG_LOC = 0x04034b50;
const EOCD_LEN = 22;
const CEN_LEN = 46;
const LOC_LEN = 30;

/**
 * Deflate cannot expand data more than about 1032:1 (a 258-byte match per two bits at best); a
 * larger declared ratio is a lie. Below that, entries over {@link RATIO_CHECK_FROM} bytes with a
 * ratio over {@link MAX_RATIO} are refused as bombs: the entries this reader is asked for
 * (manifests, properties, nested archives, which are compressed already) never come near it.
 */
export const MAX_RATIO = 200;
export const RATIO_CHECK_FROM = 1024 * 1024;

/** Does this look like the start of a zip (local header, or the end record of an empty zip)? */
export function looksLikeZip(head: Buffer): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}

function fail(msg: string): never {
  throw new ZipFormatError(msg);
}

/** The end of central directory record: where the directory is and how many entries it has. */
function findDirectory(buf: Buffer): { count: number; cdSize: number; cdOffset: number; cdEnd: number } {
  if (buf.length < EOCD_LEN) fail(buf.length === 0 ? 'empty file, not a zip archive' : 'not a zip archive (too short)');
  const lowest = Math.max(0, buf.length - EOCD_LEN - 0xffff);
  let eocd = -1;
  for (let i = buf.length - EOCD_LEN; i >= lowest; i--) {
    // The comment length must fit what follows, so a signature inside a comment is not taken.
    if (buf[i] === 0x50 && buf.readUInt32LE(i) === SIG_EOCD && i + EOCD_LEN + buf.readUInt16LE(i + 20) <= buf.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail(looksLikeZip(buf) ? 'truncated zip archive (no end of central directory record)' : 'not a zip archive');
  let count = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  let cdEnd = eocd;
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc >= 0 && buf.readUInt32LE(loc) === SIG_Z64_LOCATOR) {
      // The locator's offset is relative to the archive; with data in front the record sits right
      // before the locator instead (its fixed part is 56 bytes).
      const declared = Number(buf.readBigUInt64LE(loc + 8));
      const candidates = [declared, loc - 56];
      const z = candidates.find((p) => p >= 0 && p + 56 <= loc && buf.readUInt32LE(p) === SIG_Z64_EOCD);
      if (z === undefined) fail('corrupt zip64 archive (no zip64 end record)');
      count = Number(buf.readBigUInt64LE(z + 32));
      cdSize = Number(buf.readBigUInt64LE(z + 40));
      cdOffset = Number(buf.readBigUInt64LE(z + 48));
      cdEnd = z;
    }
  }
  return { count, cdSize, cdOffset, cdEnd };
}

/**
 * The entries of a zip held in `buf` (only those `keep` accepts, when given: a jar of 100,000
 * classes needs a handful of them), and how many the directory lists. Throws ZipFormatError
 * when the directory is broken or lists more than `maxEntries` entries.
 */
export function readZipDirectory(buf: Buffer, maxEntries: number, keep?: (name: string) => boolean): { count: number; entries: ZipEntry[] } {
  const { count, cdSize, cdOffset, cdEnd } = findDirectory(buf);
  if (count > maxEntries) fail(`too many entries (${count}; the limit is ${maxEntries})`);
  if (cdSize > cdEnd) fail('corrupt central directory (larger than the archive)');
  // Each header takes at least 46 bytes: a count the directory cannot hold is a lie, refused
  // before anything is sized by it.
  if (count * CEN_LEN > cdSize) fail(`corrupt central directory (${count} entries cannot fit in ${cdSize} bytes)`);
  // Data in front of the archive shifts every offset by the same amount: the directory is then
  // found where it ends (right before the end record), not where its offset says. Only when no
  // directory starts there is the stated offset tried (bytes between the directory and the end
  // record); the other order would misread a prefixed jar whose stated offset happens to land
  // on a header of a stored nested jar.
  let cdStart = cdEnd - cdSize;
  if (cdStart < cdOffset) fail('truncated zip archive (central directory past the end of the file)');
  const isHeader = (at: number) => at + 4 <= cdEnd && buf.readUInt32LE(at) === SIG_CEN;
  if (cdStart > cdOffset && count > 0 && !isHeader(cdStart) && isHeader(cdOffset)) cdStart = cdOffset;
  const base = cdStart - cdOffset;
  const cdStop = cdStart + cdSize;
  const entries: ZipEntry[] = [];
  let p = cdStart;
  for (let i = 0; i < count; i++) {
    if (p + CEN_LEN > cdStop || buf.readUInt32LE(p) !== SIG_CEN) fail('corrupt central directory');
    const flags = buf.readUInt16LE(p + 8);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const next = p + CEN_LEN + nameLen + extraLen + commentLen;
    if (next > cdStop) fail('corrupt central directory');
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    let localOffset = buf.readUInt32LE(p + 42);
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      // zip64 extended information: only the fields that are 0xffffffff above, in this order.
      let q = p + CEN_LEN + nameLen;
      const end = q + extraLen;
      while (q + 4 <= end) {
        const id = buf.readUInt16LE(q);
        const len = buf.readUInt16LE(q + 2);
        if (id === 0x0001) {
          let r = q + 4;
          const rEnd = Math.min(r + len, end);
          if (size === 0xffffffff && r + 8 <= rEnd) (size = Number(buf.readBigUInt64LE(r))), (r += 8);
          if (compressedSize === 0xffffffff && r + 8 <= rEnd) (compressedSize = Number(buf.readBigUInt64LE(r))), (r += 8);
          if (localOffset === 0xffffffff && r + 8 <= rEnd) localOffset = Number(buf.readBigUInt64LE(r));
          break;
        }
        q += 4 + len;
      }
    }
    const name = buf.toString('utf8', p + CEN_LEN, p + CEN_LEN + nameLen);
    if (keep && !keep(name)) {
      p = next;
      continue;
    }
    entries.push({
      name,
      method: buf.readUInt16LE(p + 10),
      flags,
      crc: buf.readUInt32LE(p + 16),
      compressedSize,
      size,
      localOffset: localOffset + base,
    });
    p = next;
  }
  return { count, entries };
}

/**
 * The content of one entry: a view into `buf` for a stored entry, a new buffer for a deflated
 * one. Refused (ZipFormatError) past `maxBytes`, past the budget (which it spends, stored or
 * deflated), at a ratio
 * no real entry has, or when the bytes do not match the directory (size, CRC-32).
 */
export function readZipEntry(buf: Buffer, e: ZipEntry, maxBytes: number, budget: InflateBudget): Buffer {
  if (e.flags & 0x1) fail('encrypted entry');
  if (e.method !== 0 && e.method !== 8) fail(`unsupported compression method ${e.method}`);
  if (e.size > maxBytes) fail(`entry of ${e.size} bytes is over the limit of ${maxBytes} bytes`);
  if (e.method === 0 && e.compressedSize !== e.size) fail(`stored entry with compressed size ${e.compressedSize} and size ${e.size}`);
  if (e.method === 8 && e.size > 0) {
    if (e.compressedSize === 0) fail('deflated entry without data');
    const ratio = e.size / e.compressedSize;
    if (ratio > 1100 || (e.size >= RATIO_CHECK_FROM && ratio > MAX_RATIO)) {
      fail(`compression ratio ${Math.round(ratio)}:1 (${e.compressedSize} bytes inflating to ${e.size}; zip bomb?)`);
    }
  }
  const lo = e.localOffset;
  if (lo < 0 || lo + LOC_LEN > buf.length) fail('local header past the end of the archive (truncated?)');
  if (buf.readUInt32LE(lo) !== SIG_LOC) fail('bad local header');
  const start = lo + LOC_LEN + buf.readUInt16LE(lo + 26) + buf.readUInt16LE(lo + 28);
  if (start + e.compressedSize > buf.length) fail('entry data past the end of the archive (truncated?)');
  const raw = buf.subarray(start, start + e.compressedSize);
  // Stored entries cost a CRC pass, and directory entries pointing at the same data would repeat it.
  if (e.size > budget.remaining) fail(`reading ${e.size} more bytes would pass the limit on bytes read from entries (zip bomb?)`);
  budget.remaining -= e.size;
  let data: Buffer;
  if (e.method === 0) {
    data = raw;
  } else {
    try {
      // One byte more than declared: a stream longer than its declared size is caught below.
      data = inflateRawSync(raw, { maxOutputLength: e.size + 1, chunkSize: Math.max(64, Math.min(e.size + 1, 1024 * 1024)) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) fail(`inflates past its declared size of ${e.size} bytes`);
      fail(`corrupt deflate data (${(err as Error).message})`);
    }
  }
  if (data.length !== e.size) fail(`inflated to ${data.length} bytes, the directory says ${e.size}`);
  if (crc32(data) >>> 0 !== e.crc >>> 0) fail('CRC-32 mismatch (corrupt entry)');
  return data;
}
