// Loads a CommonJS bundle of ours through V8's code cache, kept under the user's cache
// directory: Node 20 has no built-in compile cache, and compiling the render stage's bundle
// afresh costs more per run than helm's whole start-up. The cache holds only bytecode for our
// own files; V8 rejects it when the source or Node version differs, and any failure to read
// or write it just means compiling normally. CHARTAUDIT_NO_COMPILE_CACHE=1 turns it off.
//
// The build ships entries of its own (dist/v8/, scripts/train-code-cache.mjs: the demo chart's
// commands run with the Node that built it): a first run after install, as on a CI runner with
// an empty cache, reads one of them instead of compiling, and keeps what it compiled on top in
// the user's cache, which later runs read. CHARTAUDIT_CODE_CACHE_TRAIN=<dir> is the build's
// training: entries read from and always written back to <dir>, each the union of the runs.
// CHARTAUDIT_COMPILE_CACHE_TRACE=1 says on stderr where each bundle's code came from.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
// The CommonJS loader's Module class, as node:module exports it: requiring node:module (its
// source maps and hooks) cost ~1.2 ms a start, compiled from source under the CLI's V8 flags.
const Module = module.constructor;

function cacheDir() {
  // os.homedir() reads HOME first too; node:os only when it is unset (~0.6 ms a start)
  const base = process.env.XDG_CACHE_HOME || path.join(process.env.HOME || require('node:os').homedir(), '.cache');
  return path.join(base, 'chartaudit', 'v8');
}

let buildHashes;

/** dist/bundle-hashes.json, read once: { time, hashes } or null. */
function buildList(file) {
  if (buildHashes === undefined) {
    buildHashes = null;
    try {
      const list = path.join(path.dirname(file), 'bundle-hashes.json');
      const listTime = fs.statSync(list).mtimeMs;
      buildHashes = { time: listTime, hashes: JSON.parse(fs.readFileSync(list, 'utf8')) };
    } catch {
      // no list: hash each source
    }
  }
  return buildHashes;
}

/** The build's hash of this bundle when the list has one and the file is no newer than it. */
function listedHash(file) {
  const list = buildList(file);
  const listed = list && list.hashes[path.basename(file)];
  if (typeof listed === 'string' && /^[0-9a-f]{64}$/.test(listed) && fs.statSync(file).mtimeMs <= list.time) return listed;
  return undefined;
}

/**
 * What the cache entry is keyed on: Node's version, its flags and the bundle's content. The content's
 * hash comes from dist/bundle-hashes.json (written by the build) when it lists the file and
 * the file is no newer than that list, else from hashing the source here.
 */
function cacheKey(source, listed) {
  // node:crypto only when there is no list: loading it costs ~7 ms of a start
  const contentHash = listed ?? require('node:crypto').createHash('sha256').update(source).digest('hex');
  // V8 rejects a cache made under other flags: runs with and without a flag (the CLI's
  // --max-semi-space-size, a user's NODE_OPTIONS) keep entries of their own instead of
  // replacing each other's at every run.
  const flags = `${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS || ''}`;
  return `${contentHash.slice(0, 16)}${fnv1a(process.version)}.${fnv1a(flags)}`;
}

/** FNV-1a, 32 bits, as 8 hex digits: enough to tell Node versions and flag sets apart. */
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * One buffer for every file read here: a bundle's source, then its cache entry, then the next
 * bundle's. Each is done with before the next read (the source is copied into a string, and V8
 * reads an entry while it compiles), and a fresh buffer for each file pays the first touch of
 * its pages, ~12 microseconds a 4 KB page on small VMs (commands-scan.cjs and its entry: ~440 pages).
 */
let scratch = null;
/**
 * Its first size: larger than any bundle or entry (the largest, commands-scan.cjs's entry, is
 * ~1 MB), so each read reuses the pages the ones before it touched. Untouched pages cost nothing.
 */
const SCRATCH_SIZE = 2 << 20;

/** The bytes of `file`, in the shared buffer until the next read; undefined when it cannot be read. */
function readShared(file) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (scratch === null || scratch.length < size) scratch = Buffer.allocUnsafeSlow(Math.max(size, SCRATCH_SIZE));
    let n = 0;
    for (let r; n < size && (r = fs.readSync(fd, scratch, n, size - n, n)) > 0; n += r);
    return scratch.subarray(0, n);
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

// The bundles read cache entries they turn into strings at once into the same buffer
// (src/cache/read-buffer.ts): its pages are touched already.
Object.defineProperty(globalThis, Symbol.for('chartaudit.readBuffer'), {
  configurable: true,
  value: (size) => {
    if (scratch === null || scratch.length < size) scratch = Buffer.allocUnsafeSlow(Math.max(size, SCRATCH_SIZE));
    return scratch;
  },
});

/**
 * How the build begins and ends each bundle it loads through here (scripts/build.mjs): the
 * file is the function Node's own loader would make of it, so compiling it takes the source as
 * read. Wrapping it here would join the texts, and V8 would copy the joined text into a second
 * flat string of the bundle's size (commands-scan.cjs: ~200 pages more to touch, ~2.5 ms).
 */
const HEAD = '(function (exports, require, module, __filename, __dirname) {';
const TAIL = '\n});';
exports.BUNDLE_HEAD = HEAD;
exports.BUNDLE_TAIL = TAIL;

exports.load = function load(file) {
  // A bundle the build listed is ASCII (scripts/build.mjs checks): latin1 reads it as a
  // one-byte string without UTF-8 decoding.
  const hash = listedHash(file);
  const bytes = readShared(file);
  if (bytes === undefined) return require(file); // Node's own loader says why it cannot be read
  const source = bytes.toString(hash ? 'latin1' : 'utf8');
  const wrapped = source.startsWith(HEAD);
  if (process.env.CHARTAUDIT_NO_COMPILE_CACHE) return wrapped ? run(new vm.Script(source, { filename: file }), file) : require(file);
  const code = wrapped ? source : HEAD + source + TAIL;
  const key = cacheKey(source, hash);
  const name = `${path.basename(file)}.${key}.bin`;
  const training = process.env.CHARTAUDIT_CODE_CACHE_TRAIN;
  const cacheFile = path.join(training || cacheDir(), name);
  let cachedData = readShared(cacheFile);
  // none of the user's yet: the build's entry (V8 rejects it unless this Node and these flags made it)
  const fromBuild = !training && cachedData === undefined && (cachedData = readShared(path.join(path.dirname(file), 'v8', name))) !== undefined;
  const script = new vm.Script(code, { filename: file, cachedData });
  if (process.env.CHARTAUDIT_COMPILE_CACHE_TRACE) {
    const from = cachedData === undefined ? 'compiled (no entry)' : script.cachedDataRejected ? 'compiled (entry rejected)' : fromBuild ? 'the build\'s entry' : 'the cache\'s entry';
    fs.writeSync(2, `code cache: ${path.basename(file)}: ${from}\n`);
  }
  if (training || fromBuild || cachedData === undefined || script.cachedDataRejected) {
    // Written at exit, so the cache also holds the functions this run compiled lazily.
    process.once('exit', () => {
      try {
        fs.mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, cacheFile);
        // Caches of this bundle's earlier builds (or another Node) are dead weight: drop them.
        const prefix = `${path.basename(file)}.`;
        const current = `${prefix}${key.split('.')[0]}.`;
        for (const f of fs.readdirSync(path.dirname(cacheFile))) {
          if (f.startsWith(prefix) && f.endsWith('.bin') && !f.startsWith(current)) {
            fs.rmSync(path.join(path.dirname(cacheFile), f), { force: true });
          }
        }
      } catch {
        // a read-only home or a full disk: next run compiles again
      }
    });
  }
  return run(script, file);
};

/** Runs a compiled bundle as a CommonJS module of `file`; returns its exports. */
function run(script, file) {
  const mod = { exports: {}, filename: file, id: file, loaded: false };
  const fn = script.runInThisContext();
  fn.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return mod.exports;
}
