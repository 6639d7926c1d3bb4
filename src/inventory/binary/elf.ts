/**
 * ELF (System V ABI, gABI "Object Files"): the section and program header tables, 32/64-bit,
 * either byte order, with extended numbering (e_shnum/e_shstrndx/e_phnum escaping to section 0).
 */
import { ByteView, cString } from './bytes.js';
import { EXECUTABLE_LIMITS, fits, MalformedExecutableError, type ExeSection, type ExeSegment, type Executable } from './types.js';

const PT_LOAD = 1;
const PF_X = 1;
const PF_W = 2;
const SHF_WRITE = 1;
const SHF_EXECINSTR = 4;
export const SHT_SYMTAB = 2;
const SHT_NOBITS = 8;
const SHN_XINDEX = 0xffff;
const PN_XNUM = 0xffff;

export function readElf(buf: Buffer): Executable {
  if (buf.length < 16) throw new MalformedExecutableError('ELF: the identification bytes are cut short');
  const cls = buf[4];
  const data = buf[5];
  if (cls !== 1 && cls !== 2) throw new MalformedExecutableError(`ELF: unknown class ${cls} (expected 1 for 32-bit or 2 for 64-bit)`);
  if (data !== 1 && data !== 2) throw new MalformedExecutableError(`ELF: unknown data encoding ${data} (expected 1 or 2)`);
  const bits = cls === 2 ? 64 : 32;
  const v = new ByteView(buf, data === 1, 'ELF');
  const w = bits === 64 ? 8 : 4;
  // Header field offsets differ only by the width of e_entry/e_phoff/e_shoff.
  const phoff = v.word(24 + w, bits, 'e_phoff');
  const shoff = v.word(24 + 2 * w, bits, 'e_shoff');
  const h = 24 + 3 * w + 4; // past e_flags
  const phentsize = v.u16(h + 2, 'e_phentsize');
  let phnum = v.u16(h + 4, 'e_phnum');
  const shentsize = v.u16(h + 6, 'e_shentsize');
  let shnum = v.u16(h + 8, 'e_shnum');
  let shstrndx = v.u16(h + 10, 'e_shstrndx');
  const shMin = bits === 64 ? 64 : 40;
  const phMin = bits === 64 ? 56 : 32;

  if (shoff !== 0 && (shnum === 0 || shstrndx === SHN_XINDEX || phnum === PN_XNUM)) {
    // Extended numbering: the real values sit in section header 0.
    if (shentsize < shMin) throw new MalformedExecutableError(`ELF: section header size ${shentsize} is below ${shMin}`);
    const s0 = shoff;
    if (shnum === 0) shnum = v.word(s0 + (bits === 64 ? 32 : 20), bits, 'section 0 sh_size');
    if (shstrndx === SHN_XINDEX) shstrndx = v.u32(s0 + (bits === 64 ? 40 : 24), 'section 0 sh_link');
    if (phnum === PN_XNUM) phnum = v.u32(s0 + (bits === 64 ? 44 : 28), 'section 0 sh_info');
  }
  if (shoff === 0) shnum = 0;
  checkTable(buf, 'section header', shoff, shnum, shentsize, shMin);
  checkTable(buf, 'program header', phoff, phnum, phentsize, phMin);

  const segments: ExeSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (v.u32(o) !== PT_LOAD) continue;
    const flags = bits === 64 ? v.u32(o + 4) : v.u32(o + 24);
    segments.push({
      vaddr: v.word(o + (bits === 64 ? 16 : 8), bits),
      offset: v.word(o + (bits === 64 ? 8 : 4), bits),
      fileSize: v.word(o + (bits === 64 ? 32 : 16), bits),
      writable: (flags & PF_W) !== 0,
      executable: (flags & PF_X) !== 0,
    });
  }

  const raw: { nameOff: number; type: number; flags: number; addr: number; offset: number; size: number; link: number; entsize: number }[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    raw.push(
      bits === 64
        ? {
            nameOff: v.u32(o),
            type: v.u32(o + 4),
            flags: v.u32(v.le ? o + 8 : o + 12), // the low word holds every flag we read
            addr: v.u64(o + 16),
            offset: v.u64(o + 24),
            size: v.u64(o + 32),
            link: v.u32(o + 40),
            entsize: v.u64(o + 56),
          }
        : {
            nameOff: v.u32(o),
            type: v.u32(o + 4),
            flags: v.u32(o + 8),
            addr: v.u32(o + 12),
            offset: v.u32(o + 16),
            size: v.u32(o + 20),
            link: v.u32(o + 24),
            entsize: v.u32(o + 36),
          },
    );
  }
  // Names come from the section name string table; a bad index leaves names empty (the address
  // map still works) rather than failing the whole file.
  const strtab = raw[shstrndx];
  const strOk = strtab !== undefined && strtab.type !== SHT_NOBITS && fits(strtab.offset, strtab.size, buf.length);
  const sections: ExeSection[] = raw.map((s) => ({
    name: strOk ? cString(buf, strtab.offset + s.nameOff, strtab.offset + strtab.size, EXECUTABLE_LIMITS.maxNameBytes) : '',
    offset: s.offset,
    size: s.type === SHT_NOBITS ? 0 : s.size,
    addr: s.addr,
    writable: (s.flags & SHF_WRITE) !== 0,
    executable: (s.flags & SHF_EXECINSTR) !== 0,
    elfType: s.type,
    elfLink: s.link,
    elfEntSize: s.entsize,
  }));
  return { format: 'elf', bits, littleEndian: v.le, sections, segments, bytes: buf };
}

function checkTable(buf: Buffer, what: string, off: number, count: number, entsize: number, min: number): void {
  if (count === 0) return;
  if (!Number.isSafeInteger(count) || count > EXECUTABLE_LIMITS.maxTableEntries) {
    throw new MalformedExecutableError(`ELF: ${count} ${what}s, more than the limit of ${EXECUTABLE_LIMITS.maxTableEntries}`);
  }
  if (entsize < min) throw new MalformedExecutableError(`ELF: ${what} size ${entsize} is below ${min}`);
  if (!fits(off, count * entsize, buf.length)) {
    throw new MalformedExecutableError(
      `ELF: ${what} table (${count} entries of ${entsize} bytes at offset ${off}) lies outside the ${buf.length}-byte file`,
    );
  }
}
