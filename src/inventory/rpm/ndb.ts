/**
 * rpm's NDB `Packages.db` (SUSE since SLE 15 SP3 / Leap 15.3), as rpm writes it in
 * `lib/backend/ndb/rpmpkg.c` (all integers little-endian):
 *
 * - a 32-byte header: magic `RpmP`, format version 0, generation, number of 4 KiB slot pages;
 * - the slot pages follow from offset 0 (the header takes the first two 16-byte slots): slots
 *   `{magic 'Slot', package index, block offset, block count}`, blocks of 16 bytes, a block
 *   offset of 0 marking a free slot;
 * - each used slot points at a blob: `{magic 'BlbS', package index, timestamp, length}`, the
 *   header blob, zero padding, then a 12-byte tail `{adler32, length, magic 'BlbE'}`, the
 *   Adler-32 covering everything before the tail.
 *
 * Checked as rpm checks it (magics, package index, block count against the length, Adler-32),
 * and a blob that overlaps another is refused, so the work stays within the file's size however
 * many slots point at the same bytes.
 */
import { DEFAULT_BLOB_LIMITS, ProblemList, type BlobLimits, type BlobReading } from './blobs.js';

const HEADER_MAGIC = 0x506d7052; // 'RpmP'
const SLOT_MAGIC = 0x746f6c53; // 'Slot'
const BLOB_MAGIC = 0x53626c42; // 'BlbS'
const TAIL_MAGIC = 0x45626c42; // 'BlbE'
const PAGE = 4096;
const SLOT = 16;
const BLOCK = 16;
const BLOB_HEAD = 16;
const BLOB_TAIL = 12;
/**
 * 256 slot pages are 65,534 slots; a database of 3,000 packages (a full SLES host) uses 12.
 * go-rpmdb allows 2,048.
 */
export const MAX_SLOT_PAGES = 256;

export function isNdb(buf: Uint8Array): boolean {
  return buf.length >= 4 && new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(0, true) === HEADER_MAGIC;
}

/** Adler-32 (RFC 1950). */
export function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; ) {
    const end = Math.min(i + 5552, data.length);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

export function readNdbPackages(buf: Buffer, limits: BlobLimits = DEFAULT_BLOB_LIMITS): BlobReading {
  const fail = (reason: string): BlobReading => ({ blobs: [], problems: [reason] });
  if (buf.length < 32) return fail(`NDB file of ${buf.length} bytes is truncated (its header alone is 32)`);
  const u32 = (at: number) => buf.readUInt32LE(at);
  if (u32(0) !== HEADER_MAGIC) return fail('not an NDB database (no RpmP magic)');
  if (u32(4) !== 0) return fail(`unsupported NDB format version ${u32(4)} (0 is read)`);
  const slotPages = u32(12);
  if (slotPages === 0 || slotPages > MAX_SLOT_PAGES) return fail(`NDB header declares ${slotPages} slot pages (1 to ${MAX_SLOT_PAGES} allowed)`);
  if (slotPages * PAGE > buf.length) return fail(`truncated: ${slotPages} slot pages of ${PAGE} bytes do not fit in the ${buf.length}-byte file`);

  const problems = new ProblemList(limits.maxProblems);
  const fileBlocks = Math.floor(buf.length / BLOCK);
  const firstDataBlock = (slotPages * PAGE) / BLOCK;
  // Used slots as parallel arrays: up to 65,534 of them, without an object each.
  const maxSlots = (slotPages * PAGE) / SLOT;
  const slotNo = new Uint32Array(maxSlots);
  const pkgOf = new Uint32Array(maxSlots);
  const offOf = new Uint32Array(maxSlots);
  const countOf = new Uint32Array(maxSlots);
  let used = 0;
  for (let s = 2; s < maxSlots; s++) {
    const at = s * SLOT;
    if (u32(at) !== SLOT_MAGIC) return { blobs: [], problems: [`slot ${s} has no Slot magic: the slot pages are damaged`] };
    const off = u32(at + 8);
    if (off === 0) continue;
    const pkg = u32(at + 4);
    const count = u32(at + 12);
    if (pkg === 0 || count === 0 || off < firstDataBlock) {
      problems.add(`slot ${s}: package ${pkg} at block ${off} (${count} blocks) is not a valid entry`);
      continue;
    }
    if (off + count > fileBlocks) {
      problems.add(`slot ${s}: package ${pkg} runs to block ${off + count}, past the ${fileBlocks} blocks of the file (truncated)`);
      continue;
    }
    slotNo[used] = s;
    pkgOf[used] = pkg;
    offOf[used] = off;
    countOf[used] = count;
    used++;
  }

  // No two blobs may share bytes: that bounds the reading to one pass over the file.
  const byOffset = new Uint32Array(used).map((_, i) => i).sort((a, b) => offOf[a]! - offOf[b]! || a - b);
  const refused = new Uint8Array(used);
  let end = 0;
  for (const i of byOffset) {
    if (offOf[i]! < end) {
      problems.add(`slot ${slotNo[i]}: package ${pkgOf[i]} overlaps another package's blocks`);
      refused[i] = 1;
    } else {
      end = offOf[i]! + countOf[i]!;
    }
  }

  const blobs: Buffer[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < used; i++) {
    if (refused[i]) continue;
    const s = { slot: slotNo[i]!, pkg: pkgOf[i]!, off: offOf[i]!, count: countOf[i]! };
    if (seen.has(s.pkg)) {
      problems.add(`slot ${s.slot}: package ${s.pkg} is listed twice`);
      continue;
    }
    seen.add(s.pkg);
    const where = `package ${s.pkg}`;
    const start = s.off * BLOCK;
    const stop = (s.off + s.count) * BLOCK;
    if (s.count * BLOCK < BLOB_HEAD + BLOB_TAIL || u32(start) !== BLOB_MAGIC || u32(start + 4) !== s.pkg) {
      problems.add(`${where}: no blob header at block ${s.off}`);
      continue;
    }
    const length = u32(start + 12);
    if (Math.ceil((BLOB_HEAD + length + BLOB_TAIL) / BLOCK) !== s.count) {
      problems.add(`${where}: blob length ${length} does not match its ${s.count} blocks`);
      continue;
    }
    if (length > limits.maxBlobBytes) {
      problems.add(`${where}: blob of ${length} bytes, more than the ${limits.maxBlobBytes} read`);
      continue;
    }
    const tail = stop - BLOB_TAIL;
    if (u32(tail + 8) !== TAIL_MAGIC || u32(tail + 4) !== length) {
      problems.add(`${where}: blob tail is damaged`);
      continue;
    }
    if (adler32(buf.subarray(start, tail)) !== u32(tail)) {
      problems.add(`${where}: Adler-32 checksum mismatch (the blob is corrupt)`);
      continue;
    }
    if (blobs.length >= limits.maxPackages) {
      problems.add(`more than ${limits.maxPackages} packages: the rest is not read`);
      break;
    }
    blobs.push(Buffer.from(buf.subarray(start + BLOB_HEAD, start + BLOB_HEAD + length)));
  }
  return { blobs, problems: problems.list() };
}
