/**
 * Splits a zstd stream at frame-header and block boundaries before the decoder sees it, so that
 * (1) a frame's window is checked before the decoder allocates it (fzstd allocates what the
 * header declares, up to 2 GiB) and (2) the decoder gets at most one block per push, so one push
 * produces at most 128 KiB (zstd's Block_Maximum_Size) and an inflate cap can stop a bomb
 * between blocks. Layout per RFC 8878 §3.1.
 */
import { ImageError, formatBytes } from './limits.js';

const ZSTD_MAGIC = 0xfd2fb528;
const BLOCK_MAX = 128 * 1024;

type State = 'magic' | 'fhd' | 'header' | 'blockHeader' | 'block' | 'checksum' | 'skipSize' | 'skip';

export class ZstdFramer {
  private state: State = 'magic';
  private need = 4;
  private parts: Buffer[] = [];
  private have = 0;
  private checksum = false;
  private skipLeft = 0;
  private lastBlock = false;
  /** Bytes of the unit being assembled that are passed on (frame header, block). */
  private unit: Buffer[] = [];

  constructor(
    private readonly what: string,
    private readonly maxWindow: number,
    private readonly emit: (unit: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) {
      if (this.state === 'skip') {
        const take = Math.min(this.skipLeft, chunk.length - off);
        this.skipLeft -= take;
        off += take;
        if (this.skipLeft === 0) this.reset('magic', 4);
        continue;
      }
      const take = Math.min(this.need - this.have, chunk.length - off);
      this.parts.push(chunk.subarray(off, off + take));
      this.have += take;
      off += take;
      if (this.have === this.need) {
        const buf = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
        this.parts = [];
        this.have = 0;
        this.step(buf);
      }
    }
  }

  /** The input ended: it must end between frames. */
  end(): void {
    if (this.state !== 'magic' || this.have !== 0) {
      throw new ImageError(`${this.what}: zstd stream is truncated`);
    }
  }

  private reset(state: State, need: number): void {
    this.state = state;
    this.need = need;
  }

  private step(buf: Buffer): void {
    switch (this.state) {
      case 'magic': {
        const magic = buf.readUInt32LE(0);
        if (magic === ZSTD_MAGIC) {
          this.unit = [buf];
          this.reset('fhd', 1);
        } else if ((magic & 0xfffffff0) === 0x184d2a50) {
          this.reset('skipSize', 4);
        } else {
          throw new ImageError(`${this.what}: not a zstd frame (bad magic number)`);
        }
        return;
      }
      case 'skipSize':
        this.skipLeft = buf.readUInt32LE(0);
        if (this.skipLeft === 0) this.reset('magic', 4);
        else this.state = 'skip';
        return;
      case 'fhd': {
        const fhd = buf[0]!;
        if (fhd & 0x08) throw new ImageError(`${this.what}: zstd frame header has a reserved bit set`);
        const singleSegment = (fhd >> 5) & 1;
        const dictFlag = fhd & 3;
        const fcsFlag = fhd >> 6;
        this.checksum = ((fhd >> 2) & 1) === 1;
        const dictBytes = [0, 1, 2, 4][dictFlag]!;
        const fcsBytes = fcsFlag === 0 ? singleSegment : 1 << fcsFlag;
        this.unit.push(buf);
        this.pendingHeader = { singleSegment: singleSegment === 1, dictBytes, fcsBytes, fcsFlag };
        this.reset('header', (singleSegment ? 0 : 1) + dictBytes + fcsBytes);
        if (this.need === 0) this.step(Buffer.alloc(0));
        return;
      }
      case 'header': {
        const h = this.pendingHeader!;
        let p = 0;
        let window = 0;
        if (!h.singleSegment) {
          const wd = buf[p++]!;
          const base = 2 ** (10 + (wd >> 3));
          window = base + (base / 8) * (wd & 7);
        }
        const dictId = h.dictBytes ? buf.readUIntLE(p, h.dictBytes) : 0;
        p += h.dictBytes;
        if (dictId !== 0) throw new ImageError(`${this.what}: zstd frame needs a dictionary (id ${dictId}); layers never use one`);
        let fcs = 0;
        if (h.fcsBytes === 8) fcs = Number(buf.readBigUInt64LE(p));
        else if (h.fcsBytes > 0) fcs = buf.readUIntLE(p, h.fcsBytes) + (h.fcsFlag === 1 ? 256 : 0);
        if (h.singleSegment) window = fcs;
        if (window > this.maxWindow) {
          throw new ImageError(
            `${this.what}: zstd frame wants a ${formatBytes(window)} window, more than the ${formatBytes(this.maxWindow)} limit (maxZstdWindow)`,
          );
        }
        this.unit.push(buf);
        this.emit(Buffer.concat(this.unit));
        this.unit = [];
        this.reset('blockHeader', 3);
        return;
      }
      case 'blockHeader': {
        const v = buf.readUIntLE(0, 3);
        this.lastBlock = (v & 1) === 1;
        const type = (v >> 1) & 3;
        const size = v >>> 3;
        if (type === 3) throw new ImageError(`${this.what}: zstd block of reserved type`);
        if (size > BLOCK_MAX) throw new ImageError(`${this.what}: zstd block larger than 128 KiB`);
        this.unit = [buf];
        const contentBytes = type === 1 ? 1 : size;
        this.reset('block', contentBytes);
        if (contentBytes === 0) this.step(Buffer.alloc(0));
        return;
      }
      case 'block':
        this.unit.push(buf);
        this.emit(Buffer.concat(this.unit));
        this.unit = [];
        if (!this.lastBlock) this.reset('blockHeader', 3);
        else if (this.checksum) this.reset('checksum', 4);
        else this.reset('magic', 4);
        return;
      case 'checksum':
        this.emit(buf);
        this.reset('magic', 4);
        return;
      default:
        return;
    }
  }

  private pendingHeader: { singleSegment: boolean; dictBytes: number; fcsBytes: number; fcsFlag: number } | null = null;
}
