/**
 * One resource budget for loading a whole chart tree (the top archive, nested `.tgz`
 * subcharts and directory subcharts all draw from the same object).
 *
 * helm v4.1.4 limits each archive separately (100 MiB of file content, 5 MiB a file) and
 * re-reads every nested `.tgz` with a fresh budget, without bounding the number of files or
 * the nesting depth. chartaudit keeps helm's two numbers and messages but shares them across
 * the tree, and adds a file count, a nesting depth and a bound on raw gunzip output (tar
 * headers, padding and skipped entries included) so a gzip bomb stops early.
 */
import { ChartLoadError } from './load-error.js';
import { quote as goQuote } from '../render/template/strconv.js';

export interface LoadLimits {
  /** Total bytes of file content in the whole tree (helm: MaxDecompressedChartSize). */
  maxTotalBytes: number;
  /** Bytes of one file (helm: MaxDecompressedFileSize). */
  maxFileBytes: number;
  /** Files in the whole tree. */
  maxFiles: number;
  /** Subchart nesting depth (the top chart is depth 0). */
  maxDepth: number;
  /** Raw gunzip output of all archives in the tree (tar headers and padding included). */
  maxInflatedBytes: number;
}

export const DEFAULT_LIMITS: Readonly<LoadLimits> = Object.freeze({
  maxTotalBytes: 100 * 1024 * 1024,
  maxFileBytes: 5 * 1024 * 1024,
  maxFiles: 10_000,
  maxDepth: 20,
  maxInflatedBytes: 100 * 1024 * 1024 + 32 * 1024 * 1024,
});

export class LoadBudget {
  readonly limits: Readonly<LoadLimits>;
  /** File content bytes taken so far. */
  contentBytes = 0;
  /** Files taken so far. */
  files = 0;
  /** Raw gunzip output so far. */
  inflatedBytes = 0;

  constructor(limits: Partial<LoadLimits> = {}) {
    this.limits = Object.freeze({ ...DEFAULT_LIMITS, ...limits });
  }

  get remainingContent(): number {
    return this.limits.maxTotalBytes - this.contentBytes;
  }

  /** helm's message for the total limit. */
  totalError(): ChartLoadError {
    return new ChartLoadError(`decompressed chart is larger than the maximum size ${this.limits.maxTotalBytes}`);
  }

  /** helm's archive message for the per-file limit (`name` is the tar entry name as written). */
  fileError(name: string): ChartLoadError {
    return new ChartLoadError(
      `decompressed chart file ${goQuote(name)} is larger than the maximum file size ${this.limits.maxFileBytes}`,
    );
  }

  /** Counts one more file; throws past the file-count limit. */
  takeFile(): void {
    this.files++;
    if (this.files > this.limits.maxFiles) {
      throw new ChartLoadError(`chart has more than ${this.limits.maxFiles} files (limit of the whole chart tree)`, {
        global: true,
      });
    }
  }

  /** Counts raw gunzip output; throws past the inflate limit. */
  takeInflated(n: number): void {
    this.inflatedBytes += n;
    if (this.inflatedBytes > this.limits.maxInflatedBytes) throw this.totalError();
  }

  /** Throws when a subchart at `depth` would be too deep. */
  checkDepth(depth: number, where: string): void {
    if (depth > this.limits.maxDepth) {
      throw new ChartLoadError(
        `subcharts are nested more than ${this.limits.maxDepth} levels deep (at ${where})`,
        { global: true },
      );
    }
  }
}
