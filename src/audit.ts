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
import type { ChartNode } from './model/chart.js';
import type { ReportChartNode, ReportProvenance, ScanReport } from './model/report.js';
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
// scan

export interface ScanOptions {
  chart: string;
  keyring?: string;
  valuesFiles: string[];
}

export async function scan(opts: ScanOptions, e: Env): Promise<ScanReport> {
  const { loadChart, resolveChartTree, checkDependencies, parseValuesFile } = await import('./stages.js');

  const isDir = exists(opts.chart) && statSync(opts.chart).isDirectory();
  const archive = isDir ? null : readInput(opts.chart, 'chart');
  const chart = await loadChart(opts.chart, archive ?? undefined);
  try {
    checkDependencies(chart);
  } catch (err) {
    if (err instanceof Error && err.name === 'InputError') throw new InputError(`${opts.chart}: ${err.message}`, opts.chart);
    throw err;
  }

  const { provenance, claimed } = isDir
    ? { provenance: unsignedDirectory(), claimed: null }
    : await checkProvenanceBeside(opts.chart, archive!, opts.keyring, e);
  const warnings: string[] = [];
  if (claimed && (claimed.name !== chart.metadata.name || claimed.version !== chart.metadata.version)) {
    // helm never compares them; the signature covers the archive digest, but a mismatch means
    // the .prov was made for another chart or edited before signing.
    warnings.push(`the provenance file names chart ${claimed.name ?? '?'} ${claimed.version ?? '?'}, the archive holds ${chart.metadata.name} ${chart.metadata.version}`);
  }

  let userValues: Record<string, unknown> = {};
  for (const f of opts.valuesFiles) {
    userValues = mergeValues(userValues, parseValuesFile(readInput(f, 'values file'), f));
  }
  const tree = resolveChartTree(chart, userValues);
  const charts: ReportChartNode[] = [];
  const walk = (n: ChartNode) => {
    charts.push({ path: n.path, name: n.name, alias: n.alias, version: n.version, enabled: n.enabled, reason: n.reason, declared: n === tree || n.declared });
    n.children.forEach(walk);
  };
  walk(tree);

  return {
    schemaVersion: 1,
    tool: { name: 'chartaudit', version: VERSION },
    chart: {
      name: chart.metadata.name,
      version: chart.metadata.version,
      appVersion: chart.metadata.appVersion ?? null,
      digest: archive ? `sha256:${createHash('sha256').update(archive).digest('hex')}` : null,
    },
    provenance,
    charts,
    images: [],
    findings: [],
    mitigations: { unused: [], expired: [] },
    gaps: [{
      scope: tree.path,
      reason: 'images and vulnerabilities were not examined: this version of chartaudit does not render templates yet',
    }],
    warnings: [...warnings, ...collectWarnings(tree)],
  };
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

/** Values files merge like helm's -f: later files win, maps merge key by key. */
function mergeValues(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isMap(b) && isMap(v) ? mergeValues(b, v) : v;
  }
  return out;
}
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
