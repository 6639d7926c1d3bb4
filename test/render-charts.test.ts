/**
 * The renderer against helm v4.1.4's recorded output for the synthetic charts of
 * fixtures/render-charts (values flags, subchart values/globals/import-values/aliases,
 * library charts, Files, Capabilities, kubeVersion, hooks, CRDs, show-only, errors, schema).
 * Expected outputs come from fixtures/render-charts/generate.ts (run it after editing
 * cases.yaml or the charts). Outputs must be byte-identical; errors must have helm's text.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadChart } from '../src/chart/load.js';
import { buildUserValues, formatTemplateOutput, renderChart, type RenderOptions, type ValuesOptions } from '../src/render/index.js';
import { loadCases, type Expected } from '../fixtures/render-charts/generate.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'fixtures/render-charts');
const expected = (JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { cases: Record<string, Expected> }).cases;

/**
 * Cases where we knowingly differ from helm (owned elsewhere or out of reach), with the
 * reason: this table is the list. Each runs as `it.fails`, so a case that starts agreeing
 * with helm fails until its entry is removed.
 */
const KNOWN: Record<string, string> = {
  'values/bad-file': 'src/chart/yaml.ts words this YAML syntax error differently from go-yaml',
  'errors/bad-yaml': 'src/chart/yaml.ts words this YAML syntax error differently from go-yaml',
  'errors/recurse-limit': "the JS stack overflows (~700 nested includes) before helm's 1000-include limit",
};

interface Parsed { values: ValuesOptions; render: RenderOptions; showOnly: string[]; skipTests: boolean }

/** The helm template flags the cases use. */
function parseArgs(args: string[]): Parsed {
  const p: Parsed = {
    values: { valuesFiles: [], set: [], setString: [], setJson: [], setFile: [], setLiteral: [] },
    render: { apiVersions: [] },
    showOnly: [],
    skipTests: false,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = (): string => args[++i]!;
    switch (a) {
      case '-f': case '--values': { const f = next(); p.values.valuesFiles!.push({ name: f, bytes: readFileSync(join(dir, f)) }); break; }
      case '--set': p.values.set!.push(next()); break;
      case '--set-string': p.values.setString!.push(next()); break;
      case '--set-json': p.values.setJson!.push(next()); break;
      case '--set-file': p.values.setFile!.push(next()); break;
      case '--set-literal': p.values.setLiteral!.push(next()); break;
      case '--kube-version': p.render.kubeVersion = next(); break;
      case '-a': case '--api-versions': p.render.apiVersions!.push(next()); break;
      case '--include-crds': p.render.includeCrds = true; break;
      case '--is-upgrade': p.render.isUpgrade = true; break;
      case '--namespace': p.render.namespace = next(); break;
      case '--skip-schema-validation': p.render.skipSchemaValidation = true; break;
      case '-s': case '--show-only': p.showOnly.push(next()); break;
      case '--skip-tests': p.skipTests = true; break;
      default: throw new Error(`unsupported flag ${a}`);
    }
  }
  return p;
}

async function run(chart: string, args: string[], release: string): Promise<Expected> {
  const p = parseArgs(args);
  try {
    const values = buildUserValues(p.values, (path) => readFileSync(join(dir, path)));
    const c = await loadChart(join(dir, chart));
    const result = renderChart(c, { ...p.render, releaseName: release, values });
    return { ok: true, output: formatTemplateOutput(result, { showOnly: p.showOnly, skipTests: p.skipTests }) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

describe('helm template agreement on fixtures/render-charts', () => {
  const cases = loadCases();
  it('has an expected result for every case', () => {
    expect(cases.filter((c) => !expected[c.name]).map((c) => c.name)).toEqual([]);
  });
  for (const c of cases) {
    const want = expected[c.name];
    if (!want) continue;
    (KNOWN[c.name] ? it.fails : it)(c.name, async () => {
      expect(await run(c.chart, c.args ?? [], c.release ?? 'rel')).toEqual(want);
    });
  }
});
