/**
 * helm v4.1.4's template engine (pkg/engine/engine.go, funcs.go) over the Go text/template
 * port in ./template: one template set ("gotpl", missingkey=zero) holding every template
 * of the chart and its enabled subcharts, parsed deepest-first so that a parent's
 * {{define}} wins; every non-partial template executed with its chart's scope
 * (`.Values`, `.Chart`, `.Files`, `.Release`, `.Capabilities`, `.Subcharts`, `.Template`);
 * `<no value>` removed from the output.
 *
 * helm's functions: sprig (without env/expandenv), toYaml & co, include (with helm's
 * 1000-level recursion guard), tpl (a clone of the set, named "gotpl"), required and fail
 * (HELM_ERR_START…HELM_ERR_END markers), lookup (empty map: no cluster), getHostByName ("").
 *
 * Errors are reworded like helm: `parse error at (file:line): …`,
 * `execution error at (file:line:col): <required/fail message>`, or the multi-line trace
 * of reformatExecErrorMsg.
 */
import { posix } from 'node:path';
import {
  ExecError, ExecLimitError, GoError, TemplateParseError, TemplateSet, T_MAP_IFACE, goFunc, isGoMap, quote, typeOf, withType,
  type CallContext, type Node, type Tree, type FuncMap, type GoMap, type GoValue, type ParsedTreeStore,
} from './template/index.js';
import { sprigFuncs, HELM_REMOVED } from './sprig/index.js';
import { deepCopyValue } from './sprig/dicts.js';
import { ambientReads } from './sprig/ambient.js';
import { beginInclude, effects, endInclude, noteCall, noteFileDependentRead, noteNewMap, openIncludes } from './sprig/effects.js';
import {
  toYaml, mustToYaml, toYamlPretty, fromYaml, fromYamlArray, toJson, mustToJson, fromJson, fromJsonArray, toToml, fromToml,
} from './encoding/index.js';
import { filesValue } from './files.js';
import { isWhiteSpaceOnly } from './template/unicode.js';
import { VALUES_TYPE } from './values.js';
import type { RChart, RDep } from './process.js';

export const RECURSION_MAX_NUMS = 1000;
const WARN_START = 'HELM_ERR_START';
const WARN_END = 'HELM_ERR_END';

/** An error that wraps another (Go's `fmt.Errorf("…: %w", err)`), for helm's error-chain walk. */
export class WrapError extends GoError {
  constructor(message: string, readonly inner: unknown) {
    super(message);
  }
}

/** A template failed to parse or execute; `message` is helm's wording. */
export class TemplateRenderError extends Error {
  override name = 'TemplateRenderError';
  constructor(message: string, readonly file: string, override readonly cause?: unknown) {
    super(message);
  }
}

// --- function map

let baseFuncs: FuncMap | undefined;

/**
 * fromYaml's results by text, for the process: charts put the same few texts through it many
 * times (redis: 80 calls, 6 texts, 21 ms of its render; discourse: 118 calls, 8 texts). The
 * parse is pure; Go returns a fresh map every call, so every call gets a deep copy of the kept
 * one (which no template ever sees). Texts up to 64 KB, 256 of them.
 */
const fromYamlKept = new Map<string, GoMap>();

function fromYamlOnce(s: string): GoMap {
  let m = fromYamlKept.get(s);
  if (m === undefined) {
    m = fromYaml(s);
    if (s.length > 64 * 1024 || fromYamlKept.size >= 256) return m;
    fromYamlKept.set(s, m);
  }
  try {
    return deepCopyValue(m) as GoMap;
  } catch {
    return fromYaml(s); // nested past the copy's depth limit: parsed afresh, as Go does
  }
}

function helmBaseFuncs(): FuncMap {
  if (baseFuncs) return baseFuncs;
  const f: FuncMap = sprigFuncs();
  for (const n of HELM_REMOVED) delete f[n];
  Object.assign(f, {
    toToml: goFunc('func(interface {}) string', (v: GoValue) => toToml(v)),
    fromToml: goFunc('func(string) map[string]interface {}', (s: string) => fromToml(s)),
    toYaml: goFunc('func(interface {}) string', (v: GoValue) => toYaml(v)),
    mustToYaml: goFunc('func(interface {}) string', (v: GoValue) => mustToYaml(v)),
    toYamlPretty: goFunc('func(interface {}) string', (v: GoValue) => toYamlPretty(v)),
    fromYaml: goFunc('func(string) map[string]interface {}', (s: string) => {
      const m = fromYamlOnce(s);
      noteNewMap(m); // a fresh map each call (see fromYamlOnce)
      return m;
    }),
    fromYamlArray: goFunc('func(string) []interface {}', (s: string) => fromYamlArray(s)),
    toJson: goFunc('func(interface {}) string', (v: GoValue) => toJson(v)),
    mustToJson: goFunc('func(interface {}) string', (v: GoValue) => mustToJson(v)),
    fromJson: goFunc('func(string) map[string]interface {}', (s: string) => fromJson(s)),
    fromJsonArray: goFunc('func(string) []interface {}', (s: string) => fromJsonArray(s)),
    lookup: goFunc('func(string, string, string, string) (map[string]interface {}, error)', () => ({})),
    getHostByName: goFunc('func(string) string', () => ''),
    required: goFunc('func(string, interface {}) (interface {}, error)', (warn: string, val: GoValue) => {
      if (val === null) throw new GoError(WARN_START + warn + WARN_END);
      if (val === '') throw new GoError(WARN_START + warn + WARN_END);
      return val;
    }),
    fail: goFunc('func(string) (string, error)', (msg: string) => {
      throw new GoError(WARN_START + msg + WARN_END);
    }),
  });
  baseFuncs = f;
  return f;
}

/** The function map of one render: helm's functions with include/tpl bound to its recursion counter. */
export function helmFuncMap(): FuncMap {
  const includedNames = new Map<string, number>();
  // What each include gave, by template and arguments (sprig/effects.ts says when it is reused).
  const kept = new Map<string, { text: string; epoch: number }>();
  const include = goFunc('func(string, interface {}) (string, error)', (ctx: CallContext, name: string, data: GoValue) => {
    const n = includedNames.get(name);
    if (n !== undefined) {
      if (n > RECURSION_MAX_NUMS) {
        throw new WrapError(`rendering template has a nested reference name: ${name}: unable to execute template`, new GoError('unable to execute template'));
      }
    }
    // Reused only in a set whose calls sprig/effects.ts sees (what a dict is handed to decides
    // reuse), and not nested deep: a result reused deep down could skip the nesting that would
    // reach helm's recursion limit.
    const key = ctx.set.onCall === noteCall && openIncludes() < MEMO_MAX_NESTING ? includeKey(ctx, name, data) : null;
    if (key !== null) {
      const hit = kept.get(key);
      if (hit !== undefined && hit.epoch === effects.epoch) return hit.text;
    }
    includedNames.set(name, (n ?? 0) + 1);
    const frame = beginInclude();
    const draws = effects.randomDraws;
    const ambient = ambientReads.count;
    let ok = false;
    try {
      const text = ctx.execute(name, data);
      ok = true;
      if (endInclude(frame, true) && key !== null && effects.randomDraws === draws && ambientReads.count === ambient) {
        kept.set(key, { text, epoch: effects.epoch });
      }
      return text;
    } finally {
      if (!ok) endInclude(frame, false);
      includedNames.set(name, (includedNames.get(name) ?? 1) - 1);
    }
  }, { context: true });
  // The texts tpl parsed in this render: a value that several templates render through tpl
  // (jupyterhub: 11 calls, 2 texts of ~6 KB) is parsed once. Every clone of the render's set
  // parses a text alike (same delimiters and functions), and parsed trees are never changed.
  const tplTrees = new Map<string, Map<string, Tree>>();
  const parseTpl = (t: TemplateSet, text: string): Map<string, Tree> => {
    let trees = tplTrees.get(text);
    if (trees === undefined) tplTrees.set(text, (trees = t.parseOnly('gotpl', text)));
    return trees;
  };
  const tpl = goFunc('func(string, interface {}) (string, error)', (ctx: CallContext, text: string, vals: GoValue) => {
    // Most tpl calls (Bitnami's common.tplvalues.render of labels, resources, security
    // contexts…) get YAML without an action: that parses to one text node, which executes to
    // the text itself. Whitespace-only text is an empty tree, which Go treats apart (below).
    if (!text.includes(ctx.set.leftDelim) && !isWhiteSpaceOnly(text)) return text.replaceAll('<no value>', '');
    const t = ctx.set.clone();
    t.missingKey = 'zero';
    // Go executes the template object Parse returned: when "gotpl" already exists (nested
    // tpl) and the new text is an empty tree, the set keeps the old tree but the new, empty
    // one is what runs.
    if (t.has('gotpl')) {
      let own: Tree | undefined;
      try {
        own = parseTpl(t, text).get('gotpl');
      } catch {
        own = undefined;
      }
      if (own && emptyTreeText(own.root) !== null) {
        t.addTrees(parseTpl(t, text));
        return emptyTreeText(own.root)!.replaceAll('<no value>', '');
      }
    }
    try {
      t.addTrees(parseTpl(t, text));
    } catch (e) {
      if (e instanceof TemplateParseError) throw new WrapError(`cannot parse template ${quote(text)}: ${e.message}`, e);
      throw e;
    }
    let out: string;
    try {
      out = ctx.executeIn(t, 'gotpl', vals);
    } catch (e) {
      if (e instanceof ExecLimitError) throw e;
      if (e instanceof ExecError) throw new WrapError(`error during tpl function execution for ${quote(text)}: ${e.message}`, e);
      throw e;
    }
    return out.replaceAll('<no value>', '');
  }, { context: true });
  return { ...helmBaseFuncs(), include, tpl };
}


/** Includes nested deeper than this are never reused (see include). */
const MEMO_MAX_NESTING = 100;

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;

function idOf(o: object): number {
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = ++nextObjectId));
  return id;
}

/** Maps whose `Template` is the file being rendered (an accessor over a box): left out of include keys. */
const templateBoxes = new WeakMap<object, { template: GoValue }>();

/**
 * Keys hold string arguments whole: an include given a longer one (a rendered document, a file's
 * text) runs every time rather than keep a copy of it as long as the render (envoy-gateway:
 * 40 MB of keys for 6 KB of results).
 */
const MAX_KEY_LENGTH = 2048;

/** A scalar, or an object by identity (its contents are covered by effects.epoch). */
function keyPart(v: unknown): string {
  switch (typeof v) {
    case 'string': return `s${v.length}:${v}`;
    case 'bigint': return `i${v}`;
    case 'number': return Object.is(v, -0) ? 'f-0' : `f${v}`;
    case 'boolean': return v ? 'T' : 'F';
    case 'undefined': return 'u';
    case 'object': return v === null ? 'n' : `#${idOf(v)}`;
    default: return `#${idOf(v as object)}`;
  }
}

/**
 * The include's key: the tree the name resolves to here (a tpl may define its own) and the
 * argument, a map by its entries (a `dict` made for the call is new each time), anything else
 * by identity or value. null when the name resolves to nothing (the call fails) or the key
 * would be long.
 */
function includeKey(ctx: CallContext, name: string, data: GoValue): string | null {
  const tree = ctx.set.lookup(name);
  if (tree === undefined) return null;
  let key = `${idOf(tree)}|`;
  if (data !== null && typeof data === 'object' && isGoMap(data)) {
    const skipTemplate = templateBoxes.has(data);
    key += `m${typeOf(data) === T_MAP_IFACE ? '' : idOf(typeOf(data))}{`;
    for (const k of Object.keys(data)) {
      if (skipTemplate && k === 'Template') continue;
      key += `${k.length}:${k}=${keyPart((data as GoMap)[k])};`;
      if (key.length > MAX_KEY_LENGTH) return null;
    }
    return `${key}}`;
  }
  key += keyPart(data);
  return key.length > MAX_KEY_LENGTH ? null : key;
}

/**
 * Sets `vals.Template` for the file about to render, as an accessor that tells sprig/effects.ts
 * when it is read (includes whose result read it are not reused in other files).
 */
function setTemplateOf(vals: GoMap, template: GoValue): void {
  let box = templateBoxes.get(vals);
  if (box === undefined) {
    const b = (box = { template });
    templateBoxes.set(vals, b);
    Object.defineProperty(vals, 'Template', {
      get: () => {
        noteFileDependentRead();
        return b.template;
      },
      enumerable: true,
      configurable: true,
    });
  }
  box.template = template;
}

/** The output of a tree that Go's parse.IsEmptyTree calls empty (whitespace text, comments), or null. */
function emptyTreeText(n: Node | null): string | null {
  if (n === null) return '';
  switch (n.type) {
    case 'comment': return '';
    case 'text': return isWhiteSpaceOnly(n.text) ? n.text : null;
    case 'list': {
      let out = '';
      for (const c of n.nodes) {
        const s = emptyTreeText(c);
        if (s === null) return null;
        out += s;
      }
      return out;
    }
    default: return null;
  }
}

// --- error rewriting (engine.go)

/** helm's cleanupParseError. */
export function cleanupParseError(filename: string, message: string): string {
  const tokens = message.split(': ');
  if (tokens.length === 1) return `parse error in (${filename}): ${message}`;
  return `parse error at (${tokens[1]}): ${tokens[tokens.length - 1]}`;
}

interface Traceable { location: string; message: string; executedFunction: string }

function parseTemplateExecErrorString(s: string): Traceable | null {
  const prefix = 'template: ';
  if (!s.startsWith(prefix)) return null;
  const rem = s.slice(prefix.length);
  if (rem.startsWith('no template ')) return { location: '', message: s, executedFunction: '' };
  const idx = rem.indexOf(': executing ');
  if (idx !== -1) {
    const templateName = rem.slice(0, idx);
    const after = rem.slice(idx + ': executing '.length);
    if (after.length === 0 || after[0] !== '"') return null;
    const endQuote0 = after.indexOf('"', 1);
    if (endQuote0 === -1) return null;
    const functionName = after.slice(1, endQuote0);
    const afterFunc = after.slice(endQuote0 + 1);
    if (!afterFunc.startsWith(' at <')) return null;
    const afterAt = afterFunc.slice(' at <'.length);
    const endLoc = afterAt.indexOf('>: ');
    if (endLoc === -1) return null;
    const locationName = afterAt.slice(0, endLoc);
    let errMsg = afterAt.slice(endLoc + 3);
    const cut = errMsg.indexOf(' template:');
    if (cut !== -1) errMsg = errMsg.slice(0, cut);
    return { location: templateName, message: errMsg, executedFunction: `executing "${functionName}" at <${locationName}>:` };
  }
  const sep = rem.lastIndexOf(': ');
  if (sep !== -1) {
    let errMsg = rem.slice(sep + 2);
    const cut = errMsg.indexOf(' template:');
    if (cut !== -1) errMsg = errMsg.slice(0, cut);
    return { location: rem.slice(0, sep), message: errMsg, executedFunction: '' };
  }
  return null;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The messages of Go's errors.Unwrap chain for an error thrown by the engine. */
function errorChain(e: unknown, out: string[] = []): string[] {
  if (e instanceof ExecError) {
    out.push(e.message);
    if (e.location === undefined && e.message.startsWith('template: no template ')) return out;
    out.push(e.message);
    if (e.cause !== undefined) errorChain(e.cause, out);
    return out;
  }
  if (e instanceof WrapError) {
    out.push(e.message);
    return errorChain(e.inner, out);
  }
  out.push(errorText(e));
  return out;
}

/** helm's reformatExecErrorMsg. */
export function reformatExecErrorMsg(filename: string, err: unknown): string {
  const msg = errorText(err);
  if (!(err instanceof ExecError)) return msg;
  const tokens = splitN(msg, ': ', 3);
  if (tokens.length !== 3) return `execution error in (${filename}): ${msg}`;
  const location = tokens[1]!;
  const m = /HELM_ERR_START([\s\S]*)HELM_ERR_END/.exec(tokens[2]!);
  if (m) return `execution error at (${location}): ${m[1]}`;
  const locations: Traceable[] = [];
  for (const s of errorChain(err)) {
    const tr = parseTemplateExecErrorString(s);
    if (!tr) return msg;
    const last = locations[locations.length - 1];
    if (!last || last.location !== tr.location || last.message !== tr.message || last.executedFunction !== tr.executedFunction) locations.push(tr);
  }
  let out = '';
  for (const l of locations) {
    if (l.location !== '') out += `${l.location}\n  `;
    if (l.executedFunction !== '') out += `${l.executedFunction}\n    `;
    if (l.message !== '') out += `${l.message}\n`;
  }
  return out.trim();
}

function splitN(s: string, sep: string, n: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

// --- scopes (recAllTpls)

interface Renderable {
  tpl: string;
  vals: GoMap;
  basePath: string;
}

function setOwn(m: GoMap, k: string, v: GoValue): void {
  Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function strList(xs: readonly string[] | undefined): GoValue[] {
  return [...(xs ?? [])];
}

function dependencyMap(d: RDep): GoMap {
  return {
    Name: d.name,
    Version: d.version,
    Repository: d.repository,
    Condition: d.condition,
    Tags: strList(d.tags),
    Enabled: d.enabled,
    ImportValues: (d.importValues ?? []).map((iv) => {
      if (iv !== null && typeof iv === 'object' && !Array.isArray(iv)) {
        const m = iv as Record<string, unknown>;
        if (typeof m.child === 'string' && typeof m.parent === 'string' && Object.keys(m).length === 2) {
          return withType({ child: m.child, parent: m.parent }, 'map[string]string');
        }
      }
      return toGo(iv);
    }),
    Alias: d.alias,
  };
}

function toGo(x: unknown): GoValue {
  if (x === null || x === undefined) return null;
  if (typeof x === 'bigint' || typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean') return x;
  if (Array.isArray(x)) return x.map(toGo);
  const out: GoMap = {};
  for (const k of Object.keys(x as object)) setOwn(out, k, toGo((x as Record<string, unknown>)[k]));
  return out;
}

/** helm's MetadataAsMap (Go field names, zero values for absent fields) plus IsRoot. */
export function metadataMap(c: RChart): GoMap {
  const md = c.chart.metadata;
  const annotations: GoMap = {};
  for (const [k, v] of Object.entries(md.annotations ?? {})) setOwn(annotations, k, String(v));
  return {
    Name: c.meta.name,
    Home: md.home ?? '',
    Sources: strList(md.sources),
    Version: md.version ?? '',
    Description: md.description ?? '',
    Keywords: strList(md.keywords),
    Maintainers: (md.maintainers ?? []).map((m) => ({ Name: m?.name ?? '', Email: m?.email ?? '', URL: m?.url ?? '' })),
    Icon: md.icon ?? '',
    APIVersion: md.apiVersion ?? '',
    Condition: md.condition ?? '',
    Tags: md.tags ?? '',
    AppVersion: md.appVersion ?? '',
    Deprecated: md.deprecated ?? false,
    Annotations: withType(annotations, 'map[string]string'),
    KubeVersion: md.kubeVersion ?? '',
    Dependencies: (c.meta.deps ?? []).map(dependencyMap),
    Type: md.type ?? '',
    IsRoot: c.isRoot,
  };
}

/** helm's Values.Table on a scope map: the table at a dotted path, or undefined. */
function scopeTable(v: GoMap, name: string): GoMap | undefined {
  let table: GoMap = v;
  for (const n of name.split('.')) {
    if (!Object.prototype.hasOwnProperty.call(table, n)) return undefined;
    const v2 = table[n];
    if (!isGoMap(v2)) return undefined;
    const t = typeOf(v2);
    if (t !== VALUES_TYPE && t !== T_MAP_IFACE) return undefined;
    table = v2 as GoMap;
  }
  return table;
}

function recAllTpls(c: RChart, templates: Map<string, Renderable>, values: GoMap): GoMap {
  const subCharts: GoMap = {};
  const next: GoMap = {
    Chart: metadataMap(c),
    Files: filesValue(c.chart.files),
    Release: values.Release ?? null,
    Capabilities: values.Capabilities ?? null,
    Values: withType({}, VALUES_TYPE),
    Subcharts: subCharts,
  };
  if (c.isRoot) {
    next.Values = values.Values ?? null;
  } else {
    const vs = scopeTable(values, `Values.${c.name}`);
    if (vs) next.Values = withType(vs, VALUES_TYPE);
  }
  for (const child of c.deps) setOwn(subCharts, child.name, recAllTpls(child, templates, next));
  const parentID = c.fullPath();
  const library = c.isLibrary();
  for (const t of c.chart.templates) {
    if (library && !posix.basename(t.name).startsWith('_')) continue;
    templates.set(posix.join(parentID, t.name), {
      tpl: t.data.toString('utf8'),
      vals: next,
      basePath: posix.join(parentID, 'templates'),
    });
  }
  return next;
}

/** helm's sortTemplates: deepest paths first; equal depth in reverse lexical order. */
export function sortTemplates(keys: Iterable<string>): string[] {
  const depth = (s: string): number => s.split('/').length - 1;
  return [...keys].sort((a, b) => {
    const da = depth(a);
    const db = depth(b);
    if (da !== db) return db - da;
    return a < b ? 1 : a > b ? -1 : 0;
  });
}

export interface EngineRenderOptions {
  /** Execution limits passed to the template engine. */
  maxSteps?: number;
  /** Where a chart file's template text parsed before is read back from. */
  parsedTrees?: ParsedTreeStore;
}

/**
 * helm's Engine.Render: renders every template of the processed tree with `top` (the
 * render values: Chart, Capabilities, Release, Values). Returns file name → output, in
 * helm's execution order. Throws TemplateRenderError with helm's message.
 */
export function renderTemplates(root: RChart, top: GoMap, opts: EngineRenderOptions = {}): Map<string, string> {
  const tpls = new Map<string, Renderable>();
  recAllTpls(root, tpls, top);
  const set = new TemplateSet({ funcs: helmFuncMap(), missingKey: 'zero', name: 'gotpl' });
  set.onCall = noteCall;
  const keys = sortTemplates(tpls.keys());
  // Each subchart bundles its own copy of Bitnami's common library (three in wordpress): a
  // text that a later file repeats is parsed once, as the later copy.
  const lastWithText = new Map<string, string>();
  for (const filename of keys) lastWithText.set(tpls.get(filename)!.tpl, filename);
  for (const filename of keys) {
    const text = tpls.get(filename)!.tpl;
    if (lastWithText.get(text) !== filename) {
      set.parseRepeatedLater(filename, text);
      continue;
    }
    try {
      set.parse(filename, text, opts.parsedTrees);
    } catch (e) {
      if (e instanceof TemplateParseError) {
        // helm parses in order: an earlier copy of a text that does not parse fails first.
        const first = set.deferredParseError() ?? e;
        throw new TemplateRenderError(cleanupParseError(first.parseName, first.message), first.parseName, first);
      }
      throw e;
    }
  }
  const rendered = new Map<string, string>();
  for (const filename of keys) {
    if (posix.basename(filename).startsWith('_')) continue;
    const r = tpls.get(filename)!;
    setTemplateOf(r.vals, withType({ Name: filename, BasePath: r.basePath }, VALUES_TYPE));
    let out: string;
    try {
      out = set.execute(filename, r.vals, opts.maxSteps ? { limits: { maxSteps: opts.maxSteps } } : {});
    } catch (e) {
      if (e instanceof ExecError) throw new TemplateRenderError(reformatExecErrorMsg(filename, e), filename, e);
      if (e instanceof RangeError) throw new TemplateRenderError(`rendering template failed: ${e.message}`, filename, e);
      throw e;
    }
    rendered.set(filename, out.replaceAll('<no value>', ''));
  }
  return rendered;
}
