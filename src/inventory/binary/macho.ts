/**
 * Mach-O (Apple <mach-o/loader.h>, <mach-o/fat.h>): segments and sections of 32/64-bit files in
 * either byte order, and universal ("fat") files, of which the first architecture that reads is used.
 */
import { ByteView, fixedName } from './bytes.js';
import { EXECUTABLE_LIMITS, fits, MalformedExecutableError, type ExeSection, type ExeSegment, type Executable } from './types.js';

const LC_SEGMENT = 0x1;
const LC_SEGMENT_64 = 0x19;
const VM_PROT_WRITE = 2;
const VM_PROT_EXECUTE = 4;
/** Section types whose bytes are not in the file (S_ZEROFILL, S_GB_ZEROFILL, S_THREAD_LOCAL_ZEROFILL). */
const ZEROFILL = new Set([0x1, 0xc, 0x12]);

export function readMachO(buf: Buffer): Executable {
  const magic = buf.readUInt32BE(0);
  const le = magic === 0xcefaedfe || magic === 0xcffaedfe;
  const bits = magic === 0xfeedfacf || magic === 0xcffaedfe ? 64 : 32;
  const v = new ByteView(buf, le, 'Mach-O');
  const ncmds = v.u32(16, 'ncmds');
  const sizeofcmds = v.u32(20, 'sizeofcmds');
  const start = bits === 64 ? 32 : 28;
  if (!fits(start, sizeofcmds, buf.length)) {
    throw new MalformedExecutableError(`Mach-O: load commands (${sizeofcmds} bytes) run past the end of the ${buf.length}-byte file`);
  }
  // Each command takes at least 8 bytes, so more than sizeofcmds/8 of them cannot be real.
  if (ncmds > sizeofcmds / 8 || ncmds > EXECUTABLE_LIMITS.maxTableEntries) {
    throw new MalformedExecutableError(`Mach-O: ${ncmds} load commands cannot fit in ${sizeofcmds} bytes`);
  }
  const end = start + sizeofcmds;
  const sections: ExeSection[] = [];
  const segments: ExeSegment[] = [];
  let at = start;
  for (let i = 0; i < ncmds; i++) {
    const cmd = v.u32(at, 'load command');
    const size = v.u32(at + 4, 'load command size');
    if (size < 8 || size > end - at) {
      throw new MalformedExecutableError(`Mach-O: load command ${i} has size ${size}, outside the ${end - at} bytes left`);
    }
    if (cmd === LC_SEGMENT || cmd === LC_SEGMENT_64) {
      const b64 = cmd === LC_SEGMENT_64;
      const w: 32 | 64 = b64 ? 64 : 32;
      const head = b64 ? 72 : 56;
      const sectSize = b64 ? 80 : 68;
      if (size < head) throw new MalformedExecutableError(`Mach-O: segment command ${i} is ${size} bytes, shorter than its ${head}-byte header`);
      const segname = fixedName(buf, at + 8, 16);
      const n = b64 ? 8 : 4;
      const vaddr = v.word(at + 24, w);
      const fileoff = v.word(at + 24 + 2 * n, w);
      const filesize = v.word(at + 24 + 3 * n, w);
      const maxProt = v.u32(at + 24 + 4 * n);
      const initProt = v.u32(at + 28 + 4 * n);
      const nsects = v.u32(at + 32 + 4 * n);
      if (nsects > (size - head) / sectSize) {
        throw new MalformedExecutableError(`Mach-O: segment ${segname} claims ${nsects} sections, more than its command holds`);
      }
      segments.push({
        name: segname,
        vaddr,
        offset: fileoff,
        fileSize: filesize,
        writable: (initProt & VM_PROT_WRITE) !== 0,
        executable: (initProt & VM_PROT_EXECUTE) !== 0,
        initProt,
        maxProt,
      });
      for (let s = 0; s < nsects; s++) {
        const o = at + head + s * sectSize;
        const addr = v.word(o + 32, w);
        const sz = v.word(o + 32 + n, w);
        const offset = v.u32(o + 32 + 2 * n);
        const flags = v.u32(o + 32 + 2 * n + 16);
        sections.push({
          name: fixedName(buf, o, 16),
          segment: fixedName(buf, o + 16, 16),
          offset,
          size: ZEROFILL.has(flags & 0xff) ? 0 : sz,
          addr,
          writable: (initProt & VM_PROT_WRITE) !== 0,
          executable: (initProt & VM_PROT_EXECUTE) !== 0,
        });
      }
    }
    at += size;
  }
  return { format: 'macho', bits, littleEndian: le, sections, segments, bytes: buf };
}

/**
 * A universal file: the first architecture slice that reads as Mach-O. Null when the header is
 * not a plausible universal header (Java class files share the 0xcafebabe magic and then show a
 * version number where the architecture count would be).
 */
export function readUniversal(buf: Buffer): Executable | null {
  if (buf.length < 8) return null;
  const fat64 = buf.readUInt32BE(0) === 0xcafebabf;
  const n = buf.readUInt32BE(4);
  if (n === 0 || n > EXECUTABLE_LIMITS.maxUniversalArchs) return null;
  const entry = fat64 ? 32 : 20;
  if (!fits(8, n * entry, buf.length)) {
    throw new MalformedExecutableError(`Mach-O universal: ${n} architecture entries run past the end of the ${buf.length}-byte file`);
  }
  const v = new ByteView(buf, false, 'Mach-O universal');
  let firstError: MalformedExecutableError | undefined;
  for (let i = 0; i < n; i++) {
    const o = 8 + i * entry;
    const offset = fat64 ? v.u64(o + 8) : v.u32(o + 8);
    const size = fat64 ? v.u64(o + 16) : v.u32(o + 12);
    if (!fits(offset, size, buf.length) || size < 28) {
      firstError ??= new MalformedExecutableError(`Mach-O universal: architecture ${i} (offset ${offset}, size ${size}) lies outside the file`);
      continue;
    }
    const slice = buf.subarray(offset, offset + size);
    const m = slice.readUInt32BE(0);
    if (m !== 0xfeedface && m !== 0xfeedfacf && m !== 0xcefaedfe && m !== 0xcffaedfe) {
      firstError ??= new MalformedExecutableError(`Mach-O universal: architecture ${i} is not a Mach-O file`);
      continue;
    }
    try {
      return readMachO(slice);
    } catch (e) {
      if (!(e instanceof MalformedExecutableError)) throw e;
      firstError ??= e;
    }
  }
  throw firstError ?? new MalformedExecutableError('Mach-O universal: no architecture could be read');
}
