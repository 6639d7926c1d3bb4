/**
 * The renderer against the reference helm (v4.1.4) on the Bitnami corpus
 * (/work/shared/corpus/bitnami/charts/*.tgz; skipped when absent).
 *
 * For each chart, `helm template release-name <chart>` is run twice (cached under
 * .cache/render-corpus/, git-ignored) and our `renderChart` + `formatTemplateOutput` once.
 * Outputs are parsed as YAML documents and compared as a set keyed by `# Source` + kind +
 * name. Values that differ between the two helm runs (random passwords, generated
 * certificates, timestamps) are blanked at those paths in both outputs before comparing.
 *
 * A chart agrees when the document sets are deep-equal (or both fail with the same error).
 * The agreement count is printed at the end; the project goal is ≥ 95 %. Filter with
 * RENDER_CORPUS=<substring>.
 *
 *   npx vitest run test/render-corpus.test.ts
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadChart } from '../src/chart/load.js';
import { formatTemplateOutput, renderChart } from '../src/render/index.js';
import { compareOutputs, corpusDir, helmCached, type Comparison } from './helpers/render-compare.js';

const filter = process.env.RENDER_CORPUS ?? '';

const charts = existsSync(corpusDir)
  ? readdirSync(corpusDir).filter((f) => f.endsWith('.tgz') && f.includes(filter)).sort()
  : [];

const results = new Map<string, Comparison>();

describe.skipIf(charts.length === 0)('helm template agreement on the Bitnami corpus', () => {
  for (const chart of charts) {
    it(chart, async () => {
      const h1 = helmCached(chart, 1);
      const h2 = helmCached(chart, 2);
      let ours: { ok: true; out: string } | { ok: false; error: string };
      try {
        const c = await loadChart(join(corpusDir, chart));
        ours = { ok: true, out: formatTemplateOutput(renderChart(c, {})) };
      } catch (e) {
        ours = { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
      const cmp = compareOutputs(h1, h2, ours);
      results.set(chart, cmp);
      if (!cmp.agree) console.log(`DISAGREE ${chart}: ${cmp.detail}`);
    }, 300_000);
  }

  afterAll(() => {
    const agree = [...results.values()].filter((r) => r.agree).length;
    const identical = [...results.values()].filter((r) => r.detail === 'identical').length;
    const pct = results.size ? ((100 * agree) / results.size).toFixed(1) : '0';
    console.log(`render corpus agreement: ${agree}/${results.size} charts deep-equal (${pct}%), ${identical} byte-identical`);
    if (!filter && results.size === charts.length) expect(agree / results.size).toBeGreaterThanOrEqual(0.95);
  });
});
