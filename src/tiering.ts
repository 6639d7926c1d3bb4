/**
 * When V8 optimises our functions. By default V8 hands a function to its optimising compiler
 * (TurboFan) after a small amount of interpreted work. A chart render runs each function for
 * a few hundred milliseconds and exits: the compile jobs cost CPU on the other core and
 * memory (whose first touch is slow on small VMs) and finish too late to pay back. Measured
 * on wordpress (`images`, 9 alternating runs): wall 0.72x, CPU 0.55x, peak 69 → 63 MiB with
 * the budget below; envoy-gateway (1 s) 0.90x.
 *
 * Long runs (many charts in one process) want the optimiser back: 40 charts in one process
 * took 1.18x as long with the budget kept. `settleForLongRun` restores V8's default once a
 * run has lasted a second; commands call it between units of work. CHARTAUDIT_V8_DEFAULT_TIERING=1
 * makes bin/chartaudit.js leave V8's default alone.
 */
import { createRequire } from 'node:module';

/**
 * Interpreted work (bytecode budget) before V8 considers optimising a function: bin/chartaudit.js
 * starts node with `--interrupt-budget=2097152` (node:v8 takes ~12 ms to load, so the flag is
 * given on the command line rather than set here).
 */
export const SHORT_RUN_BUDGET = 2 * 1024 * 1024;
/** V8 11.3's default (Node 20): `node --v8-options`. */
const V8_DEFAULT_BUDGET = 67584;
const LONG_RUN_SECONDS = 1;

/** Started with the short-run budget (by bin/chartaudit.js), until settled. */
let shortRun = process.execArgv.includes(`--interrupt-budget=${SHORT_RUN_BUDGET}`);

/** node:v8 loaded here, only when a flag is set (its load costs ~12 ms). */
function setV8Flag(flag: string): void {
  type V8 = typeof import('node:v8');
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  const v8 = (get ? get('node:v8') : createRequire(import.meta.url)('node:v8')) as V8;
  v8.setFlagsFromString(flag);
}

/** V8's default budget again once the run has lasted LONG_RUN_SECONDS, or now when `long` says the run will be long. */
export function settleForLongRun(long = false): void {
  if (!shortRun || (!long && process.uptime() < LONG_RUN_SECONDS)) return;
  shortRun = false;
  setV8Flag(`--interrupt-budget=${V8_DEFAULT_BUDGET}`);
}
