import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fromJS, typeOf, type GoValue } from '../template/value.js';
import { DECODE_CASES, ERROR_CASES, TPL_CASES, VALUE_CASES } from './__fixtures__/cases.js';
import * as enc from './index.js';

const expected = JSON.parse(readFileSync(new URL('./__fixtures__/expected.json', import.meta.url), 'utf8')) as Record<string, Record<string, string>>;

const ENCODERS: Record<string, (v: GoValue) => string> = {
  toYaml: enc.toYaml,
  toJson: enc.toJson,
  toToml: enc.toToml,
  toYamlPretty: enc.toYamlPretty,
};

function checkEncoders(name: string, make: () => GoValue): void {
  const exp = expected[name]!;
  for (const [fn, impl] of Object.entries(ENCODERS)) {
    if (exp[fn] === undefined) continue;
    it(`${fn} ${name}`, () => {
      expect(impl(make())).toBe(exp[fn]);
    });
  }
}

describe('encoders on values (helm v4.1.4 output)', () => {
  for (const c of VALUE_CASES) checkEncoders(c.name, () => fromJS(c.value));
});

describe('encoders on template-built values', () => {
  for (const c of TPL_CASES) checkEncoders(c.name, c.value);
});

/**
 * Differences that are not in this module: fromYaml/fromYamlArray parse with
 * src/chart/yaml.ts (its error wording and a few go-yaml quirks differ), and a nil map
 * (fromJson of `null`) cannot be told from an empty one in the value model. These run as
 * `it.fails` (see `known`), so a difference that goes away is noticed.
 */
const KNOWN_YAML_PARSER: Record<string, string> = {
  "a: [1, 2": 'parser error wording',
  "a: b: c": 'parser error wording',
  "\tbad: tab": 'parser error wording',
  "a: |\n  literal\n  text\nb: >\n  folded\n  text": 'folded scalar at end of input keeps no final newline in go-yaml',
  "{\"a\" 1}": 'parser error wording',
  "{\"a\":\"\\x\"}": 'parser error wording',
  "{\"a\":\"\\u12\"}": 'parser error wording',
  "{\"a\":\"\\ud83d\\ude00\"}": 'go-yaml rejects surrogate \\u escapes',
  "{\"a\":\"\\ud83d\"}": 'go-yaml rejects surrogate \\u escapes',
  "{\"a\":-}": 'go-yaml reads a lone - in a flow mapping as a plain scalar',
  "{} {}": 'go-yaml ignores what follows the first node',
  "{\"a\":1} x": 'go-yaml ignores what follows the first node',
  "[t]\nx = 1\n[t.u]\ny = 2": 'go-yaml ignores what follows the first node / error wording',
  "[[arr]]\nx = 1\n[[arr]]\nx = 2": 'go-yaml ignores what follows the first node / error wording',
  "\"quoted key\" = 1": 'go-yaml ignores what follows the first node / error wording',
  "[a]\n[a]": 'go-yaml ignores what follows the first node / error wording',
  "[a]\nb = 1\n[a.c]\nd = 2\n[a]\ne = 3": 'go-yaml ignores what follows the first node / error wording',
  "[a.b]\nx = 1\n[a]\ny = 2": 'go-yaml ignores what follows the first node / error wording',
  "[[a]]\nx = 1\n[a]\ny = 2": 'go-yaml ignores what follows the first node / error wording',
  "[[a.b]]\nx = 1\n[[a.b]]\nx = 2\n[[a]]\ny = 3": 'go-yaml ignores what follows the first node / error wording',
  "[[a]]\n[[a.b]]\nc = 1\n[[a.b]]\nc = 2": 'go-yaml ignores what follows the first node / error wording',
  "\"\" = 1": 'go-yaml ignores what follows the first node / error wording',
  "'lit key' = 2\n\"a.b\" = 3": 'go-yaml ignores what follows the first node / error wording',
  "[ a . b ]\nc = 1": 'go-yaml ignores what follows the first node / error wording',
  "[a]]": 'go-yaml ignores what follows the first node / error wording',
  "[[a]": 'go-yaml ignores what follows the first node / error wording',
  "a = 1\n\n\n# c\n\n[b]\n\n  c = 2  # t\n": 'go-yaml ignores what follows the first node / error wording',
  "\"ключ\" = 1": 'go-yaml ignores what follows the first node / error wording',
  "a = [\n  1, # one\n  2,\n]": 'go-yaml ignores what follows the first node / error wording',
};
/** Functions of a KNOWN_YAML_PARSER input that agree with helm all the same: `name:function`. */
const YAML_PARSER_AGREES: Record<string, string> = {
  'decode-22:fromYamlArray': 'a mapping is refused by the array decoder before the folded scalar matters',
  'decode-22:yamlArrayToYaml': 'a mapping is refused by the array decoder before the folded scalar matters',
};
/** Case-level exceptions: `name:function`. */
const KNOWN: Record<string, string> = {
  'decode-4:fromJson': 'json null gives a nil map in Go (toJson "null"); the value model has no nil map',
  'decode-4:fromJsonArray': 'json null gives a nil slice in Go (toJson "null"); the value model has no nil slice',
  'decode-158:tomlToToml': 'the sign of a NaN (-nan) is not kept by JS numbers',
};

const COMBOS: Record<string, (s: string) => string> = {
  tomlToToml: (s) => enc.toToml(enc.fromToml(s)),
  tomlToYaml: (s) => enc.toYaml(enc.fromToml(s)),
  tomlToPretty: (s) => enc.toYamlPretty(enc.fromToml(s)),
  jsonToPretty: (s) => enc.toYamlPretty(enc.fromJson(s)),
  jsonToToml: (s) => enc.toToml(enc.fromJson(s)),
  yamlToPretty: (s) => enc.toYamlPretty(enc.fromYaml(s)),
  yamlArrayToYaml: (s) => enc.toYaml(enc.fromYamlArray(s)),
};

/** A known difference must still differ: `it.fails` fails as soon as it agrees with helm. */
const known = (isKnown: boolean): typeof it | typeof it.fails => (isKnown ? it.fails : it);

describe('decoders', () => {
  for (const c of DECODE_CASES) {
    const exp = expected[c.name]!;
    const yamlKnown = KNOWN_YAML_PARSER[c.input];
    const yamlDiffers = (fn: string): boolean => yamlKnown !== undefined && YAML_PARSER_AGREES[`${c.name}:${fn}`] === undefined;
    const differs = (fn: string): boolean => KNOWN[`${c.name}:${fn}`] !== undefined || (fn.startsWith('yaml') && yamlDiffers(fn));
    for (const [n, f] of Object.entries(COMBOS)) {
      known(differs(n))(`${n} ${c.name}`, () => expect(f(c.input)).toBe(exp[n]));
    }
    known(yamlDiffers('fromYaml'))(`fromYaml ${c.name}`, () => expect(enc.toJson(enc.fromYaml(c.input))).toBe(exp['fromYaml']));
    known(yamlDiffers('fromYamlArray'))(`fromYamlArray ${c.name}`, () => expect(enc.toJson(enc.fromYamlArray(c.input))).toBe(exp['fromYamlArray']));
    known(differs('fromJson'))(`fromJson ${c.name}`, () => expect(enc.toJson(enc.fromJson(c.input))).toBe(exp['fromJson']));
    known(differs('fromJsonArray'))(`fromJsonArray ${c.name}`, () => expect(enc.toJson(enc.fromJsonArray(c.input))).toBe(exp['fromJsonArray']));
    it(`fromToml ${c.name}`, () => {
      const m = enc.fromToml(c.input);
      expect(enc.toJson(m)).toBe(exp['fromToml']);
      const types = Object.keys(m).sort().map((k) => `${k}=${typeOf(m[k]!).name};`).join('');
      expect(types).toBe(exp['tomlTypes']);
    });
  }
});

describe('errors', () => {
  for (const c of ERROR_CASES) {
    const exp = expected[c.name]!;
    it(`${c.fn} ${c.name}`, () => {
      const f = c.fn === 'mustToYaml' ? enc.mustToYaml : c.fn === 'mustToJson' ? enc.mustToJson : enc.mustToToml;
      expect(() => f(c.value())).toThrow(exp['error']);
      try { f(c.value()); } catch (e) { expect((e as Error).message).toBe(exp['error']); }
    });
  }
});
