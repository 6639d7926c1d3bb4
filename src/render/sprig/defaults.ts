/**
 * sprig's defaults.go: default, empty, coalesce, all, any, ternary and the JSON
 * functions (fromJson, toJson, toPrettyJson, toRawJson and their must variants).
 * helm replaces toJson, mustToJson and fromJson with its own; these are sprig's.
 */
import { type FuncMap, type GoValue, type Value } from '../template/index.js';
import { jsonDecode, jsonMarshal, jsonUnmarshal } from './json.js';
import { empty, fn } from './util.js';

const IF = 'interface {}';

export function defaultFuncs(): FuncMap {
  const toJson = (v: Value): string => jsonMarshal(v);
  const toPretty = (v: Value): string => jsonMarshal(v, { indent: '  ' });
  const toRaw = (v: Value): string => jsonMarshal(v, { escapeHTML: false });
  const swallow = (f: (v: Value) => string) => (v: Value): string => {
    try { return f(v); } catch { return ''; }
  };
  return {
    default: fn(`func(${IF}, ...${IF}) ${IF}`, (d: Value, ...given: Value[]) => {
      if (given.length === 0 || empty(given[0])) return d ?? null;
      return given[0] ?? null;
    }),
    empty: fn(`func(${IF}) bool`, (v: Value) => empty(v)),
    coalesce: fn(`func(...${IF}) ${IF}`, (...v: Value[]) => {
      for (const x of v) if (!empty(x)) return x as GoValue;
      return null;
    }),
    all: fn(`func(...${IF}) bool`, (...v: Value[]) => v.every((x) => !empty(x))),
    any: fn(`func(...${IF}) bool`, (...v: Value[]) => v.some((x) => !empty(x))),
    ternary: fn(`func(${IF}, ${IF}, bool) ${IF}`, (vt: Value, vf: Value, c: boolean) => (c ? vt ?? null : vf ?? null)),
    fromJson: fn(`func(string) ${IF}`, (s: string) => jsonDecode(s).value),
    mustFromJson: fn(`func(string) (${IF}, error)`, (s: string) => jsonUnmarshal(s)),
    toJson: fn(`func(${IF}) string`, swallow(toJson)),
    mustToJson: fn(`func(${IF}) (string, error)`, toJson),
    toPrettyJson: fn(`func(${IF}) string`, swallow(toPretty)),
    mustToPrettyJson: fn(`func(${IF}) (string, error)`, toPretty),
    toRawJson: fn(`func(${IF}) string`, toRaw),
    mustToRawJson: fn(`func(${IF}) (string, error)`, toRaw),
  };
}
