/**
 * Every hostile archive from fixtures/hostile/generate.ts through the loader: the expected
 * InputError (helm's wording, file name first) or the correct result where helm loads it
 * safely, each within 10 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { generateHostileArchives } from '../fixtures/hostile/generate.js';
import { loadChart } from '../src/chart/load.js';
import { checkDependencies } from '../src/chart/dependencies.js';
import { InputError } from '../src/model/errors.js';
import type { Chart } from '../src/model/chart.js';

let dir: string;
let paths: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chartaudit-hostile-'));
  paths = await generateHostileArchives(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** name → expected message after "<file>: " (string = exact, RegExp = match). */
const FAILS: Record<string, string | RegExp> = {
  traversal: 'chart illegally references parent directory',
  'abs-double-slash': 'chart illegally contains absolute paths',
  'drive-letter': 'chart contains illegally named files',
  'root-chart-yaml': 'chart illegally contains content outside the base directory: "Chart.yaml"',
  'dot-only': 'chart illegally contains content outside the base directory: "demo"',
  'pax-path-traversal': 'chart illegally references parent directory',
  // helm checks the remaining total before the per-file limit
  'gzip-bomb': 'decompressed chart is larger than the maximum size 104857600',
  'gzip-bomb-many': 'decompressed chart is larger than the maximum size 104857600',
  'gzip-bomb-dirs': 'decompressed chart is larger than the maximum size 104857600',
  'gzip-bomb-raw': 'no files in chart archive',
  'gzip-garbage': /^flate: corrupt input/,
  'gzip-not-tar': 'archive/tar: invalid tar header',
  truncated: 'unexpected EOF',
  'empty-tar': 'no files in chart archive',
  'dirs-only': 'no files in chart archive',
  'no-chart-yaml': 'unable to detect chart version, no Chart.yaml found',
  'bad-chart-yaml': /^cannot load Chart\.yaml: error converting YAML to JSON: yaml: line \d+: /,
  'bad-version': 'validation: chart.metadata.version "one" is invalid',
  'no-name': 'validation: chart.metadata.name is required',
  'bad-type': 'validation: chart.metadata.type must be application or library',
  'dot-name': 'validation: chart.metadata.name ".." is not allowed',
  'slash-name': 'validation: chart.metadata.name "a/b" is invalid',
  'dup-dependency': 'validation: more than one dependency with name or alias "x"',
  'bad-alias': 'validation: dependency "x" has disallowed characters in the alias',
  'null-dependency': 'validation: dependencies must not contain empty or null nodes',
  'bad-values': /^cannot load values\.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: line \d+: /,
  'values-alias-bomb': 'cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: document contains excessive aliasing',
  'values-bad-utf8': 'cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: invalid leading UTF-8 octet',
  'values-nan': 'cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: json: unsupported value: NaN',
  'bad-lock':
    'cannot load Chart.lock: error unmarshaling JSON: while decoding JSON: parsing time "notatime" as "2006-01-02T15:04:05Z07:00": cannot parse "notatime" as "2006"',
  'v3-api': 'invalid chart apiVersion',
  'v9-api': 'unsupported chart version',
  'nested-300': /^subcharts are nested more than 20 levels deep \(at .*nested\.tgz\/charts\/l2-0\.1\.0\.tgz\/.*\/charts\/l22-0\.1\.0\.tgz\)$/,
  'files-60000': 'chart has more than 10000 files (limit of the whole chart tree)',
  'big-file': 'decompressed chart file "demo/big.bin" is larger than the maximum file size 5242880',
  'big-total': 'decompressed chart is larger than the maximum size 104857600',
  'link-with-size': 'decompressed chart is larger than the maximum size 104857600',
  'sub-targz': 'error unpacking subchart sub-1.0.0.tar.gz in demo: Chart.yaml file is missing',
  'sub-empty-tgz': 'error unpacking subchart evil-1.0.0.tgz in demo: no files in chart archive',
  'sub-traversal': 'error unpacking subchart evil-1.0.0.tgz in demo: chart illegally references parent directory',
  'sub-dir-no-chart': 'error unpacking subchart sub in demo: Chart.yaml file is missing',
  'sub-stray-file': 'error unpacking subchart README.md in demo: Chart.yaml file is missing',
  'sub-tgz-is-dir': 'error unpacking subchart tar in demo: expected sub-1.0.0.tgz, got sub-1.0.0.tgz/Chart.yaml',
};

/** Messages helm words with the file name itself (EnsureArchive, gzip header errors). */
const FAILS_NAMED: Record<string, (file: string) => string> = {
  'not-gzip': (f) => `file '${f}' does not appear to be a gzipped archive; got 'application/octet-stream'`,
  'empty-file': (f) => `file '${f}' does not appear to be a gzipped archive; got 'application/octet-stream'`,
  'yaml-instead': (f) => `file '${f}' seems to be a YAML file, but expected a gzipped archive`,
  'sub-bad-tgz': (f) => `file '${f}' does not appear to be a valid chart file (details: error unpacking subchart sub-1.0.0.tgz in demo: gzip: invalid header)`,
};

async function load(name: string): Promise<Chart> {
  return loadChart(paths[name]!);
}

async function failure(name: string): Promise<InputError> {
  const t = Date.now();
  const err = await load(name).then(
    () => null,
    (e: unknown) => e,
  );
  expect(Date.now() - t, `${name} took too long`).toBeLessThan(10_000);
  expect(err, `${name} should fail`).toBeInstanceOf(InputError);
  return err as InputError;
}

describe('hostile archives that must fail', () => {
  it.each(Object.entries(FAILS))('%s', async (name, want) => {
    const err = await failure(name);
    const file = paths[name]!;
    expect(err.file).toBe(file);
    expect(err.message.startsWith(`${file}: `), err.message).toBe(true);
    const rest = err.message.slice(file.length + 2);
    if (typeof want === 'string') expect(rest).toBe(want);
    else expect(rest).toMatch(want);
  }, 10_000);

  it.each(Object.entries(FAILS_NAMED))('%s', async (name, want) => {
    const err = await failure(name);
    expect(err.message).toBe(want(paths[name]!));
  });

  // They stop at the size budget, long before 1 GiB is inflated (typically within a second;
  // the bound is the acceptance limit, so a loaded machine does not make this flaky).
  it('the gzip bombs stop at the budget, within 10 s', async () => {
    for (const name of ['gzip-bomb', 'gzip-bomb-many', 'gzip-bomb-dirs', 'gzip-bomb-raw']) {
      const t = Date.now();
      await failure(name);
      expect(Date.now() - t, name).toBeLessThan(10_000);
    }
  }, 60_000);
});

describe('hostile archives helm loads safely', () => {
  it('links, FIFOs and devices become empty files with a warning, never followed', async () => {
    for (const [name, file, kind] of [
      ['symlink', 'templates/passwd.yaml', 'symbolic link to "/etc/passwd"'],
      ['hardlink', 'hard.txt', 'hard link to "demo/Chart.yaml"'],
      ['fifo', 'fifo', 'FIFO'],
      ['device', 'null', 'character device'],
    ] as const) {
      const c = await load(name);
      const all = [...c.templates, ...c.files];
      const f = all.find((x) => x.name === file);
      expect(f, `${name}: ${file}`).toBeDefined();
      expect(f!.data.length).toBe(0);
      expect(c.warnings.some((w) => w.includes(kind)), `${name}: ${c.warnings.join(' | ')}`).toBe(true);
    }
  });

  it('a leading "/" entry is loaded relative (helm drops the empty first component), with a warning', async () => {
    const c = await load('abs-root');
    expect(c.files.find((f) => f.name === 'etc/passwd')?.data.toString()).toBe('root:x:0:0');
    expect(c.warnings.join('\n')).toMatch(/absolute path/);
  });

  it('PAX and GNU long names', async () => {
    expect((await load('pax-long-name')).files.map((f) => f.name)).toContain(`files/${'d'.repeat(150)}/long.txt`);
    expect((await load('gnu-long-name')).files.map((f) => f.name)).toContain(`files/${'g'.repeat(200)}.txt`);
    expect((await load('pax-global')).metadata.name).toBe('demo');
  });

  it('BOM, missing apiVersion, huge numbers', async () => {
    expect((await load('bom')).metadata.name).toBe('demo');
    expect((await load('no-api')).metadata.apiVersion).toBe('v1');
    const huge = await load('values-huge-number');
    expect(huge.values).toEqual({ a: `1${'0'.repeat(400)}`, b: 123456789012345678901234567890 });
  });

  it('requirements.yaml in a v2 chart is honoured with a warning; the missing subchart is caught by checkDependencies', async () => {
    const c = await load('v2-requirements');
    expect(c.metadata.dependencies).toEqual([{ name: 'sub', version: '1.0.0', repository: 'https://example.com' }]);
    expect(c.warnings.join('\n')).toMatch(/apiVersion "v2"/);
    expect(() => checkDependencies(c)).toThrow('found in Chart.yaml, but missing in charts/ directory: sub');
    expect((await load('requirements-renames')).metadata.name).toBe('renamed');
  });

  it('missing declared subchart loads, then fails checkDependencies', async () => {
    const c = await load('sub-missing');
    expect(() => checkDependencies(c)).toThrow(
      'an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: sub',
    );
  });

  it('`_`-prefixed subcharts are skipped, mixed top-level directories are merged with a warning', async () => {
    expect((await load('sub-underscore')).dependencies).toEqual([]);
    const mixed = await load('prefix-mismatch');
    expect(mixed.templates.map((t) => t.name).sort()).toEqual(['templates/cm.yaml', 'templates/extra.yaml']);
    expect(mixed.warnings.join('\n')).toMatch(/more than one top-level directory/);
  });

  it('files a .helmignore would exclude are still loaded from an archive, with a warning', async () => {
    const c = await load('helmignore-in-archive');
    expect(c.files.map((f) => f.name)).toContain('secrets.key');
    expect(c.warnings.join('\n')).toMatch(/"secrets\.key"/);
  });

  it('15 levels of nested .tgz subcharts load, with origins', async () => {
    let c = await load('nested-15');
    let depth = 0;
    while (c.dependencies.length > 0) {
      c = c.dependencies[0]!;
      depth++;
    }
    expect(depth).toBe(14);
    expect(c.origin).toHaveLength(14);
    expect(c.origin[13]).toBe('l15-0.1.0.tgz');
    expect(basename(paths['nested-15']!)).toBe('nested15.tgz');
  });

  it('dependency scenarios load', async () => {
    for (const name of Object.keys(paths).filter((n) => n.startsWith('deps-'))) {
      const c = await load(name);
      expect(c.metadata.name).toBe('parent');
    }
  });
});
