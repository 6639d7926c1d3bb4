/**
 * What helm v4.1.4 does with rendered files (pkg/release/v1/util manifest.go,
 * manifest_sorter.go, kind_sorter.go; pkg/action/action.go renderResources;
 * pkg/cmd/template.go):
 *
 *  - files are visited in sorted order, partials (`_*`) and blank files skipped, each split
 *    into documents on `---` lines (helm's regexp `(?:^|\s*\n)---\s*`);
 *  - every document is read with sigs.k8s.io/yaml into `{apiVersion, kind, metadata: {name,
 *    annotations}}` (scalars coerced to strings where a string is expected); a document
 *    that does not parse fails the render with `YAML parse error on <file>: …`;
 *  - documents with a `helm.sh/hook` annotation are hooks (unknown hook types dropped),
 *    the rest manifests; both sorted stably by kind in helm's install order;
 *  - `helm template` prints CRDs (`--include-crds`), then manifests, trimmed, then hooks
 *    (minus test hooks with `--skip-tests`); `--show-only` re-splits that text and keeps
 *    the documents whose `# Source:` path (without the chart name) matches.
 */
import { formatFloat32, jsonKey, parseGoYaml, setOwn, YamlError, type GoValue as YamlValue } from '../chart/yaml.js';
import { goMatch } from '../chart/ignore.js';
import { isSpace } from './sprig/util.js';

export const INSTALL_ORDER: readonly string[] = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy',
  'PodDisruptionBudget', 'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass',
  'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList',
  'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding', 'RoleBindingList',
  'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler',
  'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService', 'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

const HOOK_EVENTS = new Map<string, string>([
  ['pre-install', 'pre-install'], ['post-install', 'post-install'], ['pre-delete', 'pre-delete'],
  ['post-delete', 'post-delete'], ['pre-upgrade', 'pre-upgrade'], ['post-upgrade', 'post-upgrade'],
  ['pre-rollback', 'pre-rollback'], ['post-rollback', 'post-rollback'], ['test', 'test'], ['test-success', 'test'],
]);

/** helm's SimpleHead. */
export interface SimpleHead {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations: Record<string, string> | null } | null;
}

export interface Manifest {
  /** The template file, e.g. `mychart/templates/deployment.yaml`. */
  name: string;
  content: string;
  head: SimpleHead;
  /** `content` as go-yaml read it for the head (resources.ts reads documents from it too). */
  value: YamlValue;
}

export interface Hook {
  name: string;
  kind: string;
  path: string;
  manifest: string;
  events: string[];
  weight: number;
  deletePolicies: string[];
  /** `manifest` as go-yaml read it for the head. */
  value: YamlValue;
}

/** A manifest file could not be read as YAML; `message` is helm's. */
export class ManifestError extends Error {
  override name = 'ManifestError';
  constructor(message: string, readonly file: string) {
    super(message);
  }
}

const SEP = /(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*/g;

/** Go's strings.TrimSpace (ASCII and Unicode White_Space). */
export function goTrimSpace(s: string): string {
  // a loop, not a regular expression: V8 runs a fresh regexp in its interpreter, and the
  // anchored-at-end alternative was retried at every run of indentation (24 ms of contour's CRDs)
  let a = 0;
  let b = s.length;
  // unicode.IsSpace on UTF-16 units: Go's spaces are all in the BMP, none a surrogate
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** helm's SplitManifests, as an ordered list (`manifest-0`, `manifest-1`, …). */
export function splitManifests(bigFile: string): string[] {
  const s = goTrimSpace(bigFile);
  const docs: string[] = [];
  // Go's Regexp.Split(s, -1).
  if (s.length === 0) {
    docs.push('');
  } else {
    let beg = 0;
    let end = 0;
    SEP.lastIndex = 0;
    for (let m = SEP.exec(s); m; m = SEP.exec(s)) {
      end = m.index;
      if (m.index + m[0].length !== 0) docs.push(s.slice(beg, end));
      beg = m.index + m[0].length;
      if (m[0].length === 0) SEP.lastIndex++;
    }
    if (end !== s.length) docs.push(s.slice(beg));
  }
  return docs.filter((d) => d !== '').map(goTrimSpace);
}

// --- sigs.k8s.io/yaml Unmarshal into SimpleHead

type Target = 'head' | 'meta' | 'annotations' | 'string' | null;

const HEAD_FIELDS: Array<[string, Target]> = [['apiVersion', 'string'], ['kind', 'string'], ['metadata', 'meta']];
const META_FIELDS: Array<[string, Target]> = [['name', 'string'], ['annotations', 'annotations']];

function fieldFor(fields: Array<[string, Target]>, key: string): [string, Target] | undefined {
  return fields.find(([n]) => n === key) ?? fields.find(([n]) => n.toLowerCase() === key.toLowerCase());
}

/** convertToJSONableObject: YAML value → JSON-able value, numbers/bools coerced where a string is expected. */
function toJsonable(v: YamlValue, target: Target): unknown {
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    // forEach and setOwn: no entry array, iterator result or property descriptor a key (every
    // rendered document goes through here whole)
    v.forEach((x, k) => {
      const key = jsonKey(k, x);
      let t: Target = null;
      if (target === 'head') t = fieldFor(HEAD_FIELDS, key)?.[1] ?? null;
      else if (target === 'meta') t = fieldFor(META_FIELDS, key)?.[1] ?? null;
      else if (target === 'annotations') t = 'string';
      setOwn(out, key, toJsonable(x, t));
    });
    return out;
  }
  if (Array.isArray(v)) return v.map((x) => toJsonable(x, null));
  if (target === 'string') {
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number') return formatFloat32(v);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
  }
  if (typeof v === 'number' && !Number.isFinite(v)) {
    throw new YamlError(`json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
  }
  return v;
}

function jsonKindOf(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

const META_TYPE = 'struct { Name string "json:\\"name\\""; Annotations map[string]string "json:\\"annotations\\"" }';

function goKeyOrder(o: Record<string, unknown>): string[] {
  return Object.keys(o).sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
}

/** json.Unmarshal of the JSON-able value into SimpleHead. Returns the head or the first error. */
function decodeHead(j: unknown): SimpleHead {
  const head: SimpleHead = { apiVersion: '', kind: '', metadata: null };
  if (j === null) return head;
  let firstErr: string | null = null;
  const err = (msg: string): void => { firstErr ??= msg; };
  if (typeof j !== 'object' || Array.isArray(j)) {
    throw new YamlError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKindOf(j)} into Go value of type util.SimpleHead`);
  }
  const o = j as Record<string, unknown>;
  for (const key of goKeyOrder(o)) {
    const f = fieldFor(HEAD_FIELDS, key);
    if (!f) continue;
    const v = o[key];
    if (f[0] === 'metadata') {
      if (v === null) { head.metadata = null; continue; }
      if (typeof v !== 'object' || Array.isArray(v)) {
        err(`json: cannot unmarshal ${jsonKindOf(v)} into Go struct field SimpleHead.metadata of type ${META_TYPE}`);
        continue;
      }
      head.metadata ??= { name: '', annotations: null };
      const mo = v as Record<string, unknown>;
      for (const mk of goKeyOrder(mo)) {
        const mf = fieldFor(META_FIELDS, mk);
        if (!mf) continue;
        const mv = mo[mk];
        if (mf[0] === 'name') {
          if (mv === null) continue;
          if (typeof mv !== 'string') err(`json: cannot unmarshal ${jsonKindOf(mv)} into Go struct field .metadata.name of type string`);
          else head.metadata.name = mv;
        } else {
          if (mv === null) { head.metadata.annotations = null; continue; }
          if (typeof mv !== 'object' || Array.isArray(mv)) {
            err(`json: cannot unmarshal ${jsonKindOf(mv)} into Go struct field .metadata.annotations of type map[string]string`);
            continue;
          }
          head.metadata.annotations ??= {};
          const ao = mv as Record<string, unknown>;
          for (const ak of goKeyOrder(ao)) {
            const av = ao[ak];
            if (av === null) { Object.defineProperty(head.metadata.annotations, ak, { value: '', enumerable: true, writable: true, configurable: true }); continue; }
            if (typeof av !== 'string') {
              err(`json: cannot unmarshal ${jsonKindOf(av)} into Go struct field .metadata.annotations of type string`);
              continue;
            }
            Object.defineProperty(head.metadata.annotations, ak, { value: av, enumerable: true, writable: true, configurable: true });
          }
        }
      }
      continue;
    }
    if (v === null) continue;
    if (typeof v !== 'string') {
      err(`json: cannot unmarshal ${jsonKindOf(v)} into Go struct field SimpleHead.${f[0]} of type string`);
      continue;
    }
    if (f[0] === 'kind') head.kind = v; else head.apiVersion = v;
  }
  if (firstErr !== null) throw new YamlError(`error unmarshaling JSON: while decoding JSON: ${firstErr}`);
  return head;
}

/** sigs.k8s.io/yaml.Unmarshal(doc, &SimpleHead{}); throws YamlError with sigs' wording. */
export function readHead(doc: string): SimpleHead {
  return readHeadAndValue(doc).head;
}

/** readHead, and the document as go-yaml read it. */
function readHeadAndValue(doc: string): { head: SimpleHead; value: YamlValue } {
  let value: YamlValue;
  let json: unknown;
  try {
    value = parseGoYaml(doc);
    json = toJsonable(value, 'head');
  } catch (e) {
    if (e instanceof YamlError) throw new YamlError(`error converting YAML to JSON: ${e.message}`);
    throw e;
  }
  return { head: decodeHead(json), value };
}

function lessByKind(a: string, b: string): boolean {
  const ia = INSTALL_ORDER.indexOf(a);
  const ib = INSTALL_ORDER.indexOf(b);
  if (ia < 0 && ib < 0) return a !== b ? a < b : false;
  if (ia < 0) return false;
  if (ib < 0) return true;
  return ia < ib;
}

function sortByKind<T>(xs: T[], kind: (x: T) => string): T[] {
  return xs.sort((x, y) => (lessByKind(kind(x), kind(y)) ? -1 : lessByKind(kind(y), kind(x)) ? 1 : 0));
}

function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) return 0;
  const n = BigInt(s);
  if (n > 0x7fffffffffffffffn || n < -0x8000000000000000n) return 0;
  return Number(n);
}

/**
 * helm's SortManifests(files, nil, InstallOrder). `files` maps template paths to rendered
 * text. Throws ManifestError (`YAML parse error on <file>: …`).
 */
export function sortManifests(files: ReadonlyMap<string, string>): { hooks: Hook[]; manifests: Manifest[] } {
  const hooks: Hook[] = [];
  const generic: Manifest[] = [];
  const paths = [...files.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const filePath of paths) {
    const content = files.get(filePath)!;
    if (baseName(filePath).startsWith('_')) continue;
    if (goTrimSpace(content) === '') continue;
    for (const m of splitManifests(content)) {
      let entry: SimpleHead;
      let value: YamlValue;
      try {
        ({ head: entry, value } = readHeadAndValue(m));
      } catch (e) {
        if (e instanceof YamlError) throw new ManifestError(`YAML parse error on ${filePath}: ${e.message}`, filePath);
        throw e;
      }
      const ann = entry.metadata?.annotations;
      const hookTypes = ann && Object.keys(ann).length > 0 && Object.hasOwn(ann, 'helm.sh/hook') ? ann['helm.sh/hook']! : undefined;
      if (hookTypes === undefined) {
        generic.push({ name: filePath, content: m, head: entry, value });
        continue;
      }
      const h: Hook = {
        name: entry.metadata!.name,
        kind: entry.kind,
        path: filePath,
        manifest: m,
        events: [],
        weight: atoi(ann!['helm.sh/hook-weight'] ?? ''),
        deletePolicies: [],
        value,
      };
      let unknown = false;
      for (const t of hookTypes.split(',')) {
        const e = HOOK_EVENTS.get(goTrimSpace(t).toLowerCase());
        if (e === undefined) { unknown = true; break; }
        h.events.push(e);
      }
      if (unknown) continue;
      const dp = ann!['helm.sh/hook-delete-policy'];
      if (dp !== undefined) for (const p of dp.split(',')) h.deletePolicies.push(goTrimSpace(p).toLowerCase());
      hooks.push(h);
    }
  }
  return { hooks: sortByKind(hooks, (h) => h.kind), manifests: sortByKind(generic, (m) => m.head.kind) };
}

function baseName(p: string): string {
  const s = p.replace(/\/+$/, '');
  const i = s.lastIndexOf('/');
  return i >= 0 ? s.slice(i + 1) : s;
}

/**
 * `helm template --show-only`: keeps the documents of `output` whose `# Source:` path, without
 * the chart name, matches one of `patterns` (Go's filepath.Match), in pattern order.
 * Throws Error(`could not find template <pattern> in chart`).
 */
export function showOnly(output: string, patterns: readonly string[]): string {
  const docs = splitManifests(output);
  let out = '';
  for (const f of patterns) {
    let missing = true;
    for (const manifest of docs) {
      const m = /# Source: [^/]+\/(.+)/.exec(manifest);
      if (!m) continue;
      let matched = false;
      try {
        matched = goMatch(f, m[1]!);
      } catch {
        matched = false;
      }
      if (!matched) continue;
      out += `---\n${manifest}\n`;
      missing = false;
    }
    if (missing) throw new ShowOnlyError(`could not find template ${f} in chart`);
  }
  return out;
}

export class ShowOnlyError extends Error {
  override name = 'ShowOnlyError';
}
