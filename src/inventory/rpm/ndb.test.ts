import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../test/helpers/shared.js';
import { DEFAULT_BLOB_LIMITS } from './blobs.js';
import { adler32, MAX_SLOT_PAGES, readNdbPackages } from './ndb.js';

/** go-rpmdb's SLE 15 BCI database: one slot page; slot 2 = package 1 at block 256 (260 blocks), slot 3 = package 2 at block 516. */
const sle = () => Buffer.from(readFileSync(sharedPath('testdata', 'images', 'rpm', 'go-rpmdb-sle15-bci', 'usr', 'lib', 'sysimage', 'rpm', 'Packages.db')));
const slot = (n: number) => n * 16;
const u32 = (b: Buffer, at: number, v: number) => {
  b.writeUInt32LE(v >>> 0, at);
  return b;
};

describe('NDB Packages.db: the fixture', () => {
  it('35 packages, every Adler-32 checked', () => {
    const r = readNdbPackages(sle());
    expect(r.problems).toEqual([]);
    expect(r.blobs).toHaveLength(35);
  });

  it('Adler-32 as RFC 1950 gives it (zlib test vector "Wikipedia" = 0x11E60398)', () => {
    expect(adler32(Buffer.from('Wikipedia'))).toBe(0x11e60398);
    expect(adler32(Buffer.alloc(0))).toBe(1);
    // Past the 5,552-byte block where the sums are reduced.
    expect(adler32(Buffer.alloc(100_000, 0xff))).toBe(0x149a302c); // zlib.adler32 in Python
  });
});

describe('NDB Packages.db: damaged and hostile files are problems, never a throw or a loop', () => {
  const cases: [string, () => Buffer, RegExp[], number][] = [
    ['shorter than its header', () => sle().subarray(0, 20), [/^NDB file of 20 bytes is truncated/], 0],
    ['no RpmP magic', () => u32(sle(), 0, 0x12345678), [/^not an NDB database/], 0],
    ['format version 1', () => u32(sle(), 4, 1), [/^unsupported NDB format version 1/], 0],
    ['zero slot pages', () => u32(sle(), 12, 0), [/^NDB header declares 0 slot pages/], 0],
    [`more than ${MAX_SLOT_PAGES} slot pages`, () => u32(sle(), 12, 0xffffffff), [/^NDB header declares 4294967295 slot pages \(1 to 256 allowed\)$/], 0],
    ['slot pages past the end of the file', () => u32(sle(), 12, 5).subarray(0, 3 * 4096), [/^truncated: 5 slot pages of 4096 bytes do not fit in the 12288-byte file$/], 0],
    ['a damaged slot page', () => u32(sle(), slot(10), 0), [/^slot 10 has no Slot magic: the slot pages are damaged$/], 0],
    ['a slot with package index 0', () => u32(sle(), slot(2) + 4, 0), [/^slot 2: package 0 at block 256 \(260 blocks\) is not a valid entry$/], 34],
    ['a slot pointing into the slot pages', () => u32(sle(), slot(2) + 8, 100), [/^slot 2: package 1 at block 100 .* is not a valid entry$/], 34],
    ['a slot running past the end of the file', () => u32(sle(), slot(2) + 12, 0x7fffffff), [/^slot 2: package 1 runs to block \d+, past the 85884 blocks of the file \(truncated\)$/], 34],
    ['two slots on the same blocks', () => u32(u32(sle(), slot(20) + 8, 256), slot(20) + 12, 260), [/^slot 20: package 0 at block 256/], 35],
    ['two slots whose blocks overlap', () => u32(u32(u32(sle(), slot(20) + 4, 99), slot(20) + 8, 300), slot(20) + 12, 10), [/^slot 20: package 99 overlaps another package's blocks$/], 35],
    ['a package listed in two slots', () => u32(sle(), slot(3) + 4, 1), [/^slot 3: package 1 is listed twice$/], 34],
    ['a blob header naming another package', () => u32(sle(), 256 * 16 + 4, 7), [/^package 1: no blob header at block 256$/], 34],
    ['a blob length that does not fit its blocks', () => u32(sle(), 256 * 16 + 12, 9_999_999), [/^package 1: blob length 9999999 does not match its 260 blocks$/], 34],
    ['a damaged blob tail', () => u32(sle(), (256 + 260) * 16 - 4, 0), [/^package 1: blob tail is damaged$/], 34],
    ['a flipped byte inside a blob', () => {
      const b = sle();
      b[256 * 16 + 100] = b[256 * 16 + 100]! ^ 0x40;
      return b;
    }, [/^package 1: Adler-32 checksum mismatch \(the blob is corrupt\)$/], 34],
  ];
  for (const [what, make, reasons, blobs] of cases) {
    it(what, () => {
      const r = readNdbPackages(make());
      expect(r.problems).toHaveLength(reasons.length);
      reasons.forEach((re, i) => expect(r.problems[i]).toMatch(re));
      expect(r.blobs).toHaveLength(blobs);
    });
  }

  it('a file cut short: the packages before the cut are read, the others are one problem each', () => {
    const r = readNdbPackages(sle().subarray(0, 700_000));
    expect(r.blobs.length).toBeGreaterThan(0);
    expect(r.blobs.length + r.problems.length).toBe(35);
    for (const p of r.problems) expect(p).toMatch(/past the 43750 blocks of the file \(truncated\)$/);
  });

  it('every truncation is problems or packages, never a throw', () => {
    const full = sle();
    for (let n = 0; n <= full.length; n += 9973) readNdbPackages(full.subarray(0, n));
  });

  it('limit: maxPackages', () => {
    const r = readNdbPackages(sle(), { ...DEFAULT_BLOB_LIMITS, maxPackages: 10 });
    expect(r.blobs).toHaveLength(10);
    expect(r.problems).toEqual(['more than 10 packages: the rest is not read']);
  });

  it('limit: maxBlobBytes', () => {
    const r = readNdbPackages(sle(), { ...DEFAULT_BLOB_LIMITS, maxBlobBytes: 8000 });
    expect(r.blobs.length).toBeGreaterThan(0);
    expect(r.problems[0]).toMatch(/^package \d+: blob of \d+ bytes, more than the 8000 read$/);
  });

  it(`bounded: ${MAX_SLOT_PAGES} slot pages (65,534 slots) all naming one blob read it once, in bounded time`, () => {
    // Read naively, that is 65,534 Adler-32 passes over the same 4 KiB.
    const src = sle();
    const blob = src.subarray(256 * 16, (256 + 260) * 16);
    const first = (MAX_SLOT_PAGES * 4096) / 16;
    const b = Buffer.alloc(MAX_SLOT_PAGES * 4096 + blob.length);
    src.copy(b, 0, 0, 32);
    u32(b, 12, MAX_SLOT_PAGES);
    for (let s = 2; s < first; s++) {
      u32(b, slot(s), 0x746f6c53);
      u32(b, slot(s) + 4, s === 2 ? 1 : s);
      u32(b, slot(s) + 8, first);
      u32(b, slot(s) + 12, 260);
    }
    blob.copy(b, first * 16);
    const t = performance.now();
    const r = readNdbPackages(b);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(r.blobs).toHaveLength(1);
    expect(r.problems).toHaveLength(DEFAULT_BLOB_LIMITS.maxProblems + 1);
    expect(r.problems.at(-1)).toBe(`${first - 3 - DEFAULT_BLOB_LIMITS.maxProblems} more problems like these`);
  });
});
