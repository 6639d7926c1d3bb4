import { describe, expect, it } from 'vitest';
import {
  ExecError, ExecLimitError, GoError, GoScalar, GoStruct, T, TemplateParseError, TemplateSet,
  fromJS, goFunc, int64, mapOf, namedType, sliceOf, structType, uint8, withType,
  type CallContext, type FuncMap, type GoMap, type GoValue, type MissingKey, type Value,
} from './index.js';

function run(tmpl: string, data: unknown = {}, opts: { missingKey?: MissingKey; funcs?: FuncMap } = {}): string {
  const set = new TemplateSet({ missingKey: opts.missingKey, funcs: opts.funcs });
  set.parse('t', tmpl);
  return set.execute('t', data);
}

function err(tmpl: string, data: unknown = {}, opts: { missingKey?: MissingKey; funcs?: FuncMap } = {}): string {
  try {
    run(tmpl, data, opts);
  } catch (e) {
    if (e instanceof ExecError || e instanceof TemplateParseError) return e.message;
    throw e;
  }
  throw new Error('no error');
}

const vals = (x: unknown): GoMap => fromJS(x) as GoMap;

describe('missingkey option', () => {
  const data = vals({ m: { a: 1, n: null } });
  const cases: Array<[string, MissingKey, string]> = [
    ['{{ .m.x }}', 'default', '<no value>'],
    ['{{ .m.x }}', 'invalid', '<no value>'],
    ['{{ .m.x }}', 'zero', '<no value>'],
    ['{{ .m.x.y }}', 'default', '<no value>'],
    ['{{ .m.n.y }}', 'default', 'ERR'],
    ['{{ print .m.x }}', 'default', '<nil>'],
    ['{{ print .m.x }}', 'zero', '<nil>'],
  ];
  for (const [t, mk, want] of cases) {
    it(`${t} with missingkey=${mk}`, () => {
      if (want === 'ERR') expect(err(t, data, { missingKey: mk })).toContain('nil pointer evaluating interface {}.y');
      else expect(run(t, data, { missingKey: mk })).toBe(want);
    });
  }
  it('default: field of a missing key is no value, zero: nil pointer error', () => {
    expect(run('{{ .m.x.y }}', data, { missingKey: 'default' })).toBe('<no value>');
    expect(err('{{ .m.x.y }}', data, { missingKey: 'zero' })).toBe(
      'template: t:1:5: executing "t" at <.m.x.y>: nil pointer evaluating interface {}.y');
  });
  it('error: reports the missing key', () => {
    expect(err('{{ .m.x }}', data, { missingKey: 'error' })).toBe(
      'template: t:1:5: executing "t" at <.m.x>: map has no entry for key "x"');
  });
  it('error: nil data', () => {
    expect(err('{{ .y }}', null, { missingKey: 'error' })).toBe(
      'template: t:1:3: executing "t" at <.y>: nil data; no entry for key "y"');
  });
  it('zero: typed maps give the element zero value', () => {
    const m = withType({ a: 'x' } as GoMap, mapOf(T.string, T.string));
    expect(run('[{{ .m.b }}]', { m }, { missingKey: 'zero' })).toBe('[]');
    expect(run('[{{ .m.b }}]', { m }, { missingKey: 'default' })).toBe('[<no value>]');
    const mi = withType({} as GoMap, mapOf(T.string, T.int));
    expect(run('{{ .m.b }}', { m: mi }, { missingKey: 'zero' })).toBe('0');
  });
  it('Option() strings', () => {
    const set = new TemplateSet();
    set.option('missingkey=error');
    expect(set.missingKey).toBe('error');
    expect(() => set.option('missingkey=nope')).toThrow('unrecognized option: missingkey=nope');
    expect(() => set.option('bogus')).toThrow('unrecognized option: bogus');
  });
});

describe('function map', () => {
  const upper = goFunc('func(string) string', (s: string) => s.toUpperCase());
  const add = goFunc('func(int64, int64) int64', (a: GoScalar, b: GoScalar) => (a.v as bigint) + (b.v as bigint));
  const join = goFunc('func(string, ...interface {}) string', (sep: string, ...xs: Value[]) => xs.map(String).join(sep));
  const fail = goFunc('func(string) (string, error)', (m: string) => { throw new GoError(m); });
  const dflt = goFunc('func(interface {}, ...interface {}) interface {}', (d: Value, ...given: Value[]) =>
    given.length && given[0] !== null && given[0] !== '' ? given[0] : d);
  const list = goFunc('func(...interface {}) []interface {}', (...xs: Value[]) => xs as GoValue[]);
  const strs = goFunc('func() []string', () => ['a', 'b']);
  const nilIface = goFunc('func() interface {}', () => null);
  const funcs: FuncMap = { upper, add, join, fail, default: dflt, list, strs, nilIface };

  it('calls with literal and computed args', () => {
    expect(run('{{ upper "abc" }}|{{ "x" | upper }}|{{ .s | upper }}', { s: 'q' }, { funcs })).toBe('ABC|X|Q');
    expect(run('{{ join "," 1 "a" true }}', {}, { funcs })).toBe('1,a,true');
  });
  it('literal arguments are converted to the parameter type', () => {
    expect(run('{{ add 1 2 }} {{ printf "%T" (add 1 2) }}', {}, { funcs })).toBe('3 int64');
  });
  it('checks arity like Go', () => {
    expect(err('{{ upper }}', {}, { funcs })).toBe('template: t:1:3: executing "t" at <upper>: wrong number of args for upper: want 1 got 0');
    expect(err('{{ upper "a" "b" }}', {}, { funcs })).toBe('template: t:1:3: executing "t" at <upper>: wrong number of args for upper: want 1 got 2');
    expect(err('{{ join }}', {}, { funcs })).toBe('template: t:1:3: executing "t" at <join>: wrong number of args for join: want at least 1 got 0');
  });
  it('checks argument types like Go', () => {
    expect(err('{{ upper 3 }}', {}, { funcs })).toBe('template: t:1:9: executing "t" at <3>: expected string; found 3');
    expect(err('{{ upper .f }}', vals({ f: 1.5 }), { funcs })).toBe('template: t:1:9: executing "t" at <.f>: wrong type for value; expected string; got float64');
    expect(err('{{ upper .n }}', vals({ n: null }), { funcs })).toBe('template: t:1:9: executing "t" at <.n>: wrong type for value; expected string; got interface {}');
    expect(err('{{ .missing | upper }}', vals({}), { funcs })).toBe('template: t:1:14: executing "t" at <upper>: invalid value; expected string');
    expect(err('{{ add 1 "x" }}', {}, { funcs })).toBe('template: t:1:9: executing "t" at <"x">: expected integer; found "x"');
    expect(err('{{ add 1 2.5 }}', {}, { funcs })).toBe('template: t:1:9: executing "t" at <2.5>: expected integer; found 2.5');
    expect(err('{{ add 1 nil }}', {}, { funcs })).toBe('template: t:1:9: executing "t" at <nil>: cannot assign nil to int64');
  });
  it('reports function errors as "error calling"', () => {
    const e = (() => { try { run('x{{ fail "boom" }}', {}, { funcs }); } catch (x) { return x as ExecError; } return undefined; })();
    expect(e).toBeInstanceOf(ExecError);
    expect(e!.message).toBe('template: t:1:4: executing "t" at <fail "boom">: error calling fail: boom');
    expect(e!.detail).toBe('error calling fail: boom');
    expect(e!.location).toEqual({ file: 't', line: 1, col: 4 });
    expect(e!.context).toBe('fail "boom"');
    expect(e!.cause).toBeInstanceOf(GoError);
  });
  it('plain JS errors thrown by a function are reported too', () => {
    const boom = goFunc('func() string', () => { throw new TypeError('bad'); });
    expect(err('{{ boom }}', {}, { funcs: { boom } })).toBe('template: t:1:3: executing "t" at <boom>: error calling boom: bad');
  });
  it('interface results: nil becomes no value at the end of a pipeline', () => {
    expect(run('{{ nilIface }}|{{ print (nilIface) }}|{{ default "d" .x }}|{{ default "d" "v" }}', vals({}), { funcs })).toBe('<no value>|<nil>|d|v');
  });
  it('typed results keep their Go type', () => {
    expect(run('{{ printf "%T %T %v" (list 1 "a") strs strs }}', {}, { funcs })).toBe('[]interface {} []string [a b]');
  });
  it('parse-time check of function names', () => {
    expect(err('{{ nope }}')).toBe('template: t:1: function "nope" not defined');
    const set = new TemplateSet();
    expect(() => set.parse('a', '{{ upper "x" }}')).toThrow(TemplateParseError);
    set.addFuncs({ upper });
    expect(set.parse('a', '{{ upper "x" }}').execute('a', null)).toBe('X');
  });
  it('user functions override builtins (and lose short-circuit)', () => {
    const myAnd = goFunc('func(...interface {}) string', (...a: Value[]) => `and${a.length}`);
    expect(run('{{ and 1 2 3 }}', {}, { funcs: { and: myAnd } })).toBe('and3');
  });
  it('rejects invalid names and signatures', () => {
    expect(() => new TemplateSet({ funcs: { 'a-b': upper } })).toThrow('is not a valid identifier');
    // a signature is parsed at its first use (engine.test.ts checks every one of helm's map)
    expect(() => goFunc('func(string) (string, string)', () => '').type).toThrow();
    expect(() => goFunc('func(...string, int) string', () => '').sig).toThrow();
  });
  it('context functions can execute templates of the set (include)', () => {
    const include = goFunc('func(string, interface {}) (string, error)', (ctx: CallContext, name: string, data: Value) => ctx.execute(name, data), { context: true });
    const set = new TemplateSet({ funcs: { include, upper } });
    set.parse('main', '{{ define "x" }}<{{ .a }}>{{ end }}{{ include "x" . | upper }}');
    expect(set.execute('main', vals({ a: 'in' }))).toBe('<IN>');
    set.parse('bad', '{{ define "y" }}{{ .a.b }}{{ end }}{{ include "y" . }}');
    let e: ExecError | undefined;
    try { set.execute('bad', vals({ a: null })); } catch (x) { e = x as ExecError; }
    expect(e!.message).toBe('template: bad:1:38: executing "bad" at <include "y" .>: error calling include: template: bad:1:21: executing "y" at <.a.b>: nil pointer evaluating interface {}.b');
    expect(e!.cause).toBeInstanceOf(ExecError);
    expect((e!.cause as ExecError).location).toEqual({ file: 'bad', line: 1, col: 21 });
  });
});

describe('structs, methods and call', () => {
  const Meta = structType('chart.Metadata', [['Name', T.string], ['Version', T.string], ['Extra', T.iface]], {
    Greet: { type: goFunc('func(string) string', () => '').type, impl: (recv: GoValue, who: Value) => `hi ${who} from ${(recv as GoStruct).fields.Name}` },
    String: { type: goFunc('func() string', () => '').type, impl: (recv: GoValue) => `Meta(${(recv as GoStruct).fields.Name})` },
  });
  const meta = new GoStruct(Meta, { Name: 'demo', Version: '1.0', Extra: null }, true);

  it('fields and pointer printing', () => {
    expect(run('{{ .Chart.Name }}-{{ .Chart.Version }}', { Chart: meta })).toBe('demo-1.0');
    expect(run('{{ printf "%T" .Chart }}', { Chart: meta })).toBe('*chart.Metadata');
  });
  it('Stringer is used by print', () => {
    expect(run('{{ .Chart }}|{{ print .Chart }}|{{ printf "%s %v %d" .Chart .Chart .Chart }}', { Chart: meta }))
      .toBe('Meta(demo)|Meta(demo)|Meta(demo) Meta(demo) &{%!d(string=demo) %!d(string=1.0) <nil>}');
  });
  it('methods take arguments', () => {
    expect(run('{{ .Chart.Greet "bob" }}|{{ "amy" | .Chart.Greet }}', { Chart: meta })).toBe('hi bob from demo|hi amy from demo');
    expect(err('{{ .Chart.Greet }}', { Chart: meta })).toContain('wrong number of args for Greet: want 1 got 0');
  });
  it('missing and unexported fields', () => {
    // .Chart comes out of a map[string]interface{}: its static type is interface {}.
    expect(err('{{ .Chart.Nope }}', { Chart: meta })).toBe('template: t:1:9: executing "t" at <.Chart.Nope>: can\'t evaluate field Nope in type interface {}');
    expect(err('{{ .Nope }}', meta)).toBe('template: t:1:3: executing "t" at <.Nope>: can\'t evaluate field Nope in type *chart.Metadata');
    const s = new GoStruct(structType('x.T', [['lower', T.string]]), { lower: 'v' });
    expect(err('{{ .lower }}', s)).toContain('lower is an unexported field of struct type x.T');
    expect(err('{{ .S.lower }}', { S: s })).toContain('lower is an unexported field of struct type interface {}');
    expect(err('{{ .Chart.Name 1 }}', { Chart: meta })).toContain('Name has arguments but cannot be invoked as function');
  });
  it('nil interface field', () => {
    expect(err('{{ .Chart.Extra.x }}', { Chart: meta })).toContain('nil pointer evaluating interface {}.x');
  });
  it('%+v and %v of a struct without methods', () => {
    const P = structType('main.P', [['A', T.int], ['B', T.string]]);
    const p = new GoStruct(P, { A: 1n, B: 'x' });
    expect(run('{{ printf "%v|%+v|%#v" .p .p .p }}', { p })).toBe('{1 x}|{A:1 B:x}|main.P{A:1, B:"x"}');
    expect(run('{{ . }}', new GoStruct(P, { A: 2n, B: 'y' }, true))).toBe('{2 y}');
  });
  it('call builtin', () => {
    const f = goFunc('func(int, string) string', (n: bigint, s: string) => s.repeat(Number(n)));
    const v = goFunc('func(...interface {}) int', (...a: Value[]) => BigInt(a.length));
    expect(run('{{ call .f 3 "ab" }}|{{ call .v 1 2 3 }}|{{ call .v }}', { f, v })).toBe('ababab|3|0');
    expect(err('{{ call .f 3 }}', { f })).toContain('error calling call: wrong number of args for .f: got 1 want 2');
    expect(err('{{ call .f "x" "y" }}', { f })).toContain('error calling call: arg 0: value has type string; should be int');
    expect(err('{{ call .f 3 nil }}', { f })).toContain('error calling call: arg 1: value is nil; should be of type string');
    expect(run('{{ call .f .n "z" }}', { f, n: int64(2) })).toBe('zz');
    const boom = goFunc('func() string', () => { throw new GoError('kaboom'); });
    expect(err('{{ call .boom }}', { boom })).toContain('error calling call: kaboom');
    expect(err('{{ .f }}', { f })).toBe('template: t:1:3: executing "t" at <{{.f}}>: can\'t print {{.f}} of type func(int, string) string');
  });
});

describe('typed values', () => {
  it('int64 vs int comparisons', () => {
    expect(run('{{ eq .a 3 }} {{ lt .a 4 }}', { a: int64(3) })).toBe('true true');
    expect(err('{{ eq .a 3.0 }}', { a: int64(3) })).toContain('incompatible types for comparison: int64 and float64');
  });
  it('uint8 and int compare by value', () => {
    expect(run('{{ eq .b 255 }} {{ eq 255 .b }} {{ lt -1 .b }}', { b: uint8(255) })).toBe('true true true');
  });
  it('range over typed ints and slices', () => {
    expect(run('{{ range .n }}{{ printf "%T" . }}{{ end }}', { n: int64(2) })).toBe('int64int64');
    const s = withType(['x', 'y'], sliceOf(T.string));
    expect(run('{{ range $i, $v := .s }}{{ $i }}{{ $v }}{{ end }}|{{ printf "%T" .s }}|{{ index .s 1 }}', { s })).toBe('0x1y|[]string|y');
    expect(err('{{ range .s }}{{ .x }}{{ end }}', { s })).toContain("can't evaluate field x in type string");
  });
  it('named map types keep their name and allow fields', () => {
    const Values = namedType('common.Values', mapOf(T.string, T.iface));
    const v = withType(vals({ a: 1 }), Values);
    expect(run('{{ printf "%T" . }} {{ .a }}', v)).toBe('common.Values 1');
  });
  it('float32 prints with 32-bit shortest digits', () => {
    expect(run('{{ . }}', new GoScalar(T.float32, Math.fround(0.1)))).toBe('0.1');
  });
  it('byte slices', () => {
    const b = new Uint8Array([104, 105]);
    expect(run('{{ . }}|{{ printf "%s|%x|%v|%T" . . . . }}|{{ len . }}|{{ index . 0 }}', b)).toBe('[104 105]|hi|6869|[104 105]|[]uint8|2|104');
  });
});

describe('slice builtin (Go semantics; helm replaces it with sprig)', () => {
  const d = vals({ l: ['a', 'b', 'c', 'd'] });
  const cases: Array<[string, string]> = [
    ['{{ slice .l 1 3 }}', '[b c]'],
    ['{{ slice .l 2 }}', '[c d]'],
    ['{{ slice .l }}', '[a b c d]'],
    ['{{ slice .l 1 2 3 }}', '[b]'],
    ['{{ slice "hello" 1 4 }}', 'ell'],
    ['{{ slice "hello" }}', 'hello'],
    ['{{ slice "hello" 5 }}', ''],
    ['{{ printf "%T" (slice .l 0 1) }}', '[]interface {}'],
  ];
  for (const [t, want] of cases) it(t, () => expect(run(t, d)).toBe(want));
  const errs: Array<[string, string]> = [
    ['{{ slice "hello" 1 2 3 }}', 'error calling slice: cannot 3-index slice a string'],
    ['{{ slice "hello" 1 2 3 4 }}', 'error calling slice: too many slice indexes: 4'],
    ['{{ slice "abc" 1 5 }}', 'error calling slice: index out of range: 5'],
    ['{{ slice "abc" 2 1 }}', 'error calling slice: invalid slice index: 2 > 1'],
    ['{{ slice .l 0 2 1 }}', 'error calling slice: invalid slice index: 2 > 1'],
    ['{{ slice nil }}', 'error calling slice: slice of untyped nil'],
    ['{{ slice 3 }}', 'error calling slice: can\'t slice item of type int'],
    ['{{ slice .l 1.5 }}', 'error calling slice: cannot index slice/array with type float64'],
  ];
  for (const [t, want] of errs) it(t, () => expect(err(t, d)).toContain(want));
});

describe('template sets', () => {
  it('later non-empty definitions replace earlier ones; empty ones do not', () => {
    const set = new TemplateSet();
    set.parse('a.yaml', '{{ define "x" }}A{{ end }}{{ template "x" }}');
    set.parse('b.tpl', '{{ define "x" }}B{{ end }}');
    expect(set.execute('a.yaml', null)).toBe('B');
    set.parse('c.tpl', '{{ define "x" }}  {{ end }}');
    expect(set.execute('a.yaml', null)).toBe('B');
    expect(set.templateNames().sort()).toEqual(['a.yaml', 'b.tpl', 'c.tpl', 'x']);
  });
  it('multiple definitions in one text are an error', () => {
    expect(() => new TemplateSet().parse('f', '{{ define "x" }}a{{ end }}{{ define "x" }}b{{ end }}'))
      .toThrow('template: f:1: template: multiple definition of template "x"');
  });
  it('clone is independent (tpl)', () => {
    const set = new TemplateSet({ name: 'gotpl' });
    set.parse('f', '{{ define "x" }}orig{{ end }}');
    const c = set.clone().parse('f', '{{ define "x" }}new{{ end }}{{ template "x" }}');
    expect(c.execute('f', null)).toBe('new');
    expect(set.execute('x', null)).toBe('orig');
  });
  it('unknown template', () => {
    const set = new TemplateSet({ name: 'gotpl' });
    expect(() => set.execute('nope', null)).toThrow('template: no template "nope" associated with template "gotpl"');
  });
  it('block defines a template and calls it', () => {
    const set = new TemplateSet().parse('f', '{{ block "b" . }}[{{ . }}]{{ end }}');
    expect(set.execute('f', 'x')).toBe('[x]');
    expect(set.execute('b', 'y')).toBe('[y]');
  });
  it('parse errors expose line and detail', () => {
    try {
      new TemplateSet().parse('file.yaml', 'a\nb\n{{ if }}');
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateParseError);
      const p = e as TemplateParseError;
      expect(p.message).toBe('template: file.yaml:3: missing value for if');
      expect([p.parseName, p.line, p.detail]).toEqual(['file.yaml', 3, 'missing value for if']);
    }
  });
  it('custom delimiters', () => {
    const set = new TemplateSet({ leftDelim: '[[', rightDelim: ']]' });
    expect(set.parse('f', '{{ x }} [[ .a ]] [[- /* c */ -]] !').execute('f', vals({ a: 1 }))).toBe('{{ x }} 1!');
  });
});

describe('limits', () => {
  it('step limit stops runaway loops', () => {
    const set = new TemplateSet().parse('f', '{{ range 1000000000 }}x{{ end }}');
    expect(() => set.execute('f', null, { limits: { maxSteps: 10000 } })).toThrow(ExecLimitError);
    expect(() => set.execute('f', null, { limits: { maxSteps: 10000 } })).toThrow(/execution exceeded the limit of 10000 steps/);
  });
  it('output limit', () => {
    const set = new TemplateSet().parse('f', '{{ range 100000 }}xxxxxxxxxx{{ end }}');
    expect(() => set.execute('f', null, { limits: { maxOutput: 1000 } })).toThrow(/output exceeded the limit of 1000 characters/);
  });
  it('template recursion depth limit gives an error, not a crash', () => {
    const set = new TemplateSet().parse('f', '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}');
    expect(() => set.execute('f', null, { limits: { maxExecDepth: 50 } })).toThrow(
      'template: f:1:28: executing "r" at <{{template "r" .}}>: exceeded maximum template depth (50)');
    // With Go's default depth the JS stack runs out first; the error is the same as Go's.
    expect(() => set.execute('f', null)).toThrow('exceeded maximum template depth (100000)');
  });
  it('include-style recursion through functions is stopped too', () => {
    const include = goFunc('func(string, interface {}) (string, error)', (ctx: CallContext, n: string, d: Value) => ctx.execute(n, d), { context: true });
    const set = new TemplateSet({ funcs: { include } }).parse('f', '{{ define "r" }}{{ include "r" . }}{{ end }}{{ include "r" . }}');
    let e: unknown;
    try { set.execute('f', null); } catch (x) { e = x; }
    expect(e).toBeInstanceOf(ExecError);
    expect((e as Error).message).toMatch(/exceeded maximum template depth|execution exceeded/);
  });
  it('budgets are shared by nested executes', () => {
    const include = goFunc('func(string, interface {}) (string, error)', (ctx: CallContext, n: string, d: Value) => ctx.execute(n, d), { context: true });
    const set = new TemplateSet({ funcs: { include } }).parse('f', '{{ define "x" }}{{ range 100 }}.{{ end }}{{ end }}{{ range 100 }}{{ include "x" . }}{{ end }}');
    expect(() => set.execute('f', null, { limits: { maxSteps: 5000 } })).toThrow(ExecLimitError);
    expect(set.execute('f', null).length).toBe(10000);
  });
});

describe('performance', () => {
  it('parses and executes a 500-line template quickly', () => {
    const lines: string[] = [];
    for (let i = 0; i < 100; i++) {
      lines.push(
        `{{- if .Values.enabled }}`,
        `name-${i}: {{ .Values.name | printf "%s-${i}" }}`,
        `{{- range $k, $v := .Values.labels }}`,
        `  {{ $k }}: {{ $v | printf "%q" }}`,
        `{{- end }}{{ end }}`,
      );
    }
    const text = lines.join('\n');
    const data = { Values: vals({ enabled: true, name: 'app', labels: { a: '1', b: '2', c: '3' } }) };
    let out = '';
    for (let i = 0; i < 40; i++) out = new TemplateSet().parse('f', text).execute('f', data); // warm up the JIT
    let best = Infinity;
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      out = new TemplateSet().parse('f', text).execute('f', data);
      best = Math.min(best, performance.now() - t0);
    }
    expect(out.split('\n').length).toBe(401);
    // Target: well under 1ms per 100 lines (about 2-3ms here on an idle machine).
    expect(best).toBeLessThan(5);
  });
});

describe('helm-style extension points', () => {
  it('methods on a named map type (like .Files.Get) take precedence over keys', () => {
    const sig = goFunc('func(string) string', () => '').type;
    const Files = namedType('files', mapOf(T.string, sliceOf(T.uint8)), {
      Get: { type: sig, impl: (recv: GoValue, name: Value) => Buffer.from(((recv as GoMap)[name as string] as Uint8Array) ?? []).toString('utf8') },
    });
    const files = withType({ 'a.txt': new Uint8Array(Buffer.from('hello')) } as GoMap, Files);
    expect(run('{{ .Files.Get "a.txt" }}|{{ .Files.Get "none" }}|{{ printf "%T" .Files }}', { Files: files })).toBe('hello||files');
  });
  it('tpl: parse text into a clone and execute it under the same budget', () => {
    const tpl = goFunc('func(string, interface {}) (string, error)', (ctx: CallContext, text: string, data: Value) => {
      const c = ctx.set.clone().parse(ctx.templateName, text);
      return ctx.executeIn(c, ctx.templateName, data);
    }, { context: true });
    const set = new TemplateSet({ funcs: { tpl } }).parse('main', '{{ define "h" }}H{{ end }}{{ tpl .t . }}');
    expect(set.execute('main', vals({ t: '{{ .x }}-{{ template "h" }}', x: 'X' }))).toBe('X-H');
    expect(set.execute('main', vals({ t: 'plain', x: 'X' }))).toBe('plain');
  });
});
