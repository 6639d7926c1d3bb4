/**
 * The helm engine on small in-memory charts: scopes, parse order, include/tpl/required/fail,
 * helm's error rewriting (expected texts recorded from helm v4.1.4), the include recursion
 * guard, NOTES.txt and library charts.
 */
import { describe, expect, it } from 'vitest';
import type { Chart } from '../model/chart.js';
import { InputError } from '../model/errors.js';
import { RECURSION_MAX_NUMS, cleanupParseError, helmFuncMap, sortTemplates } from './engine.js';
import { formatTemplateOutput, renderChart, type RenderOptions } from './index.js';
import type { CallContext } from './template/index.js';

export function mkChart(name: string, files: Record<string, string>, opts: { values?: Record<string, unknown>; deps?: Chart[]; meta?: Partial<Chart['metadata']> } = {}): Chart {
  const templates = Object.entries(files).filter(([n]) => n.startsWith('templates/')).map(([n, d]) => ({ name: n, data: Buffer.from(d) }));
  const other = Object.entries(files).filter(([n]) => !n.startsWith('templates/')).map(([n, d]) => ({ name: n, data: Buffer.from(d) }));
  return {
    metadata: { apiVersion: 'v2', name, version: '0.1.0', ...opts.meta },
    rawMetadata: Buffer.from(''),
    values: opts.values ?? {},
    templates,
    files: other,
    dependencies: opts.deps ?? [],
    origin: [],
    warnings: [],
  };
}

function render(chart: Chart, opts: RenderOptions = {}): string {
  return formatTemplateOutput(renderChart(chart, opts));
}

function renderError(chart: Chart, opts: RenderOptions = {}): string {
  try {
    render(chart, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('scopes and parse order', () => {
  it('gives each chart its values, chart, release and template', () => {
    const sub = mkChart('sub', { 'templates/s.yaml': 'v: {{ .Values.x }} {{ .Values.global.g }} {{ .Chart.Name }} {{ .Chart.IsRoot }} {{ .Template.Name }} {{ .Template.BasePath }}\n' }, { values: { x: 'sub-default' } });
    const top = mkChart('top', { 'templates/t.yaml': 'v: {{ .Values.sub.x }} {{ .Release.Name }} {{ .Release.Namespace }} {{ .Release.Revision }} {{ .Release.Service }} {{ .Chart.IsRoot }}\n' }, { values: { global: { g: 'G' } }, deps: [sub] });
    expect(render(top, { releaseName: 'r', namespace: 'ns' })).toBe(
      '---\n# Source: top/charts/sub/templates/s.yaml\nv: sub-default G sub false top/charts/sub/templates/s.yaml top/charts/sub/templates\n' +
      '---\n# Source: top/templates/t.yaml\nv: sub-default r ns 1 Helm true\n',
    );
  });

  it('parses deepest templates first so that a parent definition wins', () => {
    expect(sortTemplates(['a/templates/x', 'a/charts/b/templates/y', 'a/templates/z', 'a/charts/b/templates/a'])).toEqual([
      'a/charts/b/templates/y', 'a/charts/b/templates/a', 'a/templates/z', 'a/templates/x',
    ]);
    const sub = mkChart('sub', { 'templates/_h.tpl': '{{ define "n" }}sub{{ end }}', 'templates/s.yaml': 'n: {{ include "n" . }}\n' });
    const top = mkChart('top', { 'templates/_h.tpl': '{{ define "n" }}top{{ end }}' }, { deps: [sub] });
    expect(render(top)).toBe('---\n# Source: top/charts/sub/templates/s.yaml\nn: top\n');
  });

  it('replaces <no value> and keeps missing keys empty', () => {
    const c = mkChart('c', { 'templates/a.yaml': 'a: "{{ .Values.nope }}{{ index .Values "nope" }}{{ print .Values.nope }}"\n' });
    expect(render(c)).toBe('---\n# Source: c/templates/a.yaml\na: "<nil>"\n');
  });

  it('shares values between templates (sprig set mutates them)', () => {
    const c = mkChart('c', {
      // Same depth: executed in reverse name order, so z.yaml runs before a.yaml.
      'templates/z.yaml': '{{ $_ := set .Values "shared" "yes" }}z: 1\n',
      'templates/a.yaml': 'a: {{ .Values.shared }}\n',
    });
    expect(render(c)).toBe('---\n# Source: c/templates/a.yaml\na: yes\n---\n# Source: c/templates/z.yaml\nz: 1\n');
  });

  it('keeps int64 from --set and float64 from YAML', () => {
    const c = mkChart('c', { 'templates/a.yaml': 'a: {{ typeOf .Values.i }} {{ typeOf .Values.f }} {{ .Values.i }} {{ .Values.f }}\n' }, { values: { f: 2 } });
    expect(render(c, { values: { i: 5n } })).toBe('---\n# Source: c/templates/a.yaml\na: int64 float64 5 2\n');
  });

  it('renders NOTES.txt of the top chart only, and not as a manifest', () => {
    const sub = mkChart('sub', { 'templates/NOTES.txt': 'sub notes' });
    const top = mkChart('top', { 'templates/NOTES.txt': 'notes for {{ .Release.Name }}', 'templates/a.yaml': 'a: 1\n' }, { deps: [sub] });
    const r = renderChart(top, { releaseName: 'x' });
    expect(r.notes).toBe('notes for x');
    expect(r.manifests.map((m) => m.source)).toEqual(['top/templates/a.yaml']);
  });

  it('does not render a library chart\'s non-partial templates', () => {
    const lib = mkChart('lib', { 'templates/_l.tpl': '{{ define "l" }}L{{ end }}', 'templates/x.yaml': 'x: 1\n' }, { meta: { type: 'library' } });
    const top = mkChart('top', { 'templates/a.yaml': 'a: {{ include "l" . }}\n' }, { deps: [lib] });
    expect(render(top)).toBe('---\n# Source: top/templates/a.yaml\na: L\n');
    expect(renderError(lib)).toBe('library charts are not installable');
  });
});

describe('include, tpl, required, fail', () => {
  it('tpl sees the chart\'s templates and its own defines', () => {
    const c = mkChart('c', {
      'templates/_h.tpl': '{{ define "h" }}H{{ end }}',
      'templates/a.yaml': 'a: {{ tpl "{{ define \\"x\\" }}X{{ end }}{{ include \\"x\\" . }}{{ include \\"h\\" . }}{{ .Values.v }}{{ .Values.nope }}" . }}\nb: "{{ tpl "" . }}"\n',
    }, { values: { v: 'V' } });
    expect(render(c)).toBe('---\n# Source: c/templates/a.yaml\na: XHV\nb: ""\n');
  });

  it('one text through tpl many times (parsed once a render): each call with its own dot, defines and errors alike', () => {
    // the same text through tpl in two files, each call with its own dot; b.yaml as given
    const chart = (b: string) => mkChart('c', {
      'templates/_h.tpl': '{{ define "h" }}H{{ end }}',
      'templates/a.yaml': 'a: {{ tpl .Values.t (dict "v" 1) }}\nb: {{ tpl .Values.t (dict "v" 2) }}\n',
      'templates/b.yaml': b,
    }, { values: { t: '{{ define "x" }}X{{ end }}{{ .v }}{{ include "x" . }}{{ include "h" . }}' } });
    expect(render(chart('c: {{ tpl .Values.t (dict "v" 3) }}\n'))).toBe('---\n# Source: c/templates/a.yaml\na: 1XH\nb: 2XH\n---\n# Source: c/templates/b.yaml\nc: 3XH\n');
    // the define inside the text reaches only the tpl's own copy of the set
    expect(renderError(chart('d: {{ tpl .Values.t (dict "v" 4) }}{{ include "x" . }}\n'))).toContain('no template "x" associated with template "gotpl"');
    const bad = mkChart('c', { 'templates/a.yaml': 'a: {{ tpl .Values.t . }}{{ tpl .Values.t . }}\n' }, { values: { t: '{{ .x' } });
    expect(renderError(bad)).toContain('cannot parse template "{{ .x"');
  });

  it('fromYaml of one text many times (parsed once a process): each call a map of its own', () => {
    // a and b as helm v4.1.4 renders them
    const c = mkChart('c', {
      'templates/a.yaml': [
        '{{- $a := fromYaml .Values.t }}{{- $_ := set $a "x" 2 }}{{- $_ := set $a.m "k" 3 }}{{- $_ := set $a "l" (append $a.l 9) }}',
        'a: {{ printf "%v-%v-%v" $a.x $a.m.k $a.l | quote }}',
        '{{- $b := fromYaml .Values.t }}',
        'b: {{ printf "%v-%v-%v" $b.x $b.m.k $b.l | quote }}',
        'e: {{ eq (fromYaml "a: b: c").Error (fromYaml "a: b: c").Error }}',
        '',
      ].join('\n'),
    }, { values: { t: 'x: 1\nm: {k: 1}\nl: [1]\n' } });
    expect(render(c)).toBe('---\n# Source: c/templates/a.yaml\na: "2-3-[1 9]"\nb: "1-1-[1]"\ne: true\n');
  });

  it('nested tpl with empty text does not re-run the outer text', () => {
    const c = mkChart('c', { 'templates/a.yaml': 'a: "{{ tpl .Values.outer . }}"\n' }, { values: { outer: '[{{ tpl "" . }}]' } });
    expect(render(c)).toBe('---\n# Source: c/templates/a.yaml\na: "[]"\n');
  });

  it('rewrites required and fail like helm', () => {
    const c = mkChart('c', {
      'templates/_h.tpl': '{{ define "r" }}{{ required "need x" .Values.x }}{{ end }}',
      'templates/a.yaml': '{{ if .Values.f }}{{ fail "boom" }}{{ end }}\na: {{ include "r" . }}\n',
    });
    expect(renderError(c)).toBe('execution error at (c/templates/a.yaml:2:6): need x');
    expect(renderError(c, { values: { f: true } })).toBe('execution error at (c/templates/a.yaml:1:21): boom');
    expect(render(c, { values: { x: 0 } })).toBe('---\n# Source: c/templates/a.yaml\na: 0\n');
  });

  it('prints helm\'s trace for other execution errors', () => {
    const c = mkChart('c', {
      'templates/_h.tpl': '{{ define "n" }}\n{{ .Values.a.b.c }}{{ end }}',
      'templates/a.yaml': 'a: {{ include "n" . }}\nb: {{ include "missing" . }}\n',
    });
    expect(renderError(c)).toBe(
      'c/templates/a.yaml:1:6\n  executing "c/templates/a.yaml" at <include "n" .>:\n    error calling include:\n' +
      'c/templates/_h.tpl:2:10\n  executing "n" at <.Values.a.b.c>:\n    nil pointer evaluating interface {}.b',
    );
    const d = mkChart('d', { 'templates/a.yaml': 'b: {{ include "missing" . }}\n' });
    expect(renderError(d)).toBe('d/templates/a.yaml:1:6\n  executing "d/templates/a.yaml" at <include "missing" .>:\n    error calling include:\ntemplate: no template "missing" associated with template "gotpl"');
  });

  it('keeps Go\'s text for errors inside tpl', () => {
    const c = mkChart('c', { 'templates/a.yaml': 'a: {{ tpl "{{ .x.y }}" (dict "x" "s") }}\n' });
    expect(renderError(c)).toBe('template: c/templates/a.yaml:1:6: executing "c/templates/a.yaml" at <tpl "{{ .x.y }}" (dict "x" "s")>: error calling tpl: error during tpl function execution for "{{ .x.y }}": template: gotpl:1:5: executing "gotpl" at <.x.y>: can\'t evaluate field y in type interface {}');
  });

  it('rewrites parse errors like helm', () => {
    const c = mkChart('c', { 'templates/a.yaml': 'a: {{ .x\n' });
    expect(renderError(c)).toBe('parse error at (c/templates/a.yaml:2): unclosed action started at c/templates/a.yaml:1');
    expect(cleanupParseError('f', 'plain')).toBe('parse error in (f): plain');
  });

  it('every function of the map has a signature Go accepts (signatures are parsed at first use)', () => {
    const funcs = Object.entries(helmFuncMap());
    expect(funcs.length).toBeGreaterThan(150);
    for (const [name, f] of funcs) expect(f.type.name, name).toMatch(/^func\(/);
  });

  it('stops include recursion after 1000 nested calls of one name', () => {
    const { include } = helmFuncMap();
    let depth = 0;
    const ctx: CallContext = {
      templateName: 't',
      // no tree by that name: no key, so every call runs (as a loop without a tree does)
      set: { lookup: () => undefined } as never,
      executeIn: () => '',
      execute: (name: string) => {
        depth++;
        return include!.impl(ctx, name, null) as string;
      },
    };
    expect(() => include!.impl(ctx, 'loop', null)).toThrow('rendering template has a nested reference name: loop: unable to execute template');
    expect(depth).toBe(RECURSION_MAX_NUMS + 1);
    // The counter is released again: a fresh chain runs as deep.
    depth = 0;
    expect(() => include!.impl(ctx, 'loop', null)).toThrow('nested reference name');
    expect(depth).toBe(RECURSION_MAX_NUMS + 1);
  });

  it('offers lookup (empty) and getHostByName (empty) without a cluster', () => {
    const c = mkChart('c', { 'templates/a.yaml': 'a: {{ lookup "v1" "Pod" "" "" | toJson }}\nb: "{{ getHostByName "x" }}"\n' });
    expect(render(c)).toBe('---\n# Source: c/templates/a.yaml\na: {}\nb: ""\n');
  });

  it('has no env or expandenv', () => {
    const c = mkChart('c', { 'templates/a.yaml': 'a: {{ env "HOME" }}\n' });
    expect(renderError(c)).toBe('parse error at (c/templates/a.yaml:1): function "env" not defined');
  });
});

describe('dependencies', () => {
  it('imports exported values and child tables into the parent', () => {
    const child = mkChart('child', { 'templates/c.yaml': 'c: {{ .Values.x }}\n' }, { values: { exports: { e: { fromExports: 1 } }, data: { k: 'child' }, x: 'cx' } });
    const top = mkChart('top', { 'templates/t.yaml': 't: {{ .Values.fromExports }} {{ .Values.imported.k }} {{ .Values.kept.k }}\n' }, {
      values: { kept: { k: 'parent' } },
      deps: [child],
      meta: { dependencies: [{ name: 'child', version: '0.1.0', 'import-values': ['e', { child: 'data', parent: 'imported' }, { child: 'data', parent: 'kept' }] }] },
    });
    expect(render(top)).toBe('---\n# Source: top/charts/child/templates/c.yaml\nc: cx\n---\n# Source: top/templates/t.yaml\nt: 1 child parent\n');
  });

  it('renders aliases as separate charts and drops disabled ones', () => {
    const child = mkChart('child', { 'templates/c.yaml': 'c: {{ .Chart.Name }}\n' });
    const top = mkChart('top', {}, {
      values: { b: { enabled: false } },
      deps: [child],
      meta: { dependencies: [{ name: 'child', version: '*', alias: 'a' }, { name: 'child', version: '*', alias: 'b', condition: 'b.enabled' }] },
    });
    const r = renderChart(top);
    expect(r.manifests.map((m) => `${m.source} ${m.chartPath}`)).toEqual(['top/charts/a/templates/c.yaml top/charts/a']);
    expect(r.tree.children.map((n) => `${n.path} ${n.enabled}`)).toEqual(['top/charts/a true', 'top/charts/b false']);
  });

  it('checks that declared dependencies are present', () => {
    const top = mkChart('top', {}, { meta: { dependencies: [{ name: 'gone', version: '1' }] } });
    expect(renderError(top)).toContain('found in Chart.yaml, but missing in charts/ directory: gone');
  });
});
