/**
 * Reading a chart archive (.tgz) into memory the way helm v4.1.4's LoadArchiveFiles does
 * (pkg/chart/loader/archive/archive.go): gzip → tar, helm's per-entry path rules and
 * messages, links and devices turned into empty files (never followed), UTF-8 BOM stripped.
 * Decompression is streamed through node:zlib into an incremental tar parser and every byte
 * is charged to the shared LoadBudget, so a bomb stops at the budget. An archive loaded before
 * may skip the inflating: its tar, kept by the caller (InflatedArchiveStore), goes through the
 * same parser and budget instead.
 */
import { createGunzip, crc32 } from 'node:zlib';
import type { ChartFile } from '../model/chart.js';
import { InputError } from '../model/errors.js';
import { LoadBudget } from './budget.js';
import { quote as goQuote } from '../render/template/strconv.js';
import { ChartLoadError } from './load-error.js';
import { detectContentType } from './sniff.js';
import { TarParser, type TarHeader, ERR_UNEXPECTED_EOF } from './tar.js';


/** Drops a leading UTF-8 BOM (no copy). */
export function stripBom(data: Buffer): Buffer {
  return data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? data.subarray(3) : data;
}

/** Go's path.Clean. */
export function goPathClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const r = (rooted ? '/' : '') + out.join('/');
  return r === '' ? '.' : r;
}

/**
 * helm's path rules for one tar entry name, in helm's order. Returns the chart-relative
 * name or throws helm's error.
 */
export function chartPathOf(entryName: string): string {
  const delimiter = entryName.includes('\\') ? '\\' : '/';
  const parts = entryName.split(delimiter);
  let n = parts.slice(1).join(delimiter);
  if (delimiter !== '/') n = n.split(delimiter).join('/');
  if (n.startsWith('/')) throw new ChartLoadError('chart illegally contains absolute paths');
  n = goPathClean(n);
  if (n === '.') {
    throw new ChartLoadError(`chart illegally contains content outside the base directory: ${goQuote(entryName)}`);
  }
  if (n.startsWith('..')) throw new ChartLoadError('chart illegally references parent directory');
  if (/^[a-zA-Z]:\//.test(n)) throw new ChartLoadError('chart contains illegally named files');
  if (parts[0] === 'Chart.yaml') throw new ChartLoadError('chart yaml not in base directory');
  return n;
}

/**
 * helm's EnsureArchive: sniffs the first 512 bytes (zero-padded, as helm reads them into a
 * fixed buffer) and refuses anything that is not gzip.
 */
export function ensureArchive(name: string, bytes: Buffer): void {
  const buf = Buffer.alloc(512);
  bytes.copy(buf, 0, 0, Math.min(512, bytes.length));
  const ct = detectContentType(buf);
  const gzipMagic = buf[0] === 0x1f && buf[1] === 0x8b && buf[2] === 0x08;
  if (ct !== 'application/x-gzip' && !gzipMagic) {
    if (name.endsWith('.yml') || name.endsWith('.yaml')) {
      throw new ChartLoadError(`file '${name}' seems to be a YAML file, but expected a gzipped archive`);
    }
    throw new ChartLoadError(`file '${name}' does not appear to be a gzipped archive; got '${ct}'`);
  }
}

/** Go's gzip.Reader header checks (what `gzip.NewReader` refuses), with Go's messages. */
export function checkGzipHeader(b: Buffer): void {
  const headerErr = () => new ChartLoadError('gzip: invalid header', { gzipHeader: true });
  if (b.length === 0) throw new ChartLoadError('EOF');
  if (b.length < 10) throw new ChartLoadError(ERR_UNEXPECTED_EOF);
  if (b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 0x08) throw headerErr();
  const flg = b[3]!;
  let p = 10;
  if (flg & 0x04) {
    if (b.length < p + 2) throw new ChartLoadError(ERR_UNEXPECTED_EOF);
    const xlen = b.readUInt16LE(p);
    p += 2 + xlen;
    if (b.length < p) throw new ChartLoadError(ERR_UNEXPECTED_EOF);
  }
  for (const flag of [0x08, 0x10]) {
    if (flg & flag) {
      // Go reads these zero-terminated strings into a 512-byte buffer.
      let i = 0;
      for (;;) {
        if (i >= 512) throw headerErr();
        if (p + i >= b.length) throw new ChartLoadError(ERR_UNEXPECTED_EOF);
        if (b[p + i] === 0) break;
        i++;
      }
      p += i + 1;
    }
  }
  if (flg & 0x02) {
    if (b.length < p + 2) throw new ChartLoadError(ERR_UNEXPECTED_EOF);
    const want = b.readUInt16LE(p);
    // node:zlib's crc32 (Node >= 20.15, the engines floor): the project's one CRC-32.
    if ((crc32(b.subarray(0, p)) & 0xffff) !== want) throw headerErr();
  }
}

function zlibError(err: NodeJS.ErrnoException): ChartLoadError {
  const msg = err.message || String(err);
  if (err.code === 'Z_BUF_ERROR' || /unexpected end of file/.test(msg)) return new ChartLoadError(ERR_UNEXPECTED_EOF);
  if (/incorrect (data|length) check/.test(msg)) return new ChartLoadError('gzip: invalid checksum');
  if (/incorrect header check|unknown compression method|unknown header flags/.test(msg)) {
    return new ChartLoadError('gzip: invalid header', { gzipHeader: true });
  }
  return new ChartLoadError(`flate: corrupt input (${msg})`);
}

/**
 * Where the inflated bytes (the tar) of one chart archive are kept between loads, by the
 * caller, keyed on the archive's digest. Inflating is most of reading a chart archive, and
 * node:zlib with the streams it needs costs a start-up of its own to load.
 */
export interface InflatedArchiveStore {
  /** The tar an earlier load of this archive fed the parser, when kept and exactly `length` bytes long. */
  get(length: number): Buffer | undefined;
  /** The tar of an archive that unpacked cleanly, as the chunks the parser was fed. */
  put(tar: readonly Buffer[]): void;
}

const INFLATE_CHUNK = 1024 * 1024;

/**
 * What the gzip trailer says the inflated size is (ISIZE: modulo 2^32, of the last member):
 * a kept tar of another length is not this archive's.
 */
function trailerSize(bytes: Buffer): number {
  return bytes.length >= 18 ? bytes.readUInt32LE(bytes.length - 4) : -1;
}

/**
 * Streams `bytes` through gunzip into a tar parser; resolves once the tar archive has ended.
 * With `inflated`, a tar kept from an earlier load is parsed instead, and the tar of a load
 * that inflated the whole archive is handed back to be kept.
 */
function gunzipTar(bytes: Buffer, budget: LoadBudget, parser: TarParser, inflated?: InflatedArchiveStore): Promise<void> {
  checkGzipHeader(bytes);
  const expected = trailerSize(bytes);
  const kept = inflated && expected > 0 && expected <= budget.limits.maxInflatedBytes ? inflated.get(expected) : undefined;
  if (kept !== undefined) {
    // the steps the stream below takes, in chunks of the stream's size
    for (let at = 0; at < kept.length && !parser.done; at += INFLATE_CHUNK) {
      const chunk = kept.subarray(at, Math.min(at + INFLATE_CHUNK, kept.length));
      budget.takeInflated(chunk.length);
      parser.write(chunk);
    }
    if (!parser.done) parser.end();
    return Promise.resolve();
  }
  const fed: Buffer[] = [];
  let fedBytes = 0;
  return new Promise<void>((resolve, reject) => {
    const gz = createGunzip({ chunkSize: INFLATE_CHUNK });
    let settled = false;
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      gz.removeAllListeners('data');
      gz.destroy();
      if (err) return reject(err);
      // only a tar that is the whole inflated archive: one the parser finished early is shorter
      if (inflated && fedBytes === expected) inflated.put(fed);
      resolve();
    };
    gz.on('data', (chunk: Buffer) => {
      if (settled) return;
      try {
        budget.takeInflated(chunk.length);
        fed.push(chunk);
        fedBytes += chunk.length;
        parser.write(chunk);
        if (parser.done) finish();
      } catch (e) {
        finish(e);
      }
    });
    gz.on('end', () => {
      if (settled) return;
      try {
        parser.end();
        finish();
      } catch (e) {
        finish(e);
      }
    });
    gz.on('error', (e: NodeJS.ErrnoException) => finish(zlibError(e)));
    gz.end(bytes);
  });
}

function isDirEntry(hdr: TarHeader): boolean {
  return hdr.typeflag === '5' || (hdr.mode & ~0o7777) === 0o40000;
}

const LINK_KIND: Record<string, string> = {
  '1': 'hard link',
  '2': 'symbolic link',
  '3': 'character device',
  '4': 'block device',
  '6': 'FIFO',
};

/**
 * helm's LoadArchiveFiles on bytes already in memory (no EnsureArchive sniffing): throws a
 * ChartLoadError with helm's unprefixed message. `where` names the archive in warnings.
 */
export async function unpackArchive(
  bytes: Buffer,
  budget: LoadBudget,
  where: string,
  warnings: string[],
  inflated?: InflatedArchiveStore,
): Promise<ChartFile[]> {
  const files: ChartFile[] = [];
  const tops = new Set<string>();
  const parser = new TarParser({
    entry(hdr: TarHeader): Buffer | null {
      if (isDirEntry(hdr)) return null;
      if (hdr.typeflag === 'g' || hdr.typeflag === 'x') return null;
      const chartPath = chartPathOf(hdr.name);
      const delimiter = hdr.name.includes('\\') ? '\\' : '/';
      const top = hdr.name.split(delimiter)[0]!;
      if (!tops.has(top)) {
        tops.add(top);
        if (top === '') {
          warnings.push(`entry ${goQuote(hdr.name)} in ${where} has an absolute path: helm drops the leading "/" and loads it as ${goQuote(chartPath)}`);
        }
        if (tops.size === 2) {
          warnings.push(`entries of ${where} are under more than one top-level directory (${[...tops].map((t) => goQuote(t + '/')).join(', ')}): helm drops the first path component of every entry and merges them`);
        }
      }
      if (hdr.size > budget.remainingContent) throw budget.totalError();
      if (hdr.size > budget.limits.maxFileBytes) throw budget.fileError(hdr.name);
      // helm copies at most hdr.Size bytes; header-only entries (links, devices, FIFOs) carry none,
      // and a non-zero size on one of them trips helm's "fewer bytes than the header says" check.
      if (hdr.dataSize < hdr.size) throw budget.totalError();
      budget.takeFile();
      return Buffer.allocUnsafe(hdr.dataSize);
    },
    entryDone(hdr: TarHeader, data: Buffer): void {
      budget.contentBytes += data.length;
      if (budget.remainingContent <= 0) throw budget.totalError();
      const name = chartPathOf(hdr.name);
      const kind = LINK_KIND[hdr.typeflag];
      if (kind) {
        const target = hdr.linkname ? ` to ${goQuote(hdr.linkname)}` : '';
        warnings.push(`entry ${goQuote(hdr.name)} in ${where} is a ${kind}${target}: loaded as an empty file, as helm does (never followed)`);
      }
      files.push({ name, data: stripBom(data) });
    },
  }, { views: true }); // every file is kept: views of the inflated chunks, no copies
  await gunzipTar(bytes, budget, parser, inflated);
  if (files.length === 0) throw new ChartLoadError('no files in chart archive');
  return files;
}

/** Turns a loader error into the public InputError naming `displayName`. */
export function toInputError(err: unknown, displayName: string, fileLevel = true): unknown {
  if (err instanceof ChartLoadError) {
    let msg = err.message;
    if (err.gzipHeader && fileLevel) msg = `file '${displayName}' does not appear to be a valid chart file (details: ${msg})`;
    if (msg.startsWith(`file '${displayName}'`)) return new InputError(msg, displayName);
    return new InputError(`${displayName}: ${msg}`, displayName);
  }
  return err;
}

/**
 * Reads a packaged chart (top level): helm's EnsureArchive, then LoadArchiveFiles. Errors are
 * InputErrors naming `displayName`; things helm accepts but an auditor should know (links,
 * devices) are appended to `warnings`.
 */
export async function readChartArchive(
  bytes: Buffer,
  displayName: string,
  budget: LoadBudget,
  warnings: string[] = [],
  inflated?: InflatedArchiveStore,
): Promise<ChartFile[]> {
  try {
    ensureArchive(displayName, bytes);
    return await unpackArchive(bytes, budget, displayName, warnings, inflated);
  } catch (e) {
    throw toInputError(e, displayName);
  }
}
