/**
 * helm's `toYamlPretty`: go.yaml.in/yaml/v3 (v3.0.4, via sigs.k8s.io/yaml/goyaml.v3)
 * `NewEncoder(&buf)` + `SetIndent(2)` + `Encode(v)`, one trailing newline trimmed.
 *
 * Unlike toYaml there is no JSON step: Go types show (float64 1000000 is `1e+06`, int is
 * `1000000`), sequences are indented under their key, no line folding (v3's default width
 * is unlimited), strings are quoted by v3's rules (YAML 1.1 bools such as `yes` still quoted).
 */
import {
  GoComplex, GoScalar, GoStruct, fieldsOf, isGoFunc, isGoMap, typeOf, type GoMap, type GoValue,
} from '../template/value.js';
import { formatFloat } from '../template/strconv.js';
import { EncodingError } from './json.js';
import { emitYaml, type YNode } from './emitter.js';
import { isBase60Float, isOldBool, resolveV3, sortYamlKeys } from './resolve.js';
import { timeRFC3339, isGoTime } from './time.js';

function stringNode(s: string): YNode {
  const canUsePlain = resolveV3(s) === 'str' && !(isBase60Float(s) || isOldBool(s));
  const style = s.includes('\n') ? 'literal' : canUsePlain ? 'plain' : 'double';
  return { t: 'scalar', value: s, style };
}

const plain = (value: string): YNode => ({ t: 'scalar', value, style: 'plain' });

function floatText(f: number, bits: 32 | 64): string {
  const s = formatFloat(f, 'g', -1, bits);
  return s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
}

function node(v: GoValue, depth: number): YNode {
  if (depth > 10000) throw new EncodingError('yaml: exceeded max depth');
  if (v === null) return plain('null');
  switch (typeof v) {
    case 'boolean': return plain(v ? 'true' : 'false');
    case 'string': return stringNode(v);
    case 'bigint': return plain(v.toString());
    case 'number': return plain(floatText(v, 64));
  }
  if (v instanceof GoScalar) {
    const x = v.v;
    if (typeof x === 'string') return stringNode(x);
    if (typeof x === 'boolean') return plain(x ? 'true' : 'false');
    if (typeof x === 'bigint') return plain(x.toString());
    return plain(floatText(x, v.type.kind === 'float32' ? 32 : 64));
  }
  if (Array.isArray(v)) return { t: 'seq', items: v.map((x) => node(x, depth + 1)) };
  if (v instanceof Uint8Array) return { t: 'seq', items: Array.from(v, (b) => plain(String(b))) };
  if (v instanceof GoStruct) {
    if (v.pointer && v.nil) return plain('null');
    if (isGoTime(v)) return plain(timeRFC3339(v as GoStruct));
    // Without yaml tags v3 uses the lower-cased field name.
    const pairs: Array<readonly [YNode, YNode]> = [];
    for (const [name] of fieldsOf(v.structType)) {
      if (!/^\p{Lu}/u.test(name)) continue;
      pairs.push([stringNode(name.toLowerCase()), node(v.fields[name] ?? null, depth + 1)]);
    }
    return { t: 'map', pairs };
  }
  if (isGoMap(v)) {
    const m = v as GoMap;
    const keys = sortYamlKeys(Object.keys(m), true);
    return { t: 'map', pairs: keys.map((k) => [stringNode(k), node(m[k] as GoValue, depth + 1)] as const) };
  }
  if (v instanceof GoComplex || isGoFunc(v)) throw new EncodingError(`cannot marshal type: ${typeOf(v).name}`);
  throw new EncodingError(`cannot marshal type: ${typeOf(v).name}`);
}

/** yaml.v3 Encoder with SetIndent(2): the document with its final newline. */
export function yamlV3Marshal(v: GoValue): string {
  return emitYaml(node(v, 0), { v3: true, indent: 2, width: -1 });
}

/** helm's `toYamlPretty`. Unsupported types throw (Go panics past the encoder). */
export function toYamlPretty(v: GoValue): string {
  const s = yamlV3Marshal(v);
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}
