#!/bin/sh
':' //; if [ -z "${GLIBC_TUNABLES+x}" ]; then export GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456; fi; if [ -n "${NODE_EXTRA_CA_CERTS:-}" ]; then export CHARTAUDIT_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS"; unset NODE_EXTRA_CA_CERTS; fi; if [ -z "${CHARTAUDIT_V8_DEFAULT_TIERING:-}" ]; then exec node --max-semi-space-size=1 --interrupt-budget=2097152 --concurrent-sparkplug --interrupt-budget-factor-for-feedback-allocation=32 --no-parallel-scavenge "$0" "$@"; fi; exec node --max-semi-space-size=1 "$0" "$@"
// This file is both a shell script and CommonJS. Run as a command, sh moves
// NODE_EXTRA_CA_CERTS aside before starting node: Node 20 reads that CA bundle at every
// start-up (tens of milliseconds), while chartaudit needs CA certificates only for network
// commands, which read CHARTAUDIT_EXTRA_CA_CERTS instead. Run with node, it is the CLI.
// A young generation kept at 1 MiB semi-spaces: a chart's render peaks 14 MiB lower
// (wordpress 84 → 70 MiB) in the same time (bench/corpus.ts). The interrupt budget makes V8
// optimise later (src/tiering.ts says why; set here because loading node:v8 to set it at run
// time costs ~12 ms). Sparkplug, V8's baseline compiler, compiles on another thread instead of
// the main one: scan of postgresql wall 0.967, wordpress 0.983, images of kafka 0.92 (CPU +1-4 %).
// A function gets its feedback vector (the type feedback for its property accesses and calls)
// once it has run 32 times its bytecode's size rather than 8: much of a render's code runs a
// few times and is done, and allocating and filling vectors for it did not pay (scan of
// postgresql CPU 0.961, wall 0.971; zookeeper 0.956 / 0.976; 128 times: 0.970 / 0.989).
// Each scavenge of the 1 MiB young generation runs on the main thread alone: split across
// threads, the coordination cost more than it saved (scan of postgresql CPU 0.938, wall 0.968;
// wordpress 0.969 / 0.990; the 116-chart run unchanged).
// glibc's malloc (unless the caller set GLIBC_TUNABLES) keeps large blocks in its heap and
// freed memory for reuse: by default each block above 128 KiB (a file read, an inflated archive)
// is a fresh mapping whose pages are touched anew, ~12 us a page on small VMs; scan of
// postgresql CPU 0.97-0.98, a run over all 116 corpus charts unchanged, as is its peak memory.
// Other C libraries, and node run directly, ignore it.
// CommonJS on purpose (see bin/package.json): it starts faster than an ES module entry. The CLI's
// bundle loads through V8's code cache (dist/loader.cjs is scripts/compile-cache.cjs).
require('../dist/loader.cjs').load(require('node:path').join(__dirname, '..', 'dist', 'chartaudit.cjs')).main(process.argv).then((code) => {
  process.exitCode = code;
  // Once 'exit' comes, nothing is left to run or write (the event loop is empty; this listener,
  // added last, runs after the code cache's): exit without tearing down the heap and
  // environment, which a process about to end has no use for (~3 % of a scan's CPU).
  process.on('exit', (exitCode) => process.exit(exitCode));
});
