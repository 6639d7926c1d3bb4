/**
 * `postureStage`, the posture stage `scan` calls on a render it already has: with and without
 * values-key attribution (the demo's values have no key for its findings: every one is "not
 * known"; a corpus chart's are found), and with the Pod Security Standards only.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWithValues, readChartBytes, render, type RenderFlags } from '../src/commands/chart-input.js';
import { postureStage } from '../src/commands/posture-stage.js';
import { projectRoot } from './helpers/cli.js';
import { sharedPath } from './helpers/shared.js';

const demo = join(projectRoot, 'fixtures', 'demo', 'storefront-5.0.1.tgz');
const flags: RenderFlags = { valuesFiles: [], set: [], setString: [], setJson: [], setFile: [], setLiteral: [], releaseName: 'release-name', namespace: 'default', apiVersions: [] };

describe('postureStage', async () => {
  const loaded = await loadWithValues(demo, readChartBytes(demo), flags);
  const rendered = render(loaded, flags, { output: 'hidden' });

  it('without values keys: no re-render, every valuesKey null', () => {
    const r = postureStage(loaded, rendered, { level: 'restricted', pssVersion: 'latest', flags, valuesKeys: false });
    expect(r.findings.length).toBeGreaterThan(0);
    expect(r.findings.every((f) => f.valuesKey === null)).toBe(true);
    expect(r.valuesKeys.renders).toBe(0);
    expect(r.gaps).toEqual([]);
  });

  it('the demo: no values key fits its findings, none is rendered for, every key is not known', () => {
    const r = postureStage(loaded, rendered, { level: 'restricted', pssVersion: 'latest', flags });
    expect(r.valuesKeys).toMatchObject({ renders: 0, candidates: 0 });
    expect(r.findings.every((f) => f.valuesKey === null)).toBe(true);
  });

  it('with values keys: bounded re-renders, the same findings, keys where verified (wordpress and its mariadb subchart)', async () => {
    const path = sharedPath('corpus', 'bitnami', 'charts', 'wordpress-27.0.0.tgz');
    const wp = await loadWithValues(path, readChartBytes(path), flags);
    const wpRendered = render(wp, flags, { output: 'hidden' });
    const plain = postureStage(wp, wpRendered, { level: 'restricted', pssVersion: 'latest', flags, valuesKeys: false });
    const r = postureStage(wp, wpRendered, { level: 'restricted', pssVersion: 'latest', flags, maxRenders: 10 });
    expect(r.findings.map((f) => ({ ...f, valuesKey: null }))).toEqual(plain.findings);
    expect(r.valuesKeys.renders).toBeGreaterThan(0);
    expect(r.valuesKeys.renders).toBeLessThanOrEqual(10);
    expect(r.findings.find((f) => f.check === 'service.load-balancer')?.valuesKey).toBe('service.type');
    // subchart findings are keyed from the top chart's values, through the subchart's name
    const sub = r.findings.filter((f) => f.chart === 'wordpress/charts/mariadb');
    expect(sub.length).toBeGreaterThan(0);
    for (const f of sub) expect(f.valuesKey).toBe('mariadb.image.digest');
  }, 60_000);

  it('pssOnly: the Pod Security Standards alone', () => {
    const r = postureStage(loaded, rendered, { level: 'baseline', pssVersion: 'latest', flags, valuesKeys: false, pssOnly: true });
    expect(r.findings.filter((f) => !f.check.startsWith('pss.'))).toEqual([]);
  });
});
