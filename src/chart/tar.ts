/**
 * Incremental tar reader: bytes are pushed in as gunzip produces them, entries come out
 * through a handler. It reads what Go's archive/tar reads (which is what helm uses):
 * V7, USTAR (with prefix), GNU (long names 'L'/'K'), PAX 'x' headers (path, linkpath, size)
 * and PAX 'g' headers (reported as an entry, not applied), base-256 numbers, both checksum
 * flavours, end of archive at two zero blocks, and Go's error cases and their messages.
 * Sparse files are refused (Go expands them; no chart needs them).
 * Image layers use the same reader with streamed entry data (`TarHandler.data`), so entry
 * contents are never allocated by a header's size.
 */
import { ChartLoadError } from './load-error.js';

const BLOCK = 512;
/** Go's maxSpecialFileSize: PAX and GNU long-name payloads. */
const MAX_SPECIAL = 1 << 20;

export const ERR_HEADER = 'archive/tar: invalid tar header';
export const ERR_FIELD_TOO_LONG = 'archive/tar: header field too long';
export const ERR_UNEXPECTED_EOF = 'unexpected EOF';

export interface TarHeader {
  /** Entry name after prefix / GNU long name / PAX path. */
  name: string;
  linkname: string;
  /** The typeflag character ('0', '2', '5', 'g', …; '\0' is normalised to '0' or '5' like Go). */
  typeflag: string;
  /** Size from the header (PAX size wins). */
  size: number;
  mode: number;
  /** Bytes of data that follow in the archive (0 for header-only types: links, devices, dirs, fifos). */
  dataSize: number;
}

export interface TarHandler {
  /**
   * A header was read. Return a buffer of `hdr.dataSize` bytes to receive the data, or null to
   * skip it. May throw (a ChartLoadError) to stop reading.
   */
  entry(hdr: TarHeader): Buffer | null;
  /** All data of the entry for which `entry` returned a buffer has arrived. */
  entryDone(hdr: TarHeader, data: Buffer): void;
  /**
   * Optional streaming: when `entry` returned null, the entry's data arrives here in slices
   * of the input (never a buffer sized by the header), then `dataEnd` is called.
   */
  data?(chunk: Buffer): void;
  dataEnd?(hdr: TarHeader): void;
}

export interface TarParserOptions {
  /** Names the input in refusals ("sparse files are not accepted in <what>"). */
  what?: string;
  /**
   * An entry's data that lies whole in one input chunk reaches `entryDone` as a view of that
   * chunk, not copied into the buffer `entry` returned (which is then left unused). For inputs
   * whose data is all kept anyway (a chart archive): no copy, no second set of pages. Never
   * for image layers: a small file kept would hold its whole chunk.
   */
  views?: boolean;
}

type State = 'header' | 'data' | 'pad' | 'special' | 'done';

const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);

function isZeroBlock(b: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

/** Go's parseString of b[start, end): up to the first NUL, bytes read as UTF-8 (Go strings are bytes; names are shown as UTF-8). */
function parseString(b: Buffer, start = 0, end = b.length): string {
  const nul = b.indexOf(0, start);
  return b.toString('utf8', start, nul >= 0 && nul < end ? nul : end);
}

/**
 * Header fields are read in place, by offsets into the block: a Buffer view per field cost
 * more than the parsing (a chart archive has a header per file, read in code that runs cold).
 */
class NumParser {
  err = false;

  /** Go's parseOctal of b[start, end). */
  octal(b: Buffer, start: number, end: number): number {
    // Fast path: optional leading spaces/NULs, up to 15 octal digits, trailing spaces/NULs.
    let i = start;
    while (i < end && (b[i] === 0x20 || b[i] === 0)) i++;
    let v = 0;
    let digits = 0;
    while (i < end && b[i]! >= 0x30 && b[i]! <= 0x37 && digits < 15) {
      v = v * 8 + (b[i]! - 0x30);
      i++;
      digits++;
    }
    let j = i;
    while (j < end && (b[j] === 0x20 || b[j] === 0)) j++;
    if (j === end && (digits > 0 || i === end)) {
      // Go's parseString stops at the first NUL: digits after a NUL inside the field are ignored.
      return v;
    }
    if (j < end && b[i] === 0 && digits > 0) {
      // A NUL followed by more bytes: Go trims only the ends and cuts at the first NUL.
      return v;
    }
    return this.octalSlow(b, start, end);
  }

  private octalSlow(b: Buffer, start: number, end: number): number {
    let s = start;
    let e = end;
    while (s < e && (b[s] === 0x20 || b[s] === 0)) s++;
    while (e > s && (b[e - 1] === 0x20 || b[e - 1] === 0)) e--;
    if (s === e) return 0;
    const text = parseString(b, s, e);
    if (!/^[0-7]+$/.test(text)) {
      this.err = true;
      return 0;
    }
    const v = BigInt('0o' + text);
    if (v > 0xffffffffffffffffn) {
      this.err = true;
      return 0;
    }
    // Go keeps the low 64 bits as int64; sizes that large are refused by the limits anyway.
    return Number(BigInt.asIntN(64, v));
  }

  /** Go's parseNumeric of b[start, end): base-256 when the first byte's high bit is set, else octal. */
  numeric(b: Buffer, start: number, end: number): number {
    if (end > start && (b[start]! & 0x80) !== 0) {
      const inv = (b[start]! & 0x40) !== 0 ? 0xff : 0;
      let x = 0n;
      for (let i = start; i < end; i++) {
        let c = b[i]! ^ inv;
        if (i === start) c &= 0x7f;
        if (x >> 56n > 0n) {
          this.err = true;
          return 0;
        }
        x = (x << 8n) | BigInt(c);
      }
      if (x >> 63n > 0n) {
        this.err = true;
        return 0;
      }
      return inv === 0xff ? Number(-x - 1n) : Number(x);
    }
    return this.octal(b, start, end);
  }
}

/**
 * The block's unsigned byte sum with the checksum field (148–155) read as spaces. Four bytes
 * a step where the block is 4-byte aligned: two 16-bit lanes of byte pairs, each at most
 * 128 × 510 < 2^16, so no lane carries into the other.
 */
function unsignedSum(blk: Buffer): number {
  let sum = 0;
  if ((blk.byteOffset & 3) === 0) {
    const words = new Uint32Array(blk.buffer, blk.byteOffset, BLOCK / 4);
    let lanes = 0;
    for (let i = 0; i < BLOCK / 4; i++) {
      const w = words[i]!;
      lanes += (w & 0x00ff00ff) + ((w >>> 8) & 0x00ff00ff);
    }
    sum = (lanes & 0xffff) + (lanes >>> 16);
  } else {
    for (let i = 0; i < BLOCK; i++) sum += blk[i]!;
  }
  for (let i = 148; i < 156; i++) sum += 0x20 - blk[i]!;
  return sum;
}

/** The block's sum of bytes as signed chars, the checksum field read as spaces (old tars). */
function signedSum(blk: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 0x20 : blk[i]!;
    sum += c >= 0x80 ? c - 256 : c;
  }
  return sum;
}

/** Whether b[at…] holds the ASCII text `s`. */
function holds(b: Buffer, at: number, s: string): boolean {
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

type Format = 'unknown' | 'v7' | 'ustar' | 'gnu' | 'star';

function getFormat(blk: Buffer): Format {
  const p = new NumParser();
  const value = p.octal(blk, 148, 156);
  if (p.err || (value !== unsignedSum(blk) && value !== signedSum(blk))) return 'unknown';
  if (holds(blk, 257, 'ustar\0')) return holds(blk, 508, 'tar\0') ? 'star' : 'ustar';
  if (holds(blk, 257, 'ustar  \0')) return 'gnu';
  return 'v7';
}

/** Parses one PAX payload ("%d %s=%s\n" records) like Go's parsePAX; throws ERR_HEADER when malformed. */
export function parsePaxRecords(buf: Buffer, what = 'a chart archive'): Map<string, string> {
  const out = new Map<string, string>();
  // Record lengths count bytes: work on the byte buffer.
  let rest = buf;
  while (rest.length > 0) {
    const sp = rest.indexOf(0x20);
    if (sp <= 0) throw new ChartLoadError(ERR_HEADER);
    const lenStr = rest.toString('latin1', 0, sp);
    if (!/^[0-9]+$/.test(lenStr)) throw new ChartLoadError(ERR_HEADER);
    const n = Number(lenStr);
    if (n <= sp || n > rest.length) throw new ChartLoadError(ERR_HEADER);
    const rec = rest.subarray(sp + 1, n);
    rest = rest.subarray(n);
    if (rec.length === 0 || rec[rec.length - 1] !== 0x0a) throw new ChartLoadError(ERR_HEADER);
    const kv = rec.subarray(0, rec.length - 1);
    const eq = kv.indexOf(0x3d);
    if (eq < 0) throw new ChartLoadError(ERR_HEADER);
    const key = kv.toString('utf8', 0, eq);
    const value = kv.toString('utf8', eq + 1);
    if (key === '' || key.includes('=')) throw new ChartLoadError(ERR_HEADER);
    if (['path', 'linkpath', 'uname', 'gname'].includes(key) && value.includes('\0')) {
      throw new ChartLoadError(ERR_HEADER);
    }
    if (key.startsWith('GNU.sparse.')) {
      throw new ChartLoadError(`unsupported tar entry: sparse files are not accepted in ${what}`);
    }
    out.set(key, value);
  }
  return out;
}

export class TarParser {
  private state: State = 'header';
  private readonly blk = Buffer.alloc(BLOCK);
  private blkFill = 0;
  /** One zero block seen, waiting for the second. */
  private zeroSeen = false;

  private cur: TarHeader | null = null;
  private target: Buffer | null = null;
  private remaining = 0;
  private filled = 0;
  private pad = 0;

  private special: { kind: string; buf: Buffer; hdr: TarHeader } | null = null;
  /** The current entry's data goes to `handler.data`. */
  private streaming = false;
  private pax: Map<string, string> | null = null;
  private gnuLongName = '';
  private gnuLongLink = '';
  /** Bytes consumed before the current chunk, and up to the end of the last header block. */
  private base = 0;
  private headerEnd = 0;
  private readonly what: string;

  constructor(
    private readonly handler: TarHandler,
    opts: TarParserOptions = {},
  ) {
    this.what = opts.what ?? 'a chart archive';
    this.views = opts.views === true;
  }

  private readonly views: boolean;

  get done(): boolean {
    return this.state === 'done';
  }

  /** Offset in the input where the data of the entry last reported by `entry` starts. */
  get dataOffset(): number {
    return this.headerEnd;
  }

  /** Feeds bytes; returns the number consumed (less than the chunk only once the archive has ended). */
  write(chunk: Buffer): number {
    let off = 0;
    while (off < chunk.length && this.state !== 'done') {
      switch (this.state) {
        case 'header': {
          if (this.blkFill === 0 && chunk.length - off >= BLOCK) {
            // a whole header block in this chunk: read in place
            off += BLOCK;
            this.headerEnd = this.base + off;
            this.onBlock(chunk.subarray(off - BLOCK, off));
            break;
          }
          const take = Math.min(BLOCK - this.blkFill, chunk.length - off);
          chunk.copy(this.blk, this.blkFill, off, off + take);
          this.blkFill += take;
          off += take;
          if (this.blkFill === BLOCK) {
            this.blkFill = 0;
            this.headerEnd = this.base + off;
            this.onBlock(this.blk);
          }
          break;
        }
        case 'data':
        case 'special': {
          const take = Math.min(this.remaining, chunk.length - off);
          if (this.state === 'special') {
            chunk.copy(this.special!.buf, this.filled, off, off + take);
          } else if (this.target && this.views && this.filled === 0 && take === this.remaining) {
            this.target = chunk.subarray(off, off + take);
          } else if (this.target) {
            chunk.copy(this.target, this.filled, off, off + take);
          } else if (this.streaming && take > 0) {
            this.handler.data!(chunk.subarray(off, off + take));
          }
          this.filled += take;
          this.remaining -= take;
          off += take;
          if (this.remaining === 0) this.finishPayload();
          break;
        }
        case 'pad': {
          const take = Math.min(this.pad, chunk.length - off);
          this.pad -= take;
          off += take;
          if (this.pad === 0) this.state = 'header';
          break;
        }
      }
    }
    this.base += off;
    return off;
  }

  /**
   * For seekable input: while the data of an entry whose `entry` returned null is pending,
   * skip it and its padding without reading them; returns how many bytes the caller must seek
   * past (0 when no entry data is pending). `dataEnd` is not called for a skipped entry.
   */
  skipEntryData(): number {
    if (this.state !== 'data' || this.target !== null) return 0;
    const n = this.remaining + this.pad;
    this.remaining = 0;
    this.pad = 0;
    this.cur = null;
    this.streaming = false;
    this.state = 'header';
    this.base += n;
    return n;
  }

  /**
   * The input ended cleanly (gzip stream complete). Go's reader treats an end at a block
   * boundary, after one zero block, or inside padding as the end of the archive, and a
   * partial header or missing file data as "unexpected EOF".
   */
  end(): void {
    if (this.state === 'done') return;
    if (this.state === 'header' && this.blkFill === 0) {
      this.state = 'done';
      return;
    }
    if (this.state === 'pad') {
      this.state = 'done';
      return;
    }
    throw new ChartLoadError(ERR_UNEXPECTED_EOF);
  }

  private sparseRefusal(): ChartLoadError {
    return new ChartLoadError(`unsupported tar entry: sparse files are not accepted in ${this.what}`);
  }

  private onBlock(blk: Buffer): void {
    if (this.zeroSeen) {
      if (isZeroBlock(blk)) {
        this.state = 'done';
        return;
      }
      throw new ChartLoadError(ERR_HEADER);
    }
    if (isZeroBlock(blk)) {
      this.zeroSeen = true;
      return;
    }
    const format = getFormat(blk);
    if (format === 'unknown') throw new ChartLoadError(ERR_HEADER);
    const p = new NumParser();
    let typeflag = String.fromCharCode(blk[156]!);
    let name = parseString(blk, 0, 100);
    const linkname = parseString(blk, 157, 257);
    let size = p.numeric(blk, 124, 136);
    const mode = p.numeric(blk, 100, 108);
    p.numeric(blk, 108, 116); // uid
    p.numeric(blk, 116, 124); // gid
    p.numeric(blk, 136, 148); // mtime
    if (format !== 'v7') {
      p.numeric(blk, 329, 337); // devmajor
      p.numeric(blk, 337, 345); // devminor
      let prefix = '';
      if (format === 'ustar') prefix = parseString(blk, 345, 500);
      else if (format === 'star') prefix = parseString(blk, 345, 476);
      else if (format === 'gnu') {
        const p2 = new NumParser();
        if (blk[345] !== 0) p2.numeric(blk, 345, 357);
        if (blk[357] !== 0) p2.numeric(blk, 357, 369);
        if (p2.err) {
          const s = parseString(blk, 345, 500);
          if (/^[\x00-\x7f]*$/.test(s)) prefix = s;
        }
      }
      if (prefix.length > 0) name = prefix + '/' + name;
    }
    if (p.err) throw new ChartLoadError(ERR_HEADER);

    const hdr: TarHeader = { name, linkname, typeflag, size, mode, dataSize: 0 };
    if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K') {
      if (size < 0) throw new ChartLoadError(ERR_HEADER);
      if (size > MAX_SPECIAL) throw new ChartLoadError(ERR_FIELD_TOO_LONG);
      this.special = { kind: typeflag, buf: Buffer.alloc(size), hdr };
      this.startPayload(size, 'special');
      return;
    }
    if (typeflag === 'S') throw this.sparseRefusal();

    // A file-like entry: apply the pending PAX and GNU meta headers.
    if (this.pax) {
      for (const [k, v] of this.pax) {
        if (k === 'path') hdr.name = v;
        else if (k === 'linkpath') hdr.linkname = v;
        else if (k === 'size') {
          if (!/^[+-]?[0-9]+$/.test(v)) throw new ChartLoadError(ERR_HEADER);
          const n = BigInt(v);
          if (n > 0x7fffffffffffffffn || n < -0x8000000000000000n) throw new ChartLoadError(ERR_HEADER);
          hdr.size = Number(n);
        } else if (k === 'uid' || k === 'gid') {
          if (!/^[+-]?[0-9]+$/.test(v)) throw new ChartLoadError(ERR_HEADER);
        }
      }
      this.pax = null;
    }
    if (this.gnuLongName !== '') hdr.name = this.gnuLongName;
    if (this.gnuLongLink !== '') hdr.linkname = this.gnuLongLink;
    this.gnuLongName = '';
    this.gnuLongLink = '';
    if (typeflag === '\0') {
      typeflag = hdr.name.endsWith('/') ? '5' : '0';
      hdr.typeflag = typeflag;
    }
    const dataSize = HEADER_ONLY.has(typeflag) ? 0 : hdr.size;
    if (dataSize < 0) throw new ChartLoadError(ERR_HEADER);
    hdr.dataSize = dataSize;
    this.cur = hdr;
    const target = this.handler.entry(hdr);
    if (target && target.length !== dataSize) throw new Error('tar handler returned a buffer of the wrong size');
    this.target = target;
    this.streaming = target === null && this.handler.data !== undefined;
    this.startPayload(dataSize, 'data');
  }

  private startPayload(size: number, state: 'data' | 'special'): void {
    this.remaining = size;
    this.filled = 0;
    this.pad = (BLOCK - (size % BLOCK)) % BLOCK;
    this.state = state;
    if (size === 0) this.finishPayload();
  }

  private finishPayload(): void {
    if (this.state === 'special') {
      const sp = this.special!;
      this.special = null;
      if (sp.kind === 'x') {
        this.pax = parsePaxRecords(sp.buf, this.what);
      } else if (sp.kind === 'g') {
        const recs = parsePaxRecords(sp.buf, this.what);
        // Go reports a global header as an entry of its own (helm then skips it); its records
        // are not applied to later entries.
        const name = recs.get('path') ?? sp.hdr.name;
        this.handler.entry({ ...sp.hdr, name, dataSize: 0 });
      } else if (sp.kind === 'L') {
        this.gnuLongName = parseString(sp.buf);
      } else {
        this.gnuLongLink = parseString(sp.buf);
      }
    } else {
      const hdr = this.cur!;
      const target = this.target;
      const streamed = this.streaming;
      this.cur = null;
      this.target = null;
      this.streaming = false;
      if (target) this.handler.entryDone(hdr, target);
      else if (streamed) this.handler.dataEnd?.(hdr);
    }
    this.state = this.pad > 0 ? 'pad' : 'header';
  }
}
