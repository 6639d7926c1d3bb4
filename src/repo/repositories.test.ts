import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../model/errors.js';
import { chartNameIn, helmRepositoryConfigPath, parseRepositoriesFile, resolveChartRef } from './repositories.js';

const dir = mkdtempSync(join(tmpdir(), 'chartaudit-repos-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FILE = join(dir, 'repositories.yaml');
writeFileSync(
  FILE,
  `apiVersion: ""
generated: "2024-01-01T00:00:00Z"
repositories:
- name: bitnami
  url: https://charts.bitnami.com/bitnami
  caFile: ""
  insecure_skip_tls_verify: false
- name: private
  url: http://127.0.0.1:1/charts
  username: alice
  password: s3cret
  pass_credentials_all: false
- name: center
  url: https://repo.chartcenter.io
`,
);

describe('helmRepositoryConfigPath', () => {
  it('follows helm', () => {
    expect(helmRepositoryConfigPath({ env: { HELM_REPOSITORY_CONFIG: '/x/r.yaml', HELM_CONFIG_HOME: '/c' } })).toBe('/x/r.yaml');
    expect(helmRepositoryConfigPath({ env: { HELM_CONFIG_HOME: '/c', XDG_CONFIG_HOME: '/xdg' } })).toBe('/c/repositories.yaml');
    expect(helmRepositoryConfigPath({ env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'darwin', home: '/h' })).toBe('/xdg/helm/repositories.yaml');
    expect(helmRepositoryConfigPath({ env: {}, platform: 'linux', home: '/h' })).toBe('/h/.config/helm/repositories.yaml');
    expect(helmRepositoryConfigPath({ env: {}, platform: 'darwin', home: '/h' })).toBe('/h/Library/Preferences/helm/repositories.yaml');
  });
});

describe('resolveChartRef', () => {
  const env = { HELM_REPOSITORY_CONFIG: FILE };
  it('resolves <repo>/<chart> through $HELM_REPOSITORY_CONFIG', () => {
    const r = resolveChartRef('bitnami/redis', { env });
    expect(r).toMatchObject({ chart: 'redis', repoName: 'bitnami', url: 'https://charts.bitnami.com/bitnami', configFile: FILE });
    expect(r.access).toEqual({ insecureSkipTlsVerify: false });
  });
  it('carries credentials', () => {
    expect(resolveChartRef('private/app', { env }).access).toEqual({ username: 'alice', password: 's3cret', passCredentialsAll: false });
  });
  it('splits at the first slash, as helm', () => {
    expect(resolveChartRef('center/jfrog/artifactory', { env }).chart).toBe('jfrog/artifactory');
  });
  it('helm default path via HELM_CONFIG_HOME', () => {
    expect(resolveChartRef('bitnami/redis', { env: { HELM_CONFIG_HOME: dir } }).url).toBe('https://charts.bitnami.com/bitnami');
  });
  it('unknown repository lists the known ones', () => {
    expect(() => resolveChartRef('nope/redis', { env })).toThrow(InputError);
    expect(() => resolveChartRef('nope/redis', { env })).toThrow(/no repository named "nope" in .*repositories\.yaml; known: bitnami, private, center/);
  });
  it('missing file', () => {
    expect(() => resolveChartRef('bitnami/redis', { env: { HELM_REPOSITORY_CONFIG: join(dir, 'absent.yaml') } })).toThrow(/no helm repositories file at .*absent\.yaml.*--repo URL/);
  });
  it('bad references', () => {
    expect(() => resolveChartRef('redis', { env })).toThrow(UsageError);
    expect(() => resolveChartRef('bitnami/', { env })).toThrow(UsageError);
  });
  it('--repo overrides: the file is not read, the prefix only names', () => {
    const missing = { HELM_REPOSITORY_CONFIG: join(dir, 'absent.yaml') };
    expect(resolveChartRef('redis', { env: missing, repoUrl: 'https://example.com/charts' })).toMatchObject({ chart: 'redis', repoName: null, url: 'https://example.com/charts', configFile: null });
    const r = resolveChartRef('bitnami/redis', { env, repoUrl: 'https://example.com/charts' });
    expect(r).toMatchObject({ chart: 'redis', repoName: 'bitnami', url: 'https://example.com/charts', access: {} });
    expect(chartNameIn(r, () => false)).toBe('redis');
    expect(chartNameIn(r, (n) => n === 'bitnami/redis')).toBe('bitnami/redis');
    expect(() => resolveChartRef('redis', { repoUrl: 'oci://r/x' })).toThrow(/OCI/);
    expect(() => resolveChartRef('redis', { repoUrl: 'not a url' })).toThrow(UsageError);
  });
});

describe('parseRepositoriesFile', () => {
  it('empty file and garbage', () => {
    expect(parseRepositoriesFile('', 'f')).toEqual([]);
    expect(parseRepositoriesFile('repositories: []\n', 'f')).toEqual([]);
    expect(() => parseRepositoriesFile('repositories: 3\n', 'f')).toThrow(/not a list/);
    expect(() => parseRepositoriesFile('repositories:\n- name: x\n', 'f')).toThrow(/has no url/);
    expect(() => parseRepositoriesFile('repositories: [\n', 'f')).toThrow(/not a valid helm repositories file/);
  });
});
