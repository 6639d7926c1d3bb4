/**
 * The encoding functions as template functions (helm v4.1.4's funcMap entries), with their Go
 * signatures. Errors are thrown: the executor reports `error calling NAME: …` as Go does for
 * the panics of mustToYaml/mustToJson (and the reflect panic of toToml on nil).
 */
import { goFunc, type FuncMap } from '../template/funcs.js';
import { T_MAP_IFACE, T_SLICE_IFACE, withType, type GoValue } from '../template/value.js';
import { fromJson, fromJsonArray, mustToJson, toJson } from './json.js';
import { fromYaml, fromYamlArray, mustToYaml, toYaml } from './yaml.js';
import { toYamlPretty } from './yaml3.js';
import { fromToml, toToml } from './toml.js';

const str = (f: (v: GoValue) => string) => (v: GoValue): string => f(v);

export function encodingFuncs(): FuncMap {
  return {
    toYaml: goFunc('func(interface {}) string', str(toYaml)),
    mustToYaml: goFunc('func(interface {}) string', str(mustToYaml)),
    toYamlPretty: goFunc('func(interface {}) string', str(toYamlPretty)),
    fromYaml: goFunc('func(string) map[string]interface {}', (s: string) => withType(fromYaml(s), T_MAP_IFACE)),
    fromYamlArray: goFunc('func(string) []interface {}', (s: string) => withType(fromYamlArray(s), T_SLICE_IFACE)),
    toJson: goFunc('func(interface {}) string', str(toJson)),
    mustToJson: goFunc('func(interface {}) string', str(mustToJson)),
    fromJson: goFunc('func(string) map[string]interface {}', (s: string) => withType(fromJson(s), T_MAP_IFACE)),
    fromJsonArray: goFunc('func(string) []interface {}', (s: string) => withType(fromJsonArray(s), T_SLICE_IFACE)),
    toToml: goFunc('func(interface {}) string', str(toToml)),
    fromToml: goFunc('func(string) map[string]interface {}', (s: string) => withType(fromToml(s), T_MAP_IFACE)),
  };
}
