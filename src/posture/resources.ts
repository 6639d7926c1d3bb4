/**
 * Rendered manifests as the resources posture checks read: each YAML document (and each item of
 * a List) with its kind, name, namespace, and the chart and template that rendered it.
 */
import { parseGoYaml, splitYamlDocuments, toJsonValue } from '../chart/yaml.js';
import type { Gap } from '../model/report.js';
import type { RenderedResource } from '../model/stages.js';
import { splitSource } from '../images/extract.js';

export interface ManifestText {
  source: string;
  content: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function renderedResources(manifests: readonly ManifestText[]): { resources: RenderedResource[]; gaps: Gap[] } {
  const resources: RenderedResource[] = [];
  const gaps: Gap[] = [];
  for (const m of manifests) {
    const { chart, template } = splitSource(m.source);
    for (const text of splitYamlDocuments(m.content)) {
      let obj: unknown;
      try {
        obj = toJsonValue(parseGoYaml(text));
      } catch (e) {
        gaps.push({ scope: m.source, reason: `rendered manifest is not valid YAML: ${(e as Error).message.split('\n')[0]}` });
        continue;
      }
      const items = isObj(obj) && typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items) ? obj.items : [obj];
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
  }
  return { resources, gaps };
}
