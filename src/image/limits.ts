/**
 * Bounds for reading images from untrusted sources. Every limit names itself in its error so a
 * user can tell which one a hostile (or just unusual) image hit; each has a test.
 */
import { InputError } from '../model/errors.js';

export interface ImageLimits {
  /** Tar entries over all layers of one image (a million tiny files). */
  maxEntries: number;
  /** Uncompressed bytes of one layer (inflate cap: gzip/zstd bombs, huge sparse entries). */
  maxLayerBytes: number;
  /**
   * Uncompressed/compressed ratio of a layer, checked once 64 MiB came out: gzip tops out near
   * 1032:1, real layers rarely pass 20:1, a bomb of zeros sits at the top.
   */
  maxRatio: number;
  /** zstd window (memory the decoder must hold); 128 MiB is zstd's own default decoder limit. */
  maxZstdWindow: number;
  /** Size limit of one wanted file's content when `wants` returns true (a number replaces it). */
  maxFileBytes: number;
  /** Sum of all kept file contents. */
  maxKeptBytes: number;
  /** Symlinks followed while resolving one path. */
  maxSymlinkDepth: number;
  /** Bytes of one entry name or link target. */
  maxPathBytes: number;
  /** Layers of one image (overlayfs stops at 128). */
  maxLayers: number;
  /** JSON documents (index, manifest, config, manifest.json). */
  maxJsonBytes: number;
  /** Wall-clock time for reading one image's layers. */
  deadlineMs: number;
}

export const DEFAULT_IMAGE_LIMITS: Readonly<ImageLimits> = Object.freeze({
  maxEntries: 500_000,
  maxLayerBytes: 16 * 2 ** 30,
  maxRatio: 250,
  maxZstdWindow: 128 * 2 ** 20,
  maxFileBytes: 64 * 2 ** 20,
  maxKeptBytes: 512 * 2 ** 20,
  maxSymlinkDepth: 8,
  maxPathBytes: 4096,
  maxLayers: 256,
  maxJsonBytes: 4 * 2 ** 20,
  deadlineMs: 10 * 60_000,
});

export function imageLimits(over: Partial<ImageLimits> = {}): ImageLimits {
  const l = { ...DEFAULT_IMAGE_LIMITS, ...over };
  for (const [k, v] of Object.entries(l)) {
    // A zero or negative limit would silently read nothing: a programming error, said plainly.
    if (!(typeof v === 'number' && v > 0)) throw new RangeError(`image limit ${k} must be a positive number, got ${String(v)}`);
  }
  return l;
}

/** A problem with an image's bytes: an InputError (exit 2 for `image`, a gap for `scan`). */
export class ImageError extends InputError {
  override name = 'InputError';
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${+(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${+(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${+(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** A deadline shared by the passes over one image. */
export class Deadline {
  private readonly end: number;
  constructor(
    private readonly ms: number,
    private readonly what: string,
  ) {
    this.end = Date.now() + ms;
  }
  check(): void {
    if (Date.now() > this.end) {
      throw new ImageError(`${this.what}: reading the layers took longer than ${Math.round(this.ms / 1000)} s (limit deadlineMs)`);
    }
  }
}
