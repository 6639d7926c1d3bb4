import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { LoadBudget, loadChart, loadChartArchive, loadChartDirectory, loadChartFiles } from './load.js';
import { InputError } from '../model/errors.js';
import { chartEntries, chartYaml, simpleChart, tarEntry, tgz } from '../../fixtures/hostile/generate.js';

const f = (name: string, data: string | Buffer) => ({ name, data: Buffer.isBuffer(data) ? data : Buffer.from(data) });

describe('loadChartFiles (LoadFiles)', () => {
  it('classifies files and loads subcharts', async () => {
    const c = await loadChartFiles([
      f('values.yaml', 'a: 1\n---\nb: 2\n'),
      f('Chart.yaml', chartYaml('demo', '1.0.0', 'appVersion: 1.10\n')),
      f('Chart.lock', 'generated: "2024-01-01T00:00:00Z"\ndigest: sha256:x\ndependencies:\n  - name: sub\n    version: 1.0.0\n'),
      f('values.schema.json', '{}'),
      f('templates/cm.yaml', 'x'),
      f('charts/sub/Chart.yaml', chartYaml('sub', '1.0.0')),
      f('charts/sub/templates/a.yaml', 'y'),
      f('charts/sub-1.0.0.tgz.prov', 'sig'),
      f('charts/_skipped/Chart.yaml', 'garbage: ['),
      f('README.md', '#'),
    ]);
    expect(c.metadata).toEqual({ apiVersion: 'v2', name: 'demo', version: '1.0.0', appVersion: '1.1' });
    expect(c.values).toEqual({ a: 1, b: 2 });
    expect(c.lock).toEqual({ generated: '2024-01-01T00:00:00Z', digest: 'sha256:x', dependencies: [{ name: 'sub', version: '1.0.0' }] });
    expect(c.schema?.toString()).toBe('{}');
    expect(c.templates.map((t) => t.name)).toEqual(['templates/cm.yaml']);
    expect(c.files.map((t) => t.name)).toEqual(['charts/sub-1.0.0.tgz.prov', 'README.md']);
    expect(c.dependencies.map((d) => [d.metadata.name, d.origin])).toEqual([['sub', ['sub']]]);
    expect(c.dependencies[0]!.templates.map((t) => t.name)).toEqual(['templates/a.yaml']);
  });

  it('defaults apiVersion to v1 and keeps requirements.yaml as a file for v1', async () => {
    const c = await loadChartFiles([
      f('Chart.yaml', 'name: old\nversion: 1.0.0\n'),
      f('requirements.yaml', 'dependencies:\n  - name: x\n    version: 1.0.0\n'),
    ]);
    expect(c.metadata.apiVersion).toBe('v1');
    expect(c.metadata.dependencies).toEqual([{ name: 'x', version: '1.0.0' }]);
    expect(c.files.map((x) => x.name)).toEqual(['requirements.yaml']);
    expect(c.warnings).toEqual([]);
  });

  it('honours requirements.yaml in a v2 chart with a warning (it can even rename the chart)', async () => {
    const c = await loadChartFiles([f('Chart.yaml', chartYaml('demo')), f('requirements.yaml', 'name: renamed\ndependencies: [{name: x}]\n')]);
    expect(c.metadata.name).toBe('renamed');
    expect(c.metadata.dependencies).toEqual([{ name: 'x' }]);
    expect(c.warnings[0]).toMatch(/Dependencies are handled in Chart.yaml since apiVersion "v2"/);
  });

  it('wraps subchart errors like helm', async () => {
    await expect(loadChartFiles([f('Chart.yaml', chartYaml('demo')), f('charts/x/values.yaml', 'a: 1')], undefined, [], 'd.tgz')).rejects.toThrow(
      'd.tgz: error unpacking subchart x in demo: Chart.yaml file is missing',
    );
    await expect(
      loadChartFiles([f('Chart.yaml', chartYaml('demo')), f('charts/x/Chart.yaml', chartYaml('x')), f('charts/x/charts/y-1.0.0.tgz', 'nope, not gzip')]),
    ).rejects.toThrow('chart: error unpacking subchart x in demo: error unpacking subchart y-1.0.0.tgz in x: gzip: invalid header');
  });

  it('bounds nesting depth', async () => {
    let inner = simpleChart('l5');
    for (let i = 4; i >= 1; i--) inner = tgz(...chartEntries(`l${i}`, { 'Chart.yaml': chartYaml(`l${i}`), [`charts/l${i + 1}-0.1.0.tgz`]: inner }));
    await expect(loadChartArchive(inner, 'deep.tgz', new LoadBudget({ maxDepth: 3 }))).rejects.toThrow(/^deep\.tgz: subcharts are nested more than 3 levels deep/);
    const ok = await loadChartArchive(inner, 'deep.tgz', new LoadBudget({ maxDepth: 4 }));
    expect(ok.dependencies[0]!.dependencies[0]!.dependencies[0]!.dependencies[0]!.origin).toEqual(['l2-0.1.0.tgz', 'l3-0.1.0.tgz', 'l4-0.1.0.tgz', 'l5-0.1.0.tgz']);
  });
});

describe('loadChartArchive', () => {
  it('dispatches on apiVersion like helm template', async () => {
    const mk = (api: string) => tgz(...chartEntries('demo', { 'Chart.yaml': `apiVersion: ${api}\nname: demo\nversion: 1.0.0\n` }));
    await expect(loadChartArchive(mk('v3'), 'a.tgz')).rejects.toThrow('a.tgz: invalid chart apiVersion');
    await expect(loadChartArchive(mk('v9'), 'a.tgz')).rejects.toThrow('a.tgz: unsupported chart version');
    await expect(loadChartArchive(mk('2'), 'a.tgz')).rejects.toThrow('a.tgz: unsupported chart version');
    expect((await loadChartArchive(mk('v1'), 'a.tgz')).metadata.apiVersion).toBe('v1');
    await expect(loadChartArchive(tgz(tarEntry('demo/values.yaml', 'a: 1')), 'a.tgz')).rejects.toThrow(
      'a.tgz: unable to detect chart version, no Chart.yaml found',
    );
  });
  it('loads a chart with 18 KB of values and 40 templates quickly', async () => {
    const big = tgz(
      ...chartEntries('demo', {
        'Chart.yaml': chartYaml('demo'),
        'values.yaml': Array.from({ length: 300 }, (_, i) => `key${i}:\n  enabled: true\n  image: repo/img:${i}\n  list: [a, b]\n`).join(''),
        ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`templates/t${i}.yaml`, 'kind: ConfigMap\n'])),
      }),
    );
    await loadChartArchive(big, 'warm.tgz');
    const t = performance.now();
    for (let i = 0; i < 10; i++) await loadChartArchive(big, 'x.tgz');
    // Dominated by the `yaml` package's tokenizer (about 1.5 MB/s); see the report.
    expect((performance.now() - t) / 10).toBeLessThan(150);
  });
});

describe('loadChartDirectory', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chartaudit-dir-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const makeChart = (name: string, files: Record<string, string>) => {
    const root = join(dir, name);
    for (const [n, d] of Object.entries({ 'Chart.yaml': chartYaml(name), ...files })) {
      mkdirSync(join(root, n, '..'), { recursive: true });
      writeFileSync(join(root, n), d);
    }
    return root;
  };

  it('applies .helmignore and the templates/.* default, walks in byte order', async () => {
    const root = makeChart('ign', {
      '.helmignore': '*.bak\nsecrets/\n',
      'values.yaml': 'a: 1\n',
      'templates/b.yaml': 'b',
      'templates/A.yaml': 'a',
      'templates/.hidden.yaml': 'h',
      'notes.bak': 'x',
      'secrets/key': 'k',
      'charts/sub/Chart.yaml': chartYaml('sub'),
    });
    const c = await loadChartDirectory(root);
    expect(c.templates.map((t) => t.name)).toEqual(['templates/A.yaml', 'templates/b.yaml']);
    expect(c.files.map((t) => t.name)).toEqual(['.helmignore']);
    expect(c.dependencies.map((d) => d.metadata.name)).toEqual(['sub']);
  });

  it('follows links inside the chart but refuses links that leave it', async () => {
    const root = makeChart('links', { 'templates/real.yaml': 'r' });
    symlinkSync(join(root, 'templates/real.yaml'), join(root, 'templates/alias.yaml'));
    const c = await loadChartDirectory(root);
    expect(c.templates.map((t) => [t.name, t.data.toString()])).toEqual([
      ['templates/alias.yaml', 'r'],
      ['templates/real.yaml', 'r'],
    ]);
    symlinkSync('/etc/hostname', join(root, 'templates/evil.yaml'));
    const err = await loadChartDirectory(root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/symbolic link templates\/evil\.yaml points outside the chart directory/);
  });

  it('refuses irregular files and link loops', async () => {
    const root = makeChart('fifo', {});
    execFileSync('mkfifo', [join(root, 'pipe')]);
    await expect(loadChartDirectory(root)).rejects.toThrow(/cannot load irregular file .*pipe as it has file mode type bits set/);
    const loop = makeChart('loop', {});
    symlinkSync(loop, join(loop, 'self'));
    await expect(loadChartDirectory(loop)).rejects.toThrow(/symbolic link loop/);
  });

  it('loadChart dispatches on file or directory and names missing paths', async () => {
    const root = makeChart('disp', {});
    expect((await loadChart(root)).metadata.name).toBe('disp');
    const p = join(dir, 'disp.tgz');
    writeFileSync(p, simpleChart('disp'));
    expect((await loadChart(p)).metadata.name).toBe('disp');
    await expect(loadChart(join(dir, 'nope.tgz'))).rejects.toThrow(/nope\.tgz: no such file or directory/);
    await expect(loadChart(join(dir, 'empty-dir-x'))).rejects.toThrow(InputError);
    mkdirSync(join(dir, 'nochart'));
    await expect(loadChart(join(dir, 'nochart'))).rejects.toThrow(/unable to detect chart at .*Chart\.yaml: no such file or directory/);
  });
});
