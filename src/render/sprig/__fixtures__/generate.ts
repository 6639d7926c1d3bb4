/**
 * Renders every case of cases.yaml through the reference helm (v4.1.4) and writes
 * expected.json: `{ "<case name>": { "output": "..." } | { "error": "..." } }`.
 *
 *   npx tsx src/render/sprig/__fixtures__/generate.ts
 *
 * Each case body goes into a `define "case-N"` of one throwaway chart per batch, and the
 * chart's only manifest prints `out-N: {{ include "case-N" (dict "Values" .Values.cN) | b64enc }}`
 * so helm's YAML handling cannot alter the output. A batch that fails is re-run one case
 * per chart to find the failing cases; their error is the text after
 * `executing "case-N" at <...>: ` in helm's message (the engine's ExecError.detail).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { helm } from '../../../../test/helpers/helm.js';
import { defineText, loadCases, type Case } from './cases.js';

const here = dirname(fileURLToPath(import.meta.url));

export type Expected = Record<string, { output: string } | { error: string }>;

function renderBatch(cases: Array<[number, Case]>): { ok: true; outputs: Map<number, string> } | { ok: false; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sprig-cases-'));
  try {
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: cases\nversion: 0.1.0\n');
    writeFileSync(join(dir, 'templates', '_cases.tpl'), cases.map(([n, c]) => defineText(n, c)).join(''));
    const lines = cases.map(([n]) => `out-${n}: {{ include "case-${n}" (dict "Values" .Values.c${n}) | b64enc }}`);
    writeFileSync(join(dir, 'templates', 'out.yaml'), lines.join('\n') + '\n');
    const values: Record<string, unknown> = {};
    for (const [n, c] of cases) if (c.values !== undefined) values[`c${n}`] = c.values;
    writeFileSync(join(dir, 'values.yaml'), stringify(values));
    const r = helm(['template', 'rel', dir]);
    if (r.status !== 0) return { ok: false, stderr: r.stderr };
    const outputs = new Map<number, string>();
    for (const line of r.stdout.split('\n')) {
      const m = /^out-(\d+): (.*)$/.exec(line);
      if (m) outputs.set(Number(m[1]), Buffer.from(m[2]!.trim(), 'base64').toString('utf8'));
    }
    return { ok: true, outputs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The engine-level detail of a helm execution error for case n: the text after
 * `executing "case-N" at <node>: ` (helm prints it on one line for nested errors and over
 * several indented lines otherwise). `fail` errors are rewritten by helm to
 * `execution error at (file:line:col): msg`; they become `error calling fail: msg`.
 */
export function errorDetail(stderr: string, n: number): string {
  const text = stderr.replace(/\n\nUse --debug flag[\s\S]*$/, '').replace(/\s+$/, '');
  const failed = /execution error at \([^)]*\):(?: ([\s\S]*))?$/.exec(text);
  if (failed) return `error calling fail: ${failed[1] ?? ''}`;
  const marker = `executing "case-${n}" at <`;
  const i = text.lastIndexOf(marker);
  if (i < 0) return text.replace(/^Error: /, '');
  const rest = text.slice(i + marker.length);
  // The node text may itself contain '>'; the message starts after the last ">:" that is
  // followed by a space or a newline before the message.
  const m = /^[\s\S]*?>:(?: |\n\s*)([\s\S]*)$/.exec(rest);
  return (m ? m[1]! : rest).replace(/\n\s*/g, ' ').trim();
}

function main(): void {
  const cases = loadCases();
  const indexed = cases.map((c, n) => [n, c] as [number, Case]).filter(([, c]) => !c.skipHelm);
  const expected: Expected = {};
  const BATCH = 60;
  for (let i = 0; i < indexed.length; i += BATCH) {
    const batch = indexed.slice(i, i + BATCH);
    const r = renderBatch(batch);
    if (r.ok) {
      for (const [n, c] of batch) expected[c.name] = { output: r.outputs.get(n) ?? '' };
      continue;
    }
    for (const one of batch) {
      const s = renderBatch([one]);
      if (s.ok) expected[one[1].name] = { output: s.outputs.get(one[0]) ?? '' };
      else expected[one[1].name] = { error: errorDetail(s.stderr, one[0]) };
    }
  }
  writeFileSync(join(here, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
  const errors = Object.values(expected).filter((e) => 'error' in e).length;
  console.log(`${Object.keys(expected).length} cases (${errors} errors) written to expected.json`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();

export { parse, readFileSync };
