/**
 * Findings for the packages of a chart's images: every advisory that affects a package
 * (OSV records by ecosystem and name; NVD CVE records through the CPE vendor/product that
 * the package's own OSV records name), grouped by alias into one finding per image, package
 * and vulnerability, with the CVE as its id when there is one. Pure: the advisory source
 * and the version schemes come in as arguments.
 */
import type { Finding, ImagePackage, OsvAffected, OsvRecord, Severity, Cvss } from '../model/advisory.js';
import type { Gap } from '../model/report.js';
import type { VersionScheme } from '../versioning/types.js';
import { matchRecord, type AffectedMatch } from './match.js';
import { parseCpe } from './db/cpe.js';

export interface AdvisorySource {
  recordsForPackage(ecosystem: string, name: string): OsvRecord[];
  /**
   * Optional, with recordsByIds: recordsForPackage's records with only what matching reads (id,
   * withdrawn, aliases, affected, database_specific.cpes); the ones that match are read whole.
   */
  matchFieldsForPackage?(ecosystem: string, name: string): OsvRecord[];
  recordsByIds?(ids: readonly string[]): OsvRecord[];
  /** NVD records converted to OSV, by the CPE vendor and product they apply to. */
  recordsForCpe?(vendor: string, product: string): OsvRecord[];
}

export interface FindingDeps {
  source: AdvisorySource;
  schemeFor(ecosystem: string): VersionScheme | undefined;
  severityOf(record: OsvRecord, affected?: OsvAffected): { severity: Severity; cvss: Cvss | null };
  /** Evaluates an NVD-converted record's CPE bounds for a version (see vuln/db/nvd.ts). */
  matchCpeRecord?(record: OsvRecord, vendor: string, product: string, version: string, scheme: VersionScheme): AffectedMatch;
}

export interface FindingResult {
  findings: Finding[];
  gaps: Gap[];
}

const SEVERITY_RANK: Record<Severity, number> = { CRITICAL: 5, HIGH: 4, MEDIUM: 3, LOW: 2, NONE: 1, UNKNOWN: 0 };
export const severityRank = (s: Severity): number => SEVERITY_RANK[s];

interface Hit {
  record: OsvRecord;
  match: AffectedMatch & { entry: OsvAffected | null };
}

/** `cpe:2.3:a:apache:airflow:*:…` → ['apache', 'airflow'] (escaped form, lower case). */
export function cpeVendorProduct(cpe: string): [string, string] | null {
  const c = parseCpe(cpe);
  if (!c || !c.vendor || !c.product || c.vendor === '*' || c.product === '*') return null;
  return [c.vendor, c.product];
}

export function findVulnerabilities(packages: ImagePackage[], deps: FindingDeps): FindingResult {
  const findings: Finding[] = [];
  const gaps: Gap[] = [];
  for (const pkg of packages) {
    const scheme = deps.schemeFor(pkg.ecosystem);
    const source = deps.source;
    const partial = source.matchFieldsForPackage !== undefined && source.recordsByIds !== undefined;
    const records = partial ? source.matchFieldsForPackage!(pkg.ecosystem, pkg.name) : source.recordsForPackage(pkg.ecosystem, pkg.name);
    if (!scheme) {
      gaps.push({ scope: `${pkg.image} (${pkg.ecosystem} ${pkg.name})`, reason: `no version scheme for ecosystem ${pkg.ecosystem}: ${records.length} advisories not evaluated` });
      continue;
    }
    if (!scheme.isValid(pkg.version)) {
      gaps.push({ scope: `${pkg.image} (${pkg.ecosystem} ${pkg.name})`, reason: `version ${pkg.version} is not a valid ${scheme.displayName}: ${records.length} advisories not evaluated` });
      continue;
    }
    const hits: Hit[] = [];
    for (const record of records) {
      const match = matchRecord(record, pkg.ecosystem, pkg.name, pkg.version, scheme);
      if (match.status !== 'not-affected') hits.push({ record, match });
    }
    if (partial && hits.length > 0) {
      // the matched records whole (summary, details, severity); their affected entries read the same
      const whole = new Map(source.recordsByIds!(hits.map((h) => h.record.id)).map((r) => [r.id, r]));
      for (const h of hits) h.record = whole.get(h.record.id) ?? h.record;
    }
    if (source.recordsForCpe && deps.matchCpeRecord) {
      const seen = new Set<string>();
      for (const record of records) {
        const cpes = (record.database_specific?.cpes ?? []) as unknown[];
        for (const cpe of cpes) {
          const vp = typeof cpe === 'string' ? cpeVendorProduct(cpe) : null;
          if (!vp || seen.has(vp.join(':'))) continue;
          seen.add(vp.join(':'));
          for (const nvd of source.recordsForCpe(vp[0], vp[1])) {
            if (nvd.withdrawn) continue;
            const m = deps.matchCpeRecord(nvd, vp[0], vp[1], pkg.version, scheme);
            if (m.status !== 'not-affected') hits.push({ record: nvd, match: { ...m, entry: null } });
          }
        }
      }
    }
    findings.push(...groupByAlias(pkg, hits, scheme, deps));
  }
  findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || cmp(a.image, b.image) || cmp(a.id, b.id));
  return { findings, gaps };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One finding per alias group (union of ids and aliases, transitively). */
function groupByAlias(pkg: ImagePackage, hits: Hit[], scheme: VersionScheme, deps: FindingDeps): Finding[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const add = (x: string) => { if (!parent.has(x)) parent.set(x, x); };
  const union = (a: string, b: string) => { add(a); add(b); parent.set(find(a), find(b)); };
  for (const h of hits) {
    add(h.record.id);
    for (const a of h.record.aliases ?? []) union(h.record.id, a);
  }
  const groups = new Map<string, Hit[]>();
  for (const h of hits) {
    const root = find(h.record.id);
    groups.set(root, [...(groups.get(root) ?? []), h]);
  }
  const out: Finding[] = [];
  for (const group of groups.values()) {
    const ids = new Set<string>();
    for (const h of group) {
      ids.add(h.record.id);
      for (const a of h.record.aliases ?? []) ids.add(a);
    }
    const sortedIds = [...ids].sort();
    const id = sortedIds.find((x) => x.startsWith('CVE-')) ?? group[0]!.record.id;
    const affected = group.filter((h) => h.match.status === 'affected');
    const decisive = affected.length ? affected : group;
    let best: { severity: Severity; cvss: Cvss | null } = { severity: 'UNKNOWN', cvss: null };
    for (const h of group) {
      const s = deps.severityOf(h.record, h.match.entry ?? undefined);
      if (severityRank(s.severity) > severityRank(best.severity) || (s.severity === best.severity && (s.cvss?.score ?? -1) > (best.cvss?.score ?? -1))) best = s;
    }
    const fixed = [...new Set(affected.flatMap((h) => h.match.fixed))].sort((a, b) => scheme.compare(a, b));
    const summary = group.map((h) => h.record.summary ?? h.record.details?.split('\n')[0]).find((s) => s && s.trim()) ?? null;
    out.push({
      id,
      aliases: sortedIds.filter((x) => x !== id),
      summary: summary ? summary.trim() : null,
      severity: best.severity,
      cvss: best.cvss,
      image: pkg.image,
      package: {
        ecosystem: pkg.ecosystem, name: pkg.name, version: pkg.version,
        ...(pkg.purl ? { purl: pkg.purl } : {}), ...(pkg.binaries ? { binaries: pkg.binaries } : {}),
      },
      ...(pkg.location ? { location: { image: pkg.image, ...pkg.location } } : {}),
      fixed,
      status: affected.length ? 'affected' : 'indeterminate',
      reason: affected.length ? null : decisive.map((h) => h.match.reason).find(Boolean) ?? null,
      state: 'open',
      mitigation: null,
    });
  }
  return out;
}
