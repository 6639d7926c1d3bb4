#!/usr/bin/env node
// CommonJS on purpose (see bin/package.json): it starts faster than an ES module entry.
require('../dist/chartaudit.cjs').main(process.argv).then((code) => {
  process.exitCode = code;
});
