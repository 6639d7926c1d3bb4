/**
 * OpenPGP packet framing (RFC 9580 §4.2): old and new format headers, partial body
 * lengths (allowed only where the RFC allows them), and MPIs. Bytes in, packets out;
 * every length is checked against the buffer so truncated or hostile input throws
 * PgpFormatError instead of reading past the end.
 */

export class PgpFormatError extends Error {
  override name = 'PgpFormatError';
}

export interface Packet {
  tag: number;
  body: Buffer;
}

export const Tag = {
  Signature: 2,
  SecretKey: 5,
  PublicKey: 6,
  SecretSubkey: 7,
  Marker: 10,
  Trust: 12,
  UserId: 13,
  PublicSubkey: 14,
  UserAttribute: 17,
} as const;

/** Packets that may use partial body lengths (RFC 9580 §4.2.1.4): the data packets only. */
const PartialLengthTags = new Set([8, 9, 11, 18, 20]);

/** Splits a binary packet stream. Throws PgpFormatError on malformed framing. */
export function readPackets(data: Uint8Array): Packet[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out: Packet[] = [];
  let p = 0;
  while (p < buf.length) {
    const ctb = buf[p]!;
    if ((ctb & 0x80) === 0) {
      throw new PgpFormatError(`invalid data: tag byte does not have MSB set (offset ${p})`);
    }
    p++;
    let tag: number;
    let body: Buffer;
    if (ctb & 0x40) {
      tag = ctb & 0x3f;
      const chunks: Buffer[] = [];
      for (;;) {
        if (p >= buf.length) throw new PgpFormatError('truncated packet header');
        const l0 = buf[p]!;
        let len: number;
        let partial = false;
        if (l0 < 192) {
          len = l0;
          p += 1;
        } else if (l0 < 224) {
          if (p + 1 >= buf.length) throw new PgpFormatError('truncated packet header');
          len = ((l0 - 192) << 8) + buf[p + 1]! + 192;
          p += 2;
        } else if (l0 === 255) {
          if (p + 4 >= buf.length) throw new PgpFormatError('truncated packet header');
          len = buf.readUInt32BE(p + 1);
          p += 5;
        } else {
          if (!PartialLengthTags.has(tag)) {
            throw new PgpFormatError(`partial body length not allowed for packet tag ${tag} (only data packets may use it)`);
          }
          len = 1 << (l0 & 0x1f);
          partial = true;
          p += 1;
        }
        if (p + len > buf.length) throw new PgpFormatError(`truncated packet (tag ${tag})`);
        chunks.push(buf.subarray(p, p + len));
        p += len;
        if (!partial) break;
      }
      body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    } else {
      tag = (ctb >> 2) & 0x0f;
      const lt = ctb & 3;
      let len: number;
      if (lt === 0) {
        if (p >= buf.length) throw new PgpFormatError('truncated packet header');
        len = buf[p]!;
        p += 1;
      } else if (lt === 1) {
        if (p + 1 >= buf.length) throw new PgpFormatError('truncated packet header');
        len = buf.readUInt16BE(p);
        p += 2;
      } else if (lt === 2) {
        if (p + 3 >= buf.length) throw new PgpFormatError('truncated packet header');
        len = buf.readUInt32BE(p);
        p += 4;
      } else {
        len = buf.length - p; // indeterminate length: to the end of the data
      }
      if (p + len > buf.length) throw new PgpFormatError(`truncated packet (tag ${tag})`);
      body = buf.subarray(p, p + len);
      p += len;
    }
    out.push({ tag, body });
  }
  return out;
}

/** A cursor over a packet body that refuses to read past its end. */
export class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new PgpFormatError('truncated packet body');
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  /** A multiprecision integer: 2-byte bit count, then the big-endian bytes. */
  mpi(): Buffer {
    const bits = this.u16();
    return this.bytes((bits + 7) >> 3);
  }
  rest(): Buffer {
    const v = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return v;
  }
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
}
