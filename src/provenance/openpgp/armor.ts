/**
 * ASCII armor (RFC 9580 §6) and the cleartext signature framework (§7), decoded the way
 * go-crypto's armor and clearsign packages do, since helm's `.prov` files come from it:
 * dash-escaping removed, trailing spaces and tabs dropped from every signed line, lines
 * joined with CRLF for hashing, and the line break before the signature not signed.
 */
import { PgpFormatError } from './packets.js';

export interface ArmorBlock {
  /** The word(s) after BEGIN PGP, e.g. `SIGNATURE`, `PUBLIC KEY BLOCK`. */
  type: string;
  headers: [string, string][];
  data: Buffer;
}

const BEGIN = /^-----BEGIN PGP ([A-Z0-9 ,/]+)-----[ \t]*$/;

function crc24(data: Uint8Array): number {
  let crc = 0xb704ce;
  for (const b of data) {
    crc ^= b << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

/** Splits text into lines, accepting LF and CRLF, and dropping trailing whitespace. */
function lines(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/[ \t\r]+$/, ''));
}

/**
 * Decodes every armored block in `text`, in order. Throws PgpFormatError for a block that
 * starts but is malformed (bad base64, CRC mismatch, no END line).
 */
export function decodeArmor(text: string): ArmorBlock[] {
  const ls = lines(text);
  const blocks: ArmorBlock[] = [];
  let i = 0;
  while (i < ls.length) {
    const m = BEGIN.exec(ls[i]!);
    if (!m) {
      i++;
      continue;
    }
    const type = m[1]!;
    i = readArmorBody(ls, i + 1, type, blocks);
  }
  return blocks;
}

function readArmorBody(ls: string[], start: number, type: string, out: ArmorBlock[]): number {
  let i = start;
  const headers: [string, string][] = [];
  // Armor headers run until the first blank line; a line without a colon means there were none.
  while (i < ls.length && ls[i] !== '') {
    const line = ls[i]!;
    const c = line.indexOf(': ');
    if (c <= 0) break;
    headers.push([line.slice(0, c), line.slice(c + 2)]);
    i++;
  }
  if (ls[i] === '') i++;
  let b64 = '';
  let crc: string | null = null;
  const end = `-----END PGP ${type}-----`;
  for (; i < ls.length; i++) {
    const line = ls[i]!.trim();
    if (line === end) {
      const data = Buffer.from(b64, 'base64');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) {
        throw new PgpFormatError(`armored ${type.toLowerCase()}: invalid base64 data`);
      }
      if (crc !== null) {
        const want = Buffer.from(crc, 'base64');
        if (want.length !== 3 || want.readUIntBE(0, 3) !== crc24(data)) {
          throw new PgpFormatError(`armored ${type.toLowerCase()}: checksum mismatch`);
        }
      }
      out.push({ type, headers, data });
      return i + 1;
    }
    if (line.startsWith('=') && line.length === 5) crc = line.slice(1);
    else b64 += line;
  }
  throw new PgpFormatError(`armored ${type.toLowerCase()}: no END line`);
}

export interface ClearsignedMessage {
  /** Values of the `Hash:` armor headers, e.g. `['SHA512']`. */
  hashes: string[];
  /** The signed bytes as hashed for a text signature: lines joined with CRLF, no final line break. */
  signedBytes: Buffer;
  /** The text as the signer meant it: every line followed by LF (what helm parses). */
  plaintext: string;
  /** The binary signature packets from the armored SIGNATURE block. */
  signature: Buffer;
}

/**
 * Finds and decodes the first cleartext-signed message in `text`; null when there is none
 * (helm's "signature block not found"). Throws PgpFormatError when the signature armor is
 * broken.
 */
export function decodeClearsigned(text: string): ClearsignedMessage | null {
  const ls = lines(text);
  let i = ls.indexOf('-----BEGIN PGP SIGNED MESSAGE-----');
  if (i < 0) return null;
  i++;
  const hashes: string[] = [];
  while (i < ls.length && ls[i] !== '') {
    const line = ls[i]!;
    const c = line.indexOf(':');
    if (c <= 0) return null;
    // Only `Hash` headers belong to a cleartext signature (RFC 9580 §7); go-crypto (helm) and
    // openpgp.js refuse any other, so an added header cannot slip text past them either.
    if (line.slice(0, c).trim() !== 'Hash') return null;
    for (const h of line.slice(c + 1).split(',')) hashes.push(h.trim());
    i++;
  }
  if (i >= ls.length) return null;
  i++; // the blank line ending the headers
  const body: string[] = [];
  const raw = text.split('\n');
  for (; i < ls.length; i++) {
    if (ls[i] === '-----BEGIN PGP SIGNATURE-----') break;
    // Dash-escaping is undone before trailing blanks are dropped: "- " is an escaped empty line.
    const l = raw[i]!;
    body.push(l.startsWith('- ') ? l.slice(2).replace(/[ \t\r]+$/, '') : ls[i]!);
  }
  if (i >= ls.length) return null;
  const blocks: ArmorBlock[] = [];
  readArmorBody(ls, i + 1, 'SIGNATURE', blocks);
  return {
    hashes,
    signedBytes: Buffer.from(body.join('\r\n'), 'utf8'),
    plaintext: body.map((l) => `${l}\n`).join(''),
    signature: blocks[0]!.data,
  };
}

/** Encodes binary data as an armored block (used for test fixtures and key export). */
export function encodeArmor(type: string, data: Uint8Array): string {
  const b64 = Buffer.from(data).toString('base64').replace(/.{1,64}/g, '$&\n');
  const c = Buffer.alloc(3);
  c.writeUIntBE(crc24(data), 0, 3);
  return `-----BEGIN PGP ${type}-----\n\n${b64}=${c.toString('base64')}\n-----END PGP ${type}-----\n`;
}
