/**
 * The long differential run of the provenance verifier (test/helpers/provenance-differential.ts):
 * seeded mutations of real helm- and gpg-signed .prov files, keyrings and archives, judged by
 * chartaudit, openpgp.js v6 and (a sample) gpg --verify. The CI test runs 5,000 of them.
 *
 *   npx tsx scripts/provenance-differential.ts [count=100000] [seed=20260905] [gpgEvery=500] [openpgpEvery=1]
 *
 * openpgp.js judges every mutation chartaudit verifies, and every openpgpEvery-th of the rest.
 *
 * Prints the figures as JSON: mutations run, verdict counts, every disagreement.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { disposeAllGpg, Gpg } from '../test/helpers/gpg.js';
import { runDifferential } from '../test/helpers/provenance-differential.js';

const count = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? 20260905);
const gpgEvery = Number(process.argv[4] ?? 500);
const openpgpEvery = Number(process.argv[5] ?? 1);
const root = resolve(import.meta.dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'chartaudit-differential-'));
const gpg = new Gpg(join(tmp, 'gnupg'));
try {
  const summary = await runDifferential({ root, seed, count, gpgEvery, openpgpEvery, gpg, tmp, onProgress: (n) => process.stderr.write(`${n} `) });
  process.stderr.write('\n');
  console.log(JSON.stringify(summary, null, 2));
} finally {
  disposeAllGpg();
  rmSync(tmp, { recursive: true, force: true });
}
