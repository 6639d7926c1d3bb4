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
 * run has lasted a second; commands call it between units of work.
 */
import { setFlagsFromString } from 'node:v8';

/** Interpreted work (bytecode budget) before V8 considers optimising a function. */
const SHORT_RUN_BUDGET = 2 * 1024 * 1024;
/** V8 11.3's default (Node 20): `node --v8-options`. */
const V8_DEFAULT_BUDGET = 67584;
const LONG_RUN_SECONDS = 1;

let settled = false;

export function preferShortRun(): void {
  if (process.env.CHARTAUDIT_V8_DEFAULT_TIERING) return;
  setFlagsFromString(`--interrupt-budget=${SHORT_RUN_BUDGET}`);
}

export function settleForLongRun(): void {
  if (settled || process.uptime() < LONG_RUN_SECONDS || process.env.CHARTAUDIT_V8_DEFAULT_TIERING) return;
  settled = true;
  setFlagsFromString(`--interrupt-budget=${V8_DEFAULT_BUDGET}`);
}
