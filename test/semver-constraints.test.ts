/**
 * One Masterminds constraint parser (src/chart/semver-range.ts) behind helm's dependency ranges
 * and sprig's semverCompare: semverCompare results and error texts compared with the reference
 * helm on a table of constraints, including ones that fail to parse.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isCompatibleRange, parseConstraintsOrError } from '../src/chart/semver-range.js';
import { loadChartFiles } from '../src/chart/load.js';
import { renderChart } from '../src/render/index.js';
import { helm } from './helpers/helm.js';

const constraints = [
  '1.2.3', '=1.2.3', 'v1.2.3', '!=1.2.3', '>1.2', '<1.2', '>=1.2.3', '=>1.2.3', '<=1.2', '=<1.2.x',
  '~1', '~1.2', '~1.2.3', '~>1.2', '^1.2.3', '^0.2', '^0.0.3', '^0', '1.x', '1.2.x', '*', 'x', '2.x.x',
  '>1.x', '<=1.x', '!=1.2.x', '>= 1.2, < 2', '>=1.2 <2', '1.2 - 1.4.5', '1 - 2 || 3', '<1.0.0 || >=2.0.0',
  '>=1.0.0-0', '~1.2.3-beta', '1.2.3+meta', ' >=1.2 ', '>=1.2,<1.5,!=1.3.0',
];
const versions = ['0.0.3', '0.2.9', '1.0.0-beta', '1.2.0', '1.2.3', '1.2.4-rc.1', '1.3.0', '1.4.5', '2.0.0', '3.1.0'];
const invalid = ['', 'foo', '>=1.2.3-01', '1.2.3.4', '>= 1.2 ||', '~1.2 foo', '>=1,,<2', '1 -2', '>=a'];

function chartFiles(template: string) {
  return [
    { name: 'Chart.yaml', data: Buffer.from('apiVersion: v2\nname: semver\nversion: 1.0.0\n') },
    { name: 'templates/out.yaml', data: Buffer.from(template) },
  ];
}

async function ours(template: string): Promise<string> {
  try {
    const r = renderChart(await loadChartFiles(chartFiles(template)), { releaseName: 'r' });
    return r.manifests.map((m) => m.content).join('');
  } catch (e) {
    return `Error: ${(e as Error).message}`;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'semver-constraints-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function helmRender(name: string, template: string): string {
  const c = join(dir, name);
  for (const f of chartFiles(template)) {
    mkdirSync(join(c, f.name, '..'), { recursive: true });
    writeFileSync(join(c, f.name), f.data);
  }
  const r = helm(['template', 'r', c]);
  if (r.status !== 0) return r.stderr.split('\n')[0]!; // the error, without helm's --debug hint
  return r.stdout.split('\n').filter((l) => !l.startsWith('---') && !l.startsWith('# Source')).join('\n');
}

describe('semverCompare agrees with helm', () => {
  it(`${constraints.length} constraints × ${versions.length} versions`, async () => {
    const lines = constraints.flatMap((c) => versions.map((v) => `# ${JSON.stringify(c)} ${v}: {{ semverCompare ${JSON.stringify(c)} ${JSON.stringify(v)} }}`));
    const template = `# ${lines.length}\n${lines.join('\n')}\n`;
    const want = helmRender('table', template);
    const got = await ours(template);
    expect(got.trim()).toBe(want.trim());
    // helm's dependency ranges use the same parser and check
    for (const l of want.split('\n').filter((x) => x.includes(': '))) {
      const m = /^# (".*") (\S+): (true|false)$/.exec(l)!;
      expect(isCompatibleRange(JSON.parse(m[1]!) as string, m[2]!), l).toBe(m[3] === 'true');
    }
  });

  for (const c of invalid) {
    it(`error text for ${JSON.stringify(c)}`, async () => {
      const template = `x: {{ semverCompare ${JSON.stringify(c)} "1.2.3" }}\n`;
      const want = helmRender(`bad${invalid.indexOf(c)}`, template);
      expect(want).toMatch(/^Error: /);
      expect(await ours(template)).toBe(want);
      const parsed = parseConstraintsOrError(c);
      expect(typeof parsed === 'string' && want.endsWith(`error calling semverCompare: ${parsed}`), want).toBe(true);
    });
  }

  it('refuses a constraint longer than 4096 characters with a clear error', () => {
    expect(parseConstraintsOrError(`>=1.0.0 ${'<2 '.repeat(2000)}`)).toBe('constraint longer than 4096 characters');
  });
});
