/**
 * A scan report with more than 2,000 findings for the HTML report's speed test, made from real
 * records: the Bitnami OSV dump in ../shared (never copied into the project) is matched by the
 * project's own matcher (src/vuln findingsFor) against old releases of the Bitnami packages with
 * the most advisories, one subchart and workload per package, as an umbrella chart of the corpus
 * would be. No single corpus chart comes near 2,000 (all 116 scanned with default values give
 * 1,224 findings in all), hence old releases: each package sits at the release a quarter of the
 * way up the versions its advisories fix, so most of its advisories apply. Some findings then
 * carry notes and VEX statements as the mitigation stage would set them.
 */
import type { Finding, ImagePackage, OsvRecord } from '../../src/model/advisory.js';
import type { ReportChartNode, ReportImage, ScanReport } from '../../src/model/report.js';
import { schemeForEcosystem } from '../../src/versioning/index.js';
import { findingsFor } from '../../src/vuln/index.js';
import { sharedZipEntries } from './shared.js';

export function largeReport(minFindings = 2000): ScanReport {
  const byPackage = new Map<string, OsvRecord[]>();
  for (const e of sharedZipEntries('osv', 'bitnami-all.zip')) {
    const record = JSON.parse(e.data.toString('utf8')) as OsvRecord;
    for (const name of new Set((record.affected ?? []).filter((a) => a.package?.ecosystem === 'Bitnami').map((a) => a.package!.name))) {
      byPackage.set(name, [...(byPackage.get(name) ?? []), record]);
    }
  }
  const scheme = schemeForEcosystem('Bitnami')!;
  const store = {
    recordsForPackage: (ecosystem: string, name: string) => (ecosystem === 'Bitnami' ? byPackage.get(name) ?? [] : []),
    recordsForCpe: () => [],
  };
  const top = 'corpus';
  const charts: ReportChartNode[] = [{ path: top, name: top, alias: null, version: '1.0.0', enabled: true, reason: null, declared: true, constraint: null, constraintSatisfied: null }];
  const images: ReportImage[] = [];
  const findings: Finding[] = [];
  // os-shell runs as an init container in every workload: one image under many workloads.
  const shell: ReportImage = { ref: 'docker.io/bitnami/os-shell:12-debian-12-r30', registry: 'docker.io', repository: 'bitnami/os-shell', tag: '12-debian-12-r30', digest: null, sources: [], contents: null };
  images.push(shell);
  const names = [...byPackage.keys()].sort((a, b) => byPackage.get(b)!.length - byPackage.get(a)!.length || (a < b ? -1 : 1));
  for (const name of names) {
    if (findings.length >= minFindings) break;
    const fixes = [...new Set(byPackage.get(name)!.flatMap((r) => (r.affected ?? []).flatMap((a) => (a.ranges ?? []).flatMap((g) => g.events.map((ev) => ev.fixed ?? '')))))]
      .filter((v) => v && scheme.isValid(v)).sort((a, b) => scheme.compare(a, b));
    const version = fixes[Math.floor(fixes.length / 4)];
    if (!version) continue;
    const tag = `${version.replace(/-\d+$/, '')}-debian-12-r0`;
    const ref = `docker.io/bitnami/${name}:${tag}`;
    const chart = `${top}/charts/${name}`;
    charts.push({ path: chart, name, alias: null, version: '1.0.0', enabled: true, reason: null, declared: true, constraint: '1.x.x', constraintSatisfied: true });
    const workload = { chart, template: 'templates/statefulset.yaml', kind: 'StatefulSet', name: `release-name-${name}` };
    images.push({ ref, registry: 'docker.io', repository: `bitnami/${name}`, tag, digest: null, sources: [{ ...workload, container: name }], contents: null });
    shell.sources.push({ ...workload, container: 'volume-permissions' });
    const pkg: ImagePackage = { ecosystem: 'Bitnami', name, version: version.replace(/-\d+$/, ''), image: ref };
    for (const f of findingsFor([pkg], store).findings) {
      findings.push({ ...f, path: [top, chart, `StatefulSet/${workload.name}`, ref, `${name} ${pkg.version}`] });
    }
  }
  findings.forEach((f, i) => {
    if (i % 7 === 3) {
      f.state = 'mitigated';
      f.mitigation = { source: 'vex.openvex.json', trusted: true, status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', note: `the ${f.package.name} image is built without the affected module` };
    } else if (i % 11 === 5) {
      f.mitigation = { source: `${top}/charts/${f.package.name}/security-mitigation.yaml`, trusted: false, status: null, justification: null, note: 'only reachable with the admin API exposed, which the chart does not do' };
    } else if (i % 13 === 6) {
      f.mitigation = { source: 'vex.openvex.json', trusted: true, status: 'under_investigation', justification: null, note: null };
    }
  });
  // `as`: `posture` is new in the scan report; the cast keeps this helper compiling on either side of that change
  return {
    schemaVersion: 1,
    tool: { name: 'chartaudit', version: '0.1.0' },
    chart: { name: top, version: '1.0.0', appVersion: null, digest: null },
    provenance: { status: 'unsigned', signer: null, fingerprint: null, signedAt: null, hash: null, reason: 'a chart directory has no provenance file' },
    charts,
    images,
    customResourceImages: [],
    vulnerabilitySource: { kind: 'database', path: 'db', sources: [{ name: 'bitnami-all.zip', location: '../shared/osv/bitnami-all.zip', importedAt: '2026-08-05T14:23:00Z' }], newestRecord: '2026-08-01T09:00:02.625Z', ageDays: 0 },
    findings,
    posture: null,
    mitigations: { unused: [], expired: [] },
    gaps: [{ scope: shell.ref, reason: 'not a versioned Bitnami package: no package inventory for this image' }],
    warnings: [],
    verdict: { failed: false, reasons: [] },
  } as ScanReport;
}
