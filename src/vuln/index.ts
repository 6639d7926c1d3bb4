/**
 * The vulnerability stage: image packages → findings, from the local database or, online,
 * from the OSV API. The advisory source is chosen by the caller (audit.ts); everything here
 * takes it as an argument.
 */
import type { Finding, ImagePackage, OsvRecord } from '../model/advisory.js';
import type { Gap } from '../model/report.js';
import { schemeForEcosystem } from '../versioning/index.js';
import { severityOf } from './severity/index.js';
import { findVulnerabilities, type AdvisorySource } from './findings.js';
import { matchCpeRecord } from './nvd-match.js';

export { packagesOfImages } from './packages.js';
export { severityRank } from './findings.js';

/** The parts of the database (or an in-memory one from the OSV API) the matcher reads. */
export interface RecordStore {
  recordsForPackage(ecosystem: string, name: string): OsvRecord[];
  /** Optional, with recordsByIds (see AdvisorySource). */
  matchFieldsForPackage?(ecosystem: string, name: string): OsvRecord[];
  recordsByIds?(ids: readonly string[]): OsvRecord[];
  recordsForCpe(vendor: string, product: string, options?: { origin?: 'affected' | 'database_specific' }): OsvRecord[];
}

export function findingsFor(packages: ImagePackage[], store: RecordStore): { findings: Finding[]; gaps: Gap[] } {
  const source: AdvisorySource = {
    recordsForPackage: (ecosystem, name) => store.recordsForPackage(ecosystem, name),
    ...(store.matchFieldsForPackage && store.recordsByIds
      ? { matchFieldsForPackage: (ecosystem: string, name: string) => store.matchFieldsForPackage!(ecosystem, name), recordsByIds: (ids: readonly string[]) => store.recordsByIds!(ids) }
      : {}),
    // NVD records only: the packages' own OSV records also carry these CPEs.
    recordsForCpe: (vendor, product) => store.recordsForCpe(vendor, product, { origin: 'affected' }),
  };
  return findVulnerabilities(packages, { source, schemeFor: schemeForEcosystem, severityOf, matchCpeRecord });
}
