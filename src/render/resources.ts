/**
 * Rendered manifests as resources: each YAML document (and each item of a `kind: List`) with its
 * kind, name, namespace, and the chart and template that rendered it. What image extraction and
 * posture checks read.
 */
import { parseGoYaml, splitYamlDocuments, toJsonValue } from '../chart/yaml.js';
import type { Gap } from '../model/report.js';
import type { RenderedResource } from '../model/stages.js';

/** Splits a `# Source:` path into the chart path and the template path inside it. */
export function splitSource(source: string): { chart: string; template: string } {
  const i = source.lastIndexOf('/templates/');
  if (i >= 0) return { chart: source.slice(0, i), template: source.slice(i + 1) };
  const j = source.lastIndexOf('/crds/');
  if (j >= 0) return { chart: source.slice(0, j), template: source.slice(j + 1) };
  return { chart: source.split('/')[0] ?? source, template: source.split('/').slice(1).join('/') };
}

export interface ManifestText {
  source: string;
  content: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Each manifest parsed once per run: a scan's image extraction and its posture stage read the
 * same rendered documents (the objects are shared, and read only).
 */
const parsedOf = new WeakMap<ManifestText, { resources: RenderedResource[]; gaps: Gap[] }>();

export function renderedResources(manifests: readonly ManifestText[]): { resources: RenderedResource[]; gaps: Gap[] } {
  const resources: RenderedResource[] = [];
  const gaps: Gap[] = [];
  for (const m of manifests) {
    let parsed = parsedOf.get(m);
    if (!parsed) parsedOf.set(m, (parsed = parseManifest(m)));
    for (const r of parsed.resources) resources.push(r);
    for (const g of parsed.gaps) gaps.push(g);
  }
  return { resources, gaps };
}

function parseManifest(m: ManifestText): { resources: RenderedResource[]; gaps: Gap[] } {
  const resources: RenderedResource[] = [];
  const gaps: Gap[] = [];
  const { chart, template } = splitSource(m.source);
  for (const text of splitYamlDocuments(m.content)) {
    let obj: unknown;
    try {
      // go-yaml semantics, like helm, with the fast path for plain manifests
      obj = toJsonValue(parseGoYaml(text));
    } catch (e) {
      gaps.push({ scope: m.source, reason: `rendered manifest is not valid YAML: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    const items = isObj(obj) && obj.kind === 'List' && Array.isArray(obj.items) ? obj.items : [obj];
    for (const item of items) {
      if (!isObj(item)) continue;
      const meta = isObj(item.metadata) ? item.metadata : {};
      resources.push({
        kind: typeof item.kind === 'string' ? item.kind : '',
        name: typeof meta.name === 'string' ? meta.name : '',
        namespace: typeof meta.namespace === 'string' ? meta.namespace : null,
        chart,
        template,
        object: item,
      });
    }
  }
  return { resources, gaps };
}
