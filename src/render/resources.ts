/**
 * Rendered manifests as resources: each YAML document (and each item of a `kind: List`) with its
 * kind, name, namespace, and the chart and template that rendered it. What image extraction and
 * posture checks read.
 */
import { parseGoYaml, splitYamlDocuments, toJsonValue } from '../chart/yaml.js';
import type { GoValue } from '../chart/yaml-scalar.js';
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

/** A manifest's text as go-yaml read it when the render sorted it (helm's head of each document). */
const readByRender = new WeakMap<ManifestText, GoValue>();

/** Notes what the render read `m.content` as (render/index.ts), so it is not read again here. */
export function noteDocumentValue(m: ManifestText, value: GoValue): void {
  readByRender.set(m, value);
}

/**
 * Whether a document cut from `content` (splitYamlDocuments) reads as `content` itself: the
 * same text, or the text with a final newline added after a last character that is not white
 * space (the end of the text reads as a line break then; only a block scalar with keep
 * chomping, `|+` or `>+`, counts one more line after trailing spaces). helm trims every
 * document's text, so the render's always end that way.
 */
function readsAsContent(doc: string, content: string): boolean {
  if (doc === content) return true;
  return doc.length === content.length + 1 && doc.endsWith('\n') && doc.startsWith(content) && !/\s$/.test(content);
}

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
  const docs = splitYamlDocuments(m.content);
  const known = docs.length === 1 && readsAsContent(docs[0]!, m.content) ? readByRender.get(m) : undefined;
  for (const text of docs) {
    let obj: unknown;
    try {
      // go-yaml semantics, like helm, with the fast path for plain manifests
      obj = toJsonValue(known !== undefined ? known : parseGoYaml(text));
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
