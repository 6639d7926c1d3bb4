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
export { findingsFor, packagesOfImages, severityRank } from './vuln/index.js';
export { defaultDbDir, openDb, memoryDb, DB_FILE } from './vuln/db/store.js';
export { queryOsv } from './vuln/online/osv-api.js';
export { importPaths } from './vuln/db/import.js';
export { updateDb, progressPrinter } from './vuln/db/update.js';
export { renderStatusJson, renderStatusText } from './vuln/db/status.js';
export {
  applyStatements, collectChartNotes, readChartCenter, readIgnoreFile, readVexFile, summarizeStatement, toOpenVex, DEFAULT_IGNORE_FILE,
} from './mitigations/index.js';
export { downloadChart, fetchIndex, fetchText, resolveChartVersion } from './repo/index.js';
export { chartNameIn, resolveChartRef } from './repo/repositories.js';
export { renderMitigations } from './report/mitigations.js';
