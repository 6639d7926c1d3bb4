/**
 * helm's YAML template functions:
 *
 *  - `toYaml` / `mustToYaml`: sigs.k8s.io/yaml v1.6 `Marshal` = encoding/json Marshal, then
 *    `JSONToYAML`: go-yaml v2 (go.yaml.in/yaml/v2 v2.4.3) Unmarshal of that JSON into
 *    interface{} (so numbers become int / uint64 / float64 by go-yaml's resolver and maps
 *    are re-sorted by go-yaml's key order), then go-yaml v2 Marshal; helm trims one
 *    trailing newline.
 *  - `fromYaml` / `fromYamlArray`: sigs.k8s.io/yaml Unmarshal (YAML → JSON → encoding/json).
 */
import {
  decodeYamlText, parseGoYaml, toJsonValue, jsonKind, unmarshalToMap, YamlError,
} from '../../chart/yaml.js';
import { fromJS, type GoMap, type GoValue } from '../template/value.js';
import { formatFloat, parseFloat64, parseInt0, parseUint0 } from '../template/strconv.js';
import { EncodingError, JsonNumber, jsonQuote, toJsonTree, type JsonNode } from './json.js';
import { emitYaml, type YNode } from './emitter.js';
import { isBase60Float, resolveV2, sortYamlKeys } from './resolve.js';
import { plainBlockYaml } from './yaml-plain.js';

/** go-yaml v2's encoder for a string (encode.go stringv): the style it asks the emitter for. */
function stringNodeV2(s: string): YNode {
  const canUsePlain = resolveV2(s) === 'str' && !isBase60Float(s);
  const style = s.includes('\n') ? 'literal' : canUsePlain ? 'plain' : 'double';
  return { t: 'scalar', value: s, style };
}

/**
 * libyaml's reader check on the JSON text: characters YAML input may not contain. C0
 * controls are escaped by json.Marshal; DEL, C1 controls but NEL, U+FFFE/U+FFFF are not.
 */
function checkYamlInputChars(s: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x7e) continue;
    if (c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd)) continue;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { i++; continue; }
    }
    if (c >= 0xd800 && c <= 0xdfff) continue; // written by json.Marshal as \ufffd
    throw new EncodingError('yaml: control characters are not allowed');
  }
}

/**
 * How libyaml's scanner reads a JSON string as a double-quoted YAML scalar: escapes are
 * undone by the JSON step already; a raw NEL (json.Marshal leaves U+0085 alone) is a line
 * break, so it folds: blanks around it are dropped, a single break becomes a space.
 */
function foldDoubleQuoted(s: string): string {
  if (!s.includes('\u0085')) return s;
  let out = '';
  let i = 0;
  const n = s.length;
  while (i < n) {
    // Non-blank characters (a tab is the escape \t in the JSON text: not a blank for the scanner).
    const start = i;
    while (i < n && s[i] !== ' ' && s[i] !== '\u0085') i++;
    out += s.slice(start, i);
    if (i >= n) break;
    // Blanks and breaks.
    let whitespaces = '';
    let leadingBlanks = false;
    let trailingBreaks = '';
    while (i < n && (s[i] === ' ' || s[i] === '\u0085')) {
      if (s[i] === ' ') {
        if (!leadingBlanks) whitespaces += ' ';
      } else if (!leadingBlanks) {
        whitespaces = '';
        leadingBlanks = true;
      } else {
        trailingBreaks += '\n';
      }
      i++;
    }
    if (leadingBlanks) out += trailingBreaks.length === 0 ? ' ' : trailingBreaks;
    else out += whitespaces;
  }
  return out;
}

/** The JSON text of a key as the YAML scanner sees it: its length in characters (for the 1024 limit). */
function jsonKeyChars(k: string): number {
  let n = 0;
  for (const _ of jsonQuote(k)) n++;
  return n;
}

/** go-yaml v2 resolve of a JSON number, then its encoder: the plain scalar text. */
function numberText(text: string): string {
  const i = parseInt0(text);
  if (i !== null) return i.toString();
  const u = parseUint0(text);
  if (u !== null) return u.toString();
  const f = parseFloat64(text);
  if (f === null) throw new EncodingError(`yaml: cannot decode number ${text}`);
  const s = formatFloat(f, 'g', -1, 64);
  return s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
}

/** JSONToYAML: the JSON tree read back by go-yaml v2 and re-encoded as a YAML node tree. */
function jsonToYamlNode(n: JsonNode): YNode {
  if (n === null) return { t: 'scalar', value: 'null', style: 'plain' };
  if (typeof n === 'boolean') return { t: 'scalar', value: n ? 'true' : 'false', style: 'plain' };
  if (typeof n === 'string') {
    checkYamlInputChars(n);
    return stringNodeV2(foldDoubleQuoted(n));
  }
  if (n instanceof JsonNumber) return { t: 'scalar', value: numberText(n.text), style: 'plain' };
  if (Array.isArray(n)) return { t: 'seq', items: n.map(jsonToYamlNode) };
  // go-yaml decodes into map[interface{}]interface{} (last duplicate wins) and re-sorts keys.
  const m = new Map<string, JsonNode>();
  for (const [k, v] of n.entries) {
    checkYamlInputChars(k);
    // A key is a "simple key": the ':' must follow within 1024 characters on the same line
    // (a raw NEL is a line break to the scanner).
    // (a JSON-quoted character is at most 6 characters: keys up to 170 cannot reach the limit)
    if (k.includes('\u0085') || (k.length > 170 && jsonKeyChars(k) > 1024)) throw new EncodingError("yaml: did not find expected ',' or '}'");
    m.set(foldDoubleQuoted(k), v);
  }
  const keys = sortYamlKeys([...m.keys()], false);
  return { t: 'map', pairs: keys.map((k) => [stringNodeV2(k), jsonToYamlNode(m.get(k)!)] as const) };
}

/** sigs.k8s.io/yaml's JSONToYAML for a JSON tree (go-yaml v2 Marshal output, with its final newline). */
export function jsonTreeToYaml(n: JsonNode): string {
  return emitYaml(jsonToYamlNode(n));
}

/** sigs.k8s.io/yaml.Marshal(v). Throws EncodingError with sigs' wording. */
export function yamlMarshal(v: GoValue): string {
  const plain = plainBlockYaml(v);
  if (plain !== null) return plain;
  let tree: JsonNode;
  try {
    tree = toJsonTree(v);
  } catch (e) {
    if (e instanceof EncodingError) throw new EncodingError(`error marshaling into JSON: ${e.message}`);
    throw e;
  }
  return jsonTreeToYaml(tree);
}

/** helm's `toYaml`: "" on error, one trailing newline removed. */
export function toYaml(v: GoValue): string {
  try {
    return trimNewline(yamlMarshal(v));
  } catch (e) {
    if (e instanceof EncodingError) return '';
    throw e;
  }
}

/** helm's `mustToYaml`: throws the marshal error (the template adds `error calling mustToYaml: `). */
export function mustToYaml(v: GoValue): string {
  return trimNewline(yamlMarshal(v));
}

function trimNewline(s: string): string {
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}

/** libyaml's reader on the string's bytes (BOM, printable characters); wrapped like sigs does. */
function readerText(str: string): string {
  try {
    return decodeYamlText(Buffer.from(str, 'utf8'));
  } catch (e) {
    if (e instanceof YamlError) throw new YamlError(`error converting YAML to JSON: ${e.message}`);
    throw e;
  }
}

/**
 * helm's `fromYaml`: the document's top-level map; on error the map gets an `Error` key
 * with sigs.k8s.io/yaml's message. Numbers are float64, as after sigs' JSON step.
 */
export function fromYaml(str: string): GoMap {
  try {
    const m = unmarshalToMap(readerText(str));
    return m === null ? {} : (fromJS(m) as GoMap);
  } catch (e) {
    if (e instanceof YamlError) return { Error: e.message };
    throw e;
  }
}

/** helm's `fromYamlArray`: the top-level list; on error a one-element list holding the message. */
export function fromYamlArray(str: string): GoValue[] {
  let json: unknown;
  try {
    json = toJsonValue(parseGoYaml(readerText(str)));
  } catch (e) {
    if (e instanceof YamlError) return [e.message.startsWith('error converting') ? e.message : `error converting YAML to JSON: ${e.message}`];
    throw e;
  }
  if (json === null) return [];
  if (!Array.isArray(json)) {
    return [`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(json)} into Go value of type []interface {}`];
  }
  return fromJS(json) as GoValue[];
}
