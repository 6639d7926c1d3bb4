/**
 * The flags bin/chartaudit.js starts node with (its first `exec node` line), for benches that
 * start node themselves (to profile it, or to load one module) yet want it to run as the CLI
 * runs. BENCH_NODE_FLAGS="..." overrides them ("" for none).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function cliNodeFlags(): string[] {
  if (process.env.BENCH_NODE_FLAGS !== undefined) return process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean);
  const bin = readFileSync(join(resolve(import.meta.dirname, '..'), 'bin', 'chartaudit.js'), 'utf8');
  return (/exec node ((?:--[\w-]+=\S+ )*)"\$0"/.exec(bin)?.[1] ?? '').split(' ').filter(Boolean);
}
