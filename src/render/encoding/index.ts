/**
 * helm's serialisation template functions (pkg/engine/funcs.go, helm v4.1.4), byte-exact:
 * toYaml, mustToYaml, toYamlPretty, fromYaml, fromYamlArray, toJson, mustToJson, fromJson,
 * fromJsonArray, toToml, fromToml. Values are in the template value model (value.ts).
 */
export { EncodingError, toJson, mustToJson, fromJson, fromJsonArray, jsonMarshal, toJsonTree, stringifyJson, registerJsonFields } from './json.js';
export type { JsonFieldSpec, JsonNode } from './json.js';
export { toYaml, mustToYaml, fromYaml, fromYamlArray, yamlMarshal } from './yaml.js';
export { toYamlPretty } from './yaml3.js';
export { toToml, mustToToml, fromToml } from './toml.js';
export { encodingFuncs } from './funcs.js';
export { TIME_TYPE, makeTime, isGoTime, timeString, timeRFC3339 } from './time.js';
export type { TimeInfo, TimeKind } from './time.js';
