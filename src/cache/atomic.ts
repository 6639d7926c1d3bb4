/**
 * Atomic files for a cache shared by concurrent processes: write a private temp file in the
 * same directory, fsync it, rename it over the final name. A reader sees the old file, the new
 * one, or none; never half of one.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A fresh temp name inside `dir` (created if missing); `.tmp-` names are never cache entries. */
export function tempPath(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
}

export function writeFileAtomic(file: string, data: Buffer | string): void {
  const tmp = tempPath(dirname(file));
  try {
    const fd = openSync(tmp, 'wx', 0o644);
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
