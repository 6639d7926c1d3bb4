/**
 * The stages only `scan` (vulnerabilities, mitigations) and the `db` and `mitigations`
 * commands need: their own file in the build (dist/stages-vuln.cjs), so `images` and
 * `template` do not load them.
 */
export { findingsFor, packagesOfImages, severityRank } from './vuln/index.js';

// These pull in native SQLite bindings or the HTTP client: loaded only by the commands that
// use them, so `images` and `template` start without them.
export const vulnDb = () => import('./vuln/db/store.js');
export const osvApi = () => import('./vuln/online/osv-api.js');
export const dbAdmin = async () => ({
  ...(await import('./vuln/db/store.js')),
  ...(await import('./vuln/db/import.js')),
  ...(await import('./vuln/db/update.js')),
  ...(await import('./vuln/db/status.js')),
});
export const helmRepo = async () => ({ ...(await import('./repo/index.js')), ...(await import('./repo/repositories.js')) });
export {
  applyStatements, collectChartNotes, readChartCenter, readIgnoreFile, readVexFile, summarizeStatement, toOpenVex, DEFAULT_IGNORE_FILE,
} from './mitigations/index.js';
export { renderMitigations } from './report/mitigations.js';
