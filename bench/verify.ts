/**
 * bench/verify: `chartaudit verify` against `helm verify` (reference v4.1.4) on the same
 * files, alternating runs, in one go. Prints medians and the ratio (goal ≤ 1.0x, limit 1.5x).
 *
 *   npm run build && npx tsx bench/verify.ts [runs]
 *
 * Inputs: helm's own signtest vector (tiny archive) and the largest corpus chart signed
 * for the occasion (hashing cost). Both run as users run them, as commands with this
 * script's environment (bin/chartaudit.js through its shebang).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { helmPath } from '../test/helpers/helm.js';

const root = resolve(import.meta.dirname, '..');
const shared = resolve(root, '..', 'shared');
const vectors = join(shared, 'testdata', 'helm-provenance');
const runs = Number(process.argv[2] ?? 30);
const helm = helmPath();
const bin = join(root, 'bin', 'chartaudit.js');
const work = mkdtempSync(join(tmpdir(), 'chartaudit-bench-'));

function prepare(): { name: string; tgz: string; keyring: string }[] {
  const out = [];
  copyFileSync(join(vectors, 'signtest-0.1.0.tgz'), join(work, 'signtest-0.1.0.tgz'));
  copyFileSync(join(vectors, 'signtest-0.1.0.tgz.prov'), join(work, 'signtest-0.1.0.tgz.prov'));
  out.push({ name: 'signtest (helm vector, 1 KB)', tgz: join(work, 'signtest-0.1.0.tgz'), keyring: join(vectors, 'helm-test-key.pub') });
  const corpus = join(shared, 'corpus', 'bitnami', 'charts');
  const biggest = readdirSync(corpus).map((f) => ({ f, size: statSync(join(corpus, f)).size })).sort((a, b) => b.size - a.size)[0];
  if (biggest) {
    const tgz = join(work, biggest.f);
    copyFileSync(join(corpus, biggest.f), tgz);
    const r = spawnSync(process.execPath, [bin, 'sign', tgz, '--key', 'Helm Testing', '--keyring', join(vectors, 'helm-test-key.secret')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`signing ${biggest.f} failed: ${r.stderr}`);
    out.push({ name: `${biggest.f} (${Math.round(biggest.size / 1024)} KB)`, tgz, keyring: join(vectors, 'helm-test-key.pub') });
  }
  return out;
}

function time(cmd: string, args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function measure(label: string, env: NodeJS.ProcessEnv) {
  console.log(label);
  let worst = 0;
  for (const c of prepare()) {
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < runs + 3; i++) {
      const a = time(bin, ['verify', c.tgz, '--keyring', c.keyring], env);
      const b = time(helm, ['verify', '--keyring', c.keyring, c.tgz], env);
      if (i >= 3) { ours.push(a); theirs.push(b); } // the first runs warm the page cache
    }
    const ratio = median(ours) / median(theirs);
    worst = Math.max(worst, ratio);
    console.log(`  ${c.name}: chartaudit ${median(ours).toFixed(1)} ms, helm ${median(theirs).toFixed(1)} ms, ratio ${ratio.toFixed(2)}x (median of ${runs})`);
  }
  console.log(`  verify time ratio (worst case): ${worst.toFixed(2)}x  (goal ≤ 1.0x, limit 1.5x)`);
}

measure(`chartaudit verify vs helm ${'verify'} (reference v4.1.4)`, process.env);
