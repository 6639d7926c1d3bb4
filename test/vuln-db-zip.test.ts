import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPath } from '../src/vuln/db/import.js';
import { DB_FILE, openDb } from '../src/vuln/db/store.js';
import { ZipReader } from '../src/vuln/db/zip.js';
import { InputError } from '../src/model/errors.js';
import { makeZip } from '../fixtures/vuln/zip-writer.js';
import type { ZipSpec } from '../fixtures/vuln/zip-writer.js';
import { makeZip64 } from '../fixtures/zip/zip64-writer.js';
import { ZIP64_FIXTURE_ENTRIES } from '../fixtures/zip/generate.js';
import { projectRoot } from './helpers/shared.js';

let root: string;
let n = 0;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'chartaudit-vulnzip-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const record = (id: string, name = 'pkg'): string =>
  JSON.stringify({ id, modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'Bitnami', name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }] }] });

function zipFile(specs: ZipSpec[] | Buffer, name = `a${n++}.zip`): string {
  const p = join(root, name);
  writeFileSync(p, Buffer.isBuffer(specs) ? specs : makeZip(specs));
  return p;
}

/** Expects an InputError whose message starts with the file name and matches `re`. */
async function refused(file: string, re: RegExp, dbDir = join(root, `db${n++}`)): Promise<void> {
  const err = await importPath(file, dbDir).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  expect((err as InputError).message.startsWith(`${file}: `)).toBe(true);
  expect((err as InputError).message).toMatch(re);
  expect((err as InputError).file).toBe(file);
}

describe('zip archives', () => {
  it('reads a well-formed zip: JSON and YAML entries, stored and deflated; ignores directories and other files', async () => {
    const f = zipFile([
      { name: 'Bitnami/', data: '' , method: 0 },
      { name: 'Bitnami/BIT-a-1.json', data: record('BIT-a-1') },
      { name: 'BIT-b-1.json', data: record('BIT-b-1', 'b'), method: 0 },
      { name: 'BIT-c-1.yaml', data: 'id: BIT-c-1\nmodified: 2024-01-01T00:00:00Z\naffected: [{package: {ecosystem: Bitnami, name: c}}]\n' },
      { name: 'README.txt', data: 'hello' },
      { name: 'broken.json', data: '{"id": ' },
    ]);
    const s = await importPath(f, join(root, 'good'));
    expect(s).toMatchObject({ imported: 3, skippedCount: 1, skipped: [{ name: expect.stringMatching(/\.zip!broken\.json$/), reason: expect.stringMatching(/^invalid JSON/) }] });
    expect(s.sources[0]!.kind).toBe('osv-zip');
  });

  it('reads zips made by Info-ZIP, zip64 included (interop: the zip tool is required, never skipped)', async () => {
    const src = join(root, 'src');
    mkdirSync(src);
    for (let i = 0; i < 5; i++) writeFileSync(join(src, `BIT-z-${i}.json`), record(`BIT-z-${i}`));
    const plain = join(root, 'infozip.zip');
    const z64 = join(root, 'infozip64.zip');
    const files = readdirSync(src).map((x) => join(src, x));
    const zipTool = spawnSync('zip', ['-v'], { encoding: 'utf8' });
    expect(zipTool.error, 'Info-ZIP `zip` must be installed for this interop test').toBeUndefined();
    execFileSync('zip', ['-q', '-j', plain, ...files]);
    execFileSync('zip', ['-q', '-fz', z64, '-'], { input: Buffer.concat(files.map((f) => readFileSync(f))) });
    expect(await importPath(plain, join(root, 'iz'))).toMatchObject({ imported: 5 });
    const r = ZipReader.open(z64);
    try {
      expect(r.count).toBe(1);
      expect(r.readEntry(r.entry(0)).toString()).toContain('BIT-z-0');
    } finally {
      r.close();
    }
  });

  it('reads zip64 archives made by our own writer (committed fixture and built here), no tool needed', async () => {
    const committed = join(projectRoot, 'fixtures', 'zip', 'zip64.zip');
    // The committed file is what the generator writes today.
    expect(readFileSync(committed).equals(makeZip64(ZIP64_FIXTURE_ENTRIES))).toBe(true);
    const r = ZipReader.open(committed);
    try {
      expect(r.count).toBe(2);
      const entries = [...r];
      expect(entries.map((e) => [e.name, e.method, e.size])).toEqual(ZIP64_FIXTURE_ENTRIES.map((e) => [e.name, e.method ?? 8, Buffer.byteLength(e.data)]));
      expect(entries.map((e) => r.readEntry(e).toString())).toEqual(ZIP64_FIXTURE_ENTRIES.map((e) => e.data));
    } finally {
      r.close();
    }
    expect(await importPath(committed, join(root, 'z64'))).toMatchObject({ imported: 2 });
    // A larger one built here: many entries, a 1 MiB deflated record.
    const big = zipFile(makeZip64([...Array.from({ length: 300 }, (_, i) => ({ name: `BIT-m-${i}.json`, data: record(`BIT-m-${i}`) })), { name: 'pad.txt', data: Buffer.alloc(1 << 20, 0x61) }]));
    const rb = ZipReader.open(big);
    try {
      expect(rb.count).toBe(301);
      expect(rb.readEntry(rb.entry(300)).length).toBe(1 << 20);
    } finally {
      rb.close();
    }
  });

  it('reads a plain zip of exactly 65,535 entries (0xffff in the end record, no zip64 locator), as Go does', () => {
    const file = zipFile(makeZip(Array.from({ length: 0xffff }, (_, i) => ({ name: `${i}.txt`, data: '', method: 0 }))));
    const r = ZipReader.open(file);
    try {
      expect(r.count).toBe(0xffff);
      expect(r.entry(0xfffe).name).toBe('65534.txt');
    } finally {
      r.close();
    }
  });

  it('refuses a zip64 entry count the central directory cannot hold, before sizing anything by it', () => {
    const file = zipFile(makeZip64([{ name: 'a.json', data: record('X-1') }], { count: 2_000_000n }));
    expect(() => ZipReader.open(file)).toThrow(new InputError(`${file}: corrupt central directory (2000000 entries cannot fit in 80 bytes)`, file));
    const lying = zipFile(makeZip64([{ name: 'a.json', data: record('X-1') }, { name: 'b.json', data: record('X-2') }], { count: 4n }));
    expect(() => ZipReader.open(lying)).toThrow(/corrupt central directory \(4 entries cannot fit in 160 bytes\)/);
  });

  it('bounds the compressed size too: a stored entry is exactly its size, deflate stays near the limit', () => {
    // A stored entry of 10 bytes whose directory claims 1 MiB of compressed data (all in the file).
    const pad = Buffer.alloc(1 << 20, 0x20);
    const z = makeZip([{ name: 'a.json', data: pad, method: 0, declaredSize: 10 }]);
    const file = zipFile(z);
    const r = ZipReader.open(file);
    try {
      expect(() => r.readEntry(r.entry(0))).toThrow(`${file}: entry a.json: compressed size 1048576 is impossible for a stored entry of 10 bytes (corrupt archive or zip bomb?)`);
    } finally {
      r.close();
    }
    // Deflated: 1 MiB of compressed bytes cannot inflate to at most 64 KiB.
    const noise = Buffer.alloc(1 << 20);
    let x = 0x9e3779b9; // xorshift32: incompressible and reproducible
    for (let i = 0; i < noise.length; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      noise[i] = x & 0xff;
    }
    const f2 = zipFile(makeZip([{ name: 'b.json', data: noise, declaredSize: 10 }]));
    const r2 = ZipReader.open(f2, { maxEntryBytes: 64 * 1024 });
    try {
      expect(() => r2.readEntry(r2.entry(0))).toThrow(/entry b\.json: compressed size \d+ is impossible for an entry of at most 0\.0625 MiB/);
    } finally {
      r2.close();
    }
  });

  it("checks overlap on what is read: a local header's extra field cannot shift an entry's data into the next one", () => {
    const big = record('X-BIG').repeat(200);
    const z = makeZip([{ name: 'a.json', data: Buffer.alloc(4000, 0x20), method: 0 }, { name: 'b.json', data: big }]);
    const cen = z.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const cenB = z.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), cen + 4);
    const locB = z.readUInt32LE(cenB + 42);
    // a.json's local header claims an extra field reaching b.json's data; its directory record
    // copies b.json's sizes, method and CRC, so without the check a.json reads b.json's data.
    z.writeUInt16LE(locB + 30 + 6 - 36, 28);
    z.copy(z, cen + 10, cenB + 10, cenB + 28); // method, time, date, crc, sizes
    const file = zipFile(z);
    const r = ZipReader.open(file);
    try {
      expect(r.entry(0).compressedSize).toBe(r.entry(1).compressedSize);
      expect(() => r.readEntry(r.entry(0))).toThrow(`${file}: entry a.json: local header shifts its data past the next entry (overlapping entries, zip bomb?)`);
      expect(r.readEntry(r.entry(1)).toString()).toBe(big);
    } finally {
      r.close();
    }
  });

  it('refuses an entry that inflates past 16 MiB (declared or not)', async () => {
    const big = Buffer.alloc(17 * 1024 * 1024, 0x20);
    await refused(zipFile([{ name: 'ok.json', data: record('X-1') }, { name: 'bomb.json', data: big }]), /entry bomb\.json inflates past 16 MiB/);
    await refused(zipFile([{ name: 'liar.json', data: big, declaredSize: 100 }]), /entry liar\.json inflates past 16 MiB \(zip bomb\?\)/);
  });

  it('refuses overlapping entries (the overlap zip bomb)', async () => {
    await refused(zipFile([{ name: 'a.json', data: record('X-1') }, { name: 'b.json', data: '', sameDataAs: 0 }, { name: 'c.json', data: '', sameDataAs: 0 }]), /entries a\.json and b\.json overlap/);
  });

  it('refuses traversal, absolute and NUL names', async () => {
    await refused(zipFile([{ name: '../evil.json', data: record('X-1') }]), /entry name "\.\.\/evil\.json" contains '\.\.'/);
    await refused(zipFile([{ name: 'a/../../evil.json', data: record('X-1') }]), /contains '\.\.'/);
    await refused(zipFile([{ name: 'a\\..\\evil.json', data: record('X-1') }]), /contains '\.\.'/);
    await refused(zipFile([{ name: '/etc/evil.json', data: record('X-1') }]), /is an absolute path/);
    await refused(zipFile([{ name: 'C:/evil.json', data: record('X-1') }]), /is an absolute path/);
    await refused(zipFile([{ name: 'a\0.json', data: record('X-1') }]), /NUL/);
  });

  it('refuses truncated archives, corrupt data and files that are not zips', async () => {
    const good = makeZip([{ name: 'a.json', data: record('X-1') }, { name: 'b.json', data: record('X-2') }]);
    await refused(zipFile(good.subarray(0, Math.floor(good.length / 2))), /truncated zip archive/);
    await refused(zipFile(good.subarray(0, good.length - 10)), /truncated zip archive/);
    const corrupt = Buffer.from(good);
    corrupt[40] = corrupt[40]! ^ 0xff; // inside the first entry's deflate data
    await refused(zipFile(corrupt), /entry a\.json: (corrupt deflate data|CRC-32 mismatch|inflated to)/);
    const stored = makeZip([{ name: 'a.json', data: record('X-1'), method: 0 }]);
    stored[45] = stored[45]! ^ 0x01;
    await refused(zipFile(stored), /entry a\.json: CRC-32 mismatch/);
    await refused(zipFile(Buffer.from('this is not a zip archive, just text, but long enough to look for an end record')), /: not a zip archive$/);
    await refused(zipFile(Buffer.from('PK')), /not a zip archive \(too short\)/);
  });

  it('refuses encrypted entries and unknown methods', async () => {
    await refused(zipFile([{ name: 'a.json', data: record('X-1'), flags: 1 }]), /entry a\.json is encrypted/);
    const m = makeZip([{ name: 'a.json', data: record('X-1'), method: 0 }]);
    // set the method to 14 (LZMA) in both headers
    m.writeUInt16LE(14, 8);
    m.writeUInt16LE(14, m.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 10);
    await refused(zipFile(m), /unsupported compression method 14/);
  });

  it('refuses more entries than the limit', async () => {
    const f = zipFile([1, 2, 3].map((i) => ({ name: `${i}.json`, data: record(`X-${i}`) })));
    const err = await importPath(f, join(root, 'many'), { limits: { maxEntries: 2 } }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`${f}: too many entries (3; the limit is 2)`);
  });

  it('leaves the existing database untouched when a zip is refused', async () => {
    const d = join(root, 'kept');
    await importPath(zipFile([{ name: 'a.json', data: record('KEEP-1') }]), d);
    const before = readFileSync(join(d, DB_FILE));
    await refused(zipFile([{ name: 'ok.json', data: record('X-1') }, { name: '../evil.json', data: record('X-2') }]), /contains '\.\.'/, d);
    await refused(zipFile([{ name: 'ok.json', data: record('X-1') }, { name: 'bomb.json', data: Buffer.alloc(17 * 1024 * 1024) }]), /inflates past/, d);
    expect(readFileSync(join(d, DB_FILE)).equals(before)).toBe(true);
    expect(readdirSync(d)).toEqual([DB_FILE]);
    const db = openDb(d, { readonly: true });
    expect(db.recordsByIds(['KEEP-1', 'X-1']).map((r) => r.id)).toEqual(['KEEP-1']);
    db.close();
  });
});
