// Builds the CLI into dist/ as CommonJS bundles, because start-up time is a feature
// (`chartaudit verify` is measured against `helm verify`, a Go binary):
//   loader.cjs             scripts/compile-cache.cjs: loads the others through V8's code cache
//   chartaudit.cjs         the CLI and verify: all that `verify` loads (bin/chartaudit.js loads
//                          it through loader.cjs: compiling its 80 KB took ~3.7 ms a start)
//   <folder>-<name>.cjs    each lazily loaded module below (a command, a report, commander),
//                          with everything it needs: `images` and `template` never load the
//                          vulnerability database, `verify` never loads the renderer.
// One pre-bundled CJS file loads faster on Node 20 than a graph of ES modules. openpgp
// (signing only) and undici stay in node_modules and load only when a command needs them;
// yaml is a bundle of its own (vendor-yaml.cjs); better-sqlite3's JavaScript is bundled with
// the commands that open a database, its compiled addon loaded from node_modules.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';

/** Modules imported on demand (by src/cli/, and by scan for its optional stages), each its own bundle. */
const lazyModules = [
  'src/commands/scan.ts', 'src/commands/template.ts', 'src/commands/images.ts', 'src/commands/db.ts',
  'src/commands/mitigations.ts', 'src/commands/sign.ts', 'src/commands/image.ts', 'src/commands/cache.ts', 'src/commands/posture.ts',
  // scan's remote charts, image contents and OSV queries: most scans in CI read a local chart, many
  // without images, with a database
  'src/commands/chart-source.ts', 'src/commands/scan/image-pull.ts', 'src/vuln/online/osv-api.ts',
  'src/report/index.ts', 'src/report/images.ts', 'src/report/mitigations.ts', 'src/report/image.ts', 'src/report/posture.ts',
  'src/cli/program.ts',
];
const bundleName = (file) => `${basename(dirname(file))}-${basename(file, '.ts')}.cjs`;
const lazy = Object.fromEntries(lazyModules.map((f) => [resolve(f), `./${bundleName(f)}`]));

/**
 * Imports of the lazy modules from other bundles become `require('./<bundle>.cjs')` at run time.
 * (Left as `import()`, Node would first scan the whole CommonJS file for its export names: slow.)
 */
const splitLazy = {
  name: 'split-lazy',
  setup(b) {
    b.onResolve({ filter: /\.js$/ }, (args) => {
      if (args.namespace === 'lazy-bundle' || !args.importer) return undefined;
      const target = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      if (lazy[target] && resolve(args.importer) !== target) return { path: lazy[target], namespace: 'lazy-bundle' };
      return undefined;
    });
    b.onLoad({ filter: /^\.\/vendor-yaml\.cjs$/, namespace: 'lazy-bundle' }, () => ({ contents: lazyYaml(), loader: 'js', resolveDir: resolve('src') }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-bundle' }, (args) => ({
      contents: args.path !== './cli-program.cjs'
        // through V8's code cache (scripts/compile-cache.cjs, copied to dist/loader.cjs)
        ? `module.exports = require('./loader.cjs').load(require('node:path').join(__dirname, ${JSON.stringify(args.path.slice(2))}));`
        : `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
      resolveDir: resolve('src'),
    }));
    // yaml: one shared bundle of its own, through the code cache (from node_modules, its ~80
    // files took 50 ms to load and compile on every run).
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: './vendor-yaml.cjs', namespace: 'lazy-bundle' }));
    b.onResolve({ filter: /^\.\/[\w-]+\.cjs$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * The yaml package is read only on the full parser's path (src/chart/yaml.ts), which the fast
 * path leaves to a few unusual documents: its bundle loads at the first use of one of its
 * exports, not with the command (~8 ms a start).
 */
function lazyYaml() {
  return lazyExports(
    "require('./loader.cjs').load(require('node:path').join(__dirname, 'vendor-yaml.cjs'))",
    Object.keys(createRequire(import.meta.url)('yaml')),
  );
}

/**
 * Node's built-in modules that most runs never call but that cost a start to load:
 * node:zlib (~4 ms with the streams it needs: a chart archive loaded before is read back
 * inflated, src/cache/templates.ts), node:crypto (~11 ms: its key, cipher and certificate
 * modules and streams; a render needs it only for keys, certificates and other template
 * functions that ask for it: SHA-256 is src/hash/sha256.ts), node:fs/promises
 * (~2 ms, with readline: only directory charts and image layers use it), and the network and
 * process modules that only registry, repository and credential-helper code calls (scan
 * loaded http, https, net, tls and child_process with dgram at start, ~15 ms, even offline),
 * and node:stream (~5 ms; the registry's response bodies and layer decompression).
 * Bundled code still writes `import { createHash } from 'node:crypto'`; the module loads at
 * its first use.
 */
const lazyBuiltins = ['node:zlib', 'node:stream', 'node:crypto', 'node:fs/promises', 'node:child_process', 'node:http', 'node:https', 'node:net', 'node:tls', 'node:tty', 'node:os', 'node:module'];
/**
 * Packages bundled as usual but run at their first use: chalk (its supports-color probe loads
 * node:tty and node:net at start, ~5 ms, while only table output colours anything).
 */
const lazyPackages = { chalk: Object.keys(await import('chalk')) };

/**
 * A module object whose properties load `loadExpr` at the first read. esbuild reads an
 * import's properties at each use (`(0, m.createHash)(…)`), so this defers the load to the
 * first call. The export names are fixed at build time so that listing them needs no load.
 */
function lazyExports(loadExpr, names) {
  return `let loaded;
const load = () => loaded || (loaded = ${loadExpr});
const names = ${JSON.stringify(names)};
const known = new Set(names);
module.exports = new Proxy({}, {
  // 'default' is the module, as esbuild's __toESM makes it for a CommonJS module (unwrapProxies)
  get: (_, k) => (k === '__esModule' ? true : k === 'default' && !known.has(k) ? load() : load()[k]),
  has: (_, k) => known.has(k),
  ownKeys: () => names,
  getOwnPropertyDescriptor: (_, k) => (known.has(k) ? { enumerable: true, configurable: true, writable: false, value: undefined } : undefined),
});`;
}

/** Resolves the lazily loaded built-ins and packages to lazyExports modules. */
const lazyBuiltinsPlugin = {
  name: 'lazy-builtins',
  setup(b) {
    const names = [...lazyBuiltins, ...Object.keys(lazyPackages)];
    const filter = new RegExp(`^(${names.map((m) => m.replace('/', '\\/')).join('|')})$`);
    b.onResolve({ filter }, (args) => {
      if (args.namespace !== 'lazy-builtin') return { path: args.path, namespace: 'lazy-builtin' };
      // the proxy's own load: a built-in stays a require, a package is bundled
      return lazyBuiltins.includes(args.path) ? { path: args.path, external: true } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: lazyExports(`require(${JSON.stringify(args.path)})`, lazyPackages[args.path] ?? Object.keys(createRequire(import.meta.url)(args.path))),
      loader: 'js',
      resolveDir: resolve('src'),
    }));
  },
};

/**
 * The parser's build, part of the key of stored parse trees (src/cache/templates.ts): a hash of
 * the sources that decide what a template text parses to.
 */
function parserBuild() {
  const h = createHash('sha256');
  for (const f of ['ast', 'lex', 'parse', 'strconv', 'tree-codec']) h.update(readFileSync(`src/render/template/${f}.ts`));
  return h.digest('hex').slice(0, 16);
}

/** What decides a values.yaml's parse (src/cache/templates.ts keys kept values by it): the YAML reader's files and the yaml package. */
function valuesBuild() {
  const h = createHash('sha256');
  // the YAML reader, and the struct decoding of Chart.yaml and Chart.lock kept beside the values
  for (const f of ['yaml', 'yaml-fast', 'yaml-scalar', 'metadata']) h.update(readFileSync(`src/chart/${f}.ts`));
  h.update(JSON.parse(readFileSync('node_modules/yaml/package.json', 'utf8')).version);
  return h.digest('hex').slice(0, 16);
}

/** The program's sources, tests and fixtures left out: path and bytes, in path order, read once for the checks and hashes below. */
function sourceFiles(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const file = `${dir}/${e.name}`;
    if (e.isDirectory()) { if (e.name !== '__fixtures__') sourceFiles(file, out); continue; }
    if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) out.push({ file, bytes: readFileSync(file) });
  }
  return out;
}
const sources = sourceFiles('src');

/**
 * The whole program's build (src/commands/scan/deployment.ts keys kept scan results by it): a
 * hash of every source file but the tests, and of the locked dependencies. Any change to the
 * code, however unrelated, starts the results afresh.
 */
function sourceBuild() {
  const h = createHash('sha256');
  for (const { file, bytes } of sources) h.update(`${file}\0${bytes.length}\0`).update(bytes);
  h.update(readFileSync('package-lock.json'));
  return h.digest('hex').slice(0, 16);
}

/** Refuses a use of import.meta.url that the bundles' `__filename` (a path) would not serve. */
function importMetaUses() {
  for (const { file, bytes } of sources) {
    const text = bytes.toString('utf8');
    const all = text.split('import.meta.url').length - 1;
    const served = text.split('createRequire(import.meta.url)').length - 1;
    if (all !== served) throw new Error(`${file}: import.meta.url is bundled as the file's path; use it only as createRequire(import.meta.url)`);
  }
}
importMetaUses();

mkdirSync('dist', { recursive: true });
// Bundles of modules no longer built would stay listed in bundle-hashes.json.
for (const f of readdirSync('dist')) if (/\.cjs(\.map)?$/.test(f)) rmSync(`dist/${f}`);
rmSync('dist/v8', { recursive: true, force: true });
writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // better-sqlite3's JavaScript is bundled, its addon named outright (src/vuln/db/sqlite.ts):
  // `bindings`, its addon finder, is never called from a bundle
  external: ['openpgp', 'undici', 'bindings'],
  // import() of those becomes require(): bundles run through V8's code cache in a vm.Script,
  // where a real import() has no loader to call.
  supported: { 'dynamic-import': false },
  // import.meta.url is only ever passed to createRequire, which takes the file's path as well
  // (checked by importMetaUses): a file URL made at each bundle's load cost ~0.6 ms a start.
  define: {
    'import.meta.url': '__filename',
    __PARSER_BUILD__: JSON.stringify(parserBuild()),
    __VALUES_BUILD__: JSON.stringify(valuesBuild()),
    __SOURCE_BUILD__: JSON.stringify(sourceBuild()),
    __CHARTAUDIT_VERSION__: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version),
  },
  sourcemap: 'linked',
  // Smaller bundles read and hash faster, and V8 pre-parses less (commands-images 649 → 484 KB);
  // names stay, and the source maps point into src/.
  minifyWhitespace: true,
  logLevel: 'warning',
  plugins: [splitLazy, lazyBuiltinsPlugin],
};
copyFileSync('scripts/compile-cache.cjs', 'dist/loader.cjs');
// Each bundle the loader reads is the function Node would wrap it in (BUNDLE_HEAD and
// BUNDLE_TAIL: scripts/compile-cache.cjs says why); esbuild shifts the source maps to match.
// cli-program.cjs is plain CommonJS: the CLI requires it (commander) without the loader.
const { BUNDLE_HEAD, BUNDLE_TAIL } = createRequire(import.meta.url)('./compile-cache.cjs');
const wrapped = { banner: { js: BUNDLE_HEAD }, footer: { js: BUNDLE_TAIL } };
await Promise.all([
  build({ ...common, ...wrapped, entryPoints: ['src/cli/main.ts'], outfile: 'dist/chartaudit.cjs' }),
  ...lazyModules.map((f) => build({ ...common, ...(f === 'src/cli/program.ts' ? {} : wrapped), entryPoints: [f], outfile: `dist/${bundleName(f)}` })),
  build({ ...common, ...wrapped, plugins: [], entryPoints: ['node_modules/yaml/dist/index.js'], outfile: 'dist/vendor-yaml.cjs' }),
]);

/**
 * esbuild wraps each import of a CommonJS module in __toESM, which copies every export onto a
 * new object of getters: for the lazy proxies of Node's built-ins and of yaml (node:crypto's
 * ~70 names, imported by 13 files of the scan bundle) ~1.5 ms a start, only to forward each read
 * to the proxy. Their imports take the proxy itself, whose 'default' is the module, as
 * __toESM's would be (chalk, an ES module, keeps its wrapping). Each call is padded with spaces
 * to its length, so the source maps' columns hold.
 */
function unwrapProxies(file) {
  const text = readFileSync(file, 'latin1');
  const proxies = new Set([...text.matchAll(/var (require_[\w$]+)=__commonJS\(\{"lazy-(?:builtin:node:[^"]+|bundle:\.\/vendor-yaml\.cjs)"/g)].map((m) => m[1]));
  const out = text.replace(/__toESM\((require_[\w$]+)\(\),1\)/g, (call, name) => (proxies.has(name) ? `${name}()`.padEnd(call.length, ' ') : call));
  if (out !== text) writeFileSync(file, out, 'latin1');
}
for (const f of readdirSync('dist').filter((n) => n.endsWith('.cjs'))) unwrapProxies(`dist/${f}`);

// Each bundle's SHA-256, for the code cache's key (scripts/compile-cache.cjs): hashing 600 KB
// of source at every start cost 3–4 ms a bundle.
// Every bundle is ASCII (esbuild escapes strings; comments are gone), so the loader reads it as
// latin1: a one-byte string at once, where UTF-8 decoding took twice as long.
const hashes = {};
for (const f of readdirSync('dist').filter((n) => n.endsWith('.cjs')).sort()) {
  const bytes = readFileSync(`dist/${f}`);
  const at = bytes.findIndex((b) => b > 0x7f);
  if (at !== -1) throw new Error(`dist/${f}: not ASCII at byte ${at}; the code cache loader reads bundles as latin1`);
  hashes[f] = createHash('sha256').update(bytes).digest('hex');
}
writeFileSync('dist/bundle-hashes.json', `${JSON.stringify(hashes, null, 1)}\n`);

// The code cache entries shipped in dist/v8/, made by this Node running the demo chart's
// commands (scripts/train-code-cache.mjs): a first run after install reads one instead of
// compiling its bundle (CHARTAUDIT_NO_TRAINING=1 leaves them out). Only a speed-up: a failed
// training is reported, and the bundles compile at their first run as without it (the tests
// run the same commands and say what broke).
if (!process.env.CHARTAUDIT_NO_TRAINING) {
  try {
    await import('./train-code-cache.mjs');
  } catch (e) {
    console.warn(`warning: code cache training failed, dist/v8/ left incomplete: ${e instanceof Error ? e.message : e}`);
  }
}
