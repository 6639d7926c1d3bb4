/**
 * Rendered resources: each manifest read once more after the render sorted it, unless the
 * render's own read of the text (for helm's head) reads as the document splitYamlDocuments cuts
 * from it: the same text, or the text and a final newline after a last character that is not
 * white space. After trailing spaces, a block scalar with keep chomping counts one more line.
 */
import { describe, expect, it } from 'vitest';
import { chartOfTemplates } from '../../test/helpers/chart.js';
import { parseGoYaml, splitYamlDocuments, toJsonValue } from '../chart/yaml.js';
import { renderChart } from './index.js';
import { noteDocumentValue, renderedResources, type ManifestText } from './resources.js';

const mkChart = (files: Record<string, string>) => chartOfTemplates('c', files);

const freshRead = (m: ManifestText) => splitYamlDocuments(m.content).map((d) => toJsonValue(parseGoYaml(d)));

describe('renderedResources after a render', () => {
  it.each<[string, string]>([
    ['one document', 'kind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n'],
    ['two documents', 'kind: ConfigMap\nmetadata:\n  name: a\n---\nkind: ConfigMap\nmetadata:\n  name: b\n'],
    ['block scalars at the ends of documents', 'kind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: |+\n    x\n\n---\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: >\n    y\n'],
    ['carriage returns', 'kind: ConfigMap\r\nmetadata:\r\n  name: a\r\ndata:\r\n  k: "v"\r\n---\r\nkind: ConfigMap\r\nmetadata:\r\n  name: b\r\n'],
  ])('%s: the objects a fresh read of each document gives', (_, template) => {
    const r = renderChart(mkChart({ 'templates/cm.yaml': template }));
    expect(renderedResources(r.manifests).resources.map((x) => x.object)).toEqual(r.manifests.flatMap(freshRead));
  });
});

describe('a text read by the render', () => {
  // what the render noted is reused only where a fresh read of the document would give the same
  it.each<[string, string, unknown[]]>([
    ['the document itself', 'k: |+\n  x\n\n', [{ k: 'noted' }]],
    ['a final newline short, after text', 'k: |+\n  x', [{ k: 'noted' }]],
    // the added newline makes one more line of the kept block scalar
    ['a final newline short, after spaces', 'k: |+\n  x\n  ', [{ k: 'x\n\n' }]],
    ['carriage returns (dropped from the document)', 'k: 1\r\nj: 2', [{ k: 1, j: 2 }]],
  ])('%s', (_, content, objects) => {
    const m: ManifestText = { source: 'c/templates/cm.yaml', content };
    noteDocumentValue(m, new Map([['k', 'noted']]));
    expect(renderedResources([m]).resources.map((x) => x.object)).toEqual(objects);
  });
});
