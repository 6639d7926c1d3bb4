import { describe, expect, it } from 'vitest';
import type { FoundOs, FoundPackage } from '../model/stages.js';
import type { LayerRecord } from './layer.js';
import { mergeLayers } from './merge.js';

const pkg = (name: string, path: string, version = '1'): FoundPackage => ({ type: 'npm', ecosystem: 'npm', name, version, paths: [path], confidence: 'exact' });
const os = (name: string, variant?: string): FoundOs => ({ family: 'debian', release: '12', ecosystem: 'Debian:12', name, ...(variant ? { variant } : {}) });
const layer = (digest: string, r: Partial<LayerRecord>): { digest: string; record: LayerRecord } => ({
  digest,
  record: { whiteouts: [], opaqueDirs: [], read: r.packages?.flatMap((p) => p.paths) ?? [], packages: [], os: null, gaps: [], entries: 1, ...r },
});
const names = (l: { digest: string; record: LayerRecord }[]) => mergeLayers(l).packages.map((p) => `${p.name}@${p.version}:${p.layer}`).sort();

describe('layers merged as Trivy applies them', () => {
  it.each([
    ['packages of every layer survive', [layer('L1', { packages: [pkg('a', '/n/a/package.json')] }), layer('L2', { packages: [pkg('b', '/n/b/package.json')] })], ['a@1:L1', 'b@1:L2']],
    ['a later layer that reads the same path replaces it', [layer('L1', { packages: [pkg('a', '/n/a/package.json')] }), layer('L2', { packages: [pkg('a', '/n/a/package.json', '2')] })], ['a@2:L2']],
    ['a later layer that read the path and found nothing deletes it', [layer('L1', { packages: [pkg('a', '/n/a/package.json')] }), layer('L2', { read: ['/n/a/package.json'] })], []],
    ['a whiteout of the file deletes it', [layer('L1', { packages: [pkg('a', '/n/a/package.json')] }), layer('L2', { whiteouts: ['/n/a/package.json'] })], []],
    ['a whiteout of a parent directory deletes everything below', [layer('L1', { packages: [pkg('a', '/n/a/package.json'), pkg('b', '/m/b/package.json')] }), layer('L2', { whiteouts: ['/n'] })], ['b@1:L1']],
    ['a whiteout of a sibling prefix does not (/n/a vs /n/ab)', [layer('L1', { packages: [pkg('ab', '/n/ab/package.json')] }), layer('L2', { whiteouts: ['/n/a'] })], ['ab@1:L1']],
    ['an opaque directory hides lower children, not its own layer', [layer('L1', { packages: [pkg('a', '/n/a/package.json')] }), layer('L2', { opaqueDirs: ['/n'], packages: [pkg('c', '/n/c/package.json')] })], ['c@1:L2']],
    ['a whiteout does not delete what a later layer adds again', [layer('L1', { packages: [pkg('a', '/n/a/package.json')] }), layer('L2', { whiteouts: ['/n/a'] }), layer('L3', { packages: [pkg('a', '/n/a/package.json', '3')] })], ['a@3:L3']],
  ])('%s', (_n, layers, expected) => {
    expect(names(layers)).toEqual(expected);
  });

  it('the topmost release wins, but a busybox-only guess never replaces a release file', () => {
    const r = mergeLayers([
      layer('L1', { os: { paths: ['/etc/os-release'], os: os('Debian 12') } }),
      layer('L2', { os: { paths: ['/bin/busybox'], os: os('BusyBox', 'busybox') } }),
    ]);
    expect(r.os).toMatchObject({ name: 'Debian 12', layer: 'L1' });
    const upgraded = mergeLayers([
      layer('L1', { os: { paths: ['/etc/os-release'], os: os('Debian 11') } }),
      layer('L2', { os: { paths: ['/etc/os-release'], os: os('Debian 12') } }),
    ]);
    expect(upgraded.os).toMatchObject({ name: 'Debian 12', layer: 'L2' });
    const deleted = mergeLayers([layer('L1', { os: { paths: ['/etc/os-release'], os: os('Debian 12') } }), layer('L2', { whiteouts: ['/etc/os-release'] })]);
    expect(deleted.os).toBeNull();
  });

  it('gaps follow their file: a later layer replacing the file drops the old gap', () => {
    const r = mergeLayers([
      layer('L1', { gaps: [{ path: '/var/lib/dpkg/status', reason: 'truncated' }], read: ['/var/lib/dpkg/status'] }),
      layer('L2', { read: ['/var/lib/dpkg/status'] }),
    ]);
    expect(r.gaps).toEqual([]);
  });
});
