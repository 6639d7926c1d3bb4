/** `chartaudit sign`: writes <chart.tgz>.prov that helm verify accepts. */
import { renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError, UsageError } from '../model/errors.js';
import { loadChartArchive } from '../chart/load.js';
import { readInput, type Env } from './context.js';

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
  const chart = await loadChartArchive(archive, basename(chartPath));
  // openpgp.js is large: only signing loads it.
  const { signChart, SignError } = await import('../provenance/sign.js');
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
