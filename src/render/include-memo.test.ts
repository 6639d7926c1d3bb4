/**
 * include's memo (engine.ts, sprig/effects.ts): a repeated include with the same arguments
 * gives the text the first gave without running again, unless something it could read was
 * written since, it wrote to what it did not make, it drew on chance or the clock, or it read
 * which file is rendering. Each case runs the template in a set whose calls effects.ts sees (as
 * a render's is) and counts how often the named template really ran; the output is Go's.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helmFuncMap } from './engine.js';
import { renderChart } from './index.js';
import { chartOfTemplates } from '../../test/helpers/chart.js';
import { noteCall } from './sprig/effects.js';
import { TemplateSet, goFunc } from './template/index.js';

function run(main: string, t: string, values: Record<string, unknown> = {}): { out: string; runs: number } {
  let runs = 0;
  const set = new TemplateSet({
    funcs: { ...helmFuncMap(), ran: goFunc('func() string', () => { runs++; return ''; }) },
    missingKey: 'zero',
  });
  set.onCall = noteCall;
  set.parse('c/templates/_t.tpl', `{{- define "t" -}}{{ ran }}${t}{{- end -}}`);
  set.parse('c/templates/main.yaml', main);
  return { out: set.execute('c/templates/main.yaml', { Values: structuredClone(values), Release: { Name: 'r' } }), runs };
}

describe('include memo', () => {
  // [case, main template, "t"'s body, values, output, times "t" ran]
  const cases: Array<[string, string, string, Record<string, unknown>, string, number]> = [
    ['the same argument twice', '{{ include "t" . }}{{ include "t" . }}', 'x{{ .Release.Name }}', {}, 'xrxr', 1],
    ['a dict of the same entries', '{{ include "t" (dict "a" 1) }}{{ include "t" (dict "a" 1) }}', '{{ .a }}', {}, '11', 1],
    ['dicts of other entries', '{{ include "t" (dict "a" 1) }}{{ include "t" (dict "a" 2) }}', '{{ .a }}', {}, '12', 2],
    ['a long string argument (not kept)', '{{ include "t" (dict "v" (repeat 3000 "x")) }}{{ include "t" (dict "v" (repeat 3000 "x")) }}', '{{ len .v }}', {}, '30003000', 2],
    ['a string argument of 1,000 characters', '{{ include "t" (repeat 1000 "x") }}{{ include "t" (repeat 1000 "x") }}', '{{ len . }}', {}, '10001000', 1],
    ['a dict holding the same map', '{{ include "t" (dict "v" .Values) }}{{ include "t" (dict "v" .Values) }}', '{{ .v.k }}', { k: 1 }, '11', 1],
    ['values written between', '{{ include "t" . }}{{ $_ := set .Values "k" 2 }}{{ include "t" . }}', '{{ .Values.k }}', { k: 1 }, '12', 2],
    ['values unset between', '{{ include "t" . }}{{ $_ := unset .Values "k" }}{{ include "t" . }}', '[{{ .Values.k }}]', { k: 1 }, '[1][<no value>]', 2],
    ['a nested value written between', '{{ include "t" . }}{{ $_ := set .Values.m "k" 2 }}{{ include "t" . }}', '{{ .Values.m.k }}', { m: { k: 1 } }, '12', 2],
    ['a dict handed over, then written', '{{ $d := dict "k" 1 }}{{ include "t" $d }}{{ $_ := set $d "k" 2 }}{{ include "t" $d }}', '{{ .k }}', {}, '12', 2],
    ['a dict inside a dict, then written', '{{ $d := dict "k" 1 }}{{ $o := dict "d" $d }}{{ include "t" $o }}{{ $_ := set $d "k" 2 }}{{ include "t" $o }}', '{{ .d.k }}', {}, '12', 2],
    ['a dict inside a list, then written', '{{ $d := dict "k" 1 }}{{ $l := list $d }}{{ include "t" $l }}{{ $_ := set $d "k" 2 }}{{ include "t" $l }}', '{{ (index . 0).k }}', {}, '12', 2],
    ['a dict set into values, then written', '{{ $d := dict "k" 1 }}{{ $_ := set .Values "d" $d }}{{ include "t" . }}{{ $_ := set $d "k" 2 }}{{ include "t" . }}', '{{ .Values.d.k }}', {}, '12', 2],
    ['a dict merged into, then read', '{{ $d := dict "k" 1 }}{{ include "t" $d }}{{ $_ := merge $d (dict "z" 2) }}{{ include "t" $d }}', '{{ keys . | sortAlpha }}', {}, '[k][k z]', 2],
    ['a dict merged from, then written', '{{ $d := dict "k" 1 }}{{ $o := merge (dict) (dict "d" $d) }}{{ include "t" $o }}{{ $_ := set $d "k" 2 }}{{ include "t" $o }}', '{{ .d.k }}', {}, '12', 2],
    ['a fromYaml map handed over, then written', '{{ $d := "k: 1" | fromYaml }}{{ include "t" $d }}{{ $_ := set $d "k" 2 }}{{ include "t" $d }}', '{{ .k }}', {}, '12', 2],
    ['a picked map handed over, then written', '{{ $d := pick .Values "k" }}{{ include "t" $d }}{{ $_ := set $d "k" 2 }}{{ include "t" $d }}', '{{ .k }}', { k: 1 }, '12', 2],
    ['a dict written only by the template that made it', '{{ include "t" . }}{{ include "t" . }}', '{{ $m := dict "a" 1 }}{{ $_ := set $m "a" 2 }}{{ $_ := merge $m (dict "b" 3) }}{{ $m.a }}{{ $m.b }}', {}, '2323', 1],
    ['a dict written before it is handed on', '{{ $d := dict }}{{ $_ := set $d "k" 1 }}{{ include "t" $d }}{{ include "t" $d }}', '{{ .k }}', {}, '11', 1],
    ['a template that writes to values runs each time', '{{ include "t" . }}{{ include "t" . }}', '{{ $_ := set .Values "n" (add1 .Values.n) }}{{ .Values.n }}', { n: 0 }, '12', 2],
    ['a template that writes to its argument runs each time', '{{ $d := dict "n" 0 }}{{ include "t" $d }}{{ include "t" $d }}', '{{ $_ := set . "n" (add1 .n) }}{{ .n }}', {}, '12', 2],
    ['an include inside one that writes to values', '{{ include "t" . }}{{ include "t" . }}', '{{ include "u" . }}', { n: 0 }, '12', 2],
    ['a random string', '{{ include "t" . }}{{ include "t" . }}', '{{ randAlphaNum 0 }}{{ randAlpha 4 | len }}', {}, '44', 2],
    ['a random number', '{{ include "t" . }}{{ include "t" . }}', '{{ randInt 1 2 }}', {}, '11', 2],
    ['a UUID', '{{ include "t" . }}{{ include "t" . }}', '{{ uuidv4 | len }}', {}, '3636', 2],
    ['a shuffle', '{{ include "t" . }}{{ include "t" . }}', '{{ shuffle "aa" }}', {}, 'aaaa', 2],
    ['the clock', '{{ include "t" . }}{{ include "t" . }}', '{{ now | date "x" }}', {}, 'xx', 2],
  ];
  it.each(cases)('%s', (_, main, t, values, out, runs) => {
    const r = run(`${main}{{- define "u" -}}{{ $_ := set .Values "n" (add1 .Values.n) }}{{ .Values.n }}{{- end -}}`, t, values);
    expect(r).toEqual({ out, runs });
  });

  it('a template that tpl defines anew is a template of its own', () => {
    // the B does not count a run: the tpl's own "t" is another tree, which never calls `ran`
    const r = run('{{ include "t" . }}{{ tpl "{{ define \\"t\\" }}B{{ end }}{{ include \\"t\\" . }}" . }}{{ include "t" . }}', 'A');
    expect(r).toEqual({ out: 'ABA', runs: 1 });
  });

  it('an include reading .Template is not reused in another file', () => {
    const chart = chartOfTemplates('c', {
      'templates/_h.tpl': '{{ define "h" }}{{ .Template.Name }}{{ end }}{{ define "l" }}{{ .Release.Name }}{{ end }}',
      'templates/a.yaml': 'a: {{ include "h" . }} {{ include "l" . }}\n',
      'templates/b.yaml': 'b: {{ include "h" . }} {{ include "l" . }}\n',
      'templates/c.yaml': 'c: {{ include "h" (dict "Template" .Template "Release" .Release) }}\n',
    });
    const out = renderChart(chart, { releaseName: 'rel' }).manifests.map((m) => m.content.trim());
    expect(out).toEqual(['a: c/templates/a.yaml rel', 'b: c/templates/b.yaml rel', 'c: c/templates/c.yaml']);
  });

  it('outside a render (no call tracking) every include runs', () => {
    let runs = 0;
    const set = new TemplateSet({ funcs: { ...helmFuncMap(), ran: goFunc('func() string', () => { runs++; return ''; }) } });
    set.parse('main', '{{ define "t" }}{{ ran }}{{ end }}{{ include "t" . }}{{ include "t" . }}');
    set.execute('main', {});
    expect(runs).toBe(2);
  });
});

describe('every random draw of the template functions is counted', () => {
  it('files that draw on chance all tell sprig/effects.ts', () => {
    const root = join(import.meta.dirname);
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) files.push(p);
      }
    };
    walk(root);
    const drawing = files.filter((f) => /Math\.random\(|randomBytes\(|randomInt\(|randomUUID\(|generateKeyPair(Sync)?\(|getRandomValues\(|randomFill/.test(readFileSync(f, 'utf8')));
    expect(drawing.map((f) => f.slice(root.length + 1)).sort()).toEqual(['sprig/bcrypt.ts', 'sprig/crypto.ts', 'sprig/keys.ts', 'sprig/math.ts', 'sprig/strings.ts']);
    for (const f of drawing) expect(readFileSync(f, 'utf8'), f).toContain('noteRandomDraw()');
  });
});
