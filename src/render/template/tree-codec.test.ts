/**
 * Stored parse trees read back as the parser made them: every node, field and tree name (with
 * each node's tree the right Tree), on edge cases and on every template of the corpus charts;
 * malformed or foreign entries are refused (null), never half-read; each tree's root and the
 * bodies of if, range and with are decoded when walked, and one found malformed then comes from
 * a fresh parse.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readChartArchive } from '../../chart/archive.js';
import { LoadBudget } from '../../chart/budget.js';
import { sharedPath } from '../../../test/helpers/shared.js';
import type { Tree } from './ast.js';
import { helmFuncMap } from '../engine.js';
import { TemplateSet } from './exec.js';
import { parseTrees } from './parse.js';
import { TREE_CODEC_VERSION, decodeTrees, encodeTrees } from './tree-codec.js';

const funcs = new TemplateSet({ funcs: helmFuncMap() });
const parse = (name: string, text: string) => parseTrees(name, text, { hasFunction: (n) => funcs.hasFunction(n) });

/** A tree as plain data, each node's `tree` replaced by that tree's name (and checked against it). */
function plain(t: Tree): unknown {
  const seen = (v: unknown): unknown => {
    if (typeof v === 'bigint') return `${v}n`;
    if (Array.isArray(v)) return v.map(seen);
    if (v && typeof v === 'object' && (v as { type?: unknown }).type === 'list') {
      // a decoded body reads its nodes at the first use (a getter)
      const l = v as { tree: Tree; pos: number; nodes: unknown[] };
      return { type: 'list', tree: seen({ tree: l.tree }), pos: l.pos, nodes: seen(l.nodes) };
    }
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = k === 'tree' ? `${(x as Tree).name}|${(x as Tree).parseName}|${(x as Tree).text === t.text}` : seen(x);
      // the property order is the parser's (the same hidden classes)
      o['#keys'] = Object.keys(v).join(',');
      return o;
    }
    return v;
  };
  return { name: t.name, parseName: t.parseName, delims: [t.leftDelim, t.rightDelim], root: seen(t.root) };
}

function roundTrip(name: string, text: string, as = name): void {
  const trees = parse(name, text);
  const back = decodeTrees(encodeTrees(name, text, trees), as, text, '{{', '}}', () => { throw new Error('parsed afresh'); });
  expect(back).not.toBeNull();
  const want = [...parse(as, text)].map(([k, t]) => [k, plain(t)]);
  expect([...back!].map(([k, t]) => [k, plain(t)])).toEqual(want);
}

describe('tree codec round trip', () => {
  it.each([
    ['plain text'], ['{{ .Values.a }}'], ['{{- .a -}} x {{ .b.c.d }}'], ['{{ $x := .a }}{{ $x = 2 }}{{ $x }}'],
    ['{{ range $i, $v := .l }}{{ if $v }}{{ break }}{{ else }}{{ continue }}{{ end }}{{ else }}none{{ end }}'],
    ['{{ with .a }}{{ . }}{{ else with .b }}b{{ else }}c{{ end }}'], ['{{ if .a }}a{{ else if .b }}b{{ end }}'],
    ['{{ define "x" }}X{{ end }}{{ template "x" . }}{{ block "y" .a }}Y{{ end }}'], ['{{ define "e" }}{{ end }}'],
    ['{{ 1 }} {{ -2 }} {{ 0x1f }} {{ 1.5e3 }} {{ 1i }} {{ 2+3i }} {{ \'c\' }} {{ 0 }} {{ 1e100 }}'],
    ['{{ "a\\"b" }} {{ `raw\nx` }} {{ "é" }} {{ true }} {{ false }} {{ nil | default 1 }}'],
    ['{{ (.a).b.c }} {{ ($x := 1) }} {{ .a | upper | quote }} {{ print (len .l) }}'],
    ['é {{ .a }} 😀 {{ "😀" }}\n{{/* a comment */}}'],
  ])('%j', (text) => roundTrip('c/templates/t.yaml', text));

  it('an entry serves the same text under another file name', () => {
    roundTrip('a/charts/common/templates/_names.tpl', '{{ define "n" }}{{ .Release.Name }}{{ end }}{{ include "n" . }}', 'b/charts/common/templates/_names.tpl');
  });

  it('every template of every corpus chart', async () => {
    const dir = sharedPath('corpus', 'bitnami', 'charts');
    const seen = new Set<string>();
    let texts = 0;
    for (const chart of readdirSync(dir).filter((f) => f.endsWith('.tgz')).sort()) {
      for (const { name, data } of await readChartArchive(readFileSync(`${dir}/${chart}`), chart, new LoadBudget())) {
        if (!/(^|\/)templates\//.test(name)) continue;
        const text = data.toString('utf8');
        if (seen.has(text)) continue;
        seen.add(text);
        let trees: Map<string, Tree>;
        try {
          trees = parse(name, text);
        } catch {
          continue; // only texts that parse are stored
        }
        const back = decodeTrees(encodeTrees(name, text, trees), name, text, '{{', '}}', () => { throw new Error('parsed afresh'); });
        const got = JSON.stringify([...back!].map(([k, t]) => [k, plain(t)]));
        const want = JSON.stringify([...trees].map(([k, t]) => [k, plain(t)]));
        if (got !== want) expect({ chart, name, got }).toEqual({ chart, name, got: want });
        texts++;
      }
    }
    expect(texts).toBeGreaterThan(3000);
  }, 300_000);
});

describe('entries that are not read', () => {
  const text = '{{ .a }} text {{ if .b }}{{ .c }}{{ end }}';
  const good = encodeTrees('t', text, parse('t', text));
  const tableAt = Number(good.slice(0, good.indexOf('|')));
  const bodies = good.slice(good.indexOf('|') + 1, good.indexOf('|') + 1 + tableAt);
  const table = JSON.parse(good.slice(good.indexOf('|') + 1 + tableAt)) as unknown[];
  /** An entry of these bodies and this table. */
  const entry = (t: unknown, b = ''): string => `${b.length}|${b}${JSON.stringify(t)}`;
  const rootRef = JSON.stringify(table[1]);
  it.each<[string, string]>([
    ['not an entry', '{"'],
    ['no table offset', JSON.stringify(table)],
    ['a table offset past the end', `${good.length}|${good.slice(good.indexOf('|') + 1)}`],
    ['another version', entry([TREE_CODEC_VERSION + 1, ...table.slice(1)], bodies)],
    ['not a list', entry({}, bodies)],
    ['a tree named twice', entry([TREE_CODEC_VERSION, ['x', null], ['x', null]])],
    // a body must lie before what refers to it: none can hold itself
    ['a root past the bodies', entry(JSON.parse(rootRef.replace(/^\[null,\[21,(\d+),(\d+),(\d+)\]\]$/, (_, pos, at, n) => `[${TREE_CODEC_VERSION},[null,[21,${pos},${Number(at) + 1},${n}]]]`)), bodies)],
    ['a root given inline', entry([TREE_CODEC_VERSION, [null, [0, 0, []]]])],
  ])('%s', (_, json) => {
    expect(json).not.toBe(good);
    expect(decodeTrees(json, 't', text, '{{', '}}', () => parse('t', text))).toBeNull();
  });
});

describe('roots and bodies found damaged when walked come from a fresh parse', () => {
  const text = '{{ .a }} text {{ if .b }}{{ .c }}{{ end }}';
  const data = { a: 1, b: true, c: 2 };
  /** An entry whose file tree's root is this list (as JSON). */
  const withRoot = (list: unknown): string => {
    const b = JSON.stringify(list);
    return `${b.length}|${b}${JSON.stringify([TREE_CODEC_VERSION, [null, [21, 0, 0, b.length]]])}`;
  };
  const run = (json: string, t = text): { out: string; reparsed: number } => {
    let reparsed = 0;
    const trees = decodeTrees(json, 't', t, '{{', '}}', () => { reparsed++; return parse('t', t); });
    expect(trees).not.toBeNull();
    expect(reparsed).toBe(0);
    return { out: new TemplateSet({ funcs: helmFuncMap() }).addTrees(trees!).execute('t', data), reparsed };
  };
  it('an entry read whole gives what the parser gives', () => {
    expect(run(encodeTrees('t', text, parse('t', text)))).toEqual({ out: '1 text 2', reparsed: 0 });
  });
  it.each<[string, unknown]>([
    ['an unknown node code', [0, 0, [[99, 0]]]],
    ['a pipeline whose command is not a command', [0, 0, [[4, 0, 1, [3, 0, 1, 0, [], [[8, 0]]]]]]],
    ['a negative position', [0, -1, []]],
    ['a list at another position than its reference', [0, 5, []]],
    ['a number the parser would refuse', [0, 0, [[4, 0, 1, [3, 0, 1, 0, [], [[5, 0, [[13, 0, '1x', 13]]]]]]]]],
    ['a body given inline', [0, 0, [[15, 0, 1, [3, 0, 1, 0, [], [[5, 0, [[8, 0]]]]], [0, 0, []], null]]]],
  ])('%s', (_, list) => {
    expect(run(withRoot(list))).toEqual({ out: '1 text 2', reparsed: 1 });
  });
  it('a text slice beyond the text', () => {
    expect(run(encodeTrees('t', text, parse('t', text)), 'short')).toEqual({ out: 'short', reparsed: 1 });
  });
  it('a damaged {{define}} never included is never read', () => {
    const t2 = '{{ define "unused" }}{{ .x }}{{ end }}{{ .a }}';
    const json = encodeTrees('t', t2, parse('t', t2));
    const ref = /\["unused",\[21,(\d+),(\d+),(\d+)\]\]/.exec(json)!;
    const at = json.indexOf('|') + 1 + Number(ref[2]);
    const damaged = json.slice(0, at) + '#'.repeat(Number(ref[3])) + json.slice(at + Number(ref[3]));
    let reparsed = 0;
    const trees = decodeTrees(damaged, 't', t2, '{{', '}}', () => { reparsed++; return parse('t', t2); });
    expect(new TemplateSet({ funcs: helmFuncMap() }).addTrees(trees!).execute('t', data)).toBe('1');
    expect(reparsed).toBe(0);
    expect(new TemplateSet({ funcs: helmFuncMap() }).addTrees(trees!).execute('unused', { x: 'y' })).toBe('y');
    expect(reparsed).toBe(1);
  });
});

describe('bodies decoded when walked', () => {
  const text = '{{ range .l }}[{{ if . }}yes{{ else }}no{{ end }}]{{ end }}{{ with .m }}m{{ end }}';
  const run = (entry: string, data: unknown): { out: string; reparsed: number } => {
    let reparsed = 0;
    const trees = decodeTrees(entry, 't', text, '{{', '}}', () => { reparsed++; return parse('t', text); });
    expect(trees).not.toBeNull();
    const set = new TemplateSet({ funcs: helmFuncMap() }).addTrees(trees!);
    return { out: set.execute('t', data), reparsed };
  };
  const good = encodeTrees('t', text, parse('t', text));
  const bar = good.indexOf('|') + 1;
  /** The entry with the body whose list starts at `pos` of the text written over with garbage of its length. */
  const damaged = (pos: number): string => {
    const tableAt = Number(good.slice(0, bar - 1));
    const ref = new RegExp(`\\[21,${pos},(\\d+),(\\d+)\\]`).exec(good)!;
    const start = bar + Number(ref[1]);
    expect(start + Number(ref[2])).toBeLessThanOrEqual(bar + tableAt);
    return good.slice(0, start) + '#'.repeat(Number(ref[2])) + good.slice(start + Number(ref[2]));
  };

  it('an entry read whole gives what the parser gives', () => {
    expect(run(good, { l: [true, false], m: 1 })).toEqual({ out: '[yes][no]m', reparsed: 0 });
  });
  it('a damaged body never walked is never read', () => {
    expect(run(damaged(text.indexOf('m{{')), { l: [true], m: null })).toEqual({ out: '[yes]', reparsed: 0 });
  });
  it('a damaged body walked comes from a fresh parse of the text', () => {
    expect(run(damaged(text.indexOf('no')), { l: [false, true], m: 1 })).toEqual({ out: '[no][yes]m', reparsed: 1 });
  });
});

describe('a template set with a store of parsed trees', () => {
  class MemoryStore {
    readonly entries = new Map<string, string>();
    gets = 0;
    get(identity: string, text: string) { this.gets++; return this.entries.get(`${identity}\0${text}`); }
    put(identity: string, text: string, encode: () => string) { this.entries.set(`${identity}\0${text}`, encode()); }
  }
  const text = '{{ define "n" }}{{ .name | upper }}{{ end }}name: {{ include "n" . | quote }}\n';
  const run = (store: MemoryStore, funcMap = helmFuncMap()) => {
    const set = new TemplateSet({ funcs: funcMap, missingKey: 'zero' });
    set.parse('c/templates/a.yaml', text, store);
    return set.execute('c/templates/a.yaml', { name: 'x' });
  };

  it('stores a clean parse and reads it back with the same output', () => {
    const store = new MemoryStore();
    const first = run(store);
    expect(first).toBe('name: "X"\n');
    expect(store.entries.size).toBe(1);
    const stored = [...store.entries.values()][0]!;
    expect(run(store)).toBe(first);
    expect(store.gets).toBe(2);
    // a damaged entry is parsed afresh (and stored again)
    const [key] = store.entries.keys();
    store.entries.set(key!, stored.slice(0, -3));
    expect(run(store)).toBe(first);
    expect(store.entries.get(key!)).toBe(stored);
  });

  it('never stores a text that does not parse; the error is the parser\'s', () => {
    const store = new MemoryStore();
    const set = new TemplateSet({ funcs: helmFuncMap() });
    expect(() => set.parse('c/templates/bad.yaml', '{{ nosuchfunc }}', store)).toThrow('template: c/templates/bad.yaml:1: function "nosuchfunc" not defined');
    expect(store.entries.size).toBe(0);
  });

  it('keys entries on the function names: a text parsed with a function is not read where it is missing', () => {
    const store = new MemoryStore();
    run(store);
    const { upper: _, ...fewer } = helmFuncMap();
    const set = new TemplateSet({ funcs: fewer });
    expect(() => set.parse('c/templates/a.yaml', text, store)).toThrow('function "upper" not defined');
  });
});
