/**
 * Values-key attribution: which key of the chart's values controls the field a posture finding
 * is about (`primary.containerSecurityContext.runAsNonRoot`, `image.digest`, `networkPolicy.enabled`).
 *
 * Method, pure over a render function handed in (no I/O here):
 * 1. Candidates, without rendering: keys of the merged default values (each chart's values.yaml
 *    under its alias path, the parent's overrides and the user's values on top) whose name fits
 *    the finding's check (a `*SecurityContext` map for runAsNonRoot, a `resources` map for limits,
 *    `image.digest` for an unpinned image …), each with the value that should fix the finding.
 *    Kept only when the key's map is referenced as `.Values.<key>` by a template of the chart
 *    that rendered the resource (the resource's own template first), best first.
 * 2. Verification, by rendering: a batch render with one untried candidate per finding; each
 *    candidate whose finding changed is then rendered alone, and kept only if, alone, it makes
 *    the finding go away (`resolves`) or changes one of its fields (`changes`) in that same
 *    resource. A candidate is never accepted from a batch: batches only rule candidates out.
 * Renders are bounded (`maxRenders`, default 50 a chart); findings left over stay unknown.
 */
import type { RenderedResource } from '../model/stages.js';

/** A chart instance's values and templates, with the key path that reaches it from the top chart's values. */
export interface ChartValuesSource {
  /** The chart instance path (`wordpress/charts/mariadb`), as findings name it. */
  path: string;
  /** Its key prefix in the top chart's values (`['mariadb']`; `[]` for the top chart). */
  prefix: string[];
  values: Record<string, unknown>;
  templates: readonly { name: string; text: string }[];
}

/** What attribution reads of a finding. */
export interface FindingRef {
  check: string;
  chart: string;
  template: string;
  resource: { kind: string; name: string };
  container: string | null;
  fields: readonly string[];
}

export interface Judged {
  resources: readonly RenderedResource[];
  findings: readonly FindingRef[];
}

export interface ValuesKeyInput {
  findings: readonly FindingRef[];
  /** The resources of the render the findings come from. */
  base: readonly RenderedResource[];
  charts: readonly ChartValuesSource[];
  userValues: Record<string, unknown>;
  /** Renders the chart with these user values and judges it; throws when the chart does not render. */
  renderAndJudge(values: Record<string, unknown>): Judged;
  maxRenders?: number;
  /** Candidates tried per finding (default 6). */
  maxCandidates?: number;
}

export interface Candidate {
  /** The full key from the top chart's values, dot-joined. */
  key: string;
  path: string[];
  value: unknown;
  score: number;
}

export interface ValuesKeyAttribution {
  key: string;
  /** The value that was set to see the effect: the suggested fix. */
  value: unknown;
  effect: 'resolves' | 'changes';
}

export interface ValuesKeyResult {
  /** One per finding, in order; null when not known. */
  attributions: (ValuesKeyAttribution | null)[];
  renders: number;
  failedRenders: number;
  /** Distinct candidate keys over all findings. */
  candidates: number;
  /** Findings left without a verdict because the render budget ran out. */
  unfinished: number;
}

export const DEFAULT_MAX_RENDERS = 50;

// ---------------------------------------------------------------------------------------
// Candidate rules per check

interface Rule {
  /** The key's last segment. */
  key: RegExp;
  /** The segment before it, when it matters (`image` for `tag`). */
  parent?: RegExp;
  /** Path under the key to set (the key must then be a map); empty: set the key itself. */
  sub: string[];
  value: unknown;
}

const SC = /securitycontext$/i;
const DIGEST = `sha256:${'0'.repeat(64)}`;

const resourceRules = (kind: 'limits' | 'requests', res: 'cpu' | 'memory', value: string): Rule[] => [
  { key: /^resources$/i, sub: [kind, res], value },
  { key: /^resourcesPreset$/i, sub: [], value: 'small' },
];

/** Candidate rules by check id (`pss.<level>.` taken off PSS ids). */
const RULES: Record<string, Rule[]> = {
  privileged: [{ key: SC, sub: ['privileged'], value: false }, { key: /^privileged$/, sub: [], value: false }],
  allowPrivilegeEscalation: [{ key: SC, sub: ['allowPrivilegeEscalation'], value: false }, { key: /^allowPrivilegeEscalation$/, sub: [], value: false }],
  runAsNonRoot: [{ key: SC, sub: ['runAsNonRoot'], value: true }, { key: /^runAsNonRoot$/, sub: [], value: true }],
  runAsUser: [{ key: SC, sub: ['runAsUser'], value: 1001 }],
  seccompProfile_baseline: [{ key: SC, sub: ['seccompProfile', 'type'], value: 'RuntimeDefault' }],
  seccompProfile_restricted: [{ key: SC, sub: ['seccompProfile', 'type'], value: 'RuntimeDefault' }],
  capabilities_restricted: [{ key: SC, sub: ['capabilities', 'drop'], value: ['ALL'] }, { key: SC, sub: ['capabilities', 'add'], value: [] }],
  capabilities_baseline: [{ key: SC, sub: ['capabilities', 'add'], value: [] }],
  hostNamespaces: [{ key: /^host(Network|PID|IPC)$/i, sub: [], value: false }],
  'container.writable-root-fs': [{ key: SC, sub: ['readOnlyRootFilesystem'], value: true }, { key: /^readOnlyRootFilesystem$/, sub: [], value: true }],
  'resources.cpu-limits': resourceRules('limits', 'cpu', '500m'),
  'resources.memory-limits': resourceRules('limits', 'memory', '512Mi'),
  'resources.cpu-requests': resourceRules('requests', 'cpu', '100m'),
  'resources.memory-requests': resourceRules('requests', 'memory', '128Mi'),
  'probes.liveness': [{ key: /^livenessProbe$/i, sub: ['enabled'], value: true }],
  'probes.readiness': [{ key: /^readinessProbe$/i, sub: ['enabled'], value: true }],
  'image.tag-latest': [{ key: /^tag$/i, parent: /image/i, sub: [], value: '1.0.0' }],
  'image.no-digest': [{ key: /^(digest|sha)$/i, parent: /image/i, sub: [], value: DIGEST }],
  'image.pull-policy': [{ key: /^(pullPolicy|imagePullPolicy)$/i, sub: [], value: 'Always' }],
  'serviceaccount.automount-token': [{ key: /^automountServiceAccountToken$/i, sub: [], value: false }],
  'network.no-ingress-policy': [{ key: /^networkPolic(y|ies)$/i, sub: ['enabled'], value: true }],
  'network.no-egress-policy': [{ key: /^networkPolic(y|ies)$/i, sub: ['enabled'], value: true }],
  'service.load-balancer': [{ key: /^type$/, parent: /service/i, sub: [], value: 'ClusterIP' }],
  'service.node-port': [{ key: /^type$/, parent: /service/i, sub: [], value: 'ClusterIP' }],
};

export function rulesFor(check: string): readonly Rule[] {
  return RULES[check.startsWith('pss.') ? check.slice(check.indexOf('.', 4) + 1) : check] ?? [];
}

// ---------------------------------------------------------------------------------------
// Values trees

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function mergeInto(target: Record<string, unknown>, src: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(src)) {
    if (isMap(v) && isMap(target[k])) mergeInto(target[k] as Record<string, unknown>, v);
    else target[k] = isMap(v) ? structuredCloneMap(v) : v;
  }
}

function structuredCloneMap(m: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  mergeInto(out, m);
  return out;
}

/** The values as helm would coalesce them for key lookup: subchart defaults, parents over them, user values on top. */
export function mergedValues(charts: readonly ChartValuesSource[], userValues: Record<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const c of [...charts].sort((a, b) => b.prefix.length - a.prefix.length)) {
    let at = root;
    for (const seg of c.prefix) {
      if (!isMap(at[seg])) at[seg] = {};
      at = at[seg] as Record<string, unknown>;
    }
    mergeInto(at, c.values);
  }
  mergeInto(root, userValues);
  return root;
}

function getPath(v: unknown, path: readonly (string | number)[]): unknown {
  let at = v;
  for (const seg of path) {
    if (typeof seg === 'number') at = Array.isArray(at) ? at[seg] : undefined;
    else at = isMap(at) ? at[seg] : undefined;
    if (at === undefined) return undefined;
  }
  return at;
}

/** A copy of `values` with `path` set to `value` (maps along the path copied, created when missing). */
export function withValue(values: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const out = { ...values };
  let at = out;
  for (let i = 0; i < path.length - 1; i++) {
    const next = at[path[i]!];
    at[path[i]!] = isMap(next) ? { ...next } : {};
    at = at[path[i]!] as Record<string, unknown>;
  }
  at[path[path.length - 1]!] = value;
  return out;
}

const MAX_WALK = 50_000;

/** Every map entry of the tree under `prefix`, as its path relative to the prefix. */
function entries(tree: Record<string, unknown>, prefix: readonly string[]): { rel: string[]; value: unknown }[] {
  const start = getPath(tree, prefix);
  if (!isMap(start)) return [];
  const out: { rel: string[]; value: unknown }[] = [];
  const walk = (m: Record<string, unknown>, rel: string[], depth: number) => {
    for (const [k, v] of Object.entries(m)) {
      if (out.length >= MAX_WALK) return;
      const p = [...rel, k];
      out.push({ rel: p, value: v });
      // subcharts' own keys are reached through their own prefix; globals are not attributed
      if (isMap(v) && depth < 12 && !(rel.length === 0 && k === 'global')) walk(v, p, depth + 1);
    }
  };
  walk(start, [], 0);
  return out;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || typeof a !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Whether the template text reads `.Values.<anchor>` (then a non-identifier character). */
function references(text: string, anchor: readonly string[]): boolean {
  if (anchor.length === 0) return false;
  const needle = `Values.${anchor.join('.')}`;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
    const next = text[i + needle.length];
    if (next === undefined || !/[A-Za-z0-9_]/.test(next)) return true;
  }
  return false;
}

/** Bounds against hostile values: keys fitting a check's rules that are scored, per chart and check. */
export const MAX_MATCHES = 200;

/** Work shared by the findings of one attribution run: entries per prefix, matches per chart and check, template reads per anchor. */
export interface CandidateCache {
  entries: Map<string, { rel: string[]; value: unknown }[]>;
  matches: Map<string, { rel: string[]; value: unknown; anchor: string[] }[]>;
  reads: Map<string, boolean>;
}
export const newCandidateCache = (): CandidateCache => ({ entries: new Map(), matches: new Map(), reads: new Map() });

/**
 * The candidate keys for a finding, best first (at most `max`): keys whose names fit the check,
 * in the finding's chart, whose map the chart's templates read, and whose value would change.
 */
export function valuesKeyCandidates(f: FindingRef, charts: readonly ChartValuesSource[], merged: Record<string, unknown>, max = 6, cache: CandidateCache = newCandidateCache()): Candidate[] {
  const rules = rulesFor(f.check);
  const chart = charts.find((c) => c.path === f.chart);
  if (rules.length === 0 || chart === undefined) return [];
  const prefixKey = chart.prefix.join('\0');
  let all = cache.entries.get(prefixKey);
  if (all === undefined) cache.entries.set(prefixKey, all = entries(merged, chart.prefix));
  const matchKey = `${chart.path}\0${f.check}`;
  let matches = cache.matches.get(matchKey);
  if (matches === undefined) {
    matches = [];
    const add = (rel: string[], value: unknown, anchor: string[]) => { if (matches!.length < MAX_MATCHES) matches!.push({ rel, value, anchor }); };
    for (const { rel, value } of all) {
      const last = rel[rel.length - 1]!;
      for (const rule of rules) {
        if (!rule.key.test(last)) continue;
        if (rule.parent && !(rel.length >= 2 && rule.parent.test(rel[rel.length - 2]!))) continue;
        if (rule.sub.length === 0) {
          if (!isMap(value) && !deepEqual(value, rule.value)) add(rel, rule.value, rel.length > 1 ? rel.slice(0, -1) : rel);
          continue;
        }
        if (!isMap(value) && value !== null) continue;
        if (!deepEqual(getPath(value, rule.sub), rule.value)) add([...rel, ...rule.sub], rule.value, rel);
        // a map switched off by its `enabled` key (Bitnami's containerSecurityContext.enabled)
        if (isMap(value) && value.enabled === false && rule.sub[0] !== 'enabled') add([...rel, 'enabled'], true, rel);
      }
    }
    cache.matches.set(matchKey, matches);
  }
  const reads = (template: { name: string; text: string }, anchor: string[]): boolean => {
    const k = `${chart.path}\0${template.name}\0${anchor.join('.')}`;
    let r = cache.reads.get(k);
    if (r === undefined) cache.reads.set(k, r = references(template.text, anchor));
    return r;
  };
  const own = chart.templates.find((t) => t.name === f.template);
  const found = new Map<string, Candidate>();
  for (const { rel, value, anchor } of matches) {
    const score = own !== undefined && reads(own, anchor) ? 3 : chart.templates.some((t) => reads(t, anchor)) ? 1 : 0;
    if (score === 0) continue;
    const path = [...chart.prefix, ...rel];
    const key = path.join('.');
    if (!found.has(key)) found.set(key, { key, path, value, score });
  }
  return [...found.values()].sort((a, b) => b.score - a.score || a.path.length - b.path.length || a.key.localeCompare(b.key)).slice(0, max);
}

// ---------------------------------------------------------------------------------------
// Verification

/** Parses a field path as formatPath writes it: `a.b[0]["x.y"]`. */
export function parseFieldPath(s: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\./gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < s.length && (m = re.exec(s)) !== null) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(m[3]) as string);
  }
  return out;
}

const resourceId = (chart: string, kind: string, name: string) => `${chart}\0${kind}\0${name}`;
const findingId = (f: FindingRef) => `${f.check}\0${resourceId(f.chart, f.resource.kind, f.resource.name)}\0${f.container ?? ''}`;

/** What a render with a candidate did to a finding, or null when nothing. */
export function effectOn(f: FindingRef, base: ReadonlyMap<string, RenderedResource>, judged: Judged): 'resolves' | 'changes' | null {
  const id = resourceId(f.chart, f.resource.kind, f.resource.name);
  const now = judged.resources.find((r) => resourceId(r.chart, r.kind, r.name) === id);
  if (now === undefined) return null; // the resource went away: that is switching it off, not fixing it
  const fid = findingId(f);
  if (!judged.findings.some((g) => findingId(g) === fid)) return 'resolves';
  const before = base.get(id);
  if (before === undefined) return null;
  return f.fields.some((p) => { const path = parseFieldPath(p); return !deepEqual(getPath(before.object, path), getPath(now.object, path)); }) ? 'changes' : null;
}

export function attributeValuesKeys(input: ValuesKeyInput): ValuesKeyResult {
  const maxRenders = input.maxRenders ?? DEFAULT_MAX_RENDERS;
  const merged = mergedValues(input.charts, input.userValues);
  const base = new Map(input.base.map((r) => [resourceId(r.chart, r.kind, r.name), r]));
  const cache = newCandidateCache();
  const cands = input.findings.map((f) => valuesKeyCandidates(f, input.charts, merged, input.maxCandidates ?? 6, cache));
  const result: (ValuesKeyAttribution | null)[] = input.findings.map(() => null);
  let renders = 0;
  let failedRenders = 0;
  const tryRender = (changes: readonly Candidate[]): Judged | null => {
    renders++;
    let values = input.userValues;
    for (const c of changes) values = withValue(values, c.path, c.value);
    try {
      return input.renderAndJudge(values);
    } catch {
      failedRenders++;
      return null;
    }
  };
  /** Single-key renders, shared between findings. */
  const alone = new Map<string, Judged | null>();
  const ruledOut = input.findings.map(() => new Set<string>());
  const open = new Set(input.findings.map((_, i) => i).filter((i) => cands[i]!.length > 0));

  const confirm = (c: Candidate): void => {
    if (!alone.has(c.key)) alone.set(c.key, tryRender([c]));
    const judged = alone.get(c.key)!;
    for (const i of [...open]) {
      if (!cands[i]!.some((x) => x.key === c.key)) continue;
      const effect = judged === null ? null : effectOn(input.findings[i]!, base, judged);
      if (effect === null) { ruledOut[i]!.add(c.key); continue; }
      result[i] = { key: c.key, value: cands[i]!.find((x) => x.key === c.key)!.value, effect };
      open.delete(i);
    }
  };

  while (open.size > 0 && renders < maxRenders) {
    // one untried candidate per open finding
    const batch = new Map<string, Candidate>();
    const pick = new Map<number, Candidate>();
    for (const i of open) {
      const next = cands[i]!.find((c) => !ruledOut[i]!.has(c.key));
      if (next === undefined) { open.delete(i); continue; }
      pick.set(i, next);
      if (!batch.has(next.key)) batch.set(next.key, next);
    }
    if (batch.size === 0) break;
    let suspects: Candidate[];
    const already = [...batch.values()].filter((c) => alone.has(c.key));
    for (const c of already) confirm(c);
    const fresh = [...batch.values()].filter((c) => !alone.has(c.key));
    if (fresh.length === 0) continue;
    if (fresh.length === 1) suspects = fresh;
    else {
      const judged = tryRender(fresh);
      if (judged === null) suspects = fresh; // the combination does not render: try each alone
      else {
        const freshKeys = new Set(fresh.map((c) => c.key));
        suspects = [];
        for (const [i, c] of pick) {
          if (!open.has(i) || !freshKeys.has(c.key)) continue;
          if (effectOn(input.findings[i]!, base, judged) === null) ruledOut[i]!.add(c.key);
          else if (!suspects.includes(c)) suspects.push(c);
        }
      }
    }
    for (const c of suspects) {
      if (renders >= maxRenders) break;
      confirm(c);
    }
  }
  const keys = new Set(cands.flatMap((l) => l.map((c) => c.key)));
  return { attributions: result, renders, failedRenders, candidates: keys.size, unfinished: open.size };
}
