/**
 * Sprig (Masterminds/sprig v3.3.0, as linked by helm v4.1.4): every function of
 * `sprig.TxtFuncMap()` that helm exposes (helm deletes `env` and `expandenv`), declared
 * with its Go signature so that the template engine converts arguments, reports errors
 * and prints results exactly like Go.
 *
 * helm then overrides some of them (toJson, mustToJson, fromJson) and adds its own
 * (include, tpl, required, toYaml, ...); that is the helm layer's job. The JSON helpers
 * here (jsonMarshal, jsonUnmarshalInto) are exported for it.
 */
import { sprintf, type FuncMap, type GoValue } from '../template/index.js';
import { cryptoFuncs } from './crypto.js';
import { dateFuncs } from './dates.js';
import { defaultFuncs } from './defaults.js';
import { dictFuncs } from './dicts.js';
import { encodingFuncs } from './encoding.js';
import { listFuncs } from './lists.js';
import { conversionFuncs, mathFuncs } from './math.js';
import { miscFuncs } from './misc.js';
import { regexFuncs } from './regex.js';
import { semverFuncs } from './semver.js';
import { stringFuncs } from './strings.js';
import { urlFuncs } from './urls.js';

let cached: FuncMap | undefined;

/** The sprig function map as helm sees it (a fresh object each call; functions are shared). */
export function sprigFuncs(): FuncMap {
  cached ??= {
    ...stringFuncs(),
    ...listFuncs(),
    ...dictFuncs(),
    ...defaultFuncs(),
    ...mathFuncs(),
    ...conversionFuncs(),
    ...encodingFuncs(),
    ...regexFuncs(),
    ...miscFuncs(),
    ...urlFuncs(),
    ...semverFuncs(),
    ...dateFuncs(),
    ...cryptoFuncs((v: GoValue) => sprintf('%v', [v])),
  };
  return { ...cached };
}

/** Names sprig defines that helm removes. */
export const HELM_REMOVED = ['env', 'expandenv'] as const;

export { jsonMarshal, jsonUnmarshal, jsonUnmarshalInto, jsonDecode, jsonString, jsonMarshalers } from './json.js';
export { timeType, timeValue, timeOf, durationType, parseTime, format as formatTime, parseDuration, durationString } from './dates.js';
export { versionType, versionValue, newVersion, newConstraint, checkConstraints } from './semver.js';
export { certificateType } from './crypto.js';
export { compile as compileRegexp, RegexpError } from './regex.js';
export { toInt64, toFloat64, toInt } from './cast.js';
export { strval, empty, deepEqual } from './util.js';
