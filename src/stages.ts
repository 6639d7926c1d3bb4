/**
 * The stages that `scan` (and later `template`, `images`) need but `verify` and `sign` do
 * not. They load on demand through this one module, which the build turns into its own file
 * (dist/stages.cjs) so that `verify` starts without parsing them.
 */
export { loadChart, loadChartArchive } from './chart/load.js';
export { checkDependencies, resolveChartTree } from './chart/dependencies.js';
export { parseValuesFile } from './chart/yaml.js';
export { writers } from './report/index.js';
export { buildUserValues, formatTemplateOutput, renderChart } from './render/index.js';
export { extractImages } from './images/extract.js';
export { renderImagesTable } from './report/images.js';
export { setKeyGeneration } from './render/sprig/keys.js';
