/**
 * A small ASN.1 DER encoder and reader: enough to build X.509 certificates the way Go's
 * crypto/x509.CreateCertificate lays them out, and to read the parts of certificates and
 * keys that sprig's crypto functions need (issuer names, DSA parameters).
 */

export type Der = Buffer;

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let x = n; x > 0; x = Math.floor(x / 256)) bytes.unshift(x & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, body: Uint8Array): Der {
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

export const seq = (...items: Der[]): Der => tlv(0x30, Buffer.concat(items));
export const set = (...items: Der[]): Der => tlv(0x31, Buffer.concat(items));
export const explicit = (n: number, inner: Der): Der => tlv(0xa0 | n, inner);
export const implicitPrim = (n: number, body: Uint8Array): Der => tlv(0x80 | n, body);
export const nul = (): Der => Buffer.from([0x05, 0x00]);
export const bool = (b: boolean): Der => Buffer.from([0x01, 0x01, b ? 0xff : 0x00]);
export const octets = (b: Uint8Array): Der => tlv(0x04, b);

export function integer(n: bigint | Uint8Array): Der {
  let bytes: Buffer;
  if (typeof n === 'bigint') {
    if (n === 0n) bytes = Buffer.from([0]);
    else if (n > 0n) {
      let hex = n.toString(16);
      if (hex.length % 2) hex = '0' + hex;
      bytes = Buffer.from(hex, 'hex');
      if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
    } else {
      // Two's complement.
      let width = 1;
      while (-n > 1n << BigInt(8 * width - 1)) width++;
      let hex = BigInt.asUintN(8 * width, n).toString(16).padStart(width * 2, '0');
      if (hex.length % 2) hex = '0' + hex;
      bytes = Buffer.from(hex, 'hex');
    }
  } else {
    let i = 0;
    while (i < n.length - 1 && n[i] === 0 && !(n[i + 1]! & 0x80)) i++;
    bytes = Buffer.from(n.subarray(i));
    if (bytes.length === 0) bytes = Buffer.from([0]);
    if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  }
  return tlv(0x02, bytes);
}

export function oid(dotted: string): Der {
  const parts = dotted.split('.').map((p) => BigInt(p));
  const out: number[] = [];
  const enc = (v: bigint): void => {
    const tmp: number[] = [Number(v & 0x7fn)];
    for (let x = v >> 7n; x > 0n; x >>= 7n) tmp.unshift(Number(x & 0x7fn) | 0x80);
    out.push(...tmp);
  };
  enc(parts[0]! * 40n + parts[1]!);
  for (const p of parts.slice(2)) enc(p);
  return tlv(0x06, Uint8Array.from(out));
}

export function bitString(bytes: Uint8Array, unusedBits = 0): Der {
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

/** Go's asn1 string choice: PrintableString when possible (asterisk allowed), else UTF8String. */
export function dirString(s: string): Der {
  const printable = /^[A-Za-z0-9 '()+,\-./:=?*]*$/.test(s);
  return tlv(printable ? 0x13 : 0x0c, Buffer.from(s, 'utf8'));
}

/** UTCTime before 2050, GeneralizedTime otherwise (Go's choice); seconds precision, UTC. */
export function time(d: Date): Der {
  const y = d.getUTCFullYear();
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const rest = p2(d.getUTCMonth() + 1) + p2(d.getUTCDate()) + p2(d.getUTCHours()) + p2(d.getUTCMinutes()) + p2(d.getUTCSeconds()) + 'Z';
  if (y >= 1950 && y < 2050) return tlv(0x17, Buffer.from(p2(y % 100) + rest, 'latin1'));
  return tlv(0x18, Buffer.from(String(y).padStart(4, '0') + rest, 'latin1'));
}

// ---------------------------------------------------------------------------
// Reading

export interface Node { tag: number; start: number; headerLen: number; len: number; raw: Buffer; body: Buffer }

export function read(buf: Buffer, pos = 0): Node {
  if (pos + 2 > buf.length) throw new Error('asn1: syntax error: data truncated');
  const tag = buf[pos]!;
  let l = buf[pos + 1]!;
  let hl = 2;
  if (l & 0x80) {
    const n = l & 0x7f;
    if (n === 0 || n > 4) throw new Error('asn1: syntax error: invalid length');
    l = 0;
    for (let k = 0; k < n; k++) l = l * 256 + buf[pos + 2 + k]!;
    hl += n;
  }
  if (pos + hl + l > buf.length) throw new Error('asn1: syntax error: data truncated');
  return { tag, start: pos, headerLen: hl, len: l, raw: buf.subarray(pos, pos + hl + l), body: buf.subarray(pos + hl, pos + hl + l) };
}

export function children(n: Node): Node[] {
  const out: Node[] = [];
  let p = 0;
  while (p < n.body.length) {
    const c = read(n.body, p);
    out.push(c);
    p += c.headerLen + c.len;
  }
  return out;
}

export function intValue(n: Node): bigint {
  if (n.tag !== 0x02) throw new Error('asn1: structure error: tags don\'t match');
  if (n.body.length === 0) return 0n;
  let v = BigInt('0x' + n.body.toString('hex'));
  if (n.body[0]! & 0x80) v -= 1n << BigInt(8 * n.body.length);
  return v;
}
