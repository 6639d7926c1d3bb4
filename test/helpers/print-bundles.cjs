// Preloaded by test/lazy-bundles.test.ts: prints which of our bundles went through the code cache
// loader, whether undici was loaded, and which of the lazily loaded Node built-ins were.
const vm = require('node:vm');
const loaded = [];
const Script = vm.Script;
vm.Script = function (code, options) {
  if (options && typeof options.filename === 'string') loaded.push(require('node:path').basename(options.filename));
  return new Script(code, options);
};
process.on('exit', () => {
  const undici = Object.keys(require.cache).some((f) => f.includes(`${require('node:path').sep}undici${require('node:path').sep}`));
  const builtins = ['crypto', 'fs/promises', 'zlib', 'stream', 'child_process', 'http', 'https', 'net', 'tls', 'tty', 'os', 'module'].filter((m) => process.moduleLoadList.includes(`NativeModule ${m}`));
  const text = `bundles: ${loaded.join(' ')}\nundici: ${undici ? 'loaded' : 'not loaded'}\nbuilt-ins: ${builtins.join(' ')}\n`;
  // PRINT_BUNDLES_TO: a file instead of stderr (runs whose stderr is /dev/null)
  if (process.env.PRINT_BUNDLES_TO) require('node:fs').writeFileSync(process.env.PRINT_BUNDLES_TO, text);
  else require('node:fs').writeSync(2, text);
});
