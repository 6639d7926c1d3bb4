/**
 * The renderer against the reference helm (v4.1.4) on the Bitnami corpus
 * (../shared/corpus/bitnami/charts/*.tgz beside the checkout).
 *
 * For each chart, `helm template release-name <chart>` is run twice (cached under
 * .cache/render-corpus/, git-ignored) and our `renderChart` + `formatTemplateOutput` once.
 * Outputs are parsed as YAML documents and compared as a set keyed by `# Source` + kind +
 * name. Values that differ between the two helm runs (random passwords, generated
 * certificates, timestamps) are blanked at those paths in both outputs before comparing.
 *
 * Each chart is rendered once more with its parse trees read back from tree-codec entries, as a
 * later run reads them from the template cache (bodies decoded as they are walked), and that
 * output is held to helm's in the same way.
 *
 * A chart agrees when the document sets are deep-equal (or both fail with the same error);
 * each chart is a test that asserts it (all 116 agree with helm today). The corpus comes from
 * ../shared beside the checkout: without it the file fails, it does not collapse to 0 tests.
 * Filter with RENDER_CORPUS=<substring> (a filter that matches no chart fails too).
 *
 *   npx vitest run test/render-corpus.test.ts
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadChart } from '../src/chart/load.js';
import { formatTemplateOutput, renderChart } from '../src/render/index.js';
import { compareOutputs, helmCached, type Comparison } from './helpers/render-compare.js';
import { sharedPath } from './helpers/shared.js';
import { fastParseGoYaml } from '../src/chart/yaml-fast.js';
import { slowParseGoYaml } from '../src/chart/yaml.js';
import type { ParsedTreeStore } from '../src/render/template/exec.js';

/** Parse trees kept in memory as the template cache keeps them on disk: tree-codec entries. */
class EntryStore implements ParsedTreeStore {
  readonly entries = new Map<string, string>();
  get(identity: string, text: string): string | undefined { return this.entries.get(`${identity}\0${text}`); }
  put(identity: string, text: string, encode: () => string): void { this.entries.set(`${identity}\0${text}`, encode()); }
}

const filter = process.env.RENDER_CORPUS ?? '';
const corpusDir = sharedPath('corpus', 'bitnami', 'charts');
const all = readdirSync(corpusDir).filter((f) => f.endsWith('.tgz')).sort();
const charts = all.filter((f) => f.includes(filter));

const results = new Map<string, Comparison>();
let fullParserDocs = 0;

describe('helm template agreement on the Bitnami corpus', () => {
  it(filter ? `RENDER_CORPUS=${filter} selects charts` : 'the corpus holds its 116 charts', () => {
    if (filter) expect(charts.length).toBeGreaterThan(0);
    else expect(all.length).toBe(116);
  });

  for (const chart of charts) {
    it(chart, async () => {
      const h1 = helmCached(chart, 1);
      const h2 = helmCached(chart, 2);
      let ours: { ok: true; out: string } | { ok: false; error: string };
      try {
        const c = await loadChart(join(corpusDir, chart));
        const rendered = renderChart(c, {});
        ours = { ok: true, out: formatTemplateOutput(rendered) };
        // Every rendered manifest the fast YAML path reads, it reads as the full parser does.
        for (const m of rendered.manifests) {
          const fast = fastParseGoYaml(m.content);
          if (fast !== undefined) expect(fast, `fast YAML path on ${m.source}`).toEqual(slowParseGoYaml(m.content));
          else fullParserDocs++;
        }
      } catch (e) {
        ours = { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
      const cmp = compareOutputs(h1, h2, ours);
      results.set(chart, cmp);
      expect(cmp.agree, `${chart} differs from helm template:\n${cmp.detail}`).toBe(true);

      let stored: { ok: true; out: string } | { ok: false; error: string };
      try {
        const c = await loadChart(join(corpusDir, chart));
        const store = new EntryStore();
        renderChart(c, { parsedTrees: store });
        expect(store.entries.size).toBeGreaterThan(0);
        stored = { ok: true, out: formatTemplateOutput(renderChart(c, { parsedTrees: store })) };
      } catch (e) {
        stored = { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
      const again = compareOutputs(h1, h2, stored);
      expect(again.agree, `${chart} rendered from stored parse trees differs from helm template:\n${again.detail}`).toBe(true);
    }, 300_000);
  }

  afterAll(() => {
    const agree = [...results.values()].filter((r) => r.agree).length;
    const identical = [...results.values()].filter((r) => r.detail === 'identical').length;
    console.log(`render corpus agreement: ${agree}/${results.size} charts deep-equal, ${identical} byte-identical; ${fullParserDocs} manifests left to the full YAML parser`);
  });
});
