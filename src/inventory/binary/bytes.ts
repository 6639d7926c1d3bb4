/** Bounds-checked little/big-endian reads for the executable readers (a read past the end throws MalformedExecutableError). */
import { MalformedExecutableError } from './types.js';

export class ByteView {
  constructor(
    readonly buf: Buffer,
    readonly le: boolean,
    /** Names the structure in error messages ("ELF", "PE", "Mach-O"). */
    readonly what: string,
  ) {}

  private need(off: number, n: number, field: string): void {
    if (!Number.isSafeInteger(off) || off < 0 || off + n > this.buf.length) {
      throw new MalformedExecutableError(`${this.what}: ${field} at offset ${off} is past the end of the ${this.buf.length}-byte file`);
    }
  }

  u8(off: number, field = 'byte'): number {
    this.need(off, 1, field);
    return this.buf[off]!;
  }

  u16(off: number, field = 'field'): number {
    this.need(off, 2, field);
    return this.le ? this.buf.readUInt16LE(off) : this.buf.readUInt16BE(off);
  }

  u32(off: number, field = 'field'): number {
    this.need(off, 4, field);
    return this.le ? this.buf.readUInt32LE(off) : this.buf.readUInt32BE(off);
  }

  /** A 64-bit value as a number; NaN above 2^53 (no offset or size of a real file gets there). */
  u64(off: number, field = 'field'): number {
    this.need(off, 8, field);
    const v = this.le ? this.buf.readBigUInt64LE(off) : this.buf.readBigUInt64BE(off);
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : Number.NaN;
  }

  /** u32 or u64 by word size. */
  word(off: number, bits: 32 | 64, field = 'field'): number {
    return bits === 64 ? this.u64(off, field) : this.u32(off, field);
  }
}

/** A NUL-terminated name at `off` inside buf[start, end), at most `max` bytes; '' when out of range. */
export function cString(buf: Buffer, off: number, end: number, max: number): string {
  if (!Number.isSafeInteger(off) || off < 0 || off >= end || end > buf.length) return '';
  const stop = Math.min(end, off + max);
  const nul = buf.subarray(off, stop).indexOf(0);
  return buf.toString('latin1', off, nul < 0 ? stop : off + nul);
}

/** A fixed-size name field (Mach-O segname/sectname, PE short names): up to the first NUL. */
export function fixedName(buf: Buffer, off: number, size: number): string {
  const raw = buf.subarray(off, off + size);
  const nul = raw.indexOf(0);
  return raw.toString('latin1', 0, nul < 0 ? raw.length : nul);
}
