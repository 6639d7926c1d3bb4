/**
 * plainBlockYaml against the full path (json.Marshal → go-yaml v2 decode → libyaml emitter,
 * itself checked against helm in corpus.test.ts): the same text wherever it writes one, on a
 * table of edge cases and on every subtree of every corpus chart's values.yaml.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadValues } from '../../chart/yaml.js';
import { fromJS, isGoMap, type GoValue } from '../template/value.js';
import { readChartValues } from './__fixtures__/corpus.js';
import { sharedPath } from '../../../test/helpers/shared.js';
import { toJsonTree } from './json.js';
import { jsonTreeToYaml, yamlMarshal } from './yaml.js';
import { plainBlockYaml } from './yaml-plain.js';

const full = (v: GoValue): string => jsonTreeToYaml(toJsonTree(v));

const labels = {
  'app.kubernetes.io/name': 'kafka', 'helm.sh/chart': 'kafka-32.4.4', 'app.kubernetes.io/instance': 'release-1',
  'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/version': '4.0.0', 'app.kubernetes.io/component': 'controller-eligible',
};

describe('plainBlockYaml', () => {
  // [case, value, written here (true) or left to the full path (false)]
  const cases: Array<[string, unknown, boolean]> = [
    ['labels', labels, true],
    ['an empty map', {}, true],
    ['an empty list', [], true],
    ['null', null, true],
    ['a name', 'kafka-controller-headless', true],
    ['an image reference', 'docker.io/bitnami/kafka:4.0.0-debian-12-r10@sha256:0123abcd', true],
    ['booleans and ints', { enabled: true, disabled: false, replicas: 3n, min: -(2n ** 63n), max: 2n ** 63n - 1n }, true],
    ['a nested map', { podSecurityContext: { enabled: true, fsGroup: 1001n, seLinuxOptions: {}, sysctls: [], supplementalGroups: [] } }, true],
    ['a list in a map', { args: ['--foo', 'bar'], command: ['/bin/bash', '-ec'] }, true],
    ['scalars in a list', ['a', 'b', 1n, true, null], true],
    ['a list of maps', [{ name: 'a' }], false],
    ['lists in a list', [['a']], false],
    ['a map in a list in a map', { env: [{ name: 'A', value: 'b' }] }, false],
    ['a list of strings in a map', { hosts: ['a.example.com', 'b.example.com'] }, true],
    ['keys sorted as go-yaml sorts them', { a10: 'p', a9: 'q', A: 'r', b: 's', a: 't', 'a.b': 'u', a_b: 'v', B1: 'w' }, true],
    // strings go-yaml v2 resolves to another type, or libyaml quotes
    ...['true', 'y', 'Yes', 'off', '~', 'null', '', '1', '0x1F', '1_000', '1e3', '.5', '-1', '+1', '1:20', '2001-12-14',
      '2001-12-14t21:59:43.10-05:00', 'a:', 'a: b', 'foo bar', ' x', 'x ', '-foo', '.foo', '#x', 'x#y', 'a,b', '[a]', '{a}',
      '*x', '&x', '!x', '%x', '@x', '`x', '"x"', "'x'", "it's", 'x\ny', 'x\ty', 'é', 'a\\b', '<<', '---', '...', '---x', '--',
      '?x', '? x', '?', ':x', ': x', ':', '-', '- x', '|x', '>x', 'a:b', 'a::b', '::', 'a #b', 'a#b', 'a  b', 'x:', '=', '0', '-0',
      'NaN', '.inf', 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'CLIENT://advertised-address-placeholder:9092,INTERNAL://advertised-address-placeholder:9094',
      'x '.repeat(37) + 'xx', 'x '.repeat(37) + 'xxx', 'y'.repeat(200),
    ].map((s): [string, unknown, boolean] => [`the string ${JSON.stringify(s)}`, { k: s }, !/["\\\n\té]/.test(s) && !(s.includes(' ') && s.length > 77)]),
    ['a string at the top', 'a b: c', true],
    ['a long string with spaces at the top', 'w '.repeat(40) + 'w', false],
    ['a string of 80 with spaces at the top', 'w '.repeat(39) + 'ww', true],
    ['strings in a nested list', { a: { b: ['x y', 'true', '', "'q'"] } }, true],
    ['a key with a space', { 'a b': 'c' }, true],
    ['a key that needs quotes', { 'a: b': 'c' }, false],
    ['an empty key', { '': 'c' }, false],
    ['a key that resolves to a bool', { true: 'x' }, false],
    ['a key that is a number', { 1: 'x' }, false],
    ['a key of 128 characters', { ['k'.repeat(128)]: 'x' }, true],
    ['a key of 129 characters', { ['k'.repeat(129)]: 'x' }, false],
    ['an int beyond int64', { n: 2n ** 63n }, false],
    ['a float', { f: 1.5 }, false],
    ['whole floats', { a: 1001, b: -3, c: 0, d: 2 ** 53 - 1, e: -(2 ** 53 - 1) }, true],
    ['a float beyond 2^53', { f: 2 ** 53 }, false],
    ['a float of 1e21', { f: 1e21 }, false],
    ['minus zero', { f: -0 }, false],
    ['a __proto__ key', JSON.parse('{"__proto__": "x", "a": "b"}'), true],
  ];
  it.each(cases)('%s', (_name, raw, written) => {
    const v = fromJS(raw);
    const fast = plainBlockYaml(v);
    expect(fast !== null, 'written here').toBe(written);
    if (fast !== null) expect(fast).toBe(full(v));
    expect(yamlMarshal(v)).toBe(full(v));
  });

  it('a cycle is left to the full path, which reports it', () => {
    const m: Record<string, unknown> = { a: 'b' };
    m['self'] = m;
    expect(plainBlockYaml(m as GoValue)).toBeNull();
    expect(() => yamlMarshal(m as GoValue)).toThrow(/cycle/);
  });
});

describe('plainBlockYaml on every values.yaml subtree of the corpus', () => {
  const dir = sharedPath('corpus', 'bitnami', 'charts');
  it('writes what the full path writes', () => {
    let written = 0;
    let subtrees = 0;
    const walk = (v: GoValue): void => {
      subtrees++;
      const fast = plainBlockYaml(v);
      if (fast !== null) {
        written++;
        expect(fast).toBe(full(v));
      }
      if (Array.isArray(v)) for (const x of v) walk(x as GoValue);
      else if (isGoMap(v)) for (const x of Object.values(v)) walk(x as GoValue);
    };
    const charts = readdirSync(dir).filter((f) => f.endsWith('.tgz'));
    expect(charts.length).toBeGreaterThan(100);
    for (const file of charts) {
      const raw = readChartValues(join(dir, file));
      if (raw) walk(fromJS(loadValues(raw)));
    }
    // most subtrees are leaves and small maps: the path must be taken, not merely safe
    expect(written).toBeGreaterThan(subtrees / 2);
  });
});
