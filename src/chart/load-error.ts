/**
 * Internal error of the loader: helm's message without the file name prefix. The public
 * entry points turn it into an InputError whose message starts with the file name.
 */
export class ChartLoadError extends Error {
  override name = 'ChartLoadError';
  /** helm's `errors.Is(err, gzip.ErrHeader)`: the top level then wraps it as "does not appear to be a valid chart file". */
  readonly gzipHeader: boolean;
  /** A whole-tree limit (depth, file count): not wrapped in "error unpacking subchart …". */
  readonly global: boolean;

  constructor(message: string, opts: { gzipHeader?: boolean; global?: boolean } = {}) {
    super(message);
    this.gzipHeader = opts.gzipHeader ?? false;
    this.global = opts.global ?? false;
  }

  /** A new error with `prefix` in front of the message, keeping the flags (Go's `%w` wrapping). */
  wrap(prefix: string): ChartLoadError {
    return new ChartLoadError(prefix + this.message, { gzipHeader: this.gzipHeader, global: this.global });
  }
}
