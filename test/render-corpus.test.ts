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
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadChart } from '../src/chart/load.js';
import { formatTemplateOutput, renderChart } from '../src/render/index.js';
import { helm } from './helpers/helm.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpusDir = '/work/shared/corpus/bitnami/charts';
const cacheDir = join(root, '.cache', 'render-corpus');
const filter = process.env.RENDER_CORPUS ?? '';

const charts = existsSync(corpusDir)
  ? readdirSync(corpusDir).filter((f) => f.endsWith('.tgz') && f.includes(filter)).sort()
  : [];

interface HelmRun { status: number; stdout: string; stderr: string }

function helmCached(chart: string, run: number): HelmRun {
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, `${chart}.${run}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as HelmRun;
  const r = helm(['template', 'release-name', join(corpusDir, chart)]);
  writeFileSync(file, JSON.stringify(r));
  return r;
}

type Docs = Map<string, unknown>;

/** Parses helm template output into documents keyed by source + kind + name (+ #n for repeats). */
function parseOutput(text: string): Docs {
  const docs: Docs = new Map();
  for (const doc of parseAllDocuments(text, { uniqueKeys: false })) {
    if ('errors' in doc && doc.errors.length > 0) throw new Error(`YAML error: ${doc.errors[0]!.message}`);
    const m = /Source: (.*)/.exec(doc.commentBefore ?? '');
    const source = m ? m[1]!.trim() : '?';
    const js = doc.toJS({ maxAliasCount: -1 }) as unknown;
    const o = (js ?? {}) as { kind?: unknown; metadata?: { name?: unknown } };
    const base = `${source} ${String(o?.kind ?? '')} ${String(o?.metadata?.name ?? '')}`;
    let key = base;
    for (let n = 2; docs.has(key); n++) key = `${base} #${n}`;
    docs.set(key, js);
  }
  return docs;
}

const VOLATILE = '<volatile>';

/** Paths (JSON pointer-ish) where a and b differ. */
function diffPaths(a: unknown, b: unknown, path: string, out: Set<string>): void {
  if (isDeepStrictEqual(a, b)) return;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) { out.add(path); return; }
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) diffPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`, out);
    return;
  }
  out.add(path);
}

function blank(v: unknown, paths: Set<string>, path = ''): unknown {
  if (paths.has(path)) return VOLATILE;
  if (v && typeof v === 'object') {
    if (Array.isArray(v)) return v.map((x, i) => blank(x, paths, `${path}/${i}`));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = blank(x, paths, `${path}/${k}`);
    return out;
  }
  return v;
}

interface Comparison { agree: boolean; detail: string }

/** Compares our output with helm's two runs. */
function compareOutputs(h1: HelmRun, h2: HelmRun, ours: { ok: true; out: string } | { ok: false; error: string }): Comparison {
  if (h1.status !== 0) {
    const helmErr = h1.stderr.replace(/^Error: /, '').replace(/\n*Use --debug flag to render out invalid YAML\n*$/, '').trim();
    if (ours.ok) return { agree: false, detail: `helm failed (${helmErr}) but we rendered` };
    return ours.error.trim() === helmErr ? { agree: true, detail: 'same error' } : { agree: false, detail: `errors differ:\n helm: ${helmErr}\n ours: ${ours.error}` };
  }
  if (!ours.ok) return { agree: false, detail: `we failed: ${ours.error}` };
  const d1 = parseOutput(h1.stdout);
  const d2 = h2.status === 0 ? parseOutput(h2.stdout) : d1;
  const d3 = parseOutput(ours.out);
  const problems: string[] = [];
  for (const [k, v1] of d1) {
    const paths = new Set<string>();
    if (d2.has(k)) diffPaths(v1, d2.get(k), '', paths);
    if (!d3.has(k)) { problems.push(`missing ${k}`); continue; }
    const a = blank(v1, paths);
    const b = blank(d3.get(k), paths);
    if (!isDeepStrictEqual(a, b)) {
      const dp = new Set<string>();
      diffPaths(a, b, '', dp);
      problems.push(`differs ${k} at ${[...dp].slice(0, 5).join(', ')}`);
    }
  }
  for (const k of d3.keys()) if (!d1.has(k)) problems.push(`extra ${k}`);
  return problems.length === 0 ? { agree: true, detail: ours.out === h1.stdout ? 'identical' : 'equal' } : { agree: false, detail: problems.slice(0, 10).join('\n') };
}

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
