/**
 * Chart.yaml / requirements.yaml / Chart.lock decoding as helm does it: sigs.k8s.io/yaml
 * Unmarshal into helm's Go structs (YAML → JSON with scalars coerced to strings where the
 * struct field is a string, then encoding/json into the *existing* struct: fields matched
 * exactly or case-insensitively, keys in sorted order, null leaves strings alone, maps are
 * merged, slices replaced), then pkg/chart/v2 Metadata.Validate with its messages and order.
 */
import type { ChartDependency, ChartLock, ChartMetadata } from '../model/chart.js';
// Go's %q (strconv.Quote): one port, in the template engine's strconv.
import { quote as goQuote } from '../render/template/strconv.js';
import { isGraphicText, isSpace } from '../render/template/unicode.js';
import { isValidSemver } from './semver-range.js';
import {
  YamlError,
  decodeYamlText,
  formatFloat32,
  jsonKey,
  jsonKind,
  parseGoYaml,
  setOwn,
  toJsonValue,
  type GoMap,
  type GoValue,
} from './yaml.js';

// ---------------------------------------------------------------------------------------
// Go types

type Schema =
  | { k: 'string' }
  | { k: 'bool' }
  | { k: 'any' }
  | { k: 'time' }
  | { k: 'slice'; elem: Schema; go: string }
  | { k: 'map'; elem: Schema; go: string }
  | { k: 'struct'; name: string; go: string; fields: Record<string, Schema> };

const S: Schema = { k: 'string' };
const B: Schema = { k: 'bool' };

const MAINTAINER: Schema = { k: 'struct', name: 'Maintainer', go: 'v2.Maintainer', fields: { name: S, email: S, url: S } };
const DEPENDENCY: Schema = {
  k: 'struct',
  name: 'Dependency',
  go: 'v2.Dependency',
  fields: {
    name: S,
    version: S,
    repository: S,
    condition: S,
    tags: { k: 'slice', elem: S, go: '[]string' },
    enabled: B,
    'import-values': { k: 'slice', elem: { k: 'any' }, go: '[]interface {}' },
    alias: S,
  },
};
export const METADATA_SCHEMA: Schema = {
  k: 'struct',
  name: 'Metadata',
  go: 'v2.Metadata',
  fields: {
    name: S,
    home: S,
    sources: { k: 'slice', elem: S, go: '[]string' },
    version: S,
    description: S,
    keywords: { k: 'slice', elem: S, go: '[]string' },
    maintainers: { k: 'slice', elem: MAINTAINER, go: '[]*v2.Maintainer' },
    icon: S,
    apiVersion: S,
    condition: S,
    tags: S,
    appVersion: S,
    deprecated: B,
    annotations: { k: 'map', elem: S, go: 'map[string]string' },
    kubeVersion: S,
    dependencies: { k: 'slice', elem: DEPENDENCY, go: '[]*v2.Dependency' },
    type: S,
  },
};
export const LOCK_SCHEMA: Schema = {
  k: 'struct',
  name: 'Lock',
  go: 'v2.Lock',
  fields: {
    generated: { k: 'time' },
    digest: S,
    dependencies: { k: 'slice', elem: DEPENDENCY, go: '[]*v2.Dependency' },
  },
};
export const CHART_BASE_SCHEMA: Schema = { k: 'struct', name: 'chartBase', go: 'loader.chartBase', fields: { apiVersion: S } };

/** Go's case folding for JSON field names (bytes.EqualFold-compatible for these ASCII names). */
function fold(s: string): string {
  return s.replace(/\u017f/g, 's').replace(/\u212a/g, 'k').toLowerCase();
}

function findField(fields: Record<string, Schema>, key: string): string | undefined {
  if (Object.hasOwn(fields, key)) return key;
  const f = fold(key);
  for (const name of Object.keys(fields)) if (fold(name) === f) return name;
  return undefined;
}

/** JSON value with Go's key ordering (json.Marshal sorts map keys bytewise). */
type J = null | boolean | string | number | J[] | { entries: [string, J][] };

function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** sigs convertToJSONableObject (target-aware string coercion) + json.Marshal. */
function toJ(v: GoValue, target: Schema | null): J {
  if (v instanceof Map) {
    const m = new Map<string, J>();
    const gm = v as GoMap;
    for (const [k, x] of gm) {
      const key = jsonKey(k, x);
      let t: Schema | null = null;
      if (target?.k === 'struct') {
        const f = findField(target.fields, key);
        t = f ? target.fields[f]! : null;
      } else if (target?.k === 'map') t = target.elem;
      m.set(key, toJ(x, t));
    }
    return { entries: [...m].sort((a, b) => byteCompare(a[0], b[0])) };
  }
  if (Array.isArray(v)) return v.map((x) => toJ(x, target?.k === 'slice' ? target.elem : null));
  if (target?.k === 'string') {
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number') return formatFloat32(v);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
  }
  return toJsonValue(v) as J;
}

function jKind(v: J): string {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return 'object';
  return jsonKind(v);
}

function typeName(s: Schema): string {
  switch (s.k) {
    case 'string':
      return 'string';
    case 'bool':
      return 'bool';
    case 'any':
      return 'interface {}';
    case 'time':
      return 'time.Time';
    default:
      return s.go;
  }
}

class DecodeError extends YamlError {}

interface Ctx {
  struct: string;
  path: string[];
  top: boolean;
}

function typeError(v: J, s: Schema, ctx: Ctx): DecodeError {
  const where = ctx.path.length > 0 ? `Go struct field ${ctx.struct}.${ctx.path.join('.')}` : `Go value`;
  return new DecodeError(`json: cannot unmarshal ${jKind(v)} into ${where} of type ${typeName(s)}`);
}

function jToPlain(v: J): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(jToPlain);
  const o: Record<string, unknown> = {};
  for (const [k, x] of v.entries) setOwn(o, k, jToPlain(x));
  return o;
}

const RFC3339 = /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$/;

/** encoding/json decoding of `v` into a Go value of schema `s`; `cur` is the existing value. */
function decodeInto(v: J, s: Schema, cur: unknown, ctx: Ctx): unknown {
  switch (s.k) {
    case 'string':
      if (v === null) return cur;
      if (typeof v === 'string') return v;
      throw typeError(v, s, ctx);
    case 'bool':
      if (v === null) return cur;
      if (typeof v === 'boolean') return v;
      throw typeError(v, s, ctx);
    case 'any':
      return jToPlain(v);
    case 'time':
      if (v === null) return cur;
      if (typeof v !== 'string') throw new DecodeError('Time.UnmarshalJSON: input is not a JSON string');
      if (!RFC3339.test(v)) {
        throw new DecodeError(
          `parsing time ${JSON.stringify(v)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(v)} as "2006"`,
        );
      }
      return v;
    case 'slice': {
      if (v === null) return undefined;
      if (!Array.isArray(v)) throw typeError(v, s, ctx);
      // encoding/json reuses the elements already in the slice (a pointer element is decoded
      // into the struct it points to), then truncates.
      const old = Array.isArray(cur) ? (cur as unknown[]) : [];
      return v.map((x, i) => decodeInto(x, s.elem, old[i], ctx));
    }
    case 'map': {
      if (v === null) return undefined;
      if (typeof v !== 'object' || Array.isArray(v)) throw typeError(v, s, ctx);
      const out = (cur as Record<string, unknown> | undefined) ?? {};
      for (const [k, x] of v.entries) {
        const d = decodeInto(x, s.elem, undefined, ctx);
        setOwn(out, k, d === undefined && s.elem.k === 'string' ? '' : d);
      }
      return out;
    }
    case 'struct': {
      // null sets a pointer element to nil; into the top-level struct it does nothing.
      if (v === null) return ctx.top ? cur ?? null : null;
      if (typeof v !== 'object' || Array.isArray(v)) throw typeError(v, s, ctx);
      const out = (cur as Record<string, unknown> | undefined | null) ?? {};
      for (const [k, x] of v.entries) {
        const f = findField(s.fields, k);
        if (!f) continue;
        const sub = { struct: s.name, path: [...ctx.path, f], top: false };
        out[f] = decodeInto(x, s.fields[f]!, out[f], sub);
      }
      return out;
    }
  }
}

/**
 * sigs.k8s.io/yaml Unmarshal of `data` into `target` (a Go struct being filled in, possibly
 * already holding values). Errors are worded like helm's ("error converting YAML to JSON: …",
 * "error unmarshaling JSON: while decoding JSON: …") and thrown as YamlError.
 */
export function unmarshalStruct(
  data: Buffer,
  schema: Schema,
  target: Record<string, unknown> | null,
): Record<string, unknown> | null {
  let j: J;
  try {
    j = toJ(parseGoYaml(decodeYamlText(data)), schema);
  } catch (e) {
    if (e instanceof YamlError) throw new YamlError(`error converting YAML to JSON: ${e.message}`);
    throw e;
  }
  try {
    const r = decodeInto(j, schema, target ?? undefined, { struct: schema.k === 'struct' ? schema.name : '', path: [], top: true });
    return (r as Record<string, unknown> | null) ?? null;
  } catch (e) {
    if (e instanceof DecodeError) {
      throw new YamlError(`error unmarshaling JSON: while decoding JSON: ${e.message}`);
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------
// Validation (pkg/chart/v2/metadata.go, dependency.go)

/** Raised by Validate: helm's ValidationError ("validation: " + message). */
export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(message: string) {
    super(`validation: ${message}`);
  }
}


/** helm's sanitizeString: spaces normalised to ' ', non-printable characters removed. */
export function sanitizeString(s: string): string {
  // Fast path: printable ASCII only.
  if (/^[\x20-\x7e]*$/.test(s)) return s;
  let out = '';
  for (const ch of s) {
    if (isSpace(ch.codePointAt(0)!)) out += ' ';
    else if (isGraphicText(ch)) out += ch;
  }
  return out;
}

/** Go's filepath.Base on Linux. */
export function goBase(p: string): string {
  if (p === '') return '.';
  let s = p.replace(/\/+$/, '');
  if (s === '') return '/';
  const i = s.lastIndexOf('/');
  if (i >= 0) s = s.slice(i + 1);
  return s === '' ? '/' : s;
}

type GoStruct = Record<string, unknown>;

const str = (o: GoStruct, k: string): string => (typeof o[k] === 'string' ? (o[k] as string) : '');

function sanitizeField(o: GoStruct, k: string): void {
  if (typeof o[k] === 'string') o[k] = sanitizeString(o[k] as string);
}

function sanitizeList(o: GoStruct, k: string): void {
  const l = o[k];
  if (Array.isArray(l)) o[k] = l.map((x) => (typeof x === 'string' ? sanitizeString(x) : x));
}

/** helm's Metadata.Validate on the decoded struct (sanitises in place, like helm). */
export function validateMetadata(md: GoStruct): void {
  for (const k of ['name', 'description', 'home', 'icon', 'condition', 'tags', 'appVersion', 'kubeVersion']) sanitizeField(md, k);
  sanitizeList(md, 'sources');
  sanitizeList(md, 'keywords');

  const name = str(md, 'name');
  if (str(md, 'apiVersion') === '') throw new ValidationError('chart.metadata.apiVersion is required');
  if (name === '') throw new ValidationError('chart.metadata.name is required');
  if (name === '.' || name === '..') throw new ValidationError(`chart.metadata.name ${goQuote(name)} is not allowed`);
  if (name !== goBase(name)) throw new ValidationError(`chart.metadata.name ${goQuote(name)} is invalid`);
  const version = str(md, 'version');
  if (version === '') throw new ValidationError('chart.metadata.version is required');
  if (!isValidSemver(version)) throw new ValidationError(`chart.metadata.version ${goQuote(version)} is invalid`);
  const type = str(md, 'type');
  if (type !== '' && type !== 'application' && type !== 'library') {
    throw new ValidationError('chart.metadata.type must be application or library');
  }
  const maintainers = md.maintainers;
  if (Array.isArray(maintainers)) {
    for (const m of maintainers) {
      if (m === null || m === undefined) throw new ValidationError('maintainers must not contain empty or null nodes');
      for (const k of ['name', 'email', 'url']) sanitizeField(m as GoStruct, k);
    }
  }
  const seen = new Set<string>();
  const deps = md.dependencies;
  if (Array.isArray(deps)) {
    for (const d of deps) {
      if (d === null || d === undefined) throw new ValidationError('dependencies must not contain empty or null nodes');
      const dep = d as GoStruct;
      for (const k of ['name', 'version', 'repository', 'condition']) sanitizeField(dep, k);
      sanitizeList(dep, 'tags');
      const alias = str(dep, 'alias');
      if (alias !== '' && !/^[a-zA-Z0-9_-]+$/.test(alias)) {
        throw new ValidationError(`dependency ${goQuote(str(dep, 'name'))} has disallowed characters in the alias`);
      }
      const key = alias !== '' ? alias : str(dep, 'name');
      if (seen.has(key)) throw new ValidationError(`more than one dependency with name or alias ${goQuote(key)}`);
      seen.add(key);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Go struct → model

function optStr(o: GoStruct, k: string): string | undefined {
  const v = o[k];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function strList(o: GoStruct, k: string): string[] | undefined {
  const v = o[k];
  return Array.isArray(v) && v.length > 0 ? (v as string[]).map((x) => x ?? '') : undefined;
}

export function toDependency(d: GoStruct): ChartDependency {
  const out: ChartDependency = { name: str(d, 'name') };
  const version = optStr(d, 'version');
  if (version !== undefined) out.version = version;
  const repository = optStr(d, 'repository');
  if (repository !== undefined) out.repository = repository;
  const condition = optStr(d, 'condition');
  if (condition !== undefined) out.condition = condition;
  const tags = strList(d, 'tags');
  if (tags) out.tags = tags;
  const alias = optStr(d, 'alias');
  if (alias !== undefined) out.alias = alias;
  const iv = d['import-values'];
  if (Array.isArray(iv) && iv.length > 0) out['import-values'] = iv;
  return out;
}

/** The validated Go Metadata as the model's ChartMetadata (omitempty, like helm's JSON). */
export function toChartMetadata(md: GoStruct): ChartMetadata {
  const out: ChartMetadata = { apiVersion: str(md, 'apiVersion'), name: str(md, 'name'), version: str(md, 'version') };
  for (const k of ['appVersion', 'description', 'type', 'kubeVersion', 'home', 'icon', 'condition', 'tags'] as const) {
    const v = optStr(md, k);
    if (v !== undefined) out[k] = v;
  }
  if (md.deprecated === true) out.deprecated = true;
  const keywords = strList(md, 'keywords');
  if (keywords) out.keywords = keywords;
  const sources = strList(md, 'sources');
  if (sources) out.sources = sources;
  if (Array.isArray(md.maintainers) && md.maintainers.length > 0) {
    out.maintainers = (md.maintainers as GoStruct[]).map((m) => {
      const r: { name?: string; email?: string; url?: string } = {};
      for (const k of ['name', 'email', 'url'] as const) {
        const v = optStr(m, k);
        if (v !== undefined) r[k] = v;
      }
      return r;
    });
  }
  const ann = md.annotations;
  if (ann && typeof ann === 'object' && Object.keys(ann).length > 0) out.annotations = { ...(ann as Record<string, string>) };
  // nil and empty differ for helm's dependency processing: keep an empty list when one was written.
  if (Array.isArray(md.dependencies)) out.dependencies = (md.dependencies as GoStruct[]).map(toDependency);
  return out;
}

export function toChartLock(l: GoStruct): ChartLock {
  const out: ChartLock = {};
  const g = optStr(l, 'generated');
  if (g !== undefined) out.generated = g;
  const d = optStr(l, 'digest');
  if (d !== undefined) out.digest = d;
  if (Array.isArray(l.dependencies)) {
    out.dependencies = (l.dependencies as (GoStruct | null)[])
      .filter((x): x is GoStruct => x !== null && x !== undefined)
      .map((x) => {
        const r: { name: string; version: string; repository?: string } = { name: str(x, 'name'), version: str(x, 'version') };
        const repo = optStr(x, 'repository');
        if (repo !== undefined) r.repository = repo;
        return r;
      });
  }
  return out;
}
