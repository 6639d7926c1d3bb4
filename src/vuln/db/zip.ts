/**
 * A bounded zip reader for OSV `all.zip` dumps: reads the central directory (zip64 included),
 * then inflates one entry at a time from the file (node:zlib inflateRaw), so memory holds one
 * entry, never the whole archive decompressed.
 *
 * Refused with an InputError naming the file: not a zip, truncated archives, more than
 * `maxEntries` entries or more than the central directory can hold, names that are absolute or
 * contain `..` (or NUL, or a drive letter), encrypted entries, methods other than stored/deflate,
 * entries that overlap (the overlapping-entry zip bomb; checked on the bytes actually read, after
 * the local header's own name and extra field), entries inflating past `maxEntryBytes` (checked
 * against the declared size and enforced while inflating), compressed sizes no such entry can
 * have, size or CRC-32 mismatches.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import { InputError } from '../../model/errors.js';

export interface ZipLimits {
  /** Largest inflated entry (default 16 MiB). */
  maxEntryBytes?: number;
  /** Most entries (default 2,000,000). */
  maxEntries?: number;
  /** Largest central directory (default 512 MiB). */
  maxCentralDirectoryBytes?: number;
}

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** Where the next entry (or the central directory) starts: reading this entry stops before it. */
  spanEnd: number;
}

const MiB = 1024 * 1024;
const SIG_EOCD = 0x06054b50;
const SIG_Z64_LOCATOR = 0x07064b50;
const SIG_Z64_EOCD = 0x06064b50;
const SIG_CEN = 0x02014b50;
const SIG_LOC = 0x04034b50;

/** Does the file start like a zip (local header, or the end record of an empty zip)? */
export function looksLikeZip(head: Buffer): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}

export class ZipReader {
  private readonly maxEntryBytes: number;
  private cd: Buffer = Buffer.alloc(0);
  /** Offset in `cd` of each entry's central directory header. */
  private positions = new Float64Array(0);
  /** Per entry: the offset of the next entry's local header (or of the central directory). */
  private spanEnds = new Float64Array(0);

  private constructor(
    readonly file: string,
    private readonly fd: number,
    private readonly fileSize: number,
    limits: ZipLimits,
  ) {
    this.maxEntryBytes = limits.maxEntryBytes ?? 16 * MiB;
    this.readCentralDirectory(limits.maxEntries ?? 2_000_000, limits.maxCentralDirectoryBytes ?? 512 * MiB);
  }

  /** Opens and checks the archive's directory. Throws InputError on anything hostile or broken. */
  static open(file: string, limits: ZipLimits = {}): ZipReader {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (e) {
      throw new InputError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
    }
    try {
      return new ZipReader(file, fd, fstatSync(fd).size, limits);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }

  private fail(msg: string): never {
    throw new InputError(`${this.file}: ${msg}`, this.file);
  }

  private read(pos: number, len: number): Buffer {
    if (pos < 0 || len < 0 || pos + len > this.fileSize) this.fail('truncated zip archive (data past the end of the file)');
    const buf = Buffer.allocUnsafe(len);
    let off = 0;
    while (off < len) {
      const n = readSync(this.fd, buf, off, len - off, pos + off);
      if (n === 0) this.fail('truncated zip archive');
      off += n;
    }
    return buf;
  }

  private readCentralDirectory(maxEntries: number, maxCdBytes: number): void {
    const size = this.fileSize;
    if (size < 22) this.fail('not a zip archive (too short)');
    const tailLen = Math.min(size, 22 + 0xffff);
    const tail = this.read(size - tailLen, tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === SIG_EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tailLen) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      const head = this.read(0, Math.min(4, size));
      this.fail(looksLikeZip(head) ? 'truncated zip archive (no end of central directory record)' : 'not a zip archive');
    }
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    const eocdPos = size - tailLen + eocd;
    // zip64: the locator sits right before the end record. Without one the 32-bit values stand, as in
    // Go's archive/zip (an archive of exactly 65,535 entries is not zip64).
    const maybeZip64 = count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff;
    if (maybeZip64 && eocdPos >= 20 && this.read(eocdPos - 20, 4).readUInt32LE(0) === SIG_Z64_LOCATOR) {
      const loc = this.read(eocdPos - 20, 20);
      const z64Pos = Number(loc.readBigUInt64LE(8));
      const z = this.read(z64Pos, 56);
      if (z.readUInt32LE(0) !== SIG_Z64_EOCD) this.fail('corrupt zip64 archive (no zip64 end record)');
      count = Number(z.readBigUInt64LE(32));
      cdSize = Number(z.readBigUInt64LE(40));
      cdOffset = Number(z.readBigUInt64LE(48));
    }
    if (count > maxEntries) this.fail(`too many entries (${count}; the limit is ${maxEntries})`);
    if (cdSize > maxCdBytes) this.fail(`central directory too large (${cdSize} bytes)`);
    if (cdOffset + cdSize > eocdPos) this.fail('truncated zip archive (central directory past the end of the file)');
    // Each central directory header takes at least 46 bytes: a count the directory cannot hold is a
    // lie, refused before the per-entry arrays below are sized by it.
    if (count * 46 > cdSize) this.fail(`corrupt central directory (${count} entries cannot fit in ${cdSize} bytes)`);
    const cd = this.read(cdOffset, cdSize);
    this.cd = cd;
    this.positions = new Float64Array(count);
    this.spanEnds = new Float64Array(count);
    const starts = new Float64Array(count);
    const ends = new Float64Array(count);
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CEN) this.fail('corrupt central directory');
      const len = 46 + cd.readUInt16LE(p + 28) + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
      if (p + len > cd.length) this.fail('corrupt central directory');
      this.positions[i] = p;
      const e = this.entry(i);
      checkName(e.name, (m) => this.fail(m));
      starts[i] = e.localOffset;
      ends[i] = e.localOffset + 30 + cd.readUInt16LE(p + 28) + e.compressedSize;
      p += len;
    }
    // Entries must not overlap each other or the central directory (overlapping-entry bombs).
    const order = new Uint32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    order.sort((a, b) => starts[a]! - starts[b]!);
    let prevEnd = 0;
    let prev = -1;
    for (const i of order) {
      if (starts[i]! < prevEnd) this.fail(`entries ${this.entry(prev).name} and ${this.entry(i).name} overlap (zip bomb?)`);
      if (ends[i]! > cdOffset) this.fail(`entry ${this.entry(i).name} runs into the central directory (truncated or zip bomb?)`);
      if (prev >= 0) this.spanEnds[prev] = starts[i]!;
      prevEnd = ends[i]!;
      prev = i;
    }
    if (prev >= 0) this.spanEnds[prev] = cdOffset;
  }

  /** Number of entries. */
  get count(): number {
    return this.positions.length;
  }

  /** The i-th entry of the central directory (parsed on demand: the directory stays one buffer). */
  entry(i: number): ZipEntry {
    const cd = this.cd;
    const p = this.positions[i]!;
    const flags = cd.readUInt16LE(p + 8);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    let localOffset = cd.readUInt32LE(p + 42);
    const name = cd.subarray(p + 46, p + 46 + nameLen).toString(flags & 0x800 ? 'utf8' : 'latin1');
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      let q = p + 46 + nameLen;
      const end = q + extraLen;
      while (q + 4 <= end) {
        const id = cd.readUInt16LE(q);
        const len = cd.readUInt16LE(q + 2);
        if (id === 0x0001) {
          let r = q + 4;
          const rEnd = Math.min(q + 4 + len, end);
          if (size === 0xffffffff && r + 8 <= rEnd) (size = Number(cd.readBigUInt64LE(r))), (r += 8);
          if (compressedSize === 0xffffffff && r + 8 <= rEnd) (compressedSize = Number(cd.readBigUInt64LE(r))), (r += 8);
          if (localOffset === 0xffffffff && r + 8 <= rEnd) localOffset = Number(cd.readBigUInt64LE(r));
          break;
        }
        q += 4 + len;
      }
    }
    return { name, method: cd.readUInt16LE(p + 10), flags, crc: cd.readUInt32LE(p + 16), compressedSize, size, localOffset, spanEnd: this.spanEnds[i]! };
  }

  *[Symbol.iterator](): IterableIterator<ZipEntry> {
    for (let i = 0; i < this.count; i++) yield this.entry(i);
  }

  /** The inflated content of an entry (checked against the limits, its size and its CRC-32). */
  readEntry(e: ZipEntry): Buffer {
    if (e.flags & 0x1) this.fail(`entry ${e.name} is encrypted`);
    if (e.method !== 0 && e.method !== 8) this.fail(`entry ${e.name} uses unsupported compression method ${e.method}`);
    if (e.size > this.maxEntryBytes) this.fail(`entry ${e.name} inflates past ${this.maxEntryBytes / MiB} MiB (${e.size} bytes; zip bomb?)`);
    // The compressed size is bounded too, before anything is allocated for it: a stored entry is
    // exactly its size, and a deflate stream within deflateBound of the limit.
    const maxCompressed = e.method === 0 ? e.size : deflateBound(this.maxEntryBytes);
    if (e.compressedSize > maxCompressed) this.fail(`entry ${e.name}: compressed size ${e.compressedSize} is impossible for ${e.method === 0 ? `a stored entry of ${e.size} bytes` : `an entry of at most ${this.maxEntryBytes / MiB} MiB`} (corrupt archive or zip bomb?)`);
    const loc = this.read(e.localOffset, 30);
    if (loc.readUInt32LE(0) !== SIG_LOC) this.fail(`entry ${e.name}: bad local header`);
    // The directory checked the span with its own name length; the data starts after the local
    // header's name and extra field, which may differ: what is read must stay in the span too.
    const start = e.localOffset + 30 + loc.readUInt16LE(26) + loc.readUInt16LE(28);
    if (start + e.compressedSize > e.spanEnd) this.fail(`entry ${e.name}: local header shifts its data past the next entry (overlapping entries, zip bomb?)`);
    const raw = this.read(start, e.compressedSize);
    let data: Buffer;
    if (e.method === 0) data = raw;
    else {
      try {
        data = inflateRawSync(raw, { maxOutputLength: this.maxEntryBytes, chunkSize: Math.min(this.maxEntryBytes, Math.max(64, e.size + 64)) });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
          this.fail(`entry ${e.name} inflates past ${this.maxEntryBytes / MiB} MiB (zip bomb?)`);
        }
        this.fail(`entry ${e.name}: corrupt deflate data (${(err as Error).message})`);
      }
    }
    if (data.length !== e.size) this.fail(`entry ${e.name}: inflated to ${data.length} bytes, the directory says ${e.size}`);
    if ((crc32(data) >>> 0) !== e.crc >>> 0) this.fail(`entry ${e.name}: CRC-32 mismatch (corrupt archive)`);
    return data;
  }
}

/**
 * Largest deflate stream accepted for at most `n` inflated bytes: any encoder's worst case for real
 * data (fixed Huffman codes spend at most 9 bits a literal; stored blocks 5 bytes per block) with
 * slack. Longer streams only pad (empty blocks): refused rather than read.
 */
function deflateBound(n: number): number {
  return Math.ceil((n * 9) / 8) + 1024;
}

function checkName(name: string, fail: (m: string) => never): void {
  if (name.includes('\0')) fail(`entry name ${JSON.stringify(name)} contains a NUL byte`);
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) fail(`entry name ${JSON.stringify(name)} is an absolute path`);
  if (name.split(/[\\/]/).includes('..')) fail(`entry name ${JSON.stringify(name)} contains '..'`);
}
