import { describe, expect, it } from 'vitest';
import { InputError } from '../model/errors.js';
import { indexUrl, normaliseDigest, parseIndex, resolveChartVersion, resolveReferenceUrl } from './index.js';

const INDEX = `apiVersion: v1
entries:
  redis:
  - name: redis
    version: 20.1.3
    urls: [charts/redis-20.1.3.tgz]
    digest: ${'a'.repeat(64)}
    created: "2024-09-01T00:00:00Z"
  - name: redis
    version: 20.10.0
    urls: [charts/redis-20.10.0.tgz]
  - name: redis
    version: 21.0.0-rc.1
    urls: [charts/redis-21.0.0-rc.1.tgz]
  - name: redis
    version: 1.10
    urls: [x]
  - name: redis
    version: not-a-version
    urls: [x]
  pre:
  - version: 1.0.0-alpha
    urls: [x]
  jfrog/artifactory:
  - version: 1.0.0
    urls: [x]
generated: "2024-09-02T00:00:00Z"
`;

describe('parseIndex', () => {
  const idx = parseIndex(INDEX, 'http://x/index.yaml');
  it('sorts versions newest first by SemVer and skips invalid ones', () => {
    expect(idx.entries.get('redis')!.map((e) => e.version)).toEqual(['21.0.0-rc.1', '20.10.0', '20.1.3', '1.10']);
    expect(idx.skipped).toEqual([{ chart: 'redis', version: 'not-a-version', reason: 'invalid version "not-a-version"' }]);
  });
  it('keeps versions as strings (1.10 is not the float 1.1)', () => {
    expect(idx.entries.get('redis')!.some((e) => e.version === '1.10')).toBe(true);
  });
  it('refuses garbage', () => {
    expect(() => parseIndex('just a string', 's')).toThrow(/not a Helm repository index/);
    expect(() => parseIndex('entries: {}\n', 's')).toThrow(/no apiVersion/);
    expect(() => parseIndex('apiVersion: v1\nentries: [1]\n', 's')).toThrow(/entries is not a mapping/);
    expect(() => parseIndex('apiVersion: v1\nentries: {a: [\n', 's')).toThrow(InputError);
    expect(() => parseIndex(Buffer.from([0xff, 0xfe, 0x00]), 's')).toThrow(/not UTF-8/);
  });
  it('refuses a YAML alias bomb', () => {
    const lines = ['apiVersion: v1', 'a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    lines.push('entries: {}');
    expect(() => parseIndex(lines.join('\n'), 's')).toThrow(/alias/i);
  });
});

describe('resolveChartVersion', () => {
  const idx = parseIndex(INDEX, 'http://x/index.yaml');
  it('latest is the newest non-prerelease', () => {
    expect(resolveChartVersion(idx, 'redis').version).toBe('20.10.0');
  });
  it('exact version, then constraints', () => {
    expect(resolveChartVersion(idx, 'redis', '20.1.3').version).toBe('20.1.3');
    expect(resolveChartVersion(idx, 'redis', '~20.1').version).toBe('20.1.3');
    expect(resolveChartVersion(idx, 'redis', '^20').version).toBe('20.10.0');
    expect(resolveChartVersion(idx, 'redis', '>=21.0.0-0').version).toBe('21.0.0-rc.1');
    expect(resolveChartVersion(idx, 'redis', '21.0.0-rc.1').version).toBe('21.0.0-rc.1');
  });
  it('clear errors', () => {
    expect(() => resolveChartVersion(idx, 'nope')).toThrow('chart nope not found in repo http://x/index.yaml');
    expect(() => resolveChartVersion(idx, 'redi')).toThrow(/similar: redis/);
    expect(() => resolveChartVersion(idx, 'redis', '9.9.9')).toThrow('version 9.9.9 not found in repo http://x/index.yaml, available: 21.0.0-rc.1, 20.10.0, 20.1.3, 1.10');
    expect(() => resolveChartVersion(idx, 'pre')).toThrow(/only pre-release versions .*1\.0\.0-alpha.*--version/);
  });
  it('chart names with a slash', () => {
    expect(resolveChartVersion(idx, 'jfrog/artifactory').version).toBe('1.0.0');
  });
});

describe('URLs', () => {
  it('index URL keeps the query and adds one slash', () => {
    expect(indexUrl('https://h/charts/')).toBe('https://h/charts/index.yaml');
    expect(indexUrl('https://h/charts?token=1')).toBe('https://h/charts/index.yaml?token=1');
    expect(() => indexUrl('oci://h/c')).toThrow(/OCI/);
  });
  it('resolves chart URLs as helm', () => {
    expect(resolveReferenceUrl('https://h/charts', 'redis-1.tgz')).toBe('https://h/charts/redis-1.tgz');
    expect(resolveReferenceUrl('https://h/charts/', 'sub/redis-1.tgz')).toBe('https://h/charts/sub/redis-1.tgz');
    expect(resolveReferenceUrl('https://h/charts', '/abs/redis-1.tgz')).toBe('https://h/abs/redis-1.tgz');
    expect(resolveReferenceUrl('https://h/charts?t=1', 'redis-1.tgz')).toBe('https://h/charts/redis-1.tgz?t=1');
    expect(resolveReferenceUrl('https://h/charts', 'https://cdn/x.tgz')).toBe('https://cdn/x.tgz');
  });
  it('normalises digests', () => {
    expect(normaliseDigest('A'.repeat(64))).toBe(`sha256:${'a'.repeat(64)}`);
    expect(normaliseDigest(`sha256:${'b'.repeat(64)}`)).toBe(`sha256:${'b'.repeat(64)}`);
    expect(normaliseDigest('md5:abc')).toBeNull();
  });
});
