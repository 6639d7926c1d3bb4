/**
 * The only place that runs the pipeline stages in order, for every command. Stages are
 * pure (bytes in, data out); this file does the file reading they need and turns their
 * failures into the typed errors of src/model/errors.ts that the CLI maps to exit codes.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CheckFailedError, InputError, UsageError } from './model/errors.js';
import type { Chart, ChartNode } from './model/chart.js';
import type { Finding } from './model/advisory.js';
import type { Gap, ImagesReport, ReportChart, ReportChartNode, ReportImage, ReportProvenance, ScanReport } from './model/report.js';
import { PgpFormatError } from './provenance/openpgp/packets.js';
import { readKeyring, type Keyring } from './provenance/keyring.js';
import { defaultKeyringCandidates } from './provenance/default-keyring.js';
import { ProvenanceError, verifyProvenance, type Verification, type VerifyInput } from './provenance/verify.js';
import { NeedsYamlError } from './provenance/message.js';
import { VERSION } from './version.js';

export interface Env {
  env: Record<string, string | undefined>;
  home: string;
  now: Date;
}

export const processEnv = (): Env => ({ env: process.env, home: homedir(), now: new Date() });

function readInput(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${path}: ${what} does not exist`, path);
    if (code === 'EISDIR') throw new InputError(`${path}: ${what} is a directory`, path);
    throw new InputError(`${path}: cannot read ${what}: ${(e as Error).message}`, path);
  }
}

const exists = (p: string): boolean => {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
};

export interface LoadedKeyring {
  path: string;
  keyring: Keyring;
}

/** Reads --keyring, or helm's default keyring (falling back to GnuPG's keybox); null when none exists. */
export function loadKeyring(explicit: string | undefined, e: Env): LoadedKeyring | null {
  let path = explicit;
  if (!path) {
    path = defaultKeyringCandidates(e.env, e.home).find(exists);
    if (!path) return null;
  }
  const data = readInput(path, 'keyring');
  try {
    return { path, keyring: readKeyring(data) };
  } catch (err) {
    if (err instanceof PgpFormatError) throw new InputError(`${path}: not a usable keyring: ${err.message}`, path);
    throw err;
  }
}

function requireKeyring(explicit: string | undefined, e: Env): LoadedKeyring {
  const k = loadKeyring(explicit, e);
  if (!k) {
    const tried = defaultKeyringCandidates(e.env, e.home).join(', ');
    throw new InputError(`no keyring: pass --keyring FILE (looked for ${tried})`);
  }
  return k;
}

// ---------------------------------------------------------------------------------------
// verify

/** verifyProvenance, loading the YAML parser only for signed text not in helm's plain shape. */
async function verifyBytes(input: VerifyInput): Promise<Verification> {
  try {
    return verifyProvenance(input);
  } catch (err) {
    if (!(err instanceof NeedsYamlError)) throw err;
    return verifyProvenance({ ...input, yaml: (await import('yaml')).parse });
  }
}

export interface VerifyOptions {
  chart: string;
  keyring?: string;
}

export interface VerifyOutcome {
  chart: string;
  keyringPath: string;
  verification: Verification;
  warnings: string[];
}

/** `helm verify`: same checks in the same order; failures throw CheckFailedError (exit 1). */
export async function verifyChart(opts: VerifyOptions, e: Env): Promise<VerifyOutcome> {
  const chartPath = opts.chart;
  let st;
  try {
    st = statSync(chartPath);
  } catch {
    throw new InputError(`${chartPath}: chart does not exist`, chartPath);
  }
  if (st.isDirectory()) throw new UsageError(`${chartPath}: unpacked charts cannot be verified (package it first: helm package)`);
  if (!chartPath.toLowerCase().endsWith('.tgz')) throw new UsageError(`${chartPath}: chart must be a tgz file`);
  const provPath = `${chartPath}.prov`;
  if (!exists(provPath)) throw new CheckFailedError(`${chartPath}: could not load provenance file ${provPath}: no such file`);
  const ring = requireKeyring(opts.keyring, e);
  const archive = readInput(chartPath, 'chart');
  const prov = readInput(provPath, 'provenance file');
  let verification: Verification;
  try {
    verification = await verifyBytes({ archive, prov, filename: basename(chartPath), keyring: ring.keyring, now: e.now });
  } catch (err) {
    if (err instanceof ProvenanceError) throw new CheckFailedError(`${chartPath}: ${err.message}`);
    throw err;
  }
  const warnings: string[] = [];
  return { chart: chartPath, keyringPath: ring.path, verification, warnings };
}

// ---------------------------------------------------------------------------------------
// sign

export interface SignOptions {
  chart: string;
  key: string;
  keyring: string;
  passphraseFile?: string;
  /** Reads a passphrase interactively; absent when there is no terminal. */
  prompt?: (question: string) => Promise<string>;
  /** Reads all of standard input (for --passphrase-file -). */
  readStdin?: () => Promise<string>;
}

export interface SignOutcome {
  prov: string;
  signer: string;
  fingerprint: string;
}

export async function signChartFile(opts: SignOptions, e: Env): Promise<SignOutcome> {
  const chartPath = opts.chart;
  if (!chartPath.toLowerCase().endsWith('.tgz')) throw new UsageError(`${chartPath}: chart must be a tgz file`);
  const archive = readInput(chartPath, 'chart');
  const secring = readInput(opts.keyring, 'keyring');
  const { loadChartArchive } = await import('./stages.js');
  const chart = await loadChartArchive(archive, basename(chartPath));
  const { signChart, SignError } = await import('./provenance/sign.js');
  const passphrase = async (): Promise<string> => {
    if (opts.passphraseFile === '-') {
      if (!opts.readStdin) throw new UsageError('specified reading passphrase from stdin, without input on stdin');
      return firstLine(await opts.readStdin());
    }
    if (opts.passphraseFile) return firstLine(readInput(opts.passphraseFile, 'passphrase file').toString('utf8'));
    if (opts.prompt) return opts.prompt(`Password for key "${opts.key}" >  `);
    throw new UsageError('the key is protected by a passphrase: pass --passphrase-file FILE (or - for stdin)');
  };
  let signed;
  try {
    signed = await signChart({
      archive, filename: basename(chartPath), metadata: chart.metadata as unknown as Record<string, unknown>,
      secretKeyring: secring, keyName: opts.key, passphrase, now: e.now,
    });
  } catch (err) {
    if (err instanceof SignError) throw new InputError(`${opts.keyring}: ${err.message}`, opts.keyring);
    throw err;
  }
  const provPath = `${chartPath}.prov`;
  const tmp = join(dirname(provPath), `.${basename(provPath)}.${process.pid}.tmp`);
  writeFileSync(tmp, signed.prov, { mode: 0o644 });
  renameSync(tmp, provPath);
  return { prov: provPath, signer: signed.signer, fingerprint: signed.fingerprint };
}

const firstLine = (s: string): string => s.split(/\r?\n/, 1)[0] ?? '';

// ---------------------------------------------------------------------------------------
// rendering: template, images, scan

/** Values and release settings, as helm template takes them. */
export interface RenderFlags {
  valuesFiles: string[];
  set: string[];
  setString: string[];
  setJson: string[];
  setFile: string[];
  setLiteral: string[];
  releaseName: string;
  namespace: string;
  kubeVersion?: string;
  apiVersions: string[];
}

interface Loaded {
  /** The chart as the user named it. */
  path: string;
  chart: Chart;
  /** The archive bytes; null for a chart directory. */
  archive: Buffer | null;
  userValues: Record<string, unknown>;
}

async function loadWithValues(chartPath: string, flags: RenderFlags): Promise<Loaded> {
  const { loadChart, checkDependencies, buildUserValues } = await import('./stages.js');
  const isDir = exists(chartPath) && statSync(chartPath).isDirectory();
  const archive = isDir ? null : readInput(chartPath, 'chart');
  const chart = await loadChart(chartPath, archive ?? undefined);
  try {
    checkDependencies(chart);
  } catch (err) {
    if (err instanceof Error && err.name === 'InputError') throw new InputError(`${chartPath}: ${err.message}`, chartPath);
    throw err;
  }
  const userValues = buildUserValues({
    valuesFiles: flags.valuesFiles.map((f) => ({ name: f, bytes: readInput(f, 'values file') })),
    set: flags.set, setString: flags.setString, setJson: flags.setJson, setFile: flags.setFile, setLiteral: flags.setLiteral,
  }, (p) => readFileSync(p));
  return { path: chartPath, chart, archive, userValues };
}

/**
 * Renders like helm template. `output: 'hidden'` is for renders whose text nobody sees
 * (images, scan): keys that templates generate may then be reused throwaway keys (see
 * render/sprig/keys.ts), since they change nothing about what is deployed.
 */
async function render(l: Loaded, flags: RenderFlags, extra: { includeCrds?: boolean; output: 'shown' | 'hidden' }) {
  const { renderChart, setKeyGeneration } = await import('./stages.js');
  setKeyGeneration(extra.output === 'hidden' ? 'throwaway' : 'secure');
  try {
    return renderChart(l.chart, {
      releaseName: flags.releaseName, namespace: flags.namespace, values: l.userValues,
      kubeVersion: flags.kubeVersion, apiVersions: flags.apiVersions, includeCrds: extra.includeCrds,
    });
  } catch (err) {
    // helm's render messages name the template, not the chart file: say which chart it was.
    if (err instanceof Error && (err.name === 'InputError' || err.name === 'UsageError') && !err.message.includes(basename(l.path))) {
      err.message = `${l.path}: ${err.message}`;
    }
    throw err;
  } finally {
    setKeyGeneration('secure');
  }
}

export interface TemplateOptions extends RenderFlags {
  chart: string;
  showOnly: string[];
  includeCrds: boolean;
  skipTests: boolean;
}

/** `helm template`: the rendered manifests, as helm prints them. */
export async function template(opts: TemplateOptions): Promise<string> {
  const loaded = await loadWithValues(opts.chart, opts);
  const result = await render(loaded, opts, { includeCrds: opts.includeCrds, output: 'shown' });
  const { formatTemplateOutput } = await import('./stages.js');
  return formatTemplateOutput(result, { showOnly: opts.showOnly, skipTests: opts.skipTests });
}

export interface ImagesOptions extends RenderFlags {
  chart: string;
}

/** The chart, its subchart tree and the images it deploys (DESIGN.md: `images --format json`). */
export async function images(opts: ImagesOptions): Promise<ImagesReport> {
  const loaded = await loadWithValues(opts.chart, opts);
  const result = await render(loaded, opts, { output: 'hidden' });
  const { extractImages } = await import('./stages.js');
  const extracted = extractImages(result.manifests);
  return {
    chart: reportChart(loaded),
    charts: flattenTree(result.tree),
    images: extracted.images,
    customResourceImages: extracted.customResourceImages,
    gaps: extracted.gaps,
  };
}

/** `images` for several charts: each result is the chart's report, or the error that stopped it. */
export async function imagesOfEach(charts: string[], flags: RenderFlags): Promise<({ file: string } & (ImagesReport | { error: string }))[]> {
  const out: ({ file: string } & (ImagesReport | { error: string }))[] = [];
  for (const file of charts) {
    try {
      out.push({ file, ...(await images({ chart: file, ...flags })) });
    } catch (err) {
      if (!(err instanceof Error) || !['InputError', 'UsageError', 'CheckFailedError'].includes(err.name)) throw err;
      out.push({ file, error: err.message });
    }
  }
  return out;
}

export interface ScanOptions extends RenderFlags {
  chart: string;
  keyring?: string;
  /** --db DIR; default $CHARTAUDIT_DB, else the user cache dir. */
  db?: string;
  /** --offline: never use the network; without a database, findings become a gap. */
  offline: boolean;
  /** --online: query the OSV API even when a local database exists. */
  online: boolean;
  /** --osv-url: the OSV API (tests point it at a local server). */
  osvUrl?: string;
  /** --vex FILE (repeatable): OpenVEX or CycloneDX VEX documents; trusted. */
  vex: string[];
  /** --ignore-file FILE; default `.chartaudit-ignore.yaml` in the working directory when present. */
  ignoreFile?: string;
  /** Prints progress and warnings on stderr. */
  warn?: (message: string) => void;
}

/**
 * Chooses the advisory source (local database, or the OSV API when asked or when there is no
 * database and the network is allowed) and matches the packages of `images`. Whatever could
 * not be examined is a gap.
 */
async function vulnerabilityStage(imgs: ReportImage[], opts: ScanOptions, e: Env): Promise<{ findings: Finding[]; gaps: Gap[] }> {
  const { packagesOfImages, findingsFor } = await import('./stages-vuln.js');
  const inventory = packagesOfImages(imgs);
  const gaps: Gap[] = [...inventory.gaps];
  if (inventory.packages.length === 0) return { findings: [], gaps };
  const { defaultDbDir, openDb, DB_FILE } = await (await import('./stages-vuln.js')).vulnDb();
  const dir = opts.db ?? e.env.CHARTAUDIT_DB ?? defaultDbDir(e.env, e.home);
  const haveDb = exists(join(dir, DB_FILE));
  if (!opts.online && haveDb) {
    const db = openDb(dir, { readonly: true });
    try {
      const r = findingsFor(inventory.packages, db);
      return { findings: r.findings, gaps: [...gaps, ...r.gaps] };
    } finally {
      db.close();
    }
  }
  if (opts.offline) {
    opts.warn?.(`no vulnerability database in ${dir} and --offline: vulnerabilities not examined (run chartaudit db update, or db import)`);
    gaps.push({ scope: 'vulnerabilities', reason: `no vulnerability database in ${dir} and --offline given: ${inventory.packages.length} packages not checked` });
    return { findings: [], gaps };
  }
  const { queryOsv } = await (await import('./stages-vuln.js')).osvApi();
  const online = await queryOsv(inventory.packages.map((p) => ({ ecosystem: p.ecosystem, name: p.name, version: p.version })), {
    ...(opts.osvUrl ? { baseUrl: opts.osvUrl } : {}),
  });
  const r = findingsFor(inventory.packages, (await (await import('./stages-vuln.js')).vulnDb()).memoryDb(online.records, { source: 'osv.dev' }));
  return { findings: r.findings, gaps: [...gaps, ...online.gaps, ...r.gaps] };
}

export async function scan(opts: ScanOptions, e: Env): Promise<ScanReport> {
  const loaded = await loadWithValues(opts.chart, opts);
  const { chart, archive } = loaded;
  const { provenance, claimed } = archive === null
    ? { provenance: unsignedDirectory(), claimed: null }
    : await checkProvenanceBeside(opts.chart, archive, opts.keyring, e);
  const warnings: string[] = [];
  if (claimed && (claimed.name !== chart.metadata.name || claimed.version !== chart.metadata.version)) {
    // helm never compares them; the signature covers the archive digest, but a mismatch means
    // the .prov was made for another chart or edited before signing.
    warnings.push(`the provenance file names chart ${claimed.name ?? '?'} ${claimed.version ?? '?'}, the archive holds ${chart.metadata.name} ${chart.metadata.version}`);
  }

  const gaps: Gap[] = [];
  let tree: ChartNode;
  let found: ReportImage[] = [];
  let fromCustomResources: ReportImage[] = [];
  try {
    const result = await render(loaded, opts, { output: 'hidden' });
    tree = result.tree;
    const { extractImages } = await import('./stages.js');
    const extracted = extractImages(result.manifests);
    found = extracted.images;
    fromCustomResources = extracted.customResourceImages;
    gaps.push(...extracted.gaps);
  } catch (err) {
    // A chart that does not render with these values still has a provenance and a tree to
    // report; what it deploys is then unknown, and the report says so.
    if (!(err instanceof Error) || (err.name !== 'InputError' && err.name !== 'UsageError')) throw err;
    const { resolveChartTree } = await import('./stages.js');
    tree = resolveChartTree(chart, loaded.userValues);
    gaps.push({ scope: tree.path, reason: `the chart did not render, so its images are unknown: ${err.message}` });
  }
  const vulns = await vulnerabilityStage([...found, ...fromCustomResources], opts, e);
  gaps.push(...vulns.gaps);
  const mitigated = await mitigationStage(vulns.findings, tree, [...found, ...fromCustomResources], provenance.status === 'verified', opts, e);
  gaps.push(...mitigated.gaps);
  warnings.push(...mitigated.warnings);

  return {
    schemaVersion: 1,
    tool: { name: 'chartaudit', version: VERSION },
    chart: reportChart(loaded),
    provenance,
    charts: flattenTree(tree),
    images: found,
    customResourceImages: fromCustomResources,
    findings: mitigated.findings,
    mitigations: { unused: mitigated.unused, expired: mitigated.expired },
    gaps,
    warnings: [...warnings, ...collectWarnings(tree)],
  };
}

/**
 * Mitigation statements applied to the findings (DESIGN.md "Mitigations"): the chart's own
 * security-mitigation.yaml files, trusted only when its provenance is verified (an external
 * notes file they point to is fetched when the network is allowed, and is never trusted: the
 * signature does not cover it); --vex documents and the ignore file, trusted.
 */
async function mitigationStage(findings: Finding[], tree: ChartNode, imgs: ReportImage[], verified: boolean, opts: ScanOptions, e: Env) {
  const m = await import('./stages-vuln.js');
  const notes = m.collectChartNotes(tree, verified);
  const statements = [...notes.statements];
  const warnings = [...notes.warnings];
  const gaps: Gap[] = [];
  for (const doc of notes.documents) {
    if (!doc.external) continue;
    if (opts.offline) {
      gaps.push({ scope: doc.source, reason: `external mitigation notes at ${doc.external.url} not fetched (--offline)` });
      continue;
    }
    try {
      const text = await (await m.helmRepo()).fetchText(doc.external.url, { what: 'external mitigation notes', retries: 1 });
      const r = m.readChartCenter(text, doc.external.url, { trusted: false, chart: doc.chart.split('/').pop()! });
      statements.push(...r.statements);
      warnings.push(...r.warnings);
    } catch (err) {
      if (!(err instanceof Error) || err.name !== 'InputError' && err.name !== 'DownloadError') throw err;
      gaps.push({ scope: doc.source, reason: `external mitigation notes not read: ${err.message}` });
    }
  }
  for (const f of opts.vex) statements.push(...collect(m.readVexFile(readInput(f, 'VEX document'), f), warnings));
  const ignore = opts.ignoreFile ?? (exists(m.DEFAULT_IGNORE_FILE) ? m.DEFAULT_IGNORE_FILE : undefined);
  if (ignore) statements.push(...collect(m.readIgnoreFile(readInput(ignore, 'ignore file'), ignore), warnings));
  const applied = m.applyStatements(findings, statements, { chartTree: tree, now: e.now, images: imgs });
  return {
    findings: applied.findings,
    unused: applied.unused.map(m.summarizeStatement),
    expired: applied.expired.map(m.summarizeStatement),
    warnings,
    gaps,
  };
}

function collect<S>(r: { statements: S[]; warnings: string[] }, warnings: string[]): S[] {
  warnings.push(...r.warnings);
  return r.statements;
}

function reportChart(l: Loaded): ReportChart {
  return {
    name: l.chart.metadata.name,
    version: l.chart.metadata.version,
    appVersion: l.chart.metadata.appVersion ?? null,
    digest: l.archive ? `sha256:${createHash('sha256').update(l.archive).digest('hex')}` : null,
  };
}

function flattenTree(tree: ChartNode): ReportChartNode[] {
  const out: ReportChartNode[] = [];
  const walk = (n: ChartNode) => {
    out.push({ path: n.path, name: n.name, alias: n.alias, version: n.version, enabled: n.enabled, reason: n.reason, declared: n === tree || n.declared });
    n.children.forEach(walk);
  };
  walk(tree);
  return out;
}

function collectWarnings(n: ChartNode): string[] {
  return [...n.chart.warnings.map((w) => `${n.path}: ${w}`), ...n.children.flatMap(collectWarnings)];
}

function unsignedDirectory(): ReportProvenance {
  return { status: 'unsigned', signer: null, fingerprint: null, signedAt: null, hash: null, reason: 'chart directory: only packaged charts carry provenance' };
}

/** Provenance status for scan: a .prov beside the archive is checked when a keyring is at hand. */
async function checkProvenanceBeside(
  chartPath: string, archive: Buffer, keyring: string | undefined, e: Env,
): Promise<{ provenance: ReportProvenance; claimed: Verification['claimed'] | null }> {
  const hash = `sha256:${createHash('sha256').update(archive).digest('hex')}`;
  const base = { signer: null, fingerprint: null, signedAt: null, hash };
  const provPath = `${chartPath}.prov`;
  const unverified = (status: ReportProvenance['status'], reason: string) => ({ provenance: { ...base, status, reason }, claimed: null });
  if (!exists(provPath)) return unverified('unsigned', `no provenance file ${basename(provPath)}`);
  const ring = loadKeyring(keyring, e);
  if (!ring) return unverified('unchecked', `no keyring to check ${basename(provPath)} against: pass --keyring FILE`);
  try {
    const v = await verifyBytes({ archive, prov: readInput(provPath, 'provenance file'), filename: basename(chartPath), keyring: ring.keyring, now: e.now });
    return {
      provenance: { status: 'verified', signer: v.signedBy[0] ?? null, fingerprint: v.fingerprint, signedAt: v.signedAt?.toISOString() ?? null, hash: v.hash, reason: null },
      claimed: v.claimed,
    };
  } catch (err) {
    if (err instanceof ProvenanceError) return unverified('failed', err.message);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------
// the vulnerability database

export function dbDirOf(explicit: string | undefined, e: Env, defaultDbDir: (env: Record<string, string | undefined>, home: string) => string): string {
  return explicit ?? e.env.CHARTAUDIT_DB ?? defaultDbDir(e.env, e.home);
}

/** `db import`: every path into the database in one atomic swap. */
export async function dbImport(paths: string[], dbOpt: string | undefined, e: Env, progress?: (line: string) => void) {
  const { importPaths, defaultDbDir, progressPrinter } = await (await import('./stages-vuln.js')).dbAdmin();
  for (const p of paths) if (!exists(p)) throw new InputError(`${p}: does not exist`, p);
  const dir = dbDirOf(dbOpt, e, defaultDbDir);
  return importPaths(paths.map((path) => ({ path })), dir, {
    now: e.now, ...(progress ? { onProgress: progressPrinter(progress) } : {}),
  });
}

export interface DbUpdateOptions {
  db?: string;
  ecosystems: string[];
  osvBaseUrl?: string;
  nvd: boolean;
  nvdBaseUrl?: string;
}

/** `db update`: downloads, then imports with the same atomic swap; any failed source fails it. */
export async function dbUpdate(opts: DbUpdateOptions, e: Env, progress?: (line: string) => void) {
  const { updateDb, defaultDbDir, progressPrinter } = await (await import('./stages-vuln.js')).dbAdmin();
  const dir = dbDirOf(opts.db, e, defaultDbDir);
  return updateDb(dir, {
    ...(opts.ecosystems.length ? { ecosystems: opts.ecosystems } : {}),
    ...(opts.osvBaseUrl ? { baseUrl: opts.osvBaseUrl } : {}),
    ...(opts.nvd ? { nvd: opts.nvdBaseUrl ? { baseUrl: opts.nvdBaseUrl } : {} } : {}),
    now: e.now,
    ...(progress ? { onProgress: progressPrinter(progress) } : {}),
  });
}

/** `db status`: text or JSON, with a warning when the data is old. */
export async function dbStatus(dbOpt: string | undefined, format: 'text' | 'json', e: Env): Promise<string> {
  const { openDb, defaultDbDir, renderStatusJson, renderStatusText } = await (await import('./stages-vuln.js')).dbAdmin();
  const db = openDb(dbDirOf(dbOpt, e, defaultDbDir), { readonly: true });
  try {
    const status = db.status();
    return format === 'json' ? renderStatusJson(status, e.now) : renderStatusText(status, e.now);
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------
// mitigations: a chart's author notes, from its Helm repository

export interface MitigationsOptions {
  /** `<repo>/<chart>`, or `<chart>` with --repo. */
  ref: string;
  version?: string;
  repo?: string;
}

export interface MitigationsResult {
  chart: { name: string; version: string; digest: string; url: string };
  documents: { chart: string; source: string; summary: string | null; securityAdvisoryUrl: string | null; external: { url: string; declared: boolean } | null }[];
  statements: import('./mitigations/model.js').Statement[];
  warnings: string[];
}

/**
 * `chartaudit mitigations`: resolves the repository (helm's repositories file or --repo),
 * downloads index.yaml and the chart, checks the chart's digest against the index, and reads
 * the security-mitigation.yaml of the chart and its subcharts, following an external notes
 * URL when a file names one. Network faults are InputErrors (exit 2).
 */
export async function mitigations(opts: MitigationsOptions, e: Env): Promise<MitigationsResult> {
  const m = { ...(await import('./stages.js')), ...(await import('./stages-vuln.js')) };
  const repo = await m.helmRepo();
  const ref = repo.resolveChartRef(opts.ref, { ...(opts.repo ? { repoUrl: opts.repo } : {}), env: e.env, home: e.home });
  const index = await repo.fetchIndex(ref.url, { access: ref.access });
  const name = repo.chartNameIn(ref, (n) => index.entries.has(n));
  const entry = repo.resolveChartVersion(index, name, opts.version);
  const downloaded = await repo.downloadChart(entry, ref.url, { access: ref.access });
  const chart = await m.loadChartArchive(downloaded.bytes, downloaded.fileName);
  const tree = m.resolveChartTree(chart, {});
  // Trust is not decided here (no provenance check): the notes are shown as the author wrote them.
  const notes = m.collectChartNotes(tree, false);
  const statements = [...notes.statements];
  const warnings = [...notes.warnings];
  for (const doc of notes.documents) {
    if (!doc.external) continue;
    const text = await repo.fetchText(doc.external.url, { what: 'external mitigation notes' });
    const r = m.readChartCenter(text, doc.external.url, { trusted: false, chart: doc.chart.split('/').pop()! });
    statements.push(...r.statements);
    warnings.push(...r.warnings);
  }
  return {
    chart: { name: chart.metadata.name, version: chart.metadata.version, digest: downloaded.digest, url: downloaded.url },
    documents: notes.documents,
    statements,
    warnings,
  };
}
