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
  require('node:fs').writeSync(2, `bundles: ${loaded.join(' ')}\nundici: ${undici ? 'loaded' : 'not loaded'}\nbuilt-ins: ${builtins.join(' ')}\n`);
});
