/**
 * User values (helm v4.1.4 pkg/cli/values/options.go MergeValues) and the bridge from
 * loaded values to the template value model.
 *
 * Merge order: every `-f` file (all YAML documents merged, then MergeMaps into the result),
 * then `--set-json`, `--set`, `--set-string`, `--set-file`, `--set-literal`, each kind in
 * the order given.
 *
 * Raw values are plain JS data as the loader produces them: YAML/JSON numbers are JS
 * numbers (Go float64), `--set` integers are `bigint` (Go int64). `toTemplateValues`
 * converts them for templates (bigint → `int64` GoScalar).
 */
import { mergeMaps, loadValues, YamlError } from '../chart/yaml.js';
import { InputError } from '../model/errors.js';
import { GoScalar, T, withType, namedType, T_MAP_IFACE, type GoMap, type GoType, type GoValue } from './template/index.js';
import {
  StrvalsError, parseInto, parseIntoFile, parseIntoString, parseJSON, parseLiteralInto, type StrMap,
} from './strvals.js';

/** helm's `common.Values` (a named `map[string]interface {}`). */
export const VALUES_TYPE: GoType = namedType('common.Values', T_MAP_IFACE);

export interface ValuesOptions {
  /** `-f/--values` files, in order, with their bytes already read. */
  valuesFiles?: { name: string; bytes: Buffer }[];
  set?: string[];
  setString?: string[];
  setJson?: string[];
  setFile?: string[];
  setLiteral?: string[];
}

/** Reads a file for `--set-file` (path as given). Throw an Error with Go's wording (`open x: no such file or directory`). */
export type ReadFile = (path: string) => Buffer | string;

/**
 * helm's values.Options.MergeValues. Throws InputError with helm's messages
 * (`failed to parse FILE: …`, `failed parsing --set data: …`).
 */
export function buildUserValues(opts: ValuesOptions, readFile?: ReadFile): Record<string, unknown> {
  let base: Record<string, unknown> = {};
  for (const f of opts.valuesFiles ?? []) {
    let current: Record<string, unknown>;
    try {
      current = loadValues(f.bytes);
    } catch (e) {
      if (e instanceof YamlError) throw new InputError(`failed to parse ${f.name}: ${e.message}`, f.name);
      throw e;
    }
    base = mergeMaps(base, current);
  }

  for (const value of opts.setJson ?? []) {
    const trimmed = value.trim();
    if (trimmed.length > 0 && trimmed[0] === '{') {
      let json: unknown;
      try {
        json = JSON.parse(trimmed);
      } catch {
        throw new InputError(`failed parsing --set-json data JSON: ${value}`);
      }
      if (json === null) continue; // Unmarshal of null into a map leaves it nil
      if (typeof json !== 'object' || Array.isArray(json)) throw new InputError(`failed parsing --set-json data JSON: ${value}`);
      base = mergeMaps(base, json as Record<string, unknown>);
    } else {
      try {
        parseJSON(value, base as StrMap);
      } catch (e) {
        if (e instanceof StrvalsError) throw new InputError(`failed parsing --set-json data ${value}`);
        throw e;
      }
    }
  }

  const kinds: Array<[string[] | undefined, string, (s: string, d: StrMap) => void]> = [
    [opts.set, '--set', parseInto],
    [opts.setString, '--set-string', parseIntoString],
    [opts.setFile, '--set-file', (s, d) => parseIntoFile(s, d, (rs) => {
      if (!readFile) throw new StrvalsError(`open ${rs}: no such file or directory`);
      let data: Buffer | string;
      try {
        data = readFile(rs);
      } catch (e) {
        throw new StrvalsError(e instanceof Error ? e.message : String(e));
      }
      return typeof data === 'string' ? data : data.toString('utf8');
    })],
    [opts.setLiteral, '--set-literal', parseLiteralInto],
  ];
  for (const [list, flag, fn] of kinds) {
    for (const value of list ?? []) {
      try {
        fn(value, base as StrMap);
      } catch (e) {
        if (e instanceof StrvalsError) throw new InputError(`failed parsing ${flag} data: ${e.message}`);
        throw e;
      }
    }
  }
  return base;
}

/**
 * Converts raw values (plain JS data) to the template value model: numbers stay float64,
 * bigints become int64, objects `map[string]interface {}`, arrays `[]interface {}`.
 * Shared sub-objects stay shared (Go maps are references).
 */
export function toTemplateValue(x: unknown, seen: Map<object, GoValue> = new Map()): GoValue {
  if (x === null || x === undefined) return null;
  switch (typeof x) {
    case 'boolean': case 'string': case 'number': return x;
    case 'bigint': return new GoScalar(T.int64, BigInt.asIntN(64, x));
    case 'object': {
      const hit = seen.get(x);
      if (hit !== undefined) return hit;
      if (Array.isArray(x)) {
        const out: GoValue[] = [];
        seen.set(x, out);
        for (const e of x) out.push(toTemplateValue(e, seen));
        return out;
      }
      if (x instanceof Uint8Array) return x as GoValue;
      if (x instanceof GoScalar) return x;
      const out: GoMap = {};
      seen.set(x, out);
      for (const k of Object.keys(x)) {
        Object.defineProperty(out, k, { value: toTemplateValue((x as Record<string, unknown>)[k], seen), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    default:
      return null;
  }
}

/** The values as `common.Values`. */
export function toValuesMap(x: Record<string, unknown>): GoMap {
  return withType(toTemplateValue(x) as GoMap, VALUES_TYPE);
}
