/**
 * Go build information read from an executable without running it (the layout Go's
 * debug/buildinfo reads): a 32-byte header starting `\xff Go buildinf:` at a 16-byte-aligned
 * offset of the `.go.buildinfo` / `__go_buildinfo` section or, failing that, of the writable data;
 * byte 14 is the pointer size, byte 15 the flags (bit 0 big-endian, bit 1 inline strings).
 * Go 1.18+ writes the version and module info inline as uvarint-prefixed strings after the
 * header; older toolchains store two pointers to Go string headers {data, len}, resolved through
 * the executable's address map. Both strings are capped (see GO_BUILDINFO_LIMITS).
 */
import { findSection, openExecutable, readVirtual, sectionBytes, type Executable } from '../binary/executable.js';

export const GO_BUILDINFO_LIMITS = {
  /** Go version string ("go1.22.3 X:loopvar"): far shorter in practice. */
  maxVersionBytes: 1024,
  /** Module info text: about 150 bytes per dependency, so room for over 25,000 modules. */
  maxModInfoBytes: 4 << 20,
};

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const ALIGN = 16;
const HEADER = 32;

/** The build info is there but cannot be read (truncated, pointing outside the file, too long). */
export class GoBuildInfoError extends Error {
  override name = 'GoBuildInfoError';
}

export type GoBuildInfoResult =
  | { kind: 'not-executable' }
  | { kind: 'not-go' }
  | { kind: 'found'; format: Executable['format']; goVersion: string; modInfo: string; exe: Executable };

/** Throws MalformedExecutableError (bad tables) or GoBuildInfoError (bad build info). */
export function readGoBuildInfo(bytes: Buffer): GoBuildInfoResult {
  const exe = openExecutable(bytes);
  if (!exe) return { kind: 'not-executable' };
  for (const region of searchRegions(exe)) {
    const at = findAlignedMagic(region);
    if (at < 0) continue;
    const { goVersion, modInfo } = decode(exe, region, at);
    if (goVersion.length === 0) return { kind: 'not-go' };
    return { kind: 'found', format: exe.format, goVersion: goVersion.toString('utf8'), modInfo: stripFraming(modInfo), exe };
  }
  return { kind: 'not-go' };
}

/** Where Go's own reader looks, in its order: the named section, then writable data. */
function searchRegions(exe: Executable): Buffer[] {
  const out: Buffer[] = [];
  const named = findSection(exe, exe.format === 'macho' ? '__go_buildinfo' : '.go.buildinfo');
  if (named && named.size > 0) out.push(sectionBytes(exe, named));
  const clip = (offset: number, size: number): Buffer | null => {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < 0 || offset >= exe.bytes.length || size <= 0) return null;
    return exe.bytes.subarray(offset, Math.min(exe.bytes.length, offset + size));
  };
  const push = (b: Buffer | null): void => {
    if (b && b.length >= HEADER) out.push(b);
  };
  if (exe.format === 'elf') {
    for (const s of exe.segments) if (s.writable && !s.executable) push(clip(s.offset, s.fileSize));
  } else if (exe.format === 'pe') {
    // Initialised, writable, not executable data (Go puts build info at the start of .data).
    for (const s of exe.sections) {
      const c = s.peCharacteristics ?? 0;
      if ((c & 0x40) !== 0 && s.writable && !s.executable && s.addr !== 0) push(clip(s.offset, s.size));
    }
  } else {
    for (const s of exe.segments) if (s.writable && !s.executable && s.vaddr !== 0) push(clip(s.offset, s.fileSize));
  }
  return out;
}

function findAlignedMagic(region: Buffer): number {
  let from = 0;
  for (;;) {
    const i = region.indexOf(MAGIC, from);
    if (i < 0 || region.length - i < HEADER) return -1;
    if (i % ALIGN === 0) return i;
    from = i + 1;
  }
}

function decode(exe: Executable, region: Buffer, at: number): { goVersion: Buffer; modInfo: Buffer } {
  const ptrSize = region[at + 14]!;
  const flags = region[at + 15]!;
  if ((flags & 2) !== 0) {
    let pos = at + HEADER;
    const readInline = (what: string, max: number): Buffer => {
      const [len, n] = uvarint(region, pos, what);
      if (len > max) throw new GoBuildInfoError(`Go build info: ${what} is ${len} bytes, more than the limit of ${max}`);
      pos += n;
      if (len > region.length - pos) throw new GoBuildInfoError(`Go build info: ${what} (${len} bytes) runs past the end of its section`);
      const s = region.subarray(pos, pos + len);
      pos += len;
      return s;
    };
    const goVersion = readInline('the Go version', GO_BUILDINFO_LIMITS.maxVersionBytes);
    const modInfo = readInline('the module info', GO_BUILDINFO_LIMITS.maxModInfoBytes);
    return { goVersion, modInfo };
  }
  if (ptrSize !== 4 && ptrSize !== 8) return { goVersion: Buffer.alloc(0), modInfo: Buffer.alloc(0) };
  const le = flags === 0;
  const readPtr = (b: Buffer, off: number): number => {
    if (ptrSize === 4) return le ? b.readUInt32LE(off) : b.readUInt32BE(off);
    const v = le ? b.readBigUInt64LE(off) : b.readBigUInt64BE(off);
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : Number.NaN;
  };
  const readString = (addr: number, what: string, max: number): Buffer => {
    const hdr = readVirtual(exe, addr, 2 * ptrSize);
    if (!hdr) throw new GoBuildInfoError(`Go build info: the pointer to ${what} (0x${hex(addr)}) is not mapped by the file`);
    const data = readPtr(hdr, 0);
    const len = readPtr(hdr, ptrSize);
    if (!(len <= max)) throw new GoBuildInfoError(`Go build info: ${what} is ${len} bytes, more than the limit of ${max}`);
    if (len === 0) return Buffer.alloc(0);
    const b = readVirtual(exe, data, len);
    if (!b) throw new GoBuildInfoError(`Go build info: ${what} (${len} bytes at 0x${hex(data)}) is not mapped by the file`);
    return b;
  };
  const goVersion = readString(readPtr(region, at + 16), 'the Go version', GO_BUILDINFO_LIMITS.maxVersionBytes);
  const modInfo = readString(readPtr(region, at + 16 + ptrSize), 'the module info', GO_BUILDINFO_LIMITS.maxModInfoBytes);
  return { goVersion, modInfo };
}

/** A uvarint (encoding/binary): [value, bytes used]; at most 10 bytes, value within a safe integer. */
export function uvarint(b: Buffer, pos: number, what: string): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= b.length) throw new GoBuildInfoError(`Go build info: the length of ${what} runs past the end of its section`);
    const byte = b[pos + i]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      if (!Number.isSafeInteger(value)) throw new GoBuildInfoError(`Go build info: the length of ${what} is out of range`);
      return [value, i + 1];
    }
    scale *= 128;
  }
  throw new GoBuildInfoError(`Go build info: the length of ${what} is not a valid varint (more than 10 bytes)`);
}

/** Module info sits between two 16-byte sentinels (cmd/go's infoStart/infoEnd); without them it is empty. */
function stripFraming(mod: Buffer): string {
  if (mod.length >= 33 && mod[mod.length - 17] === 10) return mod.toString('utf8', 16, mod.length - 16);
  return '';
}

function hex(n: number): string {
  return Number.isFinite(n) ? n.toString(16) : 'out of range';
}
