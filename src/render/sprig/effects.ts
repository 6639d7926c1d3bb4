/**
 * What template functions do besides returning a value, for include's memo (engine.ts): an
 * `include` of the same named template with the same arguments gives the same text unless
 * something it could read has changed or it drew on chance, so a render keeps what each one
 * gave and reuses it. Bitnami's helpers are included many times with the same arguments
 * (kafka: 553 includes, 203 of them reused): their names, labels and rendered values.
 *
 * What makes a result not reusable, and how it is noticed:
 *  - a write to a map that existed before the include began (set, unset, merge… on values, on
 *    its arguments): the include has an effect outside itself, so it is not kept; a write to a
 *    map created inside it (labels built in a `dict`) is its own business;
 *  - a write to a map a kept result could have read: every kept result is dropped (`epoch`).
 *    That is any map but a new one (below) no function has been handed yet except to write it
 *    or read it (set's, unset's and merge's target; toYaml, hasKey, get…): until then only the
 *    template that made it can reach it, so no kept result can depend on it;
 *  - a random draw (passwords, keys, certificates, UUIDs, shuffles): never kept;
 *  - a read of the clock or time zone (ambient.ts): never kept;
 *  - a read of `.Template` (it names the file being rendered, which changes between files).
 *
 * A map's age is the sequence number at its creation (maps made by `dict`, `pick`, `omit`,
 * `fromYaml`); maps of unknown age (values, nested maps of parsed YAML, anything else) count as
 * old. Module state: renders are
 * synchronous and frames nest, so one stack serves every render.
 */

interface Frame {
  /** The sequence number when the include began. */
  readonly start: number;
  /** Something in it had an effect outside it, or read what varies: its result is not kept. */
  impure: boolean;
}

const createdAt = new WeakMap<object, number>();
/** New maps since handed to a function that may keep them (or to an include). */
const escaped = new WeakSet<object>();
const frames: Frame[] = [];
let seq = 0;

/** Functions that never keep a map handed to them, nor return one that holds it. */
const KEEP_NO_ARGUMENT = new Set([
  'toYaml', 'mustToYaml', 'toYamlPretty', 'toJson', 'mustToJson', 'toPrettyJson', 'mustToPrettyJson', 'toRawJson',
  'mustToRawJson', 'toToml', 'empty', 'typeOf', 'kindOf', 'kindIs', 'typeIs', 'typeIsLike', 'deepEqual', 'len', 'eq', 'ne',
  'index', 'keys', 'hasKey', 'get', 'default', 'ternary', 'coalesce', 'required', 'dig', 'pluck', 'values', 'print',
  'printf', 'println',
]);
/** Functions that write to their first argument (a map) without keeping it elsewhere. */
const WRITE_FIRST_ARGUMENT = new Set(['set', 'unset', 'merge', 'mergeOverwrite', 'mustMerge', 'mustMergeOverwrite']);

export const effects = {
  /** Bumped by every write to a map a kept result could have read: results of another epoch are stale. */
  epoch: 0,
  /** Random draws so far. */
  randomDraws: 0,
};

/** A map a template function just made (`dict`, `pick`…): writes to it stay local to whoever made it. */
export function noteNewMap(m: object): void {
  createdAt.set(m, ++seq);
}

/** A function is called (TemplateSet.onCall): the `dict`s it is handed may be kept from now on. */
export function noteCall(name: string, args: readonly unknown[]): void {
  if (KEEP_NO_ARGUMENT.has(name)) return;
  for (let i = WRITE_FIRST_ARGUMENT.has(name) ? 1 : 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a === 'object' && a !== null && createdAt.has(a)) escaped.add(a);
  }
}

/** A map is written (set, unset, merge…). */
export function noteMapWrite(m: object): void {
  const c = createdAt.get(m);
  const age = c ?? 0;
  // includes begun after the map was made wrote to something outside themselves
  for (let i = frames.length - 1; i >= 0 && frames[i]!.start > age; i--) frames[i]!.impure = true;
  if (c === undefined || escaped.has(m)) effects.epoch++;
}

/** A random draw: nothing that made one may be reused. */
export function noteRandomDraw(): void {
  effects.randomDraws++;
}

/** `.Template` was read: it differs from file to file, so no include open now is reusable. */
export function noteFileDependentRead(): void {
  for (const f of frames) f.impure = true;
}

/** An include begins: its frame, to pass to endInclude. */
export function beginInclude(): Frame {
  const f: Frame = { start: ++seq, impure: false };
  frames.push(f);
  return f;
}

/** The include ends (normally or not); true when its result may be kept. */
export function endInclude(f: Frame, ok: boolean): boolean {
  frames.pop();
  // (a write that made it impure marked every open include it was outside of)
  return ok && !f.impure;
}

/** How many includes are open (nested). */
export function openIncludes(): number {
  return frames.length;
}
