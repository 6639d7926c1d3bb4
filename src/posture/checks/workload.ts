/**
 * What the best-practice checks read from a rendered resource: its pod templates (the kinds
 * Pod Security admission reads, and pod templates inside custom resources, marked as such),
 * each with its containers, and helpers to build findings with field paths.
 */
import type { PostureFinding, RenderedResource } from '../../model/stages.js';
import { podSpecsOf, type PodSpecSource } from '../pss/pod-spec.js';
import type { FieldPath } from '../pss/types.js';
import { formatPath, list, record, str } from '../pss/util.js';

export { formatPath, list, record, str };

export interface ContainerRef {
  name: string;
  container: Record<string, unknown>;
  /** `initContainers` or `containers` (ephemeral containers are added at run time, never rendered by a chart). */
  list: 'initContainers' | 'containers';
  path: FieldPath;
}

export interface PodTemplate {
  source: PodSpecSource;
  spec: Record<string, unknown>;
  labels: Record<string, string>;
  containers: ContainerRef[];
}

const cache = new WeakMap<object, PodTemplate[]>();

/** The pod templates of a resource (cached per object: every check of a run shares one extraction). */
export function podTemplates(resource: RenderedResource): PodTemplate[] {
  let found = cache.get(resource.object);
  if (found === undefined) {
    found = podSpecsOf(resource.object).map((source) => {
      const containers: ContainerRef[] = [];
      for (const key of ['initContainers', 'containers'] as const) {
        const items = list(source.spec[key]);
        for (let i = 0; i < items.length; i++) {
          const c = record(items[i]) ?? {};
          containers.push({ name: str(c.name), container: c, list: key, path: [...source.specPath, key, i] });
        }
      }
      const labels: Record<string, string> = {};
      for (const [k, v] of Object.entries(record(source.metadata?.labels) ?? {})) if (typeof v === 'string') labels[k] = v;
      return { source, spec: source.spec, labels, containers };
    });
    cache.set(resource.object, found);
  }
  return found;
}

/** Kinds whose pods run to completion: probes do not apply to them. */
const RUN_TO_COMPLETION = new Set(['Job', 'CronJob']);

/** A helm hook (`helm.sh/hook` annotation): it runs once around install, a test pod or a migration job. */
export function isHook(resource: RenderedResource): boolean {
  const ann = record(record(resource.object.metadata)?.annotations);
  return ann !== null && typeof ann['helm.sh/hook'] === 'string';
}

/** Whether the resource's pods are meant to keep running (Deployments, StatefulSets, DaemonSets, …, not Jobs or hooks). */
export function isLongRunning(resource: RenderedResource, pod: PodTemplate): boolean {
  if (isHook(resource) || RUN_TO_COMPLETION.has(resource.kind)) return false;
  const restart = pod.spec.restartPolicy;
  return restart === undefined || restart === null || restart === 'Always';
}

/** A finding on a resource, container-level when `container` is given. */
export function finding(check: string, resource: RenderedResource, pod: PodTemplate | null, container: string | null, message: string, fields: FieldPath[]): PostureFinding {
  const f: PostureFinding = { check, resource: { kind: resource.kind, name: resource.name }, container, message, fields: fields.map(formatPath) };
  if (pod?.source.customResource) f.customResource = true;
  return f;
}

/** `container "x"` for messages. */
export const containerWord = (c: ContainerRef): string => `${c.list === 'initContainers' ? 'init container' : 'container'} "${c.name}"`;
