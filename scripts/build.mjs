// Builds the CLI into dist/ as CommonJS bundles, because start-up time is a feature
// (`chartaudit verify` is measured against `helm verify`, a Go binary):
//   chartaudit.cjs  the CLI, verify and sign: all that `verify` loads
//   stages.cjs      chart loading, rendering and reports: loaded by scan, template, images
//   stages-vuln.cjs vulnerabilities, mitigations, the database, Helm repositories: scan and co.
//   program.cjs     commander, for help and usage errors only
// One pre-bundled CJS file loads faster on Node 20 than a graph of ES modules. openpgp
// (signing only) and yaml stay in node_modules and load only when a command needs them.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const lazy = {
  [resolve('src/stages.ts')]: './stages.cjs',
  [resolve('src/stages-vuln.ts')]: './stages-vuln.cjs',
  [resolve('src/cli/program.ts')]: './program.cjs',
};

/**
 * Imports of the lazy modules become `require('./<bundle>.cjs')` at run time. (Left as
 * `import()`, Node would first scan the whole CommonJS file for its export names: slow.)
 */
const splitLazy = {
  name: 'split-lazy',
  setup(b) {
    b.onResolve({ filter: /(stages|stages-vuln|program)\.js$/ }, (args) => {
      const target = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      if (lazy[target] && resolve(args.importer) !== target) return { path: lazy[target], namespace: 'lazy-bundle' };
      return undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-bundle' }, (args) => ({
      contents: args.path !== './program.cjs'
        // the big ones go through V8's code cache (scripts/compile-cache.cjs)
        ? `module.exports = require(${JSON.stringify(resolve('scripts/compile-cache.cjs'))}).load(require('node:path').join(__dirname, ${JSON.stringify(args.path.slice(2))}));`
        : `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
      resolveDir: resolve('src'),
    }));
    b.onResolve({ filter: /^\.\/(stages|stages-vuln|program)\.cjs$/ }, (args) => ({ path: args.path, external: true }));
  },
};

mkdirSync('dist', { recursive: true });
writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['openpgp', 'yaml', 'better-sqlite3', 'undici'],
  define: { 'import.meta.url': '__import_meta_url' },
  banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [splitLazy],
};
await Promise.all([
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/chartaudit.cjs' }),
  build({ ...common, entryPoints: ['src/stages.ts'], outfile: 'dist/stages.cjs' }),
  build({ ...common, entryPoints: ['src/stages-vuln.ts'], outfile: 'dist/stages-vuln.cjs' }),
  build({ ...common, entryPoints: ['src/cli/program.ts'], outfile: 'dist/program.cjs' }),
]);
