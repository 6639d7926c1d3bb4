/**
 * Checks the engine against outputs and errors recorded from the real helm v4.1.4
 * (fixtures/render/expected.json, made by fixtures/render/generate.ts).
 *
 * Each case is parsed exactly as helm saw it (`{{- define "case" }}…{{ end }}` in
 * c/templates/case.yaml, plus c/templates/_defs.tpl) and executed with
 * missingkey=zero and `.Values` as helm builds it (common.Values, numbers float64).
 * Errors are turned into helm's wording (cleanupParseError / reformatExecErrorMsg with
 * the `include` wrapper) before comparing.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ExecError, TemplateParseError, TemplateSet, T_MAP_IFACE, fromJS, goFunc, namedType, withType, type GoMap } from './index.js';

interface RenderCase { name: string; t: string; v?: unknown; defs?: string }
import { recordOutput, type Expected } from '../../../fixtures/render/generate.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const cases = parse(readFileSync(join(root, 'fixtures/render/cases.yaml'), 'utf8')) as RenderCase[];
const expected = (JSON.parse(readFileSync(join(root, 'fixtures/render/expected.json'), 'utf8')) as { cases: Record<string, Expected> }).cases;

const CASE_FILE = 'c/templates/case.yaml';
const DEFS_FILE = 'c/templates/_defs.tpl';
const COMMON_VALUES = namedType('common.Values', T_MAP_IFACE);

function caseFileText(t: string): string {
  return `{{- define "case" }}${t}{{ end }}\nout: {{ include "case" . | b64enc }}\n`;
}

/** helm's cleanupParseError. */
function helmParseError(file: string, msg: string): string {
  const tokens = msg.split(': ');
  if (tokens.length === 1) return `parse error in (${file}): ${msg}`;
  return `parse error at (${tokens[1]}): ${tokens[tokens.length - 1]}`;
}

interface Traceable { location: string; message: string; executedFunction: string }

function parseTemplateExecError(s: string): Traceable | null {
  if (!s.startsWith('template: ')) return null;
  const rem = s.slice('template: '.length);
  if (rem.startsWith('no template ')) return { location: '', message: s, executedFunction: '' };
  const idx = rem.indexOf(': executing ');
  if (idx !== -1) {
    const templateName = rem.slice(0, idx);
    const after = rem.slice(idx + ': executing '.length);
    if (after[0] !== '"') return null;
    const endQuote = after.indexOf('"', 1);
    if (endQuote === -1) return null;
    const fn = after.slice(1, endQuote);
    const afterFunc = after.slice(endQuote + 1);
    if (!afterFunc.startsWith(' at <')) return null;
    const afterAt = afterFunc.slice(' at <'.length);
    const endLoc = afterAt.indexOf('>: ');
    if (endLoc === -1) return null;
    let msg = afterAt.slice(endLoc + 3);
    const cut = msg.indexOf(' template:');
    if (cut !== -1) msg = msg.slice(0, cut);
    return { location: templateName, message: msg, executedFunction: `executing "${fn}" at <${afterAt.slice(0, endLoc)}>:` };
  }
  const sep = rem.lastIndexOf(': ');
  if (sep !== -1) {
    let msg = rem.slice(sep + 2);
    const cut = msg.indexOf(' template:');
    if (cut !== -1) msg = msg.slice(0, cut);
    return { location: rem.slice(0, sep), message: msg, executedFunction: '' };
  }
  return null;
}

/** helm's reformatExecErrorMsg applied to the error `include "case"` returns. */
function helmExecError(t: string, err: ExecError): string {
  const includeLine = 2 + (t.match(/\n/g)?.length ?? 0);
  const outer = `template: ${CASE_FILE}:${includeLine}:8: executing "${CASE_FILE}" at <include "case" .>: error calling include: ${err.message}`;
  // The chain errors.Unwrap walks: outer ExecError, its wrapped error, the inner ExecError,
  // its formatted error, and the function's error for "error calling X: %w".
  const chain: string[] = [outer, outer, err.message, err.message];
  if (err.cause !== undefined) chain.push(err.cause instanceof Error ? err.cause.message : String(err.cause));
  const locations: Traceable[] = [];
  for (const msg of chain) {
    const tr = parseTemplateExecError(msg);
    if (!tr) return outer;
    const last = locations[locations.length - 1];
    if (!last || last.location !== tr.location || last.message !== tr.message || last.executedFunction !== tr.executedFunction) locations.push(tr);
  }
  return locations.map((l) => {
    let s = '';
    if (l.location) s += `${l.location}\n  `;
    if (l.executedFunction) s += `${l.executedFunction}\n    `;
    if (l.message) s += `${l.message}\n`;
    return s;
  }).join('').trim();
}

function render(c: RenderCase): Expected {
  // include and b64enc only appear in the wrapper line, which is parsed but never executed.
  const stub = goFunc('func(...interface {}) string', () => '');
  const set = new TemplateSet({ missingKey: 'zero', name: 'gotpl', funcs: { include: stub, b64enc: stub } });
  let file = CASE_FILE;
  try {
    set.parse(CASE_FILE, caseFileText(c.t));
    if (c.defs !== undefined) { file = DEFS_FILE; set.parse(DEFS_FILE, c.defs); }
  } catch (e) {
    if (e instanceof TemplateParseError) return { ok: false, error: helmParseError(file, e.message) };
    throw e;
  }
  const values = withType(fromJS(c.v ?? {}) as GoMap, COMMON_VALUES);
  const top = withType({ Values: values } as GoMap, COMMON_VALUES);
  try {
    return recordOutput(set.execute('case', top));
  } catch (e) {
    if (e instanceof ExecError) return { ok: false, error: helmExecError(c.t, e) };
    throw e;
  }
}

describe('agreement with helm v4.1.4 (fixtures/render)', () => {
  it('has an expected result for every case', () => {
    expect(cases.filter((c) => !expected[c.name]).map((c) => c.name)).toEqual([]);
  });
  for (const c of cases) {
    const want = expected[c.name];
    if (!want) continue;
    it(c.name, () => {
      expect(render(c)).toEqual(want);
    });
  }
});
