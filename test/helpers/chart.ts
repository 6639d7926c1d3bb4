/** A loaded chart made of template texts alone (name `name`, version 0.1.0), for render tests. */
import type { Chart } from '../../src/model/chart.js';

export function chartOfTemplates(name: string, templates: Record<string, string>): Chart {
  return {
    metadata: { apiVersion: 'v2', name, version: '0.1.0' },
    rawMetadata: Buffer.from(''),
    values: {},
    templates: Object.entries(templates).map(([n, d]) => ({ name: n, data: Buffer.from(d) })),
    files: [],
    dependencies: [],
    origin: [],
    warnings: [],
  };
}
