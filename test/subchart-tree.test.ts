/**
 * The subchart tree of a real chart (issue 8 item 11): wordpress 27.0.0 from the Bitnami corpus
 * bundles mariadb 23.0.1 and memcached 8.0.0 where its Chart.yaml asks for 22.x.x and 7.x.x, and
 * each of them (and wordpress itself) declares common 2.x.x. The declared/constraint facts are
 * compared with what the reference helm's `dependency list` says at every level; the scan
 * report warns about the out-of-range subcharts and its tree fits 80 columns.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChartArchive } from '../src/chart/archive.js';
import { LoadBudget } from '../src/chart/budget.js';
import { resolveChartTree } from '../src/chart/dependencies.js';
import { loadChart } from '../src/chart/load.js';
import type { ChartNode } from '../src/model/chart.js';
import type { ImagesReport, ScanReport } from '../src/model/report.js';
import { table } from '../src/report/table.js';
import { runCli } from './helpers/cli.js';
import { helm } from './helpers/helm.js';
import { sharedPath } from './helpers/shared.js';

const wordpress = sharedPath('corpus', 'bitnami', 'charts', 'wordpress-27.0.0.tgz');

const facts = (n: ChartNode): [string, string, boolean, boolean, string | null, boolean | null][] => [
  [n.path, n.version, n.enabled, n.declared, n.constraint, n.constraintSatisfied],
  ...n.children.flatMap(facts),
];

describe('wordpress 27.0.0 subchart tree', () => {
  it('declared and constraint facts at every level, below disabled subcharts too', async () => {
    const tree = resolveChartTree(await loadChart(wordpress), {});
    expect(facts(tree)).toEqual([
      ['wordpress', '27.0.0', true, false, null, null],
      ['wordpress/charts/mariadb', '23.0.1', true, true, '22.x.x', false],
      ['wordpress/charts/mariadb/charts/common', '2.31.10', true, true, '2.x.x', true],
      ['wordpress/charts/memcached', '8.0.0', false, true, '7.x.x', false],
      ['wordpress/charts/memcached/charts/common', '2.31.10', false, true, '2.x.x', true],
      ['wordpress/charts/common', '2.31.10', true, true, '2.x.x', true],
    ]);
  });

  describe('agrees with helm dependency list', () => {
    let dir = '';
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'subchart-tree-'));
      const files = await readChartArchive(readFileSync(wordpress), 'wordpress-27.0.0.tgz', new LoadBudget());
      for (const f of files) {
        mkdirSync(dirname(join(dir, 'wordpress', f.name)), { recursive: true });
        writeFileSync(join(dir, 'wordpress', f.name), f.data);
      }
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** helm's STATUS column by dependency name for the chart directory at `path`. */
    function helmStatus(path: string): Map<string, string> {
      const r = helm(['dependency', 'list', join(dir, path)]);
      expect(r.status, r.stderr).toBe(0);
      const rows = r.stdout.trim().split('\n').slice(1).map((l) => l.split('\t').map((x) => x.trim()));
      return new Map(rows.map((row) => [row[0]!, row[3]!]));
    }

    it('at each chart that declares dependencies', async () => {
      const tree = resolveChartTree(await loadChart(wordpress), {});
      const nodes = (n: ChartNode): ChartNode[] => [n, ...n.children.flatMap(nodes)];
      const checked: string[] = [];
      for (const parent of nodes(tree)) {
        if (!parent.chart.metadata.dependencies) continue;
        const status = helmStatus(parent.path);
        for (const child of parent.children) {
          const s = status.get(child.name);
          expect(s, `${child.path}`).toBeDefined();
          // helm: "ok" (archive in range), "unpacked" (a directory, range not checked), "wrong version".
          expect([child.path, s === 'wrong version'], `helm says ${s}`).toEqual([child.path, child.constraintSatisfied === false]);
          checked.push(`${child.path}: ${s}`);
        }
      }
      expect(checked).toEqual([
        'wordpress/charts/mariadb: wrong version',
        'wordpress/charts/memcached: wrong version',
        'wordpress/charts/common: unpacked',
        'wordpress/charts/mariadb/charts/common: unpacked',
        'wordpress/charts/memcached/charts/common: unpacked',
      ]);
    });
  });

  it('scan: the report says which subcharts are outside their range; the table tree fits 80 columns', async () => {
    const r = await runCli(['scan', wordpress, '--offline', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as ScanReport; // validated against schema/report.schema.json by runCli
    expect(report.charts.map((n) => [n.path, n.declared, n.constraint, n.constraintSatisfied])).toEqual([
      ['wordpress', true, null, null],
      ['wordpress/charts/mariadb', true, '22.x.x', false],
      ['wordpress/charts/mariadb/charts/common', true, '2.x.x', true],
      ['wordpress/charts/memcached', true, '7.x.x', false],
      ['wordpress/charts/memcached/charts/common', true, '2.x.x', true],
      ['wordpress/charts/common', true, '2.x.x', true],
    ]);
    expect(report.warnings).toContain(
      'wordpress/charts/mariadb: bundled version 23.0.1 is outside the range "22.x.x" that wordpress declares (helm dependency list: wrong version); helm deploys it anyway',
    );
    expect(report.warnings).toContain(
      'wordpress/charts/memcached: bundled version 8.0.0 is outside the range "7.x.x" that wordpress declares (helm dependency list: wrong version)',
    );

    const text = table.render(report, { color: false, width: 80 });
    const charts = text.slice(text.indexOf('Charts\n'), text.indexOf('\nImages'));
    expect(charts).not.toContain('not declared');
    expect(charts).toBe([
      'Charts',
      '  wordpress 27.0.0',
      '  ├── mariadb 23.0.1 enabled [not in the range "22.x.x" declared in Chart.yaml]',
      '  │   └── common 2.31.10 enabled',
      '  ├── memcached 8.0.0 disabled (condition memcached.enabled is false) [not in',
      '  │   │   the range "7.x.x" declared in Chart.yaml]',
      '  │   └── common 2.31.10 disabled (parent disabled)',
      '  └── common 2.31.10 enabled',
      '',
    ].join('\n'));
    for (const line of text.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
    for (const width of [40, 60]) {
      const narrow = table.render(report, { color: false, width });
      for (const line of narrow.slice(narrow.indexOf('Charts\n'), narrow.indexOf('\nImages')).split('\n')) {
        expect([...line].length, line).toBeLessThanOrEqual(width);
      }
    }
    const coloured = table.render(report, { color: true, width: 80 });
    const plainLength = (l: string) => [...l.replace(/\x1b\[[0-9;]*m/g, '')].length;
    for (const line of coloured.split('\n')) expect(plainLength(line)).toBeLessThanOrEqual(80);
  });

  it('images: the same facts in the JSON list', async () => {
    const r = await runCli(['images', wordpress, '--format', 'json']);
    const [report] = JSON.parse(r.stdout) as ImagesReport[]; // validated by runCli
    expect(report!.charts.filter((n) => n.constraintSatisfied === false).map((n) => n.path)).toEqual([
      'wordpress/charts/mariadb',
      'wordpress/charts/memcached',
    ]);
  });
});
