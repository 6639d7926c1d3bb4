/**
 * Renders the encoding cases through the reference helm (v4.1.4) and writes expected.json
 * (and corpus-expected.json: hashes of toYaml/toJson/toToml of every bitnami corpus chart's
 * values.yaml). Run: `npx tsx src/render/encoding/__fixtures__/generate.ts` (needs the reference
 * helm from test/helpers/helm.ts; the tests themselves only read the JSON files).
 */
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { helm } from '../../../../test/helpers/helm.js';
import { DECODE_CASES, ERROR_CASES, TPL_CASES, VALUE_CASES, type Json } from './cases.js';
import { CORPUS_DIR, readChartValues } from './corpus.js';

const here = dirname(fileURLToPath(import.meta.url));

/** YAML flow text for a JSON-like value that go-yaml reads back exactly (all non-ASCII escaped). */
export function yamlFlow(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Object.is(v, -0)) return '-0.0';
    return JSON.stringify(v);
  }
  if (typeof v === 'string') return yamlQuote(v);
  if (Array.isArray(v)) return '[' + v.map(yamlFlow).join(', ') + ']';
  return '{' + Object.keys(v).map((k) => yamlQuote(k) + ': ' + yamlFlow(v[k]!)).join(', ') + '}';
}

function yamlQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c <= 0xffff) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += '\\U' + c.toString(16).padStart(8, '0');
  }
  return out + '"';
}

function makeChart(root: string, template: string): string {
  const dir = join(root, 'c');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'templates'), { recursive: true });
  mkdirSync(join(dir, 'files'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'files', 'bin'), Buffer.from([0, 1, 2, 250, 255, 65, 66]));
  writeFileSync(join(dir, 'files', 'empty'), Buffer.alloc(0));
  writeFileSync(join(dir, 'templates', 't.yaml'), template);
  return dir;
}

function parseOutput(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const m = /^([A-Za-z0-9_]+): ?(.*)$/.exec(line);
    if (m) out[m[1]!] = Buffer.from(m[2]!, 'base64').toString('utf8');
  }
  return out;
}

export const ENCODERS = ['toYaml', 'toJson', 'toToml', 'toYamlPretty'] as const;
export const DECODERS = ['fromYaml', 'fromYamlArray', 'fromJson', 'fromJsonArray', 'fromToml'] as const;
/** Decoded values re-encoded (Go types of the decoders' results show here). */
export const DECODE_COMBOS: Array<[string, string]> = [
  ['tomlToToml', 'fromToml $s | toToml'],
  ['tomlToYaml', 'fromToml $s | toYaml'],
  ['tomlToPretty', 'fromToml $s | toYamlPretty'],
  ['jsonToPretty', 'fromJson $s | toYamlPretty'],
  ['jsonToToml', 'fromJson $s | toToml'],
  ['yamlToPretty', 'fromYaml $s | toYamlPretty'],
  ['yamlArrayToYaml', 'fromYamlArray $s | toYaml'],
];

function main(): void {
  const root = mkdtempSync(join(tmpdir(), 'enc-fixtures-'));
  const values: string[] = [];
  const tpl: string[] = [];
  const names: string[] = [];

  VALUE_CASES.forEach((c, i) => {
    values.push(`v${i}: [${yamlFlow(c.value)}]`);
    tpl.push(`{{- $v := index .Values.v${i} 0 }}`);
    for (const f of ENCODERS) tpl.push(`V${i}_${f}: {{ ${f} $v | b64enc }}`);
    names.push(c.name);
  });
  TPL_CASES.forEach((c, i) => {
    tpl.push(`{{- $t := ${c.tpl} }}`);
    for (const f of ENCODERS) if (!c.skip?.includes(f)) tpl.push(`T${i}_${f}: {{ ${f} $t | b64enc }}`);
  });
  DECODE_CASES.forEach((c, i) => {
    values.push(`d${i}: [${yamlFlow(c.input)}]`);
    tpl.push(`{{- $s := index .Values.d${i} 0 }}`);
    for (const f of DECODERS) tpl.push(`D${i}_${f}: {{ ${f} $s | toJson | b64enc }}`);
    tpl.push(`{{- $ty := "" }}{{ range $k, $x := fromToml $s }}{{ $ty = printf "%s%s=%s;" $ty $k (typeOf $x) }}{{ end }}`);
    tpl.push(`D${i}_tomlTypes: {{ $ty | b64enc }}`);
    for (const [n, expr] of DECODE_COMBOS) tpl.push(`D${i}_${n}: {{ ${expr} | b64enc }}`);
  });

  const dir = makeChart(root, tpl.join('\n') + '\n');
  const valuesFile = join(root, 'values.yaml');
  writeFileSync(valuesFile, values.join('\n') + '\n');
  const r = helm(['template', 'rel', dir, '-f', valuesFile]);
  if (r.status !== 0) throw new Error(`helm failed: ${r.stderr}`);
  const got = parseOutput(r.stdout);

  const expected: Record<string, Record<string, string>> = {};
  VALUE_CASES.forEach((c, i) => {
    expected[c.name] = Object.fromEntries(ENCODERS.map((f) => [f, need(got, `V${i}_${f}`)]));
  });
  TPL_CASES.forEach((c, i) => {
    expected[c.name] = Object.fromEntries(ENCODERS.filter((f) => !c.skip?.includes(f)).map((f) => [f, need(got, `T${i}_${f}`)]));
  });
  DECODE_CASES.forEach((c, i) => {
    expected[c.name] = Object.fromEntries([...DECODERS, 'tomlTypes', ...DECODE_COMBOS.map(([n]) => n)].map((f) => [f, need(got, `D${i}_${f}`)]));
  });
  for (const c of ERROR_CASES) {
    const d = makeChart(root, `x: {{ ${c.fn} ${c.tpl} }}\n`);
    const e = helm(['template', 'rel', d]);
    const m = /error calling [A-Za-z]+: (.*)$/s.exec(e.stderr);
    expected[c.name] = {
      status: String(e.status),
      error: (m ? m[1]! : e.stderr).replace(/\n*Use --debug flag to render out invalid YAML\s*$/, '').trim(),
      stdout: e.stdout.replace(/^---\n# Source: [^\n]*\n/, ''),
    };
  }
  writeFileSync(join(here, 'expected.json'), JSON.stringify(expected, null, 1) + '\n');
  console.log(`cases: ${Object.keys(expected).length}`);

  // Corpus: toYaml / toJson / toToml of .Values for each chart's values.yaml.
  if (existsSync(CORPUS_DIR)) {
    const corpus: Record<string, Record<string, string>> = {};
    const full = join(root, 'corpus-out');
    mkdirSync(full, { recursive: true });
    const cdir = makeChart(root, ['toYaml', 'toJson', 'toToml', 'toYamlPretty'].map((f) => `${f}: {{ ${f} .Values | b64enc }}`).join('\n') + '\n');
    for (const file of readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.tgz')).sort()) {
      const vals = readChartValues(join(CORPUS_DIR, file));
      if (vals === null) continue;
      const vf = join(root, 'cv.yaml');
      writeFileSync(vf, vals);
      const cr = helm(['template', 'rel', cdir, '-f', vf]);
      if (cr.status !== 0) {
        corpus[file] = { error: cr.stderr.trim() };
        continue;
      }
      const o = parseOutput(cr.stdout);
      corpus[file] = {};
      for (const f of ['toYaml', 'toJson', 'toToml', 'toYamlPretty']) {
        const text = need(o, f);
        writeFileSync(join(full, `${file}.${f}`), text);
        corpus[file]![f] = sha256(text);
      }
    }
    writeFileSync(join(here, 'corpus-expected.json'), JSON.stringify(corpus, null, 1) + '\n');
    console.log(`corpus charts: ${Object.keys(corpus).length}` + (process.env['ENC_KEEP'] ? `; full outputs in ${full}` : ''));
  }
  // ENC_KEEP=1 keeps the throwaway chart and helm's full corpus outputs for debugging.
  if (!process.env['ENC_KEEP']) rmSync(root, { recursive: true, force: true });
}

export function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

function need(m: Record<string, string>, k: string): string {
  const v = m[k];
  if (v === undefined) throw new Error(`missing output ${k}`);
  return v;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
