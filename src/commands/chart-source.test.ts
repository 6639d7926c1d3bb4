import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../model/errors.js';
import { chartRefKind } from './chart-ref.js';
import { helmRegistryConfigPath, matchTag, parseOciChartRef, parseStrictVersion, semverTags } from './chart-source.js';

describe('parseOciChartRef', () => {
  const ok: [string, { host: string; registry: string; repository: string; tag: string | null; digest: string | null }][] = [
    ['oci://127.0.0.1:5000/charts/demo', { host: '127.0.0.1:5000', registry: '127.0.0.1:5000', repository: 'charts/demo', tag: null, digest: null }],
    ['oci://registry-1.docker.io/bitnamicharts/postgresql', { host: 'registry-1.docker.io', registry: 'docker.io', repository: 'bitnamicharts/postgresql', tag: null, digest: null }],
    // the first component is the registry even without a dot (oras, unlike docker)
    ['oci://myregistry/demo:1.0.0', { host: 'myregistry', registry: 'myregistry', repository: 'demo', tag: '1.0.0', digest: null }],
    ['oci://ghcr.io/a/b/c:1.2.3+build.5', { host: 'ghcr.io', registry: 'ghcr.io', repository: 'a/b/c', tag: '1.2.3_build.5', digest: null }],
    [`oci://localhost:5000/demo@sha256:${'a'.repeat(64)}`, { host: 'localhost:5000', registry: 'localhost:5000', repository: 'demo', tag: null, digest: `sha256:${'a'.repeat(64)}` }],
    [`oci://h.example/demo:2.0.0@sha256:${'b'.repeat(64)}`, { host: 'h.example', registry: 'h.example', repository: 'demo', tag: '2.0.0', digest: `sha256:${'b'.repeat(64)}` }],
    ['oci://[::1]:5000/demo', { host: '[::1]:5000', registry: '[::1]:5000', repository: 'demo', tag: null, digest: null }],
  ];
  it.each(ok)('%s', (raw, want) => {
    expect(parseOciChartRef(raw)).toEqual({ raw, ...want });
  });

  const bad: [string, RegExp][] = [
    ['oci://', /no registry host/],
    ['oci://host', /no registry host/],
    ['oci:///demo', /no registry host/],
    ['oci://ho st/demo', /not a registry host/],
    ['oci://host/Demo', /not a repository path.*lowercase/],
    ['oci://host/demo:', /not a valid tag/],
    ['oci://host/demo:-x', /not a valid tag/],
    ['oci://host/demo@sha256:abc', /not a sha256 or sha512 digest/],
    ['oci://host/demo@md5:' + 'a'.repeat(32), /not a sha256 or sha512 digest/],
    ['oci://host/a//b', /not a repository path/],
  ];
  it.each(bad)('refuses %s', (raw, why) => {
    expect(() => parseOciChartRef(raw)).toThrow(UsageError);
    expect(() => parseOciChartRef(raw)).toThrow(why);
  });
});

describe('tags as helm reads them', () => {
  it('strict SemVer only, `_` read as `+`, newest first', () => {
    expect(semverTags(['latest', '1.0.0', 'v2.0.0', '1.2', '01.0.0', '1.10.0', '1.2.3_build.5', '1.9.0-rc.1', '2.0.0-alpha', 'sha256-abc.sig'])).toEqual([
      '2.0.0-alpha', '1.10.0', '1.9.0-rc.1', '1.2.3+build.5', '1.0.0',
    ]);
  });
  it('parseStrictVersion', () => {
    for (const v of ['1.0.0', '0.0.0', '1.2.3-rc.1+meta', '10.20.30']) expect(parseStrictVersion(v)).not.toBeNull();
    for (const v of ['1.0', 'v1.0.0', '01.0.0', '1.0.0-', '1.0.0+', '1.0.0.0', '']) expect(parseStrictVersion(v)).toBeNull();
  });

  const tags = semverTags(['1.0.0', '1.2.3_build.5', '1.3.0-rc.1', '2.0.0', '2.1.0-alpha.1']);
  const table: [string, string][] = [
    ['', '2.0.0'],
    ['*', '2.0.0'],
    ['^1', '1.2.3+build.5'],
    ['~1.2', '1.2.3+build.5'],
    ['>=1.0.0-0 <2.0.0', '1.3.0-rc.1'],
    ['<2', '1.2.3+build.5'],
    ['1.2.3+build.5', '1.2.3+build.5'],
    ['2.1.0-alpha.1', '2.1.0-alpha.1'],
    ['>2.0.0-0', '2.1.0-alpha.1'],
    ['1.x', '1.2.3+build.5'],
    ['1.0.0 || 2.0.0', '2.0.0'],
  ];
  it.each(table)('--version %j → %s', (v, want) => {
    expect(matchTag(tags, v)).toEqual({ tag: want });
  });
  it('says what there is when nothing matches', () => {
    expect(matchTag(tags, '^3')).toEqual({ error: 'no version satisfies --version "^3"; newest tags: 2.1.0-alpha.1, 2.0.0, 1.3.0-rc.1, 1.2.3+build.5, 1.0.0', usage: false });
    expect(matchTag(['1.0.0-rc.1'], '')).toEqual({ error: 'no version without a pre-release part (pass --version to pick one); newest tags: 1.0.0-rc.1', usage: false });
    const many = semverTags(Array.from({ length: 12 }, (_, i) => `1.${i}.0`));
    expect(matchTag(many, '>5')).toEqual({ error: 'no version satisfies --version ">5"; newest tags: 1.11.0, 1.10.0, 1.9.0, 1.8.0, 1.7.0 (12 in all)', usage: false });
    const invalid = matchTag(tags, '>>1');
    expect(invalid).toMatchObject({ usage: true });
    expect('error' in invalid && invalid.error).toMatch(/^--version ">>1" is neither a version nor a constraint/);
  });
});

describe('chartRefKind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chartaudit-chartref-'));
  writeFileSync(join(dir, 'x.tgz'), 'x');
  const table: [string, { repo?: string } | undefined, string][] = [
    ['oci://h/c', undefined, 'oci'],
    [join(dir, 'x.tgz'), undefined, 'local'],
    [dir, undefined, 'local'],
    ['./missing/chart', undefined, 'local'],
    ['/abs/missing', undefined, 'local'],
    ['missing/chart-1.0.0.tgz', undefined, 'local'],
    ['bitnami/postgresql', undefined, 'repo'],
    ['center/jfrog/artifactory', undefined, 'repo'],
    ['postgresql', undefined, 'local'],
    ['postgresql', { repo: 'https://charts.example' }, 'repo'],
  ];
  it.each(table)('%s %j → %s', (ref, opts, want) => {
    expect(chartRefKind(ref, opts)).toBe(want);
  });
  it('other URLs are a usage error', () => {
    expect(() => chartRefKind('https://charts.example/x-1.0.0.tgz')).toThrow(/charts by URL are not supported/);
  });
});

describe('helmRegistryConfigPath', () => {
  const e = (env: Record<string, string>) => ({ env, home: '/home/u', now: new Date() });
  it('as helm: HELM_REGISTRY_CONFIG, then the config home', () => {
    expect(helmRegistryConfigPath(e({ HELM_REGISTRY_CONFIG: '/r.json', HELM_CONFIG_HOME: '/c' }))).toBe('/r.json');
    expect(helmRegistryConfigPath(e({ HELM_CONFIG_HOME: '/c', XDG_CONFIG_HOME: '/x' }))).toBe('/c/registry/config.json');
    expect(helmRegistryConfigPath(e({ XDG_CONFIG_HOME: '/x' }))).toBe('/x/helm/registry/config.json');
    if (process.platform === 'linux') expect(helmRegistryConfigPath(e({ HOME: '/h' }))).toBe('/h/.config/helm/registry/config.json');
  });
});
