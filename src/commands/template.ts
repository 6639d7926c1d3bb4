/** `chartaudit template`: the rendered manifests, as `helm template` prints them. */
import { formatTemplateOutput } from '../render/index.js';
import { loadWithValues, readChartBytes, render, type RenderFlags } from './chart-input.js';

export interface TemplateOptions extends RenderFlags {
  chart: string;
  showOnly: string[];
  includeCrds: boolean;
  skipTests: boolean;
}

export async function template(opts: TemplateOptions): Promise<string> {
  const loaded = await loadWithValues(opts.chart, readChartBytes(opts.chart), opts);
  const result = render(loaded, opts, { includeCrds: opts.includeCrds, output: 'shown' });
  return formatTemplateOutput(result, { showOnly: opts.showOnly, skipTests: opts.skipTests });
}
