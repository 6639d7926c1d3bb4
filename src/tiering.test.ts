import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHORT_RUN_BUDGET } from './tiering.js';

const root = resolve(import.meta.dirname, '..');

/**
 * A child that reports whether V8 chose to optimise a hot function within `rounds` rounds of a
 * fixed amount of work (a round is ~20,000 loop iterations: far above V8's default budget,
 * far below the short-run budget even three times over).
 */
function optimisedAfter(shortRun: boolean, setup: string, rounds: number): boolean {
  const script = `import { settleForLongRun } from ${JSON.stringify(resolve(root, 'src', 'tiering.ts'))};
${setup}
function hot(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }
// %GetOptimizationStatus: optimised (1<<4), marked for (concurrent) optimisation (1<<8, 1<<9),
// being optimised (1<<10): V8 decided to optimise it
let decided = false;
for (let round = 0; round < ${rounds} && !decided; round++) {
  for (let i = 0; i < 400; i++) hot(50);
  decided = (%GetOptimizationStatus(hot) & (16 | 256 | 512 | 1024)) !== 0;
}
console.log(decided);`;
  // started as bin/chartaudit.js starts node, or with V8's default
  const flags = shortRun ? [`--interrupt-budget=${SHORT_RUN_BUDGET}`] : [];
  const r = spawnSync(process.execPath, [...flags, '--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root, encoding: 'utf8', timeout: 60_000,
  });
  expect(r.stderr).toBe('');
  return r.stdout.trim() === 'true';
}

describe('tiering', () => {
  // optimised: within three rounds; left alone: after one round
  it.each<[string, boolean, string, boolean]>([
    ["V8's default tiering optimises a hot function", false, '', true],
    ['a short run leaves it to the interpreter', true, '', false],
    ['settling before a second has passed changes nothing', true, 'settleForLongRun();', false],
    ['a run known to be long settles at once', true, 'settleForLongRun(true);', true],
    ['a run past a second settles for the default again', true, 'const t = Date.now(); while (Date.now() - t < 1100); settleForLongRun();', true],
  ])('%s', (_, shortRun, setup, optimised) => {
    expect(optimisedAfter(shortRun, setup, optimised ? 3 : 1)).toBe(optimised);
  });
});

describe('bin/chartaudit.js starts node with the short-run budget', () => {
  it.each<[string, Record<string, string>, boolean]>([
    ['by default', {}, true],
    ['not with CHARTAUDIT_V8_DEFAULT_TIERING=1', { CHARTAUDIT_V8_DEFAULT_TIERING: '1' }, false],
  ])('%s', (_, env, expected) => {
    const r = spawnSync(resolve(root, 'bin', 'chartaudit.js'), ['--version'], {
      encoding: 'utf8',
      env: { ...process.env, ...env, NODE_OPTIONS: `--require ${resolve(root, 'test', 'helpers', 'print-exec-argv.cjs')}` },
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    expect(r.stderr.includes('--interrupt-budget=2097152')).toBe(expected);
    expect(r.stderr).toContain('--max-semi-space-size=1');
  });
});
