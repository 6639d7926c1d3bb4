/**
 * Where the files of an image layout or `docker save` archive are: a directory, or a tar file
 * (plain, gzip or zstd as a whole). A plain tar is indexed once and its entries are read in
 * place by offset; a compressed one is streamed again for each entry it is asked for (only
 * small archives come compressed: `docker save | gzip`).
 */
import { createReadStream } from 'node:fs';
import { lstat, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ChartLoadError } from '../chart/load-error.js';
import { TarParser } from '../chart/tar.js';
import { layerTarChunks, readAllBounded, sniffCompression, type Compression } from './decompress.js';
import { ImageError, formatBytes, type ImageLimits } from './limits.js';
import { normaliseEntryName } from './merged-view.js';

export interface FileStore {
  /** What the user named (for errors). */
  readonly location: string;
  /** Whether `name` is a regular file; throws when it exists but is not one. */
  has(name: string): Promise<boolean>;
  open(name: string): AsyncIterable<Buffer>;
  readSmall(name: string, max: number): Promise<Buffer>;
  /** Size in bytes of a file that `has` reported. */
  size(name: string): Promise<number>;
}

function checkName(location: string, name: string): string {
  const n = normaliseEntryName(name);
  if (n === null || n === '') throw new ImageError(`${location}: invalid path ${JSON.stringify(name)} in the layout`);
  return n;
}

export class DirStore implements FileStore {
  constructor(readonly location: string) {}

  async has(name: string): Promise<boolean> {
    const p = join(this.location, checkName(this.location, name));
    try {
      const s = await stat(p);
      if (!s.isFile()) throw new ImageError(`${this.location}: unable to retrieve ${name}: it is not a regular file`);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
      throw e;
    }
  }

  async *open(name: string): AsyncIterable<Buffer> {
    const p = join(this.location, checkName(this.location, name));
    if (!(await this.has(name))) throw new ImageError(`${this.location}: ${name} is missing`);
    yield* createReadStream(p, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>;
  }

  async readSmall(name: string, max: number): Promise<Buffer> {
    return readAllBounded(this.open(name), max, `${this.location}: ${name}`);
  }

  async size(name: string): Promise<number> {
    return (await stat(join(this.location, checkName(this.location, name)))).size;
  }
}

interface TarEntry {
  offset: number;
  size: number;
}

export class TarStore implements FileStore {
  private constructor(
    readonly location: string,
    private readonly compression: Compression,
    private readonly entries: Map<string, TarEntry>,
    private readonly notFiles: Set<string>,
    private readonly limits: ImageLimits,
  ) {}

  /** Indexes the archive (one pass; entry data is skipped, not kept). */
  static async open(file: string, limits: ImageLimits): Promise<TarStore> {
    const s = await lstat(file).catch(() => null);
    if (s === null) throw new ImageError(`${file}: no such file`);
    if (!s.isFile() && !(await stat(file)).isFile()) throw new ImageError(`${file}: not a regular file`);
    const fh = await open(file, 'r');
    const head = Buffer.alloc(4);
    try {
      await fh.read(head, 0, 4, 0);
    } finally {
      await fh.close();
    }
    const compression = sniffCompression(head);
    const entries = new Map<string, TarEntry>();
    const notFiles = new Set<string>();
    let count = 0;
    const parser = new TarParser(
      {
        entry: (hdr) => {
          if (++count > limits.maxEntries) throw new ImageError(`${file}: more than ${limits.maxEntries} entries (limit maxEntries)`);
          const name = normaliseEntryName(hdr.name);
          if (name === null || name === '') return null;
          if (hdr.typeflag === '0' || hdr.typeflag === '7') entries.set(name, { offset: parser.dataOffset, size: hdr.size });
          else {
            entries.delete(name);
            notFiles.add(name);
          }
          return null;
        },
        entryDone: () => {},
      },
      { what: 'an image archive' },
    );
    if (compression === 'none') await walkHeaders(file, s.size, parser);
    else await feed(file, parser, limits);
    return new TarStore(file, compression, entries, notFiles, limits);
  }

  async has(name: string): Promise<boolean> {
    const n = checkName(this.location, name);
    if (this.entries.has(n)) return true;
    if (this.notFiles.has(n)) throw new ImageError(`${this.location}: unable to retrieve ${name}: it is not a regular file`);
    return false;
  }

  async *open(name: string): AsyncIterable<Buffer> {
    const n = checkName(this.location, name);
    const e = this.entries.get(n);
    if (!e) throw new ImageError(`${this.location}: ${name} is missing`);
    if (e.size === 0) return;
    if (this.compression === 'none') {
      yield* createReadStream(this.location, { start: e.offset, end: e.offset + e.size - 1, highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>;
      return;
    }
    // Compressed archive: stream it again and pass on this entry's data only.
    let out: Buffer[] = [];
    let capturing = false;
    let finished = false;
    const parser = new TarParser(
      {
        entry: (hdr) => {
          capturing = !finished && normaliseEntryName(hdr.name) === n && hdr.dataSize === e.size && parser.dataOffset === e.offset;
          return null;
        },
        entryDone: () => {},
        data: (chunk) => {
          if (capturing) out.push(Buffer.from(chunk));
        },
        dataEnd: () => {
          if (capturing) finished = true;
          capturing = false;
        },
      },
      { what: 'an image archive' },
    );
    for await (const chunk of layerTarChunks(createReadStream(this.location), { what: this.location, limits: this.limits })) {
      try {
        parser.write(chunk);
      } catch (err) {
        throw wrapTarError(this.location, err);
      }
      const ready = out;
      out = [];
      yield* ready;
      if (finished) return;
    }
    throw new ImageError(`${this.location}: ${name} is truncated`);
  }

  async readSmall(name: string, max: number): Promise<Buffer> {
    const e = this.entries.get(checkName(this.location, name));
    if (e && e.size > max) throw new ImageError(`${this.location}: ${name} is larger than ${formatBytes(max)} (limit maxJsonBytes)`);
    return readAllBounded(this.open(name), max, `${this.location}: ${name}`);
  }

  async size(name: string): Promise<number> {
    return this.entries.get(checkName(this.location, name))?.size ?? 0;
  }
}

function wrapTarError(location: string, e: unknown): unknown {
  if (e instanceof ChartLoadError) {
    return new ImageError(`${location}: ${e.message === 'unexpected EOF' ? 'archive is truncated (unexpected EOF)' : e.message}`);
  }
  return e;
}

/** A plain tar: reads the header blocks only and seeks past entry data (a docker save of GBs is indexed in milliseconds). */
async function walkHeaders(file: string, size: number, parser: TarParser): Promise<void> {
  const fh = await open(file, 'r');
  const blk = Buffer.alloc(512);
  let pos = 0;
  try {
    while (!parser.done) {
      const { bytesRead } = await fh.read(blk, 0, 512, pos);
      if (bytesRead === 0) break;
      parser.write(blk.subarray(0, bytesRead));
      pos += bytesRead + parser.skipEntryData();
      if (pos > size) throw new ImageError(`${file}: archive is truncated (an entry runs past the end of the file)`);
    }
    parser.end();
  } catch (e) {
    throw wrapTarError(file, e);
  } finally {
    await fh.close();
  }
}

async function feed(file: string, parser: TarParser, limits: ImageLimits): Promise<void> {
  try {
    for await (const chunk of layerTarChunks(createReadStream(file, { highWaterMark: 256 * 1024 }), { what: file, limits })) {
      if (!parser.done) parser.write(chunk);
    }
    parser.end();
  } catch (e) {
    throw wrapTarError(file, e);
  }
}

/** A directory or a tar file, by what is at `path`. */
export async function openStore(path: string, limits: ImageLimits): Promise<FileStore> {
  const s = await stat(path).catch(() => null);
  if (s === null) throw new ImageError(`${path}: no such file or directory`);
  if (s.isDirectory()) return new DirStore(path);
  return TarStore.open(path, limits);
}

