/**
 * Every container image of every pod spec in rendered manifests, each with where it came
 * from. Pod specs are found by shape (a `containers`, `initContainers` or
 * `ephemeralContainers` list of objects), at any depth, so pod templates inside custom
 * resources are found too. Images of the workload kinds that Kubernetes itself runs (Pod,
 * Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ReplicationController) are
 * `images`; those found in other kinds (an operator's custom resources such as a RayCluster
 * or a Grafana, PodTemplates) are `customResourceImages`: they run only if an operator acts
 * on them, and may be changed by it, so they are reported apart and never silently dropped.
 * Anything that looks like a container but whose image cannot be read becomes a gap.
 */
import { renderedResources } from '../render/resources.js';
import type { Gap, ImageSource, ReportImage } from '../model/report.js';
import { parseImageReference, ReferenceError } from './reference.js';

export interface RenderedManifest {
  /** helm's `# Source:` path, e.g. `storefront/charts/queue/templates/master/application.yaml`. */
  source: string;
  content: string;
}

export interface ExtractedImages {
  images: ReportImage[];
  customResourceImages: ReportImage[];
  gaps: Gap[];
}

const WORKLOAD_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController']);

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
const MAY_HAVE_CONTAINERS = /[cC]ontainers["']?\s*:/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function extractImages(manifests: RenderedManifest[]): ExtractedImages {
  const workloads = new Map<string, ReportImage>();
  const customResources = new Map<string, ReportImage>();
  const gaps: Gap[] = [];
  for (const m of manifests) {
    // Most manifests (Services, ConfigMaps, RBAC…) have no containers: skip parsing them.
    if (!MAY_HAVE_CONTAINERS.test(m.content)) continue;
    const parsed = renderedResources([m]);
    gaps.push(...parsed.gaps);
    for (const { kind, name, chart, template, object } of parsed.resources) {
      const byRef = WORKLOAD_KINDS.has(kind) ? workloads : customResources;
      walk(object, (container, list) => {
        const cname = typeof container.name === 'string' ? container.name : '';
        const where = `${kind || 'object'} ${name || '(unnamed)'}, ${list} ${cname || '(unnamed)'} (${m.source})`;
        const raw = container.image;
        if (typeof raw !== 'string') {
          gaps.push({ scope: where, reason: raw === undefined || raw === null ? 'container has no image' : `image is not a string: ${JSON.stringify(raw)}` });
          return;
        }
        let ref;
        try {
          ref = parseImageReference(raw);
        } catch (e) {
          if (!(e instanceof ReferenceError)) throw e;
          gaps.push({ scope: where, reason: `cannot read image reference ${JSON.stringify(raw)}: ${e.message}` });
          return;
        }
        const source: ImageSource = { chart, template, kind, name, container: cname };
        const existing = byRef.get(ref.ref);
        if (existing) existing.sources.push(source);
        else byRef.set(ref.ref, { ...ref, sources: [source] });
      });
    }
  }
  return { images: sorted(workloads), customResourceImages: sorted(customResources), gaps };
}

function sorted(byRef: Map<string, ReportImage>): ReportImage[] {
  const images = [...byRef.values()].sort((a, b) => cmp(a.ref, b.ref));
  for (const i of images) i.sources.sort((a, b) => cmp(`${a.chart}\0${a.template}\0${a.name}\0${a.container}`, `${b.chart}\0${b.template}\0${b.name}\0${b.container}`));
  return images;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Calls `visit` for every object in a container list anywhere in `node`. */
function walk(node: unknown, visit: (container: Obj, list: string) => void, depth = 0): void {
  if (depth > 64) return; // manifests are shallow; this only stops pathological input
  if (Array.isArray(node)) {
    for (const x of node) walk(x, visit, depth + 1);
    return;
  }
  if (!isObj(node)) return;
  for (const list of CONTAINER_LISTS) {
    const items = node[list];
    if (Array.isArray(items) && items.length > 0 && items.every(isObj) && items.some((c) => 'image' in c || 'name' in c)) {
      for (const c of items) visit(c, list.replace(/s$/, ''));
    }
  }
  for (const [k, v] of Object.entries(node)) {
    if ((CONTAINER_LISTS as readonly string[]).includes(k)) continue;
    walk(v, visit, depth + 1);
  }
}
