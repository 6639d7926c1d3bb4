/**
 * A buffer for reading a file that is turned into a string at once (cache entries): the code
 * cache loader's (scripts/compile-cache.cjs), whose pages reading the bundles and their entries
 * touched already, where the loader runs; a fresh buffer's first touch costs ~12 µs a 4 KB page
 * on small VMs (postgresql's archive entry: ~440 KB, ~1.5 ms). The bytes are good until the next
 * call or the next bundle load: callers read, convert and let go synchronously.
 */
const LOADER_BUFFER = Symbol.for('chartaudit.readBuffer');
/** Larger reads get a buffer of their own, not kept. */
const MAX_SHARED = 4 * 1024 * 1024;

let own: Buffer | null = null;

export function readBuffer(size: number): Buffer {
  if (size > MAX_SHARED) return Buffer.allocUnsafe(size);
  const loader = (globalThis as Record<symbol, unknown>)[LOADER_BUFFER];
  if (typeof loader === 'function') return (loader as (size: number) => Buffer)(size);
  if (own === null || own.length < size) own = Buffer.allocUnsafeSlow(Math.max(size, 64 * 1024));
  return own;
}
