/**
 * Executables (ELF, PE, Mach-O incl. universal files) read far enough to find named sections and
 * to map virtual addresses to file offsets: what the Go build-info and cargo-auditable readers need.
 * Bytes in, result out; nothing is executed or written. Every table is checked against the file
 * before it is walked and every count is capped, so a hostile header costs at most a linear pass.
 */
import { readElf } from './elf.js';
import { readMachO, readUniversal } from './macho.js';
import { readPe } from './pe.js';
import { fits, MalformedExecutableError, type ExeSection, type Executable } from './types.js';

export * from './types.js';

/**
 * The executable in `bytes`, or null when it is none of the known formats (a script, a text file,
 * a DOS program without a PE header). Throws MalformedExecutableError when it claims a format but
 * its tables do not fit the file.
 */
export function openExecutable(bytes: Buffer): Executable | null {
  if (bytes.length < 4) return null;
  const m0 = bytes[0]!;
  const m1 = bytes[1]!;
  if (m0 === 0x7f && m1 === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) return readElf(bytes);
  if (m0 === 0x4d && m1 === 0x5a) return readPe(bytes);
  const be = bytes.readUInt32BE(0);
  if (be === 0xfeedface || be === 0xfeedfacf || be === 0xcefaedfe || be === 0xcffaedfe) return readMachO(bytes);
  if (be === 0xcafebabe || be === 0xcafebabf) return readUniversal(bytes);
  return null;
}

/** The bytes of a section; throws when they lie outside the file. */
export function sectionBytes(exe: Executable, s: ExeSection): Buffer {
  if (!fits(s.offset, s.size, exe.bytes.length)) {
    throw new MalformedExecutableError(
      `section ${s.name} (offset ${s.offset}, size ${s.size}) lies outside the ${exe.bytes.length}-byte file`,
    );
  }
  return exe.bytes.subarray(s.offset, s.offset + s.size);
}

export function findSection(exe: Executable, name: string, segment?: string): ExeSection | undefined {
  return exe.sections.find((s) => s.name === name && (segment === undefined || s.segment === segment));
}

/**
 * `length` bytes at virtual address `addr`, from the segment that maps it in the file; null when no
 * segment maps all of them (unmapped, bss, past the end of the file).
 */
export function readVirtual(exe: Executable, addr: number, length: number): Buffer | null {
  if (!Number.isSafeInteger(addr) || !Number.isSafeInteger(length) || length < 0) return null;
  for (const seg of exe.segments) {
    if (!Number.isSafeInteger(seg.vaddr) || addr < seg.vaddr) continue;
    const rel = addr - seg.vaddr;
    if (rel >= seg.fileSize || length > seg.fileSize - rel) continue;
    const off = seg.offset + rel;
    if (!fits(off, length, exe.bytes.length)) return null;
    return exe.bytes.subarray(off, off + length);
  }
  return null;
}
