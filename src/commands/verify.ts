/** `chartaudit verify`: helm verify's checks, in helm's order, on a packaged chart and its .prov. */
import { basename } from 'node:path';
import { statSync } from 'node:fs';
import { InputError, UsageError } from '../model/errors.js';
import type { VerifyOutcome } from '../model/provenance.js';
import { ProvenanceError } from '../provenance/verify.js';
import { exists, readInput, type Env } from './context.js';
import { requireKeyring } from './keyring.js';
import { verifyBytes } from './provenance-check.js';

export interface VerifyOptions {
  chart: string;
  keyring?: string;
}

/** A failed check is an outcome (status `failed`, exit 1), not an exception: JSON output reports it too. */
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
  const failed = (failure: string, reason: string, keyring: string | null): VerifyOutcome =>
    ({ chart: chartPath, status: 'failed', failure, reason, keyring, verification: null, warnings: [] });
  if (!exists(provPath)) return failed('no-provenance', `could not load provenance file ${provPath}: no such file`, null);
  const ring = requireKeyring(opts.keyring, e);
  const archive = readInput(chartPath, 'chart');
  const prov = readInput(provPath, 'provenance file');
  try {
    const verification = await verifyBytes({ archive, prov, filename: basename(chartPath), keyring: ring.keyring, now: e.now });
    return { chart: chartPath, status: 'verified', failure: null, reason: null, keyring: ring.path, verification, warnings: [] };
  } catch (err) {
    if (err instanceof ProvenanceError) return failed(err.failure, err.message, ring.path);
    throw err;
  }
}
