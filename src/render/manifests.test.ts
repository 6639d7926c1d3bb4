/**
 * helm's manifest handling: SplitManifests, the SimpleHead read (sigs.k8s.io/yaml with
 * string coercion), hook detection, install-order sorting and --show-only. Chart-level
 * agreement with helm is in test/render-charts.test.ts (fixtures/render-charts/manifests).
 */
import { describe, expect, it } from 'vitest';
import { INSTALL_ORDER, goTrimSpace, readHead, showOnly, sortManifests, splitManifests } from './manifests.js';

describe('splitManifests', () => {
  it('splits on --- lines like helm\'s regexp', () => {
    expect(splitManifests('a: 1\n---\nb: 2\n')).toEqual(['a: 1', 'b: 2']);
    // The blanks after one separator swallow the newline the next one needs (as in Go).
    expect(splitManifests('---\na: 1\n---   \n\n---\nb: 2')).toEqual(['a: 1', '---\nb: 2']);
    expect(splitManifests('a: 1\n---b: 2')).toEqual(['a: 1', 'b: 2']);
    expect(splitManifests('a: |\n  x\n  ---\n  y')).toEqual(['a: |\n  x\n  ---\n  y']);
    expect(splitManifests('a: |\n  x\n---\n  y')).toEqual(['a: |\n  x', 'y']);
    expect(splitManifests('a: 1 --- b')).toEqual(['a: 1 --- b']);
    expect(splitManifests('  \n ')).toEqual([]);
    expect(splitManifests('--- # c\na: 1')).toEqual(['# c\na: 1']);
  });
});

describe('readHead', () => {
  // sigs.k8s.io/yaml converts the whole document before json.Unmarshal reads the head: a value
  // or key anywhere that JSON cannot hold fails it, the first one met (fields in document order)
  it.each<[string, string]>([
    ['kind: Pod\nspec:\n  x: .inf', 'json: unsupported value: +Inf'],
    ['kind: Pod\nspec:\n  x: -.inf\n  y: .nan', 'json: unsupported value: -Inf'],
    ['spec: [1, .nan]\nkind: Pod', 'json: unsupported value: NaN'],
    ['metadata:\n  annotations:\n    a: .inf\n  labels:\n    b: .nan', 'json: unsupported value: NaN'],
    ['kind: Pod\n18446744073709551615: x', 'unsupported map key of type: uint64, key: 0xffffffffffffffff, value: "x"'],
    ['kind: Pod\nspec:\n  18446744073709551615: .inf', 'unsupported map key of type: uint64, key: 0xffffffffffffffff, value: Infinity'],
    ['spec:\n  x: .inf\n18446744073709551615: y', 'json: unsupported value: +Inf'],
    ['kind: [a]\nspec: .inf', 'json: unsupported value: +Inf'],
    ['null: x\nkind: K', 'unsupported map key of type: <nil>, key: <nil>, value: "x"'],
    ['kind: Pod\nspec:\n  containers:\n  - name: a\n    resources: {limits: {cpu: .inf}}', 'json: unsupported value: +Inf'],
  ])('%j fails: %s', (doc, msg) => {
    expect(() => readHead(doc)).toThrow(`error converting YAML to JSON: ${msg}`);
  });

  it('coerces scalars to strings where SimpleHead has strings', () => {
    expect(readHead('kind: 5\nmetadata:\n  name: 12\n  annotations:\n    w: 1.5\n    b: true\n    x: ~\n    n: 1')).toEqual({
      apiVersion: '', kind: '5', metadata: { name: '12', annotations: { w: '1.5', b: 'true', x: '', false: '1' } },
    });
  });
  it('matches field names case-insensitively', () => {
    expect(readHead('KIND: Pod\nMetadata: {Name: x}').kind).toBe('Pod');
    expect(readHead('KIND: Pod\nMetadata: {Name: x}').metadata?.name).toBe('x');
  });
  it('accepts comment-only and empty documents', () => {
    expect(readHead('# just a comment')).toEqual({ apiVersion: '', kind: '', metadata: null });
  });
  it('words type errors like encoding/json', () => {
    expect(() => readHead('kind: [a]')).toThrow('error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field SimpleHead.kind of type string');
    expect(() => readHead('metadata:\n  annotations: x')).toThrow('json: cannot unmarshal string into Go struct field .metadata.annotations of type map[string]string');
    expect(() => readHead('- a')).toThrow('json: cannot unmarshal array into Go value of type util.SimpleHead');
  });
});

describe('sortManifests', () => {
  it('orders by kind (install order, unknown kinds last by name), stable within a kind', () => {
    const files = new Map([
      ['c/templates/b.yaml', 'kind: Deployment\nmetadata: {name: d}\n---\nkind: Zeta\n---\nkind: Alpha\n---\nkind: Service\nmetadata: {name: s2}'],
      ['c/templates/a.yaml', 'kind: Service\nmetadata: {name: s1}\n---\nkind: Namespace'],
      ['c/templates/_p.yaml', 'kind: Namespace'],
      ['c/templates/e.yaml', ' \n'],
    ]);
    const { manifests } = sortManifests(files);
    expect(manifests.map((m) => `${m.head.kind}:${m.head.metadata?.name ?? ''}`)).toEqual([
      'Namespace:', 'Service:s1', 'Service:s2', 'Deployment:d', 'Alpha:', 'Zeta:',
    ]);
    expect(INSTALL_ORDER[0]).toBe('PriorityClass');
  });
  it('separates hooks, drops unknown hook types', () => {
    const files = new Map([
      ['c/templates/h.yaml', [
        'kind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: " Pre-Install ,post-upgrade"\n    helm.sh/hook-weight: "-2"',
        'kind: Pod\nmetadata:\n  name: t\n  annotations: {helm.sh/hook: test-success}',
        'kind: Pod\nmetadata:\n  name: u\n  annotations: {helm.sh/hook: sometimes}',
        'kind: Pod\nmetadata:\n  name: plain\n  annotations: {other: x}',
      ].join('\n---\n')],
    ]);
    const { hooks, manifests } = sortManifests(files);
    expect(hooks.map((h) => [h.kind, h.name, h.events, h.weight])).toEqual([['Pod', 't', ['test'], 0], ['Job', 'j', ['pre-install', 'post-upgrade'], -2]]);
    expect(manifests.map((m) => m.head.metadata?.name)).toEqual(['plain']);
  });
  it('fails on YAML errors with helm\'s prefix', () => {
    expect(() => sortManifests(new Map([['c/templates/x.yaml', 'kind: [']]))).toThrow(/^YAML parse error on c\/templates\/x.yaml: error converting YAML to JSON: yaml: /);
  });
});

describe('showOnly', () => {
  const out = '---\n# Source: c/templates/a.yaml\na: 1\n---\n# Source: c/templates/sub/b.yaml\nb: 2\n---\n# Source: c/charts/s/templates/c.yaml\nc: 3\n';
  it('matches the path below the chart name with Go\'s filepath.Match', () => {
    expect(showOnly(out, ['templates/a.yaml'])).toBe('---\n# Source: c/templates/a.yaml\na: 1\n');
    expect(showOnly(out, ['templates/*'])).toBe('---\n# Source: c/templates/a.yaml\na: 1\n');
    expect(showOnly(out, ['charts/s/templates/c.yaml', 'templates/sub/*'])).toBe('---\n# Source: c/charts/s/templates/c.yaml\nc: 3\n---\n# Source: c/templates/sub/b.yaml\nb: 2\n');
  });
  it('fails like helm when nothing matches', () => {
    expect(() => showOnly(out, ['templates/x.yaml'])).toThrow('could not find template templates/x.yaml in chart');
  });
});

describe('goTrimSpace (Go strings.TrimSpace)', () => {
  it.each<[string, string, string]>([
    ['empty', '', ''],
    ['only spaces', ' \t\n\v\f\r', ''],
    ['ASCII both ends', '\n  kind: A\n  \n', 'kind: A'],
    ['inner spaces kept', ' a \n b ', 'a \n b'],
    ['Unicode spaces (NEL, NBSP, ogham, en quad … hair, LS, PS, NNBSP, MMSP, ideographic)', '\u0085\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000x\u3000\u00a0', 'x'],
    ['not spaces: ZWSP, BOM, U+180E, U+200B', '\u200bx\ufeff', '\u200bx\ufeff'],
    ['a lone surrogate is kept', '\ud800 ', '\ud800'],
    ['untouched text is the same string', 'abc', 'abc'],
  ])('%s', (_, input, want) => {
    expect(goTrimSpace(input)).toBe(want);
  });
});
