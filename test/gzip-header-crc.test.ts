/**
 * The gzip header CRC (FHCRC) check of src/chart/archive.ts runs on node:zlib's crc32, the
 * project's one CRC-32 (the zip reader uses it too). Go's gzip.Reader checks the low 16 bits
 * of the CRC-32 of the header bytes before the CRC field.
 */
import { describe, expect, it } from 'vitest';
import { crc32, gzipSync } from 'node:zlib';
import { checkGzipHeader } from '../src/chart/archive.js';

/** A gzip member whose header carries a file name and a header CRC. */
function withHeaderCrc(corrupt = 0): Buffer {
  const head = Buffer.from([0x1f, 0x8b, 0x08, 0x08 | 0x02, 0, 0, 0, 0, 0, 3, ...Buffer.from('c.tgz\0')]);
  const hcrc = Buffer.alloc(2);
  hcrc.writeUInt16LE((crc32(head) & 0xffff) ^ corrupt);
  return Buffer.concat([head, hcrc, gzipSync('x').subarray(10)]);
}

describe('gzip header CRC', () => {
  it('CRC-32 is the standard one (check value of "123456789")', () => {
    expect(crc32(Buffer.from('123456789')) >>> 0).toBe(0xcbf43926);
  });
  it('accepts a header whose FHCRC matches and refuses one that does not, as Go does', () => {
    expect(() => checkGzipHeader(withHeaderCrc())).not.toThrow();
    expect(() => checkGzipHeader(withHeaderCrc(1))).toThrow('gzip: invalid header');
    expect(() => checkGzipHeader(withHeaderCrc(0x8000))).toThrow('gzip: invalid header');
  });
});
