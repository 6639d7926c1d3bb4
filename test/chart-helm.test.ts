/**
 * The loader against the real helm v4.1.4:
 *  - every hostile/edge archive: we fail exactly when `helm show chart` fails (with the same
 *    message where helm's wording is reproducible), except a documented list of deliberate
 *    differences;
 *  - dependency scenarios: the enabled subcharts equal the charts `helm template` renders
 *    (`# Source: <chart>/charts/<sub>/…`), with default and user values;
 *  - YAML semantics: `.Values` as helm renders it (toJson) equals our coalesced values;
 *  - the Bitnami corpus: every chart loads and its enabled subcharts equal what helm renders.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helmPath } from './helpers/helm.js';
import { hermeticEnv } from './helpers/hermetic.js';
import { sharedPath } from './helpers/shared.js';
import { chartEntries, chartYaml, generateHostileArchives, tgz } from '../fixtures/hostile/generate.js';
import { loadChart } from '../src/chart/load.js';
import { checkDependencies, resolveChartTree } from '../src/chart/dependencies.js';
import { coalesceValues } from '../src/chart/coalesce.js';
import { parseValuesFile } from '../src/chart/yaml.js';
import type { ChartNode } from '../src/model/chart.js';

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs helm asynchronously, in the test's private home (helpers/hermetic.ts). */
function helmAsync(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(helmPath(), args, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...hermeticEnv() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (b: Buffer) => out.push(b));
    p.stderr.on('data', (b: Buffer) => err.push(b));
    p.on('error', reject);
    p.on('close', (code) => resolve({ status: code ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}

/** Runs `jobs` with at most `n` at a time. */
async function pool<T, R>(items: T[], n: number, job: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await job(items[i]!);
      }
    }),
  );
  return results;
}

/** Chart paths that have `# Source:` lines, the top chart excluded. */
function renderedSubcharts(top: string, stdout: string): string[] {
  const out = new Set<string>();
  for (const m of stdout.matchAll(/^# Source: (.+)$/gm)) {
    const p = m[1]!;
    if (!p.startsWith(`${top}/`)) continue; // e.g. "# Source: https://…" comments inside CRD files
    const i = p.lastIndexOf('/templates/');
    const chartPath = i >= 0 ? p.slice(0, i) : p;
    if (chartPath !== top) out.add(chartPath);
  }
  return [...out].sort();
}

/** Enabled subcharts that can render something (library charts and charts without templates cannot). */
function enabledRenderable(node: ChartNode): string[] {
  const out: string[] = [];
  const walk = (n: ChartNode, top: boolean) => {
    if (!n.enabled) return;
    const renders = n.chart.metadata.type !== 'library' && n.chart.templates.some((t) => !t.name.split('/').pop()!.startsWith('_') && !t.name.endsWith('NOTES.txt'));
    if (!top && renders && !out.includes(n.path)) out.push(n.path); // same-named instances render to one path
    n.children.forEach((c) => walk(c, false));
  };
  walk(node, true);
  return out.sort();
}

let dir: string;
let paths: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chartaudit-helm-'));
  paths = await generateHostileArchives(join(dir, 'hostile'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Where we differ from `helm show chart` on purpose. */
const DELIBERATE: Record<string, string> = {
  'nested-300': 'nesting depth limit (helm has none)',
  'files-60000': 'file count limit (helm has none)',
  'gzip-bomb-dirs': 'inflate budget (helm reads any number of directory entries)',
  'v3-api': 'apiVersion dispatch of helm template/install (helm show chart accepts it)',
  'v9-api': 'apiVersion dispatch of helm template/install (helm show chart accepts it)',
};

/** Where both fail but the wording cannot be the same. */
const OTHER_WORDING: Record<string, string> = {
  'bad-chart-yaml': 'YAML syntax messages come from a different parser',
  'bad-values': 'YAML syntax messages come from a different parser',
  'gzip-garbage': 'zlib does not report the offset Go reports',
  'no-chart-yaml': 'we report the dispatcher message of helm template',
};

describe('hostile archives vs helm show chart', () => {
  it('fails exactly when helm fails, with the same message where reproducible', async () => {
    const names = Object.keys(paths).sort();
    const helmRuns = await pool(names, 4, (n) => helmAsync(['show', 'chart', paths[n]!]));
    const problems: string[] = [];
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const file = paths[name]!;
      const h = helmRuns[i]!;
      const ours = await loadChart(file).then(
        () => null,
        (e: Error) => e.message,
      );
      const helmFails = h.status !== 0;
      const weFail = ours !== null;
      if (DELIBERATE[name]) {
        if (!weFail) problems.push(`${name}: expected our deliberate failure (${DELIBERATE[name]})`);
        continue;
      }
      if (helmFails !== weFail) {
        problems.push(`${name}: helm ${helmFails ? 'fails: ' + h.stderr.trim() : 'loads'}; we ${weFail ? 'fail: ' + ours : 'load'}`);
        continue;
      }
      if (weFail && !OTHER_WORDING[name]) {
        const ourText = ours!.startsWith(`${file}: `) ? ours!.slice(file.length + 2) : ours!;
        const helmText = h.stderr.trim().replace(/^Error: /, '');
        if (ourText !== helmText) problems.push(`${name}: helm says ${JSON.stringify(helmText)}, we say ${JSON.stringify(ourText)}`);
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('v3/v9 apiVersions fail helm template like ours', async () => {
    for (const name of ['v3-api', 'v9-api']) {
      const h = await helmAsync(['template', 'x', paths[name]!]);
      const ours = await loadChart(paths[name]!).catch((e: Error) => e.message);
      expect(h.status).not.toBe(0);
      expect(typeof ours === 'string' && ours.endsWith(h.stderr.trim().replace(/^Error: /, ''))).toBe(true);
    }
  });
});

/** Values files used with the dependency scenarios (name → YAML). */
const VARIANTS: Record<string, Record<string, string>> = {
  'deps-conditions': { flip: 'suba:\n  enabled: true\nsubb:\n  enabled: false\nsubd:\n  missing: false\n', nullify: 'suba: null\n' },
  'deps-tags': { frontend: 'tags:\n  backend: true\nsub2:\n  enabled: false\n', nosub2: 'sub2:\n  on: false\n' },
  'deps-alias': { session: 'session:\n  enabled: true\nqueue:\n  enabled: false\n' },
  'deps-undeclared': { off: 'declared:\n  enabled: false\n' },
  'deps-name-removal': { on: 'db:\n  enabled: true\n' },
  'deps-noversion': { on: 'plain:\n  enabled: true\n' },
  'deps-nested': { leafon: 'mid2:\n  leaf:\n    enabled: true\n', midoff: 'mid:\n  enabled: false\n' },
  'deps-condition-quirks': { flip: 'spaced:\n  nope: true\nglobal:\n  globalcond: true\n' },
  'deps-empty-list-top': { leaf: 'mid:\n  leaf:\n    enabled: true\n' },
};

describe('dependency scenarios vs helm template', () => {
  it('enabled subcharts are the ones helm renders', async () => {
    const cases: { name: string; variant: string; values: string | null }[] = [];
    for (const name of Object.keys(paths).filter((n) => n.startsWith('deps-')).sort()) {
      cases.push({ name, variant: 'defaults', values: null });
      for (const [variant, yaml] of Object.entries(VARIANTS[name] ?? {})) cases.push({ name, variant, values: yaml });
    }
    const runs = await pool(cases, 4, async (c) => {
      const args = ['template', 'rel', paths[c.name]!];
      if (c.values) {
        const f = join(dir, `${c.name}-${c.variant}.yaml`);
        writeFileSync(f, c.values);
        args.push('-f', f);
      }
      return helmAsync(args);
    });
    const problems: string[] = [];
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i]!;
      const h = runs[i]!;
      const chart = await loadChart(paths[c.name]!);
      let ours: string[] | string;
      try {
        checkDependencies(chart);
        const user = c.values ? parseValuesFile(Buffer.from(c.values), 'v.yaml') : {};
        ours = enabledRenderable(resolveChartTree(chart, user));
      } catch (e) {
        ours = `error: ${(e as Error).message}`;
      }
      const theirs = h.status === 0 ? renderedSubcharts(chart.metadata.name, h.stdout) : `error: ${h.stderr.trim()}`;
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) problems.push(`${c.name}/${c.variant}: helm ${JSON.stringify(theirs)} ours ${JSON.stringify(ours)}`);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});

/** YAML values whose interpretation helm (go-yaml v2 via sigs.k8s.io/yaml) is known for. */
const YAML_CASES = `
bools: [yes, Yes, YES, y, Y, on, On, ON, true, True, no, n, N, off, OFF, false, False, yEs]
nulls: [~, null, Null, NULL, '', "null"]
ints: [12, -12, +12, 0x1F, 0o17, 017, 0b101, 1_000, 09, 9223372036854775807, 9223372036854775808, 18446744073709551616]
floats: [1.5, .5, 1e3, 1., +.5, 1e400, 3.14159265358979, 1e-7, 123456789012345678901234567890]
strings: [1.2.3, 2001-12-14, 2001-12-14T21:59:43Z, 0x, +inf, '12', "yes", !!str 13, !custom 14]
typed: [!!int "15", !!float 2, !!bool "yes"]
binary: !!binary aGVsbG8=
y: key-y-becomes-true
n: key-n-becomes-false
on: key-on
1: int-key
1.5: float-key
0.1: float32-key
3.14159265358979: long-float-key
1e6: exp-float-key
dup: first
dup: second
base: &base {p: 1, q: 2}
merged:
  p: 0
  <<: *base
  q: 3
mergelist:
  <<: [{k: a, only_a: 1}, {k: b, only_b: 1}]
quotedmerge:
  "<<": {a: 1}
anchors:
  a: &x 1
  b: *x
  c: &x 2
  d: *x
block: |
  line1
  line2
folded: >
  folded
  text
emptymap: {}
emptylist: []
nested: {a: {b: {c: [1, {d: e}]}}}
removed: null
---
second: document
nested: {a: {extra: 1}}
--- # comment after separator
third: 3
`;

describe('YAML semantics vs helm', () => {
  it('.Values rendered by helm equals our coalesced values', async () => {
    const chart = tgz(
      ...chartEntries('yamlcheck', {
        'Chart.yaml': chartYaml('yamlcheck'),
        'values.yaml': YAML_CASES,
        'templates/dump.yaml': '# {{ toJson .Values }}\n',
      }),
    );
    const p = join(dir, 'yamlcheck-0.1.0.tgz');
    writeFileSync(p, chart);
    const h = await helmAsync(['template', 'rel', p]);
    expect(h.stderr).toBe('');
    const line = h.stdout.split('\n').find((l) => l.startsWith('# {'))!;
    const theirs = JSON.parse(line.slice(2));
    const ours = JSON.parse(JSON.stringify(coalesceValues(await loadChart(p), {})));
    expect(ours).toEqual(theirs);
  }, 30_000);

  it('Chart.yaml scalars are coerced to strings like helm (show chart prints the metadata)', async () => {
    const p = join(dir, 'coerce-0.1.0.tgz');
    writeFileSync(p, tgz(...chartEntries('coerce', { 'Chart.yaml': 'apiVersion: v2\nName: coerce\nversion: 1.0\nappVersion: 10.40\ndescription: yes\nkeywords: [1, on]\n' })));
    const h = await helmAsync(['show', 'chart', p]);
    expect(h.status).toBe(0);
    const c = await loadChart(p);
    // helm prints the metadata as YAML with number-like strings quoted: reading it back gives strings.
    const theirs = parseValuesFile(Buffer.from(h.stdout), 'show chart output');
    expect({
      name: c.metadata.name,
      version: c.metadata.version,
      appVersion: c.metadata.appVersion,
      description: c.metadata.description,
      keywords: c.metadata.keywords,
    }).toEqual({ name: theirs.name, version: theirs.version, appVersion: theirs.appVersion, description: theirs.description, keywords: theirs.keywords });
    expect(c.metadata).toMatchObject({ version: '1', appVersion: '10.4', description: 'true', keywords: ['1', 'true'] });
  }, 30_000);
});

describe('Bitnami corpus (../shared) vs helm template', () => {
  it('every chart loads and its enabled subcharts are the ones helm renders', async () => {
    const CORPUS = sharedPath('corpus', 'bitnami', 'charts');
    const files = readdirSync(CORPUS).filter((f) => f.endsWith('.tgz')).sort();
    expect(files.length).toBeGreaterThan(0);
    const t0 = Date.now();
    const runs = await pool(files, 4, (f) => helmAsync(['template', 'rel', join(CORPUS, f)]));
    const problems: string[] = [];
    let loadMs = 0;
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      const h = runs[i]!;
      const t = performance.now();
      let ours: string[] | string;
      try {
        const chart = await loadChart(join(CORPUS, f));
        if (chart.metadata.type === 'library') {
          // helm template refuses library charts (checkIfInstallable); loading them is still fine.
          if (!h.stderr.includes('library charts are not installable')) problems.push(`${f}: helm ${h.stderr.trim()}`);
          continue;
        }
        checkDependencies(chart);
        ours = enabledRenderable(resolveChartTree(chart, {}));
        loadMs += performance.now() - t;
        const theirs = h.status === 0 ? renderedSubcharts(chart.metadata.name, h.stdout) : `error: ${h.stderr.trim()}`;
        if (JSON.stringify(ours) !== JSON.stringify(theirs)) problems.push(`${f}: helm ${JSON.stringify(theirs)} ours ${JSON.stringify(ours)}`);
      } catch (e) {
        problems.push(`${f}: ${(e as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(120_000);
    // Loading + resolving the whole corpus (reported in the test output for tracking).
    console.log(`corpus: ${files.length} charts, ours ${loadMs.toFixed(0)} ms in total`);
  }, 180_000);
});
