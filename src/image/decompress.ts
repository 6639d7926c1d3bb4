/**
 * Layer bytes in, uncompressed tar bytes out, as a stream: the compression is sniffed from the
 * magic bytes (media types lie: Docker's classic store names plain tars `.tar.gzip` and some
 * tools the reverse), the output is capped (bombs), and both digests are checked at the end:
 * the stored bytes against the blob digest, the tar against the config's diff_id.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { Deadline, ImageError, formatBytes, type ImageLimits } from './limits.js';
import { ZstdFramer } from './zstd-frames.js';

export type Compression = 'gzip' | 'zstd' | 'none';

export function sniffCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

export interface LayerStreamOptions {
  /** Names the layer in errors (`layer 2 (sha256:…) of alpine:3.20`). */
  what: string;
  limits: ImageLimits;
  deadline?: Deadline;
  /** `sha256:…` of the bytes as stored (blob digest); checked when the stream ends. */
  digest?: string;
  /** `sha256:…` of the uncompressed tar (diff_id); checked when the stream ends. */
  diffId?: string;
}

const RATIO_FLOOR = 64 * 2 ** 20;

function checkDigest(what: string, kind: string, want: string, hash: ReturnType<typeof createHash>): void {
  const got = 'sha256:' + hash.digest('hex');
  if (got !== want.toLowerCase()) throw new ImageError(`${what}: ${kind} mismatch: expected ${want}, got ${got}`);
}

function digestAlgorithm(what: string, d: string | undefined): void {
  if (d !== undefined && !/^sha256:[0-9a-fA-F]{64}$/.test(d)) throw new ImageError(`${what}: unsupported digest ${JSON.stringify(d)} (sha256 only)`);
}

/** Reads the first bytes (at least 4 unless the stream is shorter) without losing them. */
async function peek(src: AsyncIterator<Buffer>): Promise<{ head: Buffer; done: boolean }> {
  const parts: Buffer[] = [];
  let n = 0;
  while (n < 4) {
    const r = await src.next();
    if (r.done) return { head: Buffer.concat(parts), done: true };
    const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
    parts.push(b);
    n += b.length;
  }
  return { head: Buffer.concat(parts), done: false };
}

/**
 * The uncompressed tar bytes of one layer. Throws ImageError on a cap, a bad stream, or (after
 * the last chunk) a digest mismatch; the consumer must read to the end for the check to run.
 */
export async function* layerTarChunks(source: AsyncIterable<Buffer>, opts: LayerStreamOptions): AsyncGenerator<Buffer> {
  const { what, limits } = opts;
  digestAlgorithm(what, opts.digest);
  digestAlgorithm(what, opts.diffId);
  const blobHash = opts.digest ? createHash('sha256') : null;
  const tarHash = opts.diffId ? createHash('sha256') : null;
  let inBytes = 0;
  let outBytes = 0;
  const it = source[Symbol.asyncIterator]();
  const { head, done } = await peek(it);
  const compression = sniffCompression(head);

  // Every stored byte passes through here once (hash, count, deadline).
  async function* stored(): AsyncGenerator<Buffer> {
    const account = (b: Buffer): Buffer => {
      inBytes += b.length;
      blobHash?.update(b);
      opts.deadline?.check();
      return b;
    };
    try {
      if (head.length > 0) yield account(head);
      if (done) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield account(Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value));
      }
    } finally {
      // Stopped early (a cap, a bad entry): close the source (a file descriptor, a socket).
      if (!done) await it.return?.();
    }
  }
  const out = (b: Buffer): Buffer => {
    outBytes += b.length;
    if (outBytes > limits.maxLayerBytes) {
      throw new ImageError(`${what}: uncompressed layer exceeds ${formatBytes(limits.maxLayerBytes)} (limit maxLayerBytes)`);
    }
    if (compression !== 'none' && outBytes > RATIO_FLOOR && outBytes > inBytes * limits.maxRatio) {
      throw new ImageError(
        `${what}: ${formatBytes(inBytes)} of ${compression} inflated to more than ${formatBytes(outBytes)}, ` +
          `a ratio above ${limits.maxRatio}:1 (limit maxRatio): refusing a compression bomb`,
      );
    }
    tarHash?.update(b);
    return b;
  };

  if (compression === 'none') {
    for await (const b of stored()) yield out(b);
  } else if (compression === 'gzip') {
    const input = Readable.from(stored(), { objectMode: false });
    const gz = createGunzip({ chunkSize: 64 * 1024 });
    input.on('error', (e) => gz.destroy(e));
    input.pipe(gz);
    try {
      for await (const b of gz) yield out(b as Buffer);
    } catch (e) {
      if (e instanceof ImageError) throw e;
      throw new ImageError(`${what}: gzip stream is corrupt (${(e as Error).message})`);
    } finally {
      input.destroy();
      gz.destroy();
    }
  } else {
    let pending: Buffer[] = [];
    const dec = new Decompress((d: Uint8Array) => {
      if (d.length > 0) pending.push(Buffer.from(d.buffer, d.byteOffset, d.length));
    });
    let units: Buffer[] = [];
    const framer = new ZstdFramer(what, limits.maxZstdWindow, (unit) => units.push(unit));
    for await (const b of stored()) {
      framer.push(b);
      const todo = units;
      units = [];
      // One block per push: each push yields at most 128 KiB, so the cap acts between blocks.
      for (const unit of todo) {
        try {
          dec.push(unit);
        } catch (e) {
          throw new ImageError(`${what}: zstd stream is corrupt (${(e as Error).message})`);
        }
        const ready = pending;
        pending = [];
        for (const o of ready) yield out(o);
      }
    }
    framer.end();
  }

  if (blobHash) checkDigest(what, 'blob digest', opts.digest!, blobHash);
  if (tarHash) checkDigest(what, 'diff_id (uncompressed digest)', opts.diffId!, tarHash);
}

/** Reads a whole small stream (a JSON document), refusing more than `max` bytes. */
export async function readAllBounded(source: AsyncIterable<Buffer>, max: number, what: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const b of source) {
    n += b.length;
    if (n > max) throw new ImageError(`${what}: larger than ${formatBytes(max)} (limit maxJsonBytes)`);
    parts.push(b);
  }
  return Buffer.concat(parts);
}
