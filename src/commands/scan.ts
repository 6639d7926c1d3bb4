/**
 * `chartaudit scan`: the whole pipeline. Provenance is checked on the archive bytes first, so a
 * tampered or corrupted archive is reported as such even when it no longer unpacks; then the
 * chart is loaded with the user's values, rendered, its images listed and its configuration
 * judged (or all that read back from an earlier scan of the same inputs: scan/deployment.ts), the
 * images pulled and read, matched against the advisories, the mitigation statements applied, and
 * the verdict reached.
 */
import { basename } from 'node:path';
import type { ReportChart, ReportImage, ReportProvenance, ScanReport } from '../model/report.js';
import type { Finding, Severity } from '../model/advisory.js';
import { recordNeededEcosystems } from '../vuln/db/needed.js';
import { VERSION } from '../version.js';
import { exists, readInput, type Env } from './context.js';
import { archiveDigest } from '../hash/sha256.js';
import { flattenTree, loadWithValues, readChartBytes, reportChart, treeWarnings, type LoadedChart, type RenderFlags } from './chart-input.js';
import { checkProvenance, type ProvenanceCheck } from './provenance-check.js';
import { chartRefKind } from './chart-ref.js';
import { UsageError } from '../model/errors.js';
import { vulnerabilityStage, type VulnerabilityOptions } from './scan/vulnerabilities.js';
import { mitigationStage, type MitigationOptions } from './scan/mitigations.js';
import { verdictOf, type Policy } from './scan/verdict.js';
import { imageContentStage } from './scan/image-contents.js';
import type { ImageContentOptions, ImageProgress } from './scan/image-options.js';
import type { PostureScanOptions } from './scan/posture.js';
import { deploymentOf } from './scan/deployment.js';

export interface ScanOptions extends RenderFlags, VulnerabilityOptions, MitigationOptions, Policy, ImageContentOptions, PostureScanOptions {
  chart: string;
  keyring?: string;
  /** `--version`: which version of an oci:// or repo/chart reference (a version or a constraint, as helm). */
  version?: string;
  /** `--repo URL`: the chart is `<chart>` in this repository. */
  repo?: string;
  failOn?: Severity;
  /** `--ignore-unfixed`: leave out findings no release fixes yet (the report says how many). */
  ignoreUnfixed?: boolean;
  /** Bytes and layers as images are pulled and read (a terminal only). */
  progress?: ImageProgress;
}

export async function scan(opts: ScanOptions, e: Env): Promise<ScanReport> {
  // oci://… and repo/chart are fetched (with their .prov) first; a local path is read as it is.
  // The registry and repository code loads only for a remote chart (a bundle of its own).
  const remote = chartRefKind(opts.chart, opts) === 'local' ? null : await (await import('./chart-source.js')).fetchChart(opts.chart, {
    version: opts.version, repo: opts.repo, offline: opts.offline, registryConfig: opts.registryConfig,
    mirrors: opts.mirrors.filter((m) => !/=\s*oci-layout:/.test(m)), insecure: opts.insecure,
    deadlineMs: opts.deadlineMs, onRetry: opts.onRetry,
  }, e);
  if (!remote && opts.version !== undefined) throw new UsageError(`--version ${opts.version}: ${opts.chart} is a local chart; --version chooses among the versions of an oci:// or repo/chart reference`);
  const archive = remote ? remote.archive : readChartBytes(opts.chart);
  const prov = remote
    ? await checkProvenance({ archive: remote.archive, prov: remote.prov, filename: remote.filename, provName: remote.provName, keyring: opts.keyring }, e)
    : archive ? await provenanceOf(opts, archive, e) : unsignedDirectory();
  const warnings = [...(remote?.warnings ?? []), ...prov.warnings];

  let loaded: LoadedChart;
  try {
    loaded = await loadWithValues(remote ? remote.label : opts.chart, archive, opts);
  } catch (err) {
    // An archive that fails its own provenance may not even unpack: the verdict is the failed
    // provenance, not an unreadable file.
    if (prov.provenance.status !== 'failed' || !(err instanceof Error) || err.name !== 'InputError') throw err;
    return unloadable(opts, archive!, prov, err.message, warnings);
  }
  const chart = loaded.chart;
  if (prov.claimed && (prov.claimed.name !== chart.metadata.name || prov.claimed.version !== chart.metadata.version)) {
    // helm never compares them; the signature covers the archive digest, but a mismatch means
    // the .prov was made for another chart or edited before signing.
    warnings.push(`the provenance file names chart ${prov.claimed.name ?? '?'} ${prov.claimed.version ?? '?'}, the archive holds ${chart.metadata.name} ${chart.metadata.version}`);
  }

  const deployed = deploymentOf(loaded, opts);
  const pulled = await imageContentStage(deployed.images, deployed.customResourceImages, opts, e, {
    ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
    ...(opts.progress ? { progress: opts.progress } : {}),
  });
  const allImages = [...pulled.images, ...pulled.customResourceImages];
  const vulns = await vulnerabilityStage(allImages, opts, e);
  recordNeededEcosystems(allImages.flatMap((i) => i.contents?.packages.map((p) => p.ecosystem ?? '') ?? []).filter(Boolean), e.env);
  const shown = opts.ignoreUnfixed ? withoutUnfixed(vulns.findings) : { findings: vulns.findings, hidden: 0 };
  if (shown.hidden) warnings.push(`${shown.hidden} finding${shown.hidden === 1 ? '' : 's'} with no fixed version yet left out (--ignore-unfixed)`);
  const mitigated = await mitigationStage(withImpactPaths(shown.findings, allImages, chart.metadata.name), deployed.tree, allImages, prov.provenance.status === 'verified', opts, e, deployed.posture?.findings ?? []);

  const report: Omit<ScanReport, 'verdict'> = {
    schemaVersion: 1,
    tool: { name: 'chartaudit', version: VERSION },
    chart: reportChart(loaded),
    provenance: prov.provenance,
    charts: flattenTree(deployed.tree),
    images: pulled.images,
    customResourceImages: pulled.customResourceImages,
    vulnerabilitySource: vulns.source,
    findings: mitigated.findings,
    posture: deployed.posture ? { ...deployed.posture, findings: mitigated.posture } : null,
    mitigations: { unused: mitigated.unused, expired: mitigated.expired },
    gaps: [...deployed.gaps, ...pulled.gaps, ...deployed.postureGaps, ...vulns.gaps, ...mitigated.gaps],
    warnings: [...warnings, ...pulled.warnings, ...vulns.warnings, ...mitigated.warnings, ...treeWarnings(deployed.tree)],
  };
  return { ...report, verdict: verdictOf(report, opts) };
}

/** Findings that some release fixes; an indeterminate one stays (its version could not be compared). */
function withoutUnfixed(findings: Finding[]): { findings: Finding[]; hidden: number } {
  const kept = findings.filter((f) => f.fixed.length > 0 || f.status !== 'affected');
  return { findings: kept, hidden: findings.length - kept.length };
}

/** chart → subchart → workload → image → package, through the first place the image is used. */
function withImpactPaths(findings: Finding[], images: ReportImage[], top: string): Finding[] {
  const byRef = new Map(images.map((i) => [i.ref, i]));
  return findings.map((f) => {
    const src = byRef.get(f.image)?.sources[0];
    const charts = src && src.chart !== top ? [top, src.chart] : [top];
    return { ...f, path: [...charts, ...(src ? [`${src.kind}/${src.name}`] : []), f.image, `${f.package.name} ${f.package.version}`] };
  });
}

async function provenanceOf(opts: ScanOptions, archive: Buffer, e: Env): Promise<ProvenanceCheck> {
  const provPath = `${opts.chart}.prov`;
  return checkProvenance({
    archive, prov: exists(provPath) ? readInput(provPath, 'provenance file') : null,
    filename: basename(opts.chart), provName: basename(provPath), keyring: opts.keyring,
  }, e);
}

function unsignedDirectory(): ProvenanceCheck {
  return {
    provenance: { status: 'unsigned', signer: null, fingerprint: null, signedAt: null, hash: null, reason: 'chart directory: only packaged charts carry provenance' },
    claimed: null,
    warnings: [],
  };
}

/** The report of an archive that failed its provenance and does not load. */
function unloadable(opts: ScanOptions, archive: Buffer, prov: ProvenanceCheck, why: string, warnings: string[]): ScanReport {
  const chart: ReportChart = {
    name: prov.claimed?.name ?? basename(opts.chart).replace(/\.tgz$/i, ''),
    version: prov.claimed?.version ?? 'unknown',
    appVersion: null,
    digest: archiveDigest(archive),
  };
  const report: Omit<ScanReport, 'verdict'> = {
    schemaVersion: 1,
    tool: { name: 'chartaudit', version: VERSION },
    chart,
    provenance: prov.provenance satisfies ReportProvenance,
    charts: [],
    images: [],
    customResourceImages: [],
    vulnerabilitySource: null,
    findings: [],
    posture: null,
    mitigations: { unused: [], expired: [] },
    gaps: [{ scope: opts.chart, reason: `the chart was not examined: ${why}` }],
    warnings,
  };
  return { ...report, verdict: verdictOf(report, opts) };
}
