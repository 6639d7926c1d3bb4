/**
 * PE/COFF (Microsoft "PE Format"): the section table of PE32 and PE32+ images, long section names
 * from the COFF string table, and the image base that turns RVAs into virtual addresses.
 */
import { ByteView, cString, fixedName } from './bytes.js';
import { EXECUTABLE_LIMITS, fits, MalformedExecutableError, type ExeSection, type ExeSegment, type Executable } from './types.js';

const SCN_MEM_EXECUTE = 0x20000000;
const SCN_MEM_WRITE = 0x80000000;
const SECTION_HEADER = 40;

/** null when the MZ file carries no PE header (a DOS program): not an executable we read. */
export function readPe(buf: Buffer): Executable | null {
  if (buf.length < 0x40) return null;
  const v = new ByteView(buf, true, 'PE');
  const peOff = v.u32(0x3c);
  if (!fits(peOff, 24, buf.length) || buf.readUInt32BE(peOff) !== 0x50450000) return null;
  const coff = peOff + 4;
  const nsect = v.u16(coff + 2, 'NumberOfSections');
  const symtab = v.u32(coff + 8, 'PointerToSymbolTable');
  const nsyms = v.u32(coff + 12, 'NumberOfSymbols');
  const optSize = v.u16(coff + 16, 'SizeOfOptionalHeader');
  const opt = coff + 20;
  let imageBase = 0;
  let bits: 32 | 64 = 32;
  if (optSize >= 2) {
    const magic = v.u16(opt, 'optional header magic');
    if (magic === 0x20b) {
      bits = 64;
      imageBase = v.u64(opt + 24, 'ImageBase');
    } else if (magic === 0x10b) {
      imageBase = v.u32(opt + 28, 'ImageBase');
    } else {
      throw new MalformedExecutableError(`PE: unknown optional header magic 0x${magic.toString(16)}`);
    }
  }
  const table = opt + optSize;
  if (!fits(table, nsect * SECTION_HEADER, buf.length)) {
    throw new MalformedExecutableError(`PE: section table (${nsect} entries at offset ${table}) lies outside the ${buf.length}-byte file`);
  }
  // Long names ("/123") index the COFF string table that follows the symbol table.
  const strtab = symtab + nsyms * 18;
  const sections: ExeSection[] = [];
  const segments: ExeSegment[] = [];
  for (let i = 0; i < nsect; i++) {
    const o = table + i * SECTION_HEADER;
    let name = fixedName(buf, o, 8);
    const long = /^\/(\d{1,7})$/.exec(name);
    if (long && symtab !== 0 && Number.isSafeInteger(strtab)) {
      name = cString(buf, strtab + Number(long[1]), buf.length, EXECUTABLE_LIMITS.maxNameBytes);
    }
    const vsize = v.u32(o + 8);
    const rva = v.u32(o + 12);
    const rawSize = v.u32(o + 16);
    const rawPtr = v.u32(o + 20);
    const chars = v.u32(o + 36);
    // Raw data is padded to the file alignment; the virtual size is what the section holds.
    const size = vsize > 0 && vsize < rawSize ? vsize : rawSize;
    const addr = imageBase + rva;
    const writable = (chars & SCN_MEM_WRITE) !== 0;
    const executable = (chars & SCN_MEM_EXECUTE) !== 0;
    sections.push({ name, offset: rawPtr, size, addr, writable, executable, peCharacteristics: chars });
    segments.push({ name, vaddr: addr, offset: rawPtr, fileSize: rawSize, writable, executable });
  }
  return { format: 'pe', bits, littleEndian: true, sections, segments, bytes: buf };
}
