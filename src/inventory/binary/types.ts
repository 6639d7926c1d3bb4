/** Types shared by the executable readers (no imports: elf/pe/macho and their callers all use them). */

/** The file claims a known executable format but its structures are inconsistent. */
export class MalformedExecutableError extends Error {
  override name = 'MalformedExecutableError';
}

export type ExecutableFormat = 'elf' | 'pe' | 'macho';

export interface ExeSection {
  name: string;
  /** Mach-O segment the section belongs to. */
  segment?: string;
  /** File offset and size of its bytes (size 0 for sections that occupy no file space: bss, zerofill). */
  offset: number;
  size: number;
  /** Virtual address (PE: image base + RVA); NaN when it does not fit a safe integer. */
  addr: number;
  writable: boolean;
  executable: boolean;
  /** ELF section type (SHT_*), for the symbol table reader. */
  elfType?: number;
  /** ELF sh_link (the string table of a symbol table). */
  elfLink?: number;
  elfEntSize?: number;
  /** PE section characteristics (IMAGE_SCN_*). */
  peCharacteristics?: number;
}

/** A piece of the file mapped at an address: ELF PT_LOAD, PE section, Mach-O segment. */
export interface ExeSegment {
  name?: string;
  vaddr: number;
  offset: number;
  fileSize: number;
  writable: boolean;
  executable: boolean;
  /** Mach-O protections (vm_prot_t) */
  initProt?: number;
  maxProt?: number;
}

export interface Executable {
  format: ExecutableFormat;
  bits: 32 | 64;
  littleEndian: boolean;
  sections: ExeSection[];
  segments: ExeSegment[];
  /** The bytes the offsets refer to (a slice of the input for one architecture of a universal file). */
  bytes: Buffer;
}

/** Limits on header tables: real executables stay far below them. */
export const EXECUTABLE_LIMITS = {
  /** ELF section or program headers, PE sections, Mach-O load commands or sections per segment. */
  maxTableEntries: 1 << 17,
  /** Architectures in a Mach-O universal file (real ones have 2-4; Java class files share the magic with huge counts). */
  maxUniversalArchs: 32,
  /** Longest section or symbol name read. */
  maxNameBytes: 256,
};

/** offset..offset+size inside a buffer of `total` bytes (all safe integers). */
export function fits(offset: number, size: number, total: number): boolean {
  return (
    Number.isSafeInteger(offset) && Number.isSafeInteger(size) && offset >= 0 && size >= 0 && offset <= total && size <= total - offset
  );
}
