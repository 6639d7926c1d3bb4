/** The busybox analyser: a busybox-only layer named as such; anything with a distribution is not. */
import { describe, expect, it } from 'vitest';
import type { FoundOs, ImageFile } from '../../model/stages.js';
import { madeFile } from '../../../test/helpers/image-content-fixtures.js';
import { busyboxAnalyser } from './busybox.js';

const binary = (banner: string): Buffer => Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(4096), Buffer.from(banner), Buffer.alloc(64)]);
const analyse = (files: ImageFile[]) => {
  for (const f of files) expect(busyboxAnalyser.wants(f.path, { mode: 0o755, size: f.size }), f.path).toBe(true);
  return busyboxAnalyser.analyse(files);
};

describe('busybox analyser', () => {
  it.each([
    ['the busybox image: /bin/busybox and nothing else', [madeFile('/bin/busybox', binary('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.'))], { family: 'busybox', release: '1.36.1', ecosystem: null, name: 'BusyBox v1.36.1', variant: 'busybox' }],
    ['a banner without a version', [madeFile('/bin/busybox', binary('no banner here'))], { family: 'busybox', release: '', name: 'BusyBox', variant: 'busybox' }],
    ['an apk upgrade of busybox (the database is rewritten too)', [madeFile('/bin/busybox', binary('BusyBox v1.36.1')), madeFile('/lib/apk/db/installed', 'P:busybox\nV:1.36.1-r2\n')], undefined],
    ['Debian\'s busybox package', [madeFile('/usr/bin/busybox', binary('BusyBox v1.35.0')), madeFile('/var/lib/dpkg/status', 'Package: busybox\nVersion: 1:1.35.0-4+b3\n')], undefined],
    ['an Alpine base layer', [madeFile('/bin/busybox', binary('BusyBox v1.36.1')), madeFile('/etc/os-release', 'ID=alpine\nVERSION_ID=3.18.4\n')], undefined],
    ['a distroless layer with status.d', [madeFile('/bin/busybox', binary('BusyBox v1.36.1')), madeFile('/var/lib/dpkg/status.d/busybox', 'Package: busybox\nVersion: 1\n')], undefined],
    ['a layer without busybox', [madeFile('/etc/debian_version', '12.5\n')], undefined],
  ] as [string, ImageFile[], Partial<FoundOs> | undefined][])('%s', (_n, files, want) => {
    const r = analyse(files);
    expect(r.packages).toEqual([]);
    expect(r.gaps).toEqual([]);
    if (want === undefined) expect(r.os).toBeUndefined();
    else expect(r.os).toMatchObject(want);
  });

  it.each([
    ['/bin/busybox', true],
    ['/usr/bin/busybox', true],
    ['/etc/os-release', true],
    ['/var/lib/dpkg/status', true],
    ['/bin/sh', false],
    ['/busybox/busybox', false],
  ])('wants %s → %s', (path, wanted) => {
    expect(busyboxAnalyser.wants(path, { mode: 0o755, size: 1000 })).toBe(wanted);
  });

  it('a 30 MiB binary without a banner is read in linear time; a banner version is at most 32 characters', () => {
    const t0 = Date.now();
    const r = analyse([madeFile('/bin/busybox', Buffer.alloc(30 << 20, 'B'))]);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(r.os).toMatchObject({ release: '' });
    const long = analyse([madeFile('/bin/busybox', binary('BusyBox v1' + '.1'.repeat(100)))]);
    expect(long.os!.release.length).toBe(32);
  });
});
