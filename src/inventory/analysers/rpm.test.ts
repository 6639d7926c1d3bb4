import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fixtureFile, fixturesUnder, madeFile, type ImageFixture } from '../../../test/helpers/image-content-fixtures.js';
import { packageHeader, sqliteRpmdb } from '../../../test/helpers/rpm.js';
import { sharedZipEntries } from '../../../test/helpers/shared.js';
import type { FoundPackage } from '../../model/stages.js';
import { parseRpmHeader } from '../rpm/header.js';
import { osPackagePurl } from '../os/purl.js';
import { rpmOsvVersion } from '../rpm/package.js';
import { readNdbPackages } from '../rpm/ndb.js';
import { readSqlitePackages } from '../rpm/sqlite.js';
import { analyseRpmFile, DEFAULT_RPM_LIMITS, rpmAnalyser } from './rpm.js';

/** `rpm/<fixture>/var/lib/rpm/Packages` → `/var/lib/rpm/Packages`: each fixture is a rootfs below its second segment. */
const imagePath = (f: ImageFixture) => '/' + f.path.split('/').slice(2).join('/');
const fixtures = fixturesUnder('rpm');
/**
 * The purl the inventory gives a package of this database (src/inventory/os/purl.ts), without the
 * vendor namespace and distro that come from the image's OS: syft writes a bare database's
 * purls so (`pkg:rpm/dive@0.9.2-1?arch=x86_64&upstream=dive-0.9.2-1.src.rpm`).
 */
const bareRpmPurl = (p: FoundPackage) =>
  osPackagePurl(p, { family: 'vendor', release: '1', ecosystem: null, name: 'test' }).replace('pkg:rpm/vendor/', 'pkg:rpm/').replace(/distro=vendor-1&?/, '').replace(/\?$/, '');
/** expected.json's spot checks made by reading the data (not peer assertions). */
const observed = (f: ImageFixture) => (f as ImageFixture & { observed: unknown[] }).observed;
const fixture = (kind: string, name: string) => fixtures.find((f) => f.kind === kind && f.path.includes(name))!;

/** The source rpm's name and version-release, split by a regex here (not by the code under test). */
function sourceOf(sourceRpm: string): { name: string; version: string } {
  const m = /^(.+)-([^-]+)-([^-]+)\.[^.]+\.rpm$/.exec(sourceRpm)!;
  return { name: m[1]!, version: `${m[2]}-${m[3]}` };
}

/** What go-rpmdb's PackageInfo says, as our FoundPackage spells it. */
function fromGoRpmdb(p: Record<string, unknown>, path: string): FoundPackage {
  const pkg: FoundPackage = {
    type: 'rpm',
    name: p.name as string,
    version: `${p.version}-${p.release}`,
    release: p.release as string,
    arch: p.arch as string,
    source: sourceOf(p.sourceRpm as string),
    paths: [path],
    confidence: 'exact',
  };
  if (p.epoch !== null && p.epoch !== undefined) pkg.epoch = p.epoch as number;
  return pkg;
}

function analyseFixture(f: ImageFixture) {
  const file = fixtureFile(f, imagePath(f));
  expect(rpmAnalyser.wants(file.path, { mode: 0o644, size: file.size })).toBe(true);
  return { file, result: rpmAnalyser.analyse([file]) };
}

describe('rpm analyser on the go-rpmdb and syft fixtures (../shared/testdata/images/rpm, expected.json)', () => {
  it('covers the six rpm fixtures', () => {
    expect(fixtures.map((f) => f.kind).sort()).toEqual(['rpm-bdb', 'rpm-bdb', 'rpm-header-blob', 'rpm-manifest', 'rpm-ndb', 'rpm-sqlite']);
  });

  it('NDB (SLE 15 BCI): the 35 packages of go-rpmdb TestPackageList, with licence and vendor in the header', () => {
    const f = fixture('rpm-ndb', 'sle15');
    const { file, result } = analyseFixture(f);
    const peer = f.expectations[0]!.packages!;
    expect(peer).toHaveLength(35);
    expect(result.gaps).toEqual([]);
    expect(result.packages).toEqual(peer.map((p) => fromGoRpmdb(p, file.path)));
  });

  it('SQLite (CBL-Mariner 2.0): 129 rows, curl as go-rpmdb TestRpmDB_Package expects', () => {
    const f = fixture('rpm-sqlite', 'mariner');
    const { file, result } = analyseFixture(f);
    expect(result.gaps).toEqual([]);
    expect(result.packages).toHaveLength((observed(f) as { packagesRows: number }[])[0]!.packagesRows);
    const peer = f.expectations[0]!.package!;
    const curl = result.packages.filter((p) => p.name === 'curl');
    expect(curl).toEqual([fromGoRpmdb({ ...peer, epoch: null }, file.path)]);
  });

  it('SQLite: the blobs equal what SQLite itself returns (better-sqlite3, SELECT blob FROM Packages ORDER BY hnum)', () => {
    const file = fixtureFile(fixture('rpm-sqlite', 'mariner'), '/var/lib/rpm/rpmdb.sqlite');
    // rpm leaves the file in WAL mode (bytes 18-19 = 2): SQLite opens it from memory only once they say 1.
    expect([file.content[18], file.content[19]]).toEqual([2, 2]);
    const copy = Buffer.from(file.content);
    copy[18] = copy[19] = 1;
    const db = new Database(copy, { readonly: true });
    const rows = db.prepare('SELECT blob FROM Packages ORDER BY hnum').all() as { blob: Buffer }[];
    db.close();
    const ours = readSqlitePackages(file.content);
    expect(ours.problems).toEqual([]);
    expect(ours.blobs.length).toBe(129);
    expect(ours.blobs.map((b) => b.toString('hex'))).toEqual(rows.map((r) => r.blob.toString('hex')));
  });

  it('BerkeleyDB (UBI 8 libuuid): source package util-linux, as go-rpmdb TestRpmDB_Package expects', () => {
    const f = fixture('rpm-bdb', 'libuuid');
    const { file, result } = analyseFixture(f);
    expect(result.gaps).toEqual([]);
    expect(result.packages).toEqual([fromGoRpmdb({ ...f.expectations[0]!.package!, epoch: null }, file.path)]);
  });

  it('BerkeleyDB (syft): dive 0.9.2-1 with the purl syft TestParseRpmDB expects', () => {
    const f = fixture('rpm-bdb', 'syft-bdb');
    const { file, result } = analyseFixture(f);
    const peer = f.expectations[0]!.packages![0]! as { name: string; version: string; purl: string; metadata: Record<string, unknown> };
    expect(result.gaps).toEqual([]);
    expect(result.packages).toEqual([fromGoRpmdb({ ...peer.metadata }, file.path)]);
    expect(result.packages[0]!.version).toBe(peer.version);
    expect(bareRpmPurl(result.packages[0]!)).toBe(peer.purl);
  });

  it('container-manifest-2 (CBL-Mariner distroless): the five packages of syft TestParseRpmManifest, same purls', () => {
    const f = fixture('rpm-manifest', 'syft-manifest');
    const { file, result } = analyseFixture(f);
    const peer = f.expectations[0]!.packages! as { name: string; version: string; purl: string; metadata: Record<string, unknown> }[];
    expect(result.gaps).toEqual([]);
    expect(result.packages).toEqual(peer.map((p) => fromGoRpmdb(p.metadata, file.path)));
    expect(result.packages.map(bareRpmPurl)).toEqual(peer.map((p) => p.purl));
    // Deliberate difference: syft's `version` carries the epoch (vim `2:9.0-1.cm2`); ours keeps it
    // apart (FoundPackage contract), and rpmOsvVersion puts it back the way OSV records spell it.
    const vim = result.packages.find((p) => p.name === 'vim')!;
    expect(vim).toMatchObject({ version: '9.0-1.cm2', epoch: 2 });
    expect(peer.find((p) => p.name === 'vim')!.version).toBe('2:9.0-1.cm2');
    expect(result.packages.map(rpmOsvVersion)).toEqual(peer.map((p) => p.version));
  });

  it('raw header blob (go-rpmdb TestNevra): NEVRA and source rpm as decoded by hand in expected.json', () => {
    const f = fixture('rpm-header-blob', 'blob');
    const seen = (observed(f) as Record<string, unknown>[])[0]!;
    const h = parseRpmHeader(fixtureFile(f, '/blob.bin').content);
    expect(h).toMatchObject({ ok: true });
    if (!h.ok) return;
    expect(h.header).toMatchObject({ name: seen.name, version: seen.version, release: seen.release, arch: seen.arch, sourceRpm: seen.sourceRpm });
    expect(h.header.epoch).toBeUndefined();
  });

  it('licence and vendor come out of the headers (cheap: same pass), as go-rpmdb reads them', () => {
    const f = fixture('rpm-ndb', 'sle15');
    const file = fixtureFile(f, imagePath(f));
    const peer = f.expectations[0]!.packages!;
    // Through the NDB reader, header by header.
    const heads = readNdbPackages(file.content).blobs.map((b) => parseRpmHeader(b)).map((r) => (r.ok ? { license: r.header.license, vendor: r.header.vendor } : null));
    expect(heads).toEqual(peer.map((p) => ({ license: p.license, vendor: p.vendor })));
  });
});

describe('rpm analyser: versions keyed as the AlmaLinux OSV records spell them (../shared/osv/real-mixed.zip)', () => {
  it('every AlmaLinux range event is [epoch:]version-release, the epoch only when not 0', () => {
    let events = 0;
    let withEpoch = 0;
    for (const e of sharedZipEntries('osv', 'real-mixed.zip')) {
      if (!e.name.startsWith('ALSA-')) continue;
      const rec = JSON.parse(e.data.toString('utf8')) as { affected: { package: { ecosystem: string }; ranges?: { events: Record<string, string>[] }[] }[] };
      for (const a of rec.affected) {
        expect(a.package.ecosystem).toMatch(/^AlmaLinux:\d+$/);
        for (const r of a.ranges ?? []) {
          for (const ev of r.events) {
            for (const v of Object.values(ev)) {
              if (v === '0') continue;
              events++;
              expect(v).toMatch(/^(?:[1-9]\d*:)?[^:-]+-[^:-]+$/);
              if (v.includes(':')) withEpoch++;
            }
          }
        }
      }
    }
    expect(events).toBeGreaterThan(6000);
    expect(withEpoch).toBe(380);
  });

  const cases: [Partial<FoundPackage>, string][] = [
    [{ version: '3.0.1-43.el9_0', epoch: 1 }, '1:3.0.1-43.el9_0'],
    [{ version: '2.9.13-11.el9_6' }, '2.9.13-11.el9_6'],
    [{ version: '2.9.13-11.el9_6', epoch: 0 }, '2.9.13-11.el9_6'],
  ];
  for (const [p, key] of cases) {
    it(`rpmOsvVersion(${JSON.stringify(p)}) = ${key}`, () => expect(rpmOsvVersion(p as FoundPackage)).toBe(key));
  }
});

describe('rpm analyser: which files it reads', () => {
  const cases: [string, boolean][] = [
    ['/var/lib/rpm/Packages', true],
    ['/var/lib/rpm/Packages.db', true],
    ['/var/lib/rpm/rpmdb.sqlite', true],
    ['/var/lib/rpm/rpmdb.sqlite-wal', true],
    ['/usr/lib/sysimage/rpm/Packages', true],
    ['/usr/lib/sysimage/rpm/Packages.db', true],
    ['/usr/lib/sysimage/rpm/rpmdb.sqlite', true],
    ['/usr/lib/sysimage/rpm/rpmdb.sqlite-wal', true],
    ['/usr/share/rpm/rpmdb.sqlite', true],
    ['/usr/share/rpm/Packages', true],
    ['/var/lib/rpmmanifest/container-manifest-2', true],
    ['/var/lib/rpm/rpmdb.sqlite-shm', false],
    ['/var/lib/rpm/Name', false],
    ['/var/lib/rpm/Basenames', false],
    ['/var/lib/rpm/Packages.rpmsave', false],
    ['/opt/app/var/lib/rpm/Packages', false],
    ['var/lib/rpm/Packages', false],
    ['/var/lib/rpmmanifest/container-manifest-1', false],
  ];
  for (const [path, wanted] of cases) {
    it(`${path}: ${wanted}`, () => expect(rpmAnalyser.wants(path, { mode: 0o644, size: 1 })).toBe(wanted));
  }
});

describe('rpm analyser: images', () => {
  const mariner = fixtureFile(fixture('rpm-sqlite', 'mariner'), '/usr/lib/sysimage/rpm/rpmdb.sqlite');

  it('a database reached through the /var/lib/rpm symlink is read once, under its real path', () => {
    const viaLink = { ...mariner, path: '/var/lib/rpm/rpmdb.sqlite', target: '/usr/lib/sysimage/rpm/rpmdb.sqlite' };
    for (const files of [[viaLink, mariner], [mariner, viaLink]]) {
      const r = rpmAnalyser.analyse(files);
      expect(r.packages).toHaveLength(129);
      expect(new Set(r.packages.map((p) => p.paths[0]))).toEqual(new Set(['/usr/lib/sysimage/rpm/rpmdb.sqlite']));
    }
    // Only the link delivered (its target is not a path the analyser asks for in that image): read under the link.
    expect(rpmAnalyser.analyse([viaLink]).packages).toHaveLength(129);
  });

  it('gpg-pubkey entries (imported signing keys) are not packages', () => {
    const db = sqliteRpmdb([
      packageHeader({ name: 'gpg-pubkey', version: 'fd431d51', release: '4ae0493b' }),
      packageHeader({ name: 'openssl-libs', version: '3.0.7', release: '27.el9', arch: 'x86_64', epoch: 1 }),
    ]);
    const r = rpmAnalyser.analyse([madeFile('/var/lib/rpm/rpmdb.sqlite', db)]);
    expect(r.gaps).toEqual([]);
    expect(r.packages).toEqual([
      { type: 'rpm', name: 'openssl-libs', version: '3.0.7-27.el9', epoch: 1, release: '27.el9', arch: 'x86_64', paths: ['/var/lib/rpm/rpmdb.sqlite'], confidence: 'exact' },
    ]);
    expect(rpmOsvVersion(r.packages[0]!)).toBe('1:3.0.7-27.el9');
    expect(osPackagePurl(r.packages[0]!, { family: 'rhel', release: '9.4', ecosystem: null, name: 'RHEL 9.4' })).toBe('pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=rhel-9.4&epoch=1');
  });

  it('a write-ahead log with frames beside the database is a gap; an empty one (header only) is not', () => {
    const wal = (n: number) => madeFile('/var/lib/rpm/rpmdb.sqlite-wal', Buffer.alloc(n));
    expect(rpmAnalyser.analyse([wal(0)]).gaps).toEqual([]);
    expect(rpmAnalyser.analyse([wal(32)]).gaps).toEqual([]);
    const r = rpmAnalyser.analyse([mariner, wal(32 + 24 + 4096)]);
    expect(r.packages).toHaveLength(129);
    expect(r.gaps).toEqual([{ path: '/var/lib/rpm/rpmdb.sqlite-wal', reason: expect.stringMatching(/^write-ahead log of 4152 bytes not applied/) }]);
  });

  const notDatabases: [string, Buffer, RegExp][] = [
    ['an empty file', Buffer.alloc(0), /^empty file/],
    ['a text file', Buffer.from('hello\n'.repeat(200)), /^not an rpm database: neither SQLite, NDB nor BerkeleyDB hash$/],
    ['a truncated SQLite file', mariner.content.subarray(0, 50), /^SQLite rpmdb: SQLite file of 50 bytes is truncated \(its header alone is 100\)$/],
  ];
  for (const [what, content, reason] of notDatabases) {
    it(`${what} where a database should be is one gap naming the file`, () => {
      const r = rpmAnalyser.analyse([madeFile('/var/lib/rpm/Packages', content)]);
      expect(r.packages).toEqual([]);
      expect(r.gaps).toEqual([{ path: '/var/lib/rpm/Packages', reason: expect.stringMatching(reason) }]);
    });
  }

  it('a damaged database is a gap naming the format and the place; what could be read is kept', () => {
    const ndb = fixtureFile(fixture('rpm-ndb', 'sle15'), '/usr/lib/sysimage/rpm/Packages.db');
    const content = Buffer.from(ndb.content);
    content[256 * 16 + 100] = content[256 * 16 + 100]! ^ 0x40;
    const r = rpmAnalyser.analyse([{ ...ndb, content }]);
    expect(r.packages).toHaveLength(34);
    expect(r.gaps).toEqual([{ path: '/usr/lib/sysimage/rpm/Packages.db', reason: 'NDB rpmdb: package 1: Adler-32 checksum mismatch (the blob is corrupt)' }]);
  });

  it('a file over the size limit is a gap, not read', () => {
    const r = analyseRpmFile(mariner, { ...DEFAULT_RPM_LIMITS, maxFileBytes: 1024 * 1024 });
    expect(r).toEqual({ packages: [], gaps: [{ path: mariner.path, reason: `${mariner.content.length} bytes, more than the 1048576 read` }] });
  });

  it('a bad header among good ones is a gap for that header; the others are read', () => {
    const bad = packageHeader({ name: 'x', version: '1', release: '1' });
    bad.writeInt32BE(0x7fffffff, 4); // dl beyond the blob
    const r = rpmAnalyser.analyse([madeFile('/var/lib/rpm/rpmdb.sqlite', sqliteRpmdb([packageHeader({ name: 'a', version: '1', release: '1' }), bad]))]);
    expect(r.packages.map((p) => p.name)).toEqual(['a']);
    expect(r.gaps).toEqual([{ path: '/var/lib/rpm/rpmdb.sqlite', reason: expect.stringMatching(/^header 2: header declares 2147483647 data bytes/) }]);
  });

  it('header problems are listed up to maxProblems, then counted', () => {
    const bad = packageHeader({ name: 'x', version: '1', release: '1' });
    bad.writeInt32BE(0, 0);
    const file = madeFile('/var/lib/rpm/rpmdb.sqlite', sqliteRpmdb(Array(30).fill(bad)));
    const r = analyseRpmFile(file, { ...DEFAULT_RPM_LIMITS, maxProblems: 3 });
    expect(r.gaps.map((g) => g.reason)).toEqual([
      'header 1: header declares 0 index entries (1 to 65535 allowed)',
      'header 2: header declares 0 index entries (1 to 65535 allowed)',
      'header 3: header declares 0 index entries (1 to 65535 allowed)',
      '27 more problems like these',
    ]);
  });

  it('never throws on random bytes behind each format\'s magic', () => {
    let x = 12345;
    const rand = (n: number) => {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
      return b;
    };
    const sqliteHead = mariner.content.subarray(0, 100);
    for (let i = 0; i < 300; i++) {
      const b = rand(512 + (i % 7) * 1000);
      if (i % 3 === 0) sqliteHead.copy(b, 0);
      if (i % 3 === 1) b.write('RpmP\0\0\0\0', 0, 'latin1');
      if (i % 3 === 2) b.writeUInt32LE(0x00061561, 12);
      const r = rpmAnalyser.analyse([madeFile('/var/lib/rpm/Packages', b)]);
      expect(r.gaps.length + r.packages.length).toBeGreaterThan(0);
    }
  });

  it('is a pure function of the bytes: the same result twice, the content untouched', () => {
    // Each database at its own place (both BerkeleyDB fixtures are var/lib/rpm/Packages).
    const files = fixtures
      .filter((f) => f.kind !== 'rpm-header-blob')
      .map((f) => fixtureFile(f, f.path.includes('libuuid') ? '/usr/share/rpm/Packages' : imagePath(f)));
    const digest = () => files.map((f) => createHash('sha256').update(f.content).digest('hex'));
    const before = digest();
    const a = rpmAnalyser.analyse(files);
    const b = rpmAnalyser.analyse(files);
    expect(b).toEqual(a);
    expect(digest()).toEqual(before);
    expect(a.gaps).toEqual([]);
    expect(a.packages.length).toBe(35 + 129 + 1 + 1 + 5);
  });
});
