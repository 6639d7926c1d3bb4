/**
 * Bundles load when a run needs them: the yaml package's bundle only for documents the fast
 * YAML path leaves to the full parser (scripts/build.mjs lazyYaml), the table writer only for
 * tables, undici (130–160 ms to load) only for a network request (src/net/undici.ts), and
 * node:crypto, node:fs/promises, node:zlib and the network modules at their first use
 * (scripts/build.mjs lazyBuiltins; chalk's terminal probe only for tables); SHA-256 without
 * node:crypto (src/hash/sha256.ts), so a render that needs no keys or secure random strings
 * never loads it.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hermeticEnv } from './helpers/hermetic.js';

const root = resolve(import.meta.dirname, '..');

function chart(values: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'chartaudit-lazy-'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: lazy\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'values.yaml'), values);
  writeFileSync(join(dir, 'templates', 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: {{ .Values.image }}\n');
  return dir;
}

describe('bundles loaded by a run', () => {
  it.each<[string, string, string[], boolean, boolean, string]>([
    ['plain values, JSON', 'image: nginx:1.27\n', ['--format', 'json'], false, false, 'docker.io/library/nginx:1.27'],
    ['an anchor (full YAML parser), JSON', 'base: &img nginx:1.28\nimage: *img\n', ['--format', 'json'], true, false, 'docker.io/library/nginx:1.28'],
    ['plain values, table', 'image: nginx:1.27\n', ['--format', 'table'], false, true, 'docker.io/library/nginx:1.27'],
  ])('%s', (_, values, args, yaml, table, image) => {
    const r = spawnSync(resolve(root, 'bin', 'chartaudit.js'), ['images', chart(values), ...args], {
      encoding: 'utf8',
      env: { ...hermeticEnv(), NODE_OPTIONS: `--require ${resolve(root, 'test', 'helpers', 'print-bundles.cjs')}` },
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(image);
    const bundles = /bundles: (.*)/.exec(r.stderr)![1]!.split(' ');
    expect(bundles).toContain('commands-images.cjs');
    expect(bundles.includes('vendor-yaml.cjs')).toBe(yaml);
    expect(bundles.includes('report-images.cjs')).toBe(table);
  });
});

describe("scan's bundles", () => {
  // A local chart, offline: the registry and repository code (remote charts), the image readers,
  // the OSV API client and the report writers other than JSON's are bundles of their own, loaded
  // only by the scans that need them.
  it.each<[string, string[], string[], string[]]>([
    ['without image contents', ['--skip-image-contents'], [], ['scan-image-pull.cjs', 'commands-chart-source.cjs', 'online-osv-api.cjs', 'report-index.cjs']],
    ['with image contents (none cached: a gap)', [], ['scan-image-pull.cjs'], ['commands-chart-source.cjs', 'online-osv-api.cjs', 'report-index.cjs']],
    ['as SARIF', ['--skip-image-contents', '--format', 'sarif'], ['report-index.cjs'], ['scan-image-pull.cjs']],
  ])('%s', (_, args, loaded, notLoaded) => {
    const r = spawnSync(resolve(root, 'bin', 'chartaudit.js'), ['scan', chart('image: nginx:1.27\n'), '--offline', '--format', 'json', ...args], {
      encoding: 'utf8',
      env: { ...hermeticEnv(), NODE_OPTIONS: `--require ${resolve(root, 'test', 'helpers', 'print-bundles.cjs')}` },
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(args.includes('sarif') ? '"$schema": "https://docs.oasis-open.org/sarif/' : 'docker.io/library/nginx:1.27');
    const bundles = /bundles: (.*)/.exec(r.stderr)![1]!.split(' ');
    expect(bundles).toContain('commands-scan.cjs');
    for (const b of loaded) expect(bundles).toContain(b);
    for (const b of notLoaded) expect(bundles).not.toContain(b);
  });
});

describe('undici is loaded for network requests only', () => {
  const run = (args: string[]) => spawnSync(resolve(root, 'bin', 'chartaudit.js'), args, {
    encoding: 'utf8',
    env: { ...hermeticEnv(), NODE_OPTIONS: `--require ${resolve(root, 'test', 'helpers', 'print-bundles.cjs')}` },
    timeout: 60_000,
  });
  it.each<[string, () => string[], boolean]>([
    ['an offline scan', () => ['scan', chart('image: nginx:1.27\n'), '--offline', '--format', 'json'], false],
    ['images', () => ['images', chart('image: nginx:1.27\n')], false],
    // a refused connection on loopback: the request is made (and fails) through undici
    ['db update from a URL', () => ['db', 'update', '--osv-base-url', 'http://127.0.0.1:9', '--timeout', '5'], true],
  ])('%s', (_, args, loaded) => {
    const r = run(args());
    expect(r.stderr).toContain(`undici: ${loaded ? 'loaded' : 'not loaded'}`);
  });
});

describe('Node built-ins loaded at their first use', () => {
  const packed = resolve(root, '..', 'shared', 'corpus', 'bitnami', 'charts', 'whereabouts-1.2.20.tgz');
  function builtinsOf(args: string[], cache: string): string {
    const r = spawnSync(resolve(root, 'bin', 'chartaudit.js'), args, {
      encoding: 'utf8',
      env: { ...hermeticEnv(), XDG_CACHE_HOME: cache, NODE_OPTIONS: `--require ${resolve(root, 'test', 'helpers', 'print-bundles.cjs')}` },
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    return /built-ins: (.*)/.exec(r.stderr)![1]!;
  }

  it.each<[string, () => string[], string]>([
    // inflating the archive needs zlib (and its streams); its digest no crypto (src/hash/sha256.ts),
    // reading it no fs/promises
    ['images of a packed chart', () => ['images', packed, '--format', 'json'], 'zlib stream'],
    // a directory is read with fs/promises, and has no archive digest
    ['images of a chart directory', () => ['images', chart('image: nginx:1.27\n'), '--format', 'json'], 'fs/promises'],
    // offline, output to a pipe: no network module, and no terminal probe (src/cli/terminal.ts)
    ['an offline scan of a packed chart', () => ['scan', packed, '--offline', '--skip-image-contents', '--format', 'json'], 'zlib stream'],
    // the database's addon is found with the bundle's own require: no node:module (nor node:os, HOME being set)
    ['an offline scan with a database', () => ['scan', packed, '--offline', '--skip-image-contents', '--db', resolve(root, 'fixtures', 'demo', 'db'), '--format', 'json'], 'zlib stream'],
    ['--version', () => ['--version'], ''],
  ])('%s', (_, args, builtins) => {
    expect(builtinsOf(args(), mkdtempSync(join(tmpdir(), 'chartaudit-lazy-cache-')))).toBe(builtins);
  });

  it('output and errors sent to /dev/null: no terminal probe through node:tty (and its net and stream modules)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'chartaudit-lazy-')), 'printed');
    const devNull = openSync('/dev/null', 'w');
    try {
      const r = spawnSync(resolve(root, 'bin', 'chartaudit.js'), ['scan', chart('image: nginx:1.27\n'), '--offline', '--skip-image-contents', '--format', 'json'], {
        stdio: ['ignore', devNull, devNull],
        env: { ...hermeticEnv(), PRINT_BUNDLES_TO: out, NODE_OPTIONS: `--require ${resolve(root, 'test', 'helpers', 'print-bundles.cjs')}` },
        timeout: 60_000,
      });
      expect(r.status).toBe(0);
    } finally {
      closeSync(devNull);
    }
    expect(/built-ins: (.*)/.exec(readFileSync(out, 'utf8'))![1]).toBe('fs/promises');
  });

  it('a packed chart audited before is read back inflated: no zlib from the third run (src/cache/templates.ts)', () => {
    const cache = mkdtempSync(join(tmpdir(), 'chartaudit-lazy-cache-'));
    for (const command of [['images', packed, '--format', 'json'], ['scan', packed, '--offline', '--skip-image-contents', '--format', 'json']]) {
      expect(builtinsOf(command, cache)).toContain('zlib');
    }
    // images noted the archive, scan stored it: both read it back now
    expect(builtinsOf(['images', packed, '--format', 'json'], cache)).toBe('');
    expect(builtinsOf(['scan', packed, '--offline', '--skip-image-contents', '--format', 'json'], cache)).toBe('');
  });
});
