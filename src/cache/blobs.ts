/**
 * The content-addressed blob cache: `<cacheDir>/blobs/<alg>/<hex>`, one file per verified blob
 * (manifests, configs, layers), plus the tags resolved before (`refs/`) so that `--offline` can
 * answer `alpine:3.20` from the cache.
 *
 * Nothing unverified is ever visible under a final name: a blob is streamed into a temp file in
 * the cache dir while it is hashed, and fsynced and renamed into place only when the hash is the
 * digest. (Manifests and tag records are small and checked again on every read, so a file a
 * crash left torn is a miss: they are renamed into place without the fsync.) Two processes writing the same blob each rename their own complete copy (same bytes),
 * so concurrent runs are safe without locks. Reads touch the file's mtime, which is what `prune`
 * orders by (least recently used first).
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fdatasync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync, type ReadStream } from 'node:fs';
import { join } from 'node:path';
import { tempPath } from './atomic.js';
import { defaultCacheDir, filesTwoDeep } from './paths.js';

/** `sha256:<64 hex>` or `sha512:<128 hex>`; anything else never names a file. */
const DIGEST = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

export function isDigest(s: string): boolean {
  return DIGEST.test(s);
}

/** A blob whose bytes do not hash to its digest (or are longer than allowed): nothing was cached. */
export class BlobVerifyError extends Error {
  constructor(
    message: string,
    readonly reason: 'digest' | 'size' | 'limit',
  ) {
    super(message);
  }
}

export interface BlobCacheOptions {
  /** The cache root (default `$XDG_CACHE_HOME/chartaudit`). */
  cacheDir?: string | undefined;
  env?: Record<string, string | undefined>;
}

export interface CacheStatus {
  dir: string;
  count: number;
  bytes: number;
}

/** Bytes of a blob written between two early fdatasyncs (see write). */
const FLUSH_EVERY = 8 * 1024 * 1024;

/** Temp files older than this are left over from a killed process: prune removes them. */
const STALE_TEMP_MS = 24 * 3600_000;

export class BlobCache {
  readonly dir: string;

  constructor(opts: BlobCacheOptions = {}) {
    this.dir = opts.cacheDir ?? defaultCacheDir(opts.env);
  }

  private get blobsDir(): string {
    return join(this.dir, 'blobs');
  }

  /** The file of `digest` (whether or not it is there). Throws on a malformed digest. */
  path(digest: string): string {
    if (!isDigest(digest)) throw new Error(`not a digest: ${JSON.stringify(digest.slice(0, 100))}`);
    const [alg, hex] = digest.split(':') as [string, string];
    return join(this.blobsDir, alg, hex);
  }

  has(digest: string): boolean {
    try {
      return statSync(this.path(digest)).isFile();
    } catch {
      return false;
    }
  }

  /** Size of a cached blob, or null. */
  size(digest: string): number | null {
    try {
      return statSync(this.path(digest)).size;
    } catch {
      return null;
    }
  }

  /** Marks `digest` as used now (for LRU); a blob pruned meanwhile is no error. */
  touch(digest: string): void {
    const now = new Date();
    try {
      utimesSync(this.path(digest), now, now);
    } catch {
      // gone or read-only: not worth failing a read for
    }
  }

  /** A stream of a cached blob, or null when it is not cached. */
  open(digest: string): ReadStream | null {
    const p = this.path(digest);
    let fd: number;
    try {
      fd = openSync(p, 'r');
    } catch {
      return null;
    }
    this.touch(digest);
    return createReadStream(p, { fd, highWaterMark: 1 << 20 });
  }

  /**
   * A small cached blob (a manifest, a config) read whole and checked against its digest again
   * (cheap at this size, and a damaged file is then a miss, not a wrong answer). Null when absent,
   * larger than `maxBytes` or damaged (a damaged file is removed).
   */
  readSmall(digest: string, maxBytes: number): Buffer | null {
    const p = this.path(digest);
    let buf: Buffer;
    try {
      if (statSync(p).size > maxBytes) return null;
      buf = readFileSync(p);
    } catch {
      return null;
    }
    if (hashOf(digest, buf) !== digest) {
      rmSync(p, { force: true });
      return null;
    }
    this.touch(digest);
    return buf;
  }

  /**
   * Stores bytes already in memory (a manifest), after checking them against `digest`. Read back
   * only through readSmall, which hashes them again, so no fsync: a torn file is a miss.
   */
  writeBytes(digest: string, data: Buffer): void {
    if (hashOf(digest, data) !== digest) throw new BlobVerifyError(`the content does not match its digest ${digest}`, 'digest');
    const final = this.path(digest);
    mkdirSync(join(final, '..'), { recursive: true });
    renameIntoPlace(final, data);
  }

  /**
   * Streams `source` into the cache as `digest`: hashed while written to a temp file, renamed
   * into place only when it matches (and has `expectedSize` bytes, when given). Otherwise the temp
   * file is removed and BlobVerifyError thrown. Errors of `source` pass through, nothing cached.
   */
  async write(digest: string, source: AsyncIterable<Buffer>, opts: { expectedSize?: number; maxBytes?: number; onBytes?: (n: number) => void } = {}): Promise<number> {
    const final = this.path(digest);
    const dir = join(final, '..');
    const tmp = tempPath(dir);
    const hash = createHash(digest.startsWith('sha512:') ? 'sha512' : 'sha256');
    // Each chunk is written at once with writeSync: into the page cache that is a memory copy,
    // cheaper than a write stream's queue and a thread-pool round trip per batch (bench/pull.ts;
    // writes at offsets on libuv's threads, several in flight, cost more CPU and did not pay).
    // The fdatasyncs stay asynchronous, so the disk works while bytes flow.
    const fd = openSync(tmp, 'wx', 0o644);
    let bytes = 0;
    let closed = false;
    // The disk flushes while the network still flows: an fdatasync of what is written so far
    // every FLUSH_EVERY bytes (one at a time), so the final one has little left to do.
    let flushing: Promise<void> | null = null;
    let flushedAt = 0;
    const flushSoFar = (): void => {
      if (flushing) return;
      flushedAt = bytes;
      flushing = new Promise<void>((res) => fdatasync(fd, () => res())).finally(() => (flushing = null));
    };
    try {
      const limit = opts.maxBytes ?? Infinity;
      for await (const chunk of source) {
        bytes += chunk.length;
        if (opts.expectedSize !== undefined && bytes > opts.expectedSize) throw new BlobVerifyError(`more bytes than the ${opts.expectedSize} its descriptor gives`, 'size');
        if (bytes > limit) throw new BlobVerifyError(`larger than the limit of ${limit} bytes`, 'limit');
        hash.update(chunk);
        for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off, chunk.length - off);
        if (bytes - flushedAt >= FLUSH_EVERY) flushSoFar();
        opts.onBytes?.(bytes);
      }
      if (opts.expectedSize !== undefined && bytes !== opts.expectedSize) throw new BlobVerifyError(`${bytes} bytes where its descriptor gives ${opts.expectedSize}`, 'size');
      const got = `${digest.split(':')[0]}:${hash.digest('hex')}`;
      if (got !== digest) throw new BlobVerifyError(`the content hashes to ${got}, not ${digest}`, 'digest');
      await flushing;
      // durable before it is visible: layers are read back without hashing them again
      await new Promise<void>((res, rej) => fdatasync(fd, (e) => (e ? rej(e) : res())));
      closed = true;
      closeSync(fd);
      renameSync(tmp, final);
      return bytes;
    } catch (e) {
      await flushing;
      if (!closed) closeSync(fd);
      rmSync(tmp, { force: true });
      throw e;
    }
  }

  /** Every cached blob: digest, size, last use. Temp files a killed process left are removed once stale. */
  private entries(): { digest: string; path: string; size: number; used: number }[] {
    const out: { digest: string; path: string; size: number; used: number }[] = [];
    for (const { sub, name, path, stat } of filesTwoDeep(this.blobsDir)) {
      if (name.startsWith('.tmp-')) {
        if (Date.now() - stat.mtimeMs > STALE_TEMP_MS) rmSync(path, { force: true });
        continue;
      }
      const digest = `${sub}:${name}`;
      if (stat.isFile() && isDigest(digest)) out.push({ digest, path, size: stat.size, used: stat.mtimeMs });
    }
    return out;
  }

  status(): CacheStatus {
    const all = this.entries();
    return { dir: this.dir, count: all.length, bytes: all.reduce((n, e) => n + e.size, 0) };
  }

  /** Removes least recently used blobs until the cache holds at most `maxBytes`. */
  prune(opts: { maxBytes: number }): { removed: number; freedBytes: number; status: CacheStatus } {
    const all = this.entries().sort((a, b) => a.used - b.used);
    let total = all.reduce((n, e) => n + e.size, 0);
    let removed = 0;
    let freed = 0;
    for (const e of all) {
      if (total <= opts.maxBytes) break;
      rmSync(e.path, { force: true });
      total -= e.size;
      freed += e.size;
      removed++;
    }
    return { removed, freedBytes: freed, status: this.status() };
  }

  // --- tags resolved before (for --offline) ---------------------------------------------

  private refFile(key: string): string {
    return join(this.dir, 'refs', `${createHash('sha256').update(key).digest('hex')}.json`);
  }

  /** Remembers that `key` (`registry/repo:tag`) pointed at `digest`. */
  rememberTag(key: string, digest: string): void {
    if (!isDigest(digest)) throw new Error(`not a digest: ${digest}`);
    // a rescan finds most tags where they were: no write (each cost a file, a rename)
    if (this.lookupTag(key) === digest) return;
    const f = this.refFile(key);
    mkdirSync(join(f, '..'), { recursive: true });
    // a torn record does not parse: lookupTag answers null, as for a tag never resolved
    renameIntoPlace(f, Buffer.from(`${JSON.stringify({ ref: key, digest, at: new Date().toISOString() })}\n`));
  }

  /** The digest `key` pointed at when it was last resolved, or null. */
  lookupTag(key: string): string | null {
    try {
      const o = JSON.parse(readFileSync(this.refFile(key), 'utf8')) as { ref?: unknown; digest?: unknown };
      return o.ref === key && typeof o.digest === 'string' && isDigest(o.digest) ? o.digest : null;
    } catch {
      return null;
    }
  }
}

/** `<alg>:<hex>` of `data` with the algorithm of `digest`. */
export function hashOf(digest: string, data: Buffer): string {
  const alg = digest.startsWith('sha512:') ? 'sha512' : 'sha256';
  return `${alg}:${createHash(alg).update(data).digest('hex')}`;
}

/** A temp file with `data`, renamed over `final` (no fsync: for files whose reader checks them). */
function renameIntoPlace(final: string, data: Buffer): void {
  const tmp = tempPath(join(final, '..'));
  try {
    const fd = openSync(tmp, 'wx', 0o644);
    try {
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, final);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
