/**
 * bench/posture-pss: the Pod Security Standards evaluator on every upstream fixture pod
 * (../shared/testdata/pod-security), each judged at its level and version, all of them
 * `rounds` times (default 1,000). Parsing happens once, outside the timing; nothing is rendered.
 * Prints the time per pod evaluation (goal: thousands of pod specs, as in the 116 corpus charts,
 * well under a second in total).
 *
 *   npx tsx bench/posture-pss.ts [rounds]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseValuesFile } from '../src/chart/yaml.js';
import { evaluatePodSecurity } from '../src/posture/pss/index.js';

const root = resolve(import.meta.dirname, '..');
const dir = join(root, '..', 'shared', 'testdata', 'pod-security');
const rounds = Number(process.argv[2] ?? 1000);
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
  fixtures: { file: string; level: 'baseline' | 'restricted'; version: string; expect: string }[];
};
const pods = index.fixtures.map((f) => ({
  obj: parseValuesFile(readFileSync(join(dir, f.file)), f.file),
  opts: { level: f.level, version: `v${f.version}` },
  expect: f.expect,
}));

// warm-up and a sanity check: the verdicts are the fixtures'
let agree = 0;
for (const p of pods) if (evaluatePodSecurity(p.obj, p.opts)!.allowed === (p.expect === 'allow')) agree++;

let denied = 0;
const start = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) {
  for (const p of pods) if (!evaluatePodSecurity(p.obj, p.opts)!.allowed) denied++;
}
const ns = Number(process.hrtime.bigint() - start);
const evaluations = rounds * pods.length;
console.log(`fixtures: ${pods.length} pods (${agree}/${pods.length} judged as upstream), ${rounds} rounds, ${evaluations} evaluations (${denied} denied)`);
console.log(`total ${(ns / 1e6).toFixed(0)} ms, ${(ns / evaluations / 1e3).toFixed(2)} µs per pod, ${Math.round(evaluations / (ns / 1e9))} pods/s`);
console.log(`10,000 pod specs: ${((ns / evaluations) * 10_000 / 1e6).toFixed(1)} ms`);
