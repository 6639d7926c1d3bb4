import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packageHeader } from '../../../test/helpers/rpm.js';
import { sharedPath } from '../../../test/helpers/shared.js';
import { readBdbPackages } from './bdb.js';
import { DEFAULT_BLOB_LIMITS } from './blobs.js';
import { parseRpmHeader } from './header.js';

const PS = 4096;
/** syft's fixture: page 1 = rpm's counter record, page 2 = one off-page item, page 3 = its overflow page. */
const syft = () => Buffer.from(readFileSync(sharedPath('testdata', 'images', 'rpm', 'syft-bdb', 'var', 'lib', 'rpm', 'Packages')));
/** go-rpmdb's libuuid fixture: the same, with a chain of 20 overflow pages (3 → 4 → … → 22). */
const libuuid = () => Buffer.from(readFileSync(sharedPath('testdata', 'images', 'rpm', 'go-rpmdb-libuuid', 'var', 'lib', 'rpm', 'Packages')));

/** Offset in the file of page 2's off-page item (its value, index entry 1). */
const offItem = (b: Buffer) => 2 * PS + b.readUInt16LE(2 * PS + 28);

function patch(b: Buffer, edits: [at: number, bytes: number, value: number][]): Buffer {
  for (const [at, bytes, value] of edits) {
    if (bytes === 1) b[at] = value;
    else if (bytes === 2) b.writeUInt16LE(value, at);
    else b.writeUInt32LE(value >>> 0, at);
  }
  return b;
}

/** A hash page (type 13) whose items are laid out from the page end down, in index order. */
function hashPage(pgno: number, items: Buffer[]): Buffer {
  const page = Buffer.alloc(PS);
  page.writeUInt32LE(pgno, 8);
  page.writeUInt16LE(items.length, 20);
  page[25] = 13;
  let end = PS;
  items.forEach((item, i) => {
    end -= item.length;
    item.copy(page, end);
    page.writeUInt16LE(end, 26 + 2 * i);
  });
  page.writeUInt16LE(end, 22);
  return page;
}
const keyItem = (hnum: number) => {
  const b = Buffer.alloc(5);
  b[0] = 1;
  b.writeUInt32LE(hnum, 1);
  return b;
};
const offPageItem = (pgno: number, length: number) => {
  const b = Buffer.alloc(12);
  b[0] = 3;
  b.writeUInt32LE(pgno, 4);
  b.writeUInt32LE(length, 8);
  return b;
};
const withLastPage = (b: Buffer) => {
  b.writeUInt32LE(b.length / PS - 1, 32);
  return b;
};

const names = (blobs: Buffer[]) => blobs.map((b) => {
  const h = parseRpmHeader(b);
  return h.ok ? h.header.name : h.reason;
});

describe('BerkeleyDB Packages: the fixtures', () => {
  it('syft: one off-page package on one overflow page; the counter record (key 0) is skipped', () => {
    expect(readBdbPackages(syft())).toEqual({ blobs: [expect.any(Buffer)], problems: [] });
    expect(names(readBdbPackages(syft()).blobs)).toEqual(['dive']);
  });

  it('libuuid: one package across a chain of 20 overflow pages', () => {
    const r = readBdbPackages(libuuid());
    expect(r.problems).toEqual([]);
    expect(names(r.blobs)).toEqual(['libuuid']);
    expect(r.blobs[0]!.length).toBe(libuuid().readUInt32LE(offItem(libuuid()) + 8));
  });

  it('a big-endian database (written on s390x or ppc) reads the same', () => {
    // Swapped as BerkeleyDB's byte-swap routines lay it out: metadata words, page header fields,
    // item offsets and off-page references; data bytes are left as written.
    const le = libuuid();
    const be = Buffer.from(le);
    const swap32 = (at: number) => be.writeUInt32BE(le.readUInt32LE(at), at);
    const swap16 = (at: number) => be.writeUInt16BE(le.readUInt16LE(at), at);
    for (let at = 8; at < 224; at += 4) if (at !== 24) swap32(at);
    for (let p = 1; p < le.length / PS; p++) {
      const at = p * PS;
      [8, 12, 16].forEach((o) => swap32(at + o));
      const n = le.readUInt16LE(at + 20);
      [20, 22].forEach((o) => swap16(at + o));
      if (le[at + 25] !== 13) continue;
      for (let i = 0; i < n; i++) {
        const off = le.readUInt16LE(at + 26 + 2 * i);
        swap16(at + 26 + 2 * i);
        if (le[at + off] === 3) [4, 8].forEach((o) => swap32(at + off + o));
      }
    }
    expect(be.readUInt32LE(12)).toBe(0x61150600);
    const r = readBdbPackages(be);
    expect(r.problems).toEqual([]);
    expect(r.blobs).toEqual(readBdbPackages(le).blobs);
  });

  it('a package stored on the page itself (item kind 1) is read too, as rpm reads it', () => {
    const small = packageHeader({ name: 'tiny', version: '1', release: '1' });
    const b = syft();
    hashPage(2, [keyItem(7), Buffer.concat([Buffer.from([1]), small])]).copy(b, 2 * PS);
    expect(readBdbPackages(b)).toEqual({ blobs: [small], problems: [] });
  });
});

describe('BerkeleyDB Packages: damaged and hostile files are problems, never a throw or a loop', () => {
  const cases: [string, () => Buffer, RegExp[], number?][] = [
    ['shorter than the metadata page', () => syft().subarray(0, 500), [/^BerkeleyDB file of 500 bytes is truncated/]],
    ['not BerkeleyDB', () => patch(syft(), [[12, 4, 0x12345678]]), [/^not a BerkeleyDB hash database \(magic 0x12345678\)$/]],
    ['a btree database', () => patch(syft(), [[12, 4, 0x00053162]]), [/^BerkeleyDB btree database/]],
    ['hash version 7', () => patch(syft(), [[16, 4, 7]]), [/^unsupported BerkeleyDB hash version 7/]],
    ['page size 1000', () => patch(syft(), [[20, 4, 1000]]), [/^invalid BerkeleyDB page size 1000$/]],
    ['page size 0', () => patch(syft(), [[20, 4, 0]]), [/^invalid BerkeleyDB page size 0$/]],
    ['encrypted', () => patch(syft(), [[24, 1, 1]]), [/^encrypted BerkeleyDB database/]],
    ['metadata page of another type', () => patch(syft(), [[25, 1, 9]]), [/^BerkeleyDB metadata page has type 9/]],
    ['metadata naming 4 billion pages', () => patch(syft(), [[32, 4, 0xfffffff0]]), [/^truncated: the metadata names 4294967281 pages of 4096 bytes, the file holds 4$/], 1],
    ['file cut inside the overflow chain', () => libuuid().subarray(0, 10 * PS), [/^truncated: the metadata names 23 pages/, /^page 2 entry 0: off-page item declares 80880 bytes \(the file holds 40960/]],
    ['file cut near the end of the overflow chain', () => libuuid().subarray(0, 21 * PS), [/^truncated: the metadata names 23 pages/, /^page 2 entry 0: overflow page 21 is beyond the 21 pages of the file$/]],
    ['overflow chain looping back (page 10 → 5)', () => patch(libuuid(), [[10 * PS + 16, 4, 5]]), [/^page 2 entry 0: overflow page 5 is reached twice \(a cycle or a shared page\)$/]],
    ['overflow page pointing at itself', () => patch(libuuid(), [[3 * PS + 16, 4, 3]]), [/^page 2 entry 0: overflow page 3 is reached twice/]],
    ['overflow chain ending early', () => patch(libuuid(), [[21 * PS + 16, 4, 0]]), [/^page 2 entry 0: overflow chain ends after 77330 of 80880 bytes$/]],
    ['overflow chain entering a hash page', () => patch(libuuid(), [[10 * PS + 16, 4, 1]]), [/^page 2 entry 0: page 1 in an overflow chain has type 13, expected 7$/]],
    ['overflow page declaring more than a page', () => patch(libuuid(), [[5 * PS + 22, 2, 5000]]), [/^page 2 entry 0: overflow page 5 declares 5000 bytes/]],
    ['off-page item of 4 GiB', () => { const b = libuuid(); return patch(b, [[offItem(b) + 8, 4, 0xffffffff]]); }, [/^page 2 entry 0: off-page item declares 4294967295 bytes/]],
    ['off-page item of 0 bytes', () => { const b = libuuid(); return patch(b, [[offItem(b) + 8, 4, 0]]); }, [/^page 2 entry 0: off-page item declares 0 bytes/]],
    ['off-page item starting at page 0', () => { const b = libuuid(); return patch(b, [[offItem(b) + 4, 4, 0]]); }, [/^page 2 entry 0: overflow chain ends after 0 of 80880 bytes$/]],
    ['off-page item starting past the file', () => { const b = libuuid(); return patch(b, [[offItem(b) + 4, 4, 99999]]); }, [/^page 2 entry 0: overflow page 99999 is beyond the 23 pages/]],
    ['odd entry count', () => patch(syft(), [[2 * PS + 20, 2, 3]]), [/^page 2: 3 hash entries do not form key\/value pairs inside the page$/]],
    ['entry count beyond the page', () => patch(syft(), [[2 * PS + 20, 2, 0xfffe]]), [/^page 2: 65534 hash entries do not form/]],
    ['item offset inside the page header', () => patch(syft(), [[2 * PS + 28, 2, 10]]), [/^page 2 entry 0: item offsets \d+\/10 are outside the page's item area$/]],
    ['page header naming another page', () => patch(syft(), [[2 * PS + 8, 4, 7]]), [/^page 2: its header names page 7$/]],
    ['an item kind rpm never writes (duplicates)', () => { const b = syft(); return patch(b, [[offItem(b), 1, 2]]); }, [/^page 2 entry 0: item kind 2 is not a package header/]],
  ];
  for (const [what, make, reasons, blobs = 0] of cases) {
    it(what, () => {
      const r = readBdbPackages(make());
      expect(r.blobs).toHaveLength(blobs);
      expect(r.problems).toHaveLength(reasons.length);
      reasons.forEach((re, i) => expect(r.problems[i]).toMatch(re));
    });
  }

  it('every truncation of a real file is problems or packages, never a throw', () => {
    const full = libuuid();
    for (let n = 0; n <= full.length; n += 1531) {
      const r = readBdbPackages(full.subarray(0, n));
      expect(r.blobs.length + r.problems.length).toBeGreaterThan(0);
    }
  });

  it('limit: header blobs larger than maxBlobBytes are not assembled', () => {
    const r = readBdbPackages(libuuid(), { ...DEFAULT_BLOB_LIMITS, maxBlobBytes: 4096 });
    expect(r).toEqual({ blobs: [], problems: [expect.stringMatching(/^page 2 entry 0: off-page item declares 80880 bytes \(.*at most 4096 read\)$/)] });
  });

  it('limit: packages past maxPackages are left as one problem', () => {
    const b = syft();
    const two = hashPage(2, [keyItem(1), Buffer.concat([Buffer.from([1]), packageHeader({ name: 'a', version: '1', release: '1' })]), keyItem(2), Buffer.concat([Buffer.from([1]), packageHeader({ name: 'b', version: '1', release: '1' })])]);
    two.copy(b, 2 * PS);
    expect(names(readBdbPackages(b).blobs)).toEqual(['a', 'b']);
    const r = readBdbPackages(b, { ...DEFAULT_BLOB_LIMITS, maxPackages: 1 });
    expect(names(r.blobs)).toEqual(['a']);
    expect(r.problems).toEqual(['more than 1 packages: the rest is not read']);
  });

  it('a key seen twice (a stale copy) is read once', () => {
    const b = syft();
    const item = Buffer.concat([Buffer.from([1]), packageHeader({ name: 'a', version: '1', release: '1' })]);
    hashPage(2, [keyItem(1), item, keyItem(1), item]).copy(b, 2 * PS);
    expect(names(readBdbPackages(b).blobs)).toEqual(['a']);
  });

  it('bounded: 1,000 pages of 150 items all naming one 80 KB overflow chain read it once, in bounded time (a second or two on a loaded CI machine)', () => {
    // Read naively, that is 150,000 × 80 KB = 12 GB of copying.
    const base = libuuid();
    const chain = offPageItem(base.readUInt32LE(offItem(base) + 4), base.readUInt32LE(offItem(base) + 8));
    const pages: Buffer[] = [];
    for (let p = 0; p < 1000; p++) {
      const items: Buffer[] = [];
      for (let i = 0; i < 150; i++) items.push(keyItem(1 + p * 150 + i), chain);
      pages.push(hashPage(23 + p, items));
    }
    const b = withLastPage(Buffer.concat([base, ...pages]));
    const t = performance.now();
    const r = readBdbPackages(b);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(names(r.blobs)).toEqual(['libuuid']);
    // 150,000 refused references, listed up to maxProblems and then counted.
    expect(r.problems).toHaveLength(DEFAULT_BLOB_LIMITS.maxProblems + 1);
    expect(r.problems[0]).toMatch(/^page 23 entry 0: overflow page 3 is reached twice/);
    expect(r.problems.at(-1)).toBe(`${150_000 - DEFAULT_BLOB_LIMITS.maxProblems} more problems like these`);
  });
});
