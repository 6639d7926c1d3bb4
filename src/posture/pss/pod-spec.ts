/**
 * Where the pod spec of an object is: the kinds Kubernetes' Pod Security admission reads
 * (upstream admission.DefaultPodSpecExtractor: Pod, PodTemplate, ReplicationController,
 * ReplicaSet, Deployment, DaemonSet, StatefulSet, Job, CronJob), and pod templates found
 * anywhere inside other objects (custom resources), marked as such.
 */
import type { FieldPath, PathSegment } from './types.js';
import { list, record } from './util.js';

export interface PodSpecSource {
  /** Kind and name of the object holding the pod spec. */
  holderKind: string;
  holderName: string;
  /** The pod's (or template's) metadata; null when unset. */
  metadata: Record<string, unknown> | null;
  spec: Record<string, unknown>;
  metadataPath: FieldPath;
  specPath: FieldPath;
  /** The holder is a Pod (the API server defaults some fields of Pods only). */
  isPod: boolean;
  /**
   * Found inside an object whose kind admission does not read (a custom resource, or a
   * built-in kind under an unexpected API group): admission never judges it, its operator's
   * pods are judged when created.
   */
  customResource: boolean;
}

/** Path of the pod template in each kind admission reads, and the API groups the kind lives in. */
const HOLDERS: Record<string, { groups: readonly string[]; template: FieldPath | null }> = {
  Pod: { groups: [''], template: null },
  PodTemplate: { groups: [''], template: ['template'] },
  ReplicationController: { groups: [''], template: ['spec', 'template'] },
  ReplicaSet: { groups: ['apps', 'extensions'], template: ['spec', 'template'] },
  Deployment: { groups: ['apps', 'extensions'], template: ['spec', 'template'] },
  DaemonSet: { groups: ['apps', 'extensions'], template: ['spec', 'template'] },
  StatefulSet: { groups: ['apps'], template: ['spec', 'template'] },
  Job: { groups: ['batch'], template: ['spec', 'template'] },
  CronJob: { groups: ['batch'], template: ['spec', 'jobTemplate', 'spec', 'template'] },
};

function apiGroup(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function nameOf(obj: Record<string, unknown>): string {
  const n = record(obj.metadata)?.name;
  return typeof n === 'string' ? n : '';
}

/** Whether admission reads objects of this kind and apiVersion. */
export function isPodSpecHolder(obj: Record<string, unknown>): boolean {
  const kind = obj.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(HOLDERS, kind)) return false;
  return HOLDERS[kind]!.groups.includes(apiGroup(obj.apiVersion));
}

/**
 * The pod spec of a kind admission reads, as admission extracts it; null for any other
 * object. A missing spec or template reads as an empty one (Go's zero value).
 */
export function extractPodSpec(obj: Record<string, unknown>): PodSpecSource | null {
  if (!isPodSpecHolder(obj)) return null;
  const kind = obj.kind as string;
  const templatePath = HOLDERS[kind]!.template;
  let holder: Record<string, unknown> | null = obj;
  if (templatePath !== null) {
    for (const seg of templatePath) holder = record(holder?.[seg as string]);
  }
  const base: PathSegment[] = templatePath === null ? [] : [...templatePath];
  return {
    holderKind: kind,
    holderName: nameOf(obj),
    metadata: record(holder?.metadata),
    spec: record(holder?.spec) ?? {},
    metadataPath: [...base, 'metadata'],
    specPath: [...base, 'spec'],
    isPod: kind === 'Pod',
    customResource: false,
  };
}

/** Bounds of the search inside custom resources (rendered objects are bounded already; this keeps it linear). */
const MAX_DEPTH = 48;
const MAX_NODES = 200_000;

/** A pod template shape: `{ metadata?, spec: { containers: [ {...}, ... ] } }`. */
function isPodTemplateLike(m: Record<string, unknown>): boolean {
  const spec = record(m.spec);
  if (spec === null) return false;
  const containers = list(spec.containers);
  return containers.length > 0 && containers.every((c) => record(c) !== null);
}

/**
 * Pod templates inside an object that admission does not read (Argo Rollouts, Knative
 * services, operators' custom resources…): every map below the root shaped like a pod
 * template (`spec.containers` a list of maps), not searched further inside.
 */
export function findEmbeddedPodSpecs(obj: Record<string, unknown>): PodSpecSource[] {
  const found: PodSpecSource[] = [];
  const holderKind = typeof obj.kind === 'string' ? obj.kind : '';
  const holderName = nameOf(obj);
  let nodes = 0;
  const walk = (v: unknown, path: PathSegment[], depth: number): void => {
    if (++nodes > MAX_NODES || depth > MAX_DEPTH) return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (typeof v[i] === 'object' && v[i] !== null) walk(v[i], [...path, i], depth + 1);
      return;
    }
    const m = record(v);
    if (m === null) return;
    if (depth > 0 && isPodTemplateLike(m)) {
      found.push({
        holderKind,
        holderName,
        metadata: record(m.metadata),
        spec: m.spec as Record<string, unknown>,
        metadataPath: [...path, 'metadata'],
        specPath: [...path, 'spec'],
        isPod: false,
        customResource: true,
      });
      return;
    }
    for (const [k, x] of Object.entries(m)) if (typeof x === 'object' && x !== null) walk(x, [...path, k], depth + 1);
  };
  walk(obj, [], 0);
  return found;
}

function prefixed(source: PodSpecSource, prefix: readonly PathSegment[]): PodSpecSource {
  return { ...source, metadataPath: [...prefix, ...source.metadataPath], specPath: [...prefix, ...source.specPath] };
}

/**
 * The pod specs of any object: the one admission reads, else the ones found inside it. A
 * `v1` List (`kind: List`, `DeploymentList`, …) is its items, each judged as its own object
 * (as kubectl creates them), paths starting at `items[i]`.
 */
export function podSpecsOf(obj: Record<string, unknown>): PodSpecSource[] {
  const own = extractPodSpec(obj);
  if (own) return [own];
  if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
    return obj.items.flatMap((item, i) => {
      const m = record(item);
      return m === null ? [] : podSpecsOf(m).map((s) => prefixed(s, ['items', i]));
    });
  }
  return findEmbeddedPodSpecs(obj);
}
