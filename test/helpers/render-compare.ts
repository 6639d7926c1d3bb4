/**
 * Comparing `template` output with the reference helm's on the corpus: helm runs twice per
 * chart (cached under .cache/render-corpus/, git-ignored), outputs are parsed as YAML
 * documents keyed by `# Source` + kind + name, and values that differ between helm's own two
 * runs (random passwords, generated certificates) are blanked before comparing. Used by
 * test/render-corpus.test.ts and bench/corpus.ts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { helm } from './helm.js';
import { sharedRoot } from './shared.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const corpusDir = join(sharedRoot, 'corpus', 'bitnami', 'charts');
const cacheDir = join(root, '.cache', 'render-corpus');

export interface HelmRun { status: number; stdout: string; stderr: string }

export function helmCached(chart: string, run: number): HelmRun {
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

/** A date-time as `now`, `date` and friends print it (RFC 3339, or Go's time.String). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}/;

const looksLikeTime = (s: string): boolean => {
  if (TIMESTAMP.test(s)) return true;
  const decoded = Buffer.from(s, 'base64').toString('utf8');
  return /^[A-Za-z0-9+/]+=*$/.test(s) && TIMESTAMP.test(decoded);
};

/**
 * Deep equality where two different timestamps (also base64-encoded, as in Secrets) count as
 * equal: a time from `now` differs between helm's run and ours unless they share a second.
 */
function sameUpToTime(a: unknown, b: unknown): boolean {
  if (isDeepStrictEqual(a, b)) return true;
  if (typeof a === 'string' && typeof b === 'string') return looksLikeTime(a) && looksLikeTime(b);
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => k in (b as object) && sameUpToTime((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

export interface Comparison { agree: boolean; detail: string }

/** Compares our output with helm's two runs. */
export function compareOutputs(h1: HelmRun, h2: HelmRun, ours: { ok: true; out: string } | { ok: false; error: string }): Comparison {
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
    if (!sameUpToTime(a, b)) {
      const dp = new Set<string>();
      diffPaths(a, b, '', dp);
      problems.push(`differs ${k} at ${[...dp].slice(0, 5).join(', ')}`);
    }
  }
  for (const k of d3.keys()) if (!d1.has(k)) problems.push(`extra ${k}`);
  return problems.length === 0 ? { agree: true, detail: ours.out === h1.stdout ? 'identical' : 'equal' } : { agree: false, detail: problems.slice(0, 10).join('\n') };
}

