// Preloaded by src/tiering.test.ts: prints the flags node was started with.
process.stderr.write(`execArgv: ${process.execArgv.join(' ')}\n`);
