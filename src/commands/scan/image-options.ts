/** What the image stage of `scan` is asked (image-contents.ts, and image-pull.ts which reads the images). */
import type { ImageSourceOptions } from '../image-sources.js';

export interface ImageContentOptions extends Omit<ImageSourceOptions, 'deadlineMs' | 'onRetry' | 'onProgress'> {
  /** `--skip-image-contents`: list the images, do not pull them. */
  skipImageContents: boolean;
  platform: string;
  /** Most time one image may take (resolve and every layer), retries included. */
  imageDeadlineMs?: number;
}

/** What a terminal shows while images are pulled and read; absent when stderr is not a terminal. */
export interface ImageProgress {
  start(ref: string): void;
  bytes(ref: string, digest: string, bytes: number, total: number): void;
  layer(ref: string, index: number, count: number): void;
  done(ref: string): void;
}
