/**
 * Minimal ELF, PE and Mach-O files built in memory for the binary analysers' tests: each given
 * section gets its own loadable segment at its address, so both named-section lookups and
 * address-to-offset mapping are exercised. Also the two Go build-info layouts. Hostile variants
 * are made by patching the returned bytes at the documented header offsets.
 */

export interface TestSection {
  name: string;
  data: Buffer;
  /** Virtual address (PE: the RVA is addr - image base). */
  addr: number;
  writable?: boolean;
  executable?: boolean;
  /** Mach-O segment name (default __DATA). */
  segment?: string;
}

export interface ExeOptions {
  bits?: 32 | 64;
  littleEndian?: boolean;
}

class Writer {
  constructor(
    readonly buf: Buffer,
    readonly le: boolean,
  ) {}
  u16(off: number, v: number): void {
    if (this.le) this.buf.writeUInt16LE(v, off);
    else this.buf.writeUInt16BE(v, off);
  }
  u32(off: number, v: number): void {
    if (this.le) this.buf.writeUInt32LE(v >>> 0, off);
    else this.buf.writeUInt32BE(v >>> 0, off);
  }
  u64(off: number, v: number | bigint): void {
    if (this.le) this.buf.writeBigUInt64LE(BigInt(v), off);
    else this.buf.writeBigUInt64BE(BigInt(v), off);
  }
  word(off: number, v: number, bits: 32 | 64): void {
    if (bits === 64) this.u64(off, v);
    else this.u32(off, v);
  }
}

const align = (n: number, a: number): number => Math.ceil(n / a) * a;

/**
 * ELF with a PT_LOAD per section. Header offsets for patching (64-bit): e_phoff 32, e_shoff 40,
 * e_phentsize 54, e_phnum 56, e_shentsize 58, e_shnum 60, e_shstrndx 62; (32-bit): e_phoff 28,
 * e_shoff 32, e_phnum 44, e_shnum 48, e_shstrndx 50.
 */
export function buildElf(sections: TestSection[], opts: ExeOptions = {}): Buffer {
  const bits = opts.bits ?? 64;
  const le = opts.littleEndian ?? true;
  const ehsize = bits === 64 ? 64 : 52;
  const phent = bits === 64 ? 56 : 32;
  const shent = bits === 64 ? 64 : 40;
  const names = Buffer.concat([Buffer.from([0]), ...sections.map((s) => Buffer.from(`${s.name}\0`, 'latin1')), Buffer.from('.shstrtab\0')]);
  let at = align(ehsize + phent * sections.length, 16);
  const offsets = sections.map((s) => {
    const o = at;
    at = align(at + s.data.length, 16);
    return o;
  });
  const namesOff = at;
  at = align(at + names.length, 16);
  const shoff = at;
  const shnum = sections.length + 2;
  const buf = Buffer.alloc(shoff + shnum * shent);
  const w = new Writer(buf, le);
  buf.set([0x7f, 0x45, 0x4c, 0x46, bits === 64 ? 2 : 1, le ? 1 : 2, 1], 0);
  w.u16(16, 2);
  w.u16(18, bits === 64 ? 62 : 3);
  w.u32(20, 1);
  const ws = bits === 64 ? 8 : 4;
  w.word(24 + ws, ehsize, bits); // e_phoff
  w.word(24 + 2 * ws, shoff, bits); // e_shoff
  const h = 24 + 3 * ws + 4;
  w.u16(h, ehsize);
  w.u16(h + 2, phent);
  w.u16(h + 4, sections.length);
  w.u16(h + 6, shent);
  w.u16(h + 8, shnum);
  w.u16(h + 10, shnum - 1);
  let nameOff = 1;
  sections.forEach((s, i) => {
    s.data.copy(buf, offsets[i]!);
    const flags = 4 | (s.writable ? 2 : 0) | (s.executable ? 1 : 0);
    const p = ehsize + i * phent;
    w.u32(p, 1);
    if (bits === 64) {
      w.u32(p + 4, flags);
      w.u64(p + 8, offsets[i]!);
      w.u64(p + 16, s.addr);
      w.u64(p + 24, s.addr);
      w.u64(p + 32, s.data.length);
      w.u64(p + 40, s.data.length);
    } else {
      w.u32(p + 4, offsets[i]!);
      w.u32(p + 8, s.addr);
      w.u32(p + 12, s.addr);
      w.u32(p + 16, s.data.length);
      w.u32(p + 20, s.data.length);
      w.u32(p + 24, flags);
    }
    writeShdr(w, shoff + (i + 1) * shent, bits, {
      name: nameOff,
      type: 1,
      flags: 2 | (s.writable ? 1 : 0) | (s.executable ? 4 : 0),
      addr: s.addr,
      offset: offsets[i]!,
      size: s.data.length,
    });
    nameOff += s.name.length + 1;
  });
  names.copy(buf, namesOff);
  writeShdr(w, shoff + (shnum - 1) * shent, bits, { name: nameOff, type: 3, flags: 0, addr: 0, offset: namesOff, size: names.length });
  return buf;
}

function writeShdr(
  w: Writer,
  o: number,
  bits: 32 | 64,
  s: { name: number; type: number; flags: number; addr: number; offset: number; size: number },
): void {
  w.u32(o, s.name);
  w.u32(o + 4, s.type);
  if (bits === 64) {
    w.u64(o + 8, s.flags);
    w.u64(o + 16, s.addr);
    w.u64(o + 24, s.offset);
    w.u64(o + 32, s.size);
  } else {
    w.u32(o + 8, s.flags);
    w.u32(o + 12, s.addr);
    w.u32(o + 16, s.offset);
    w.u32(o + 20, s.size);
  }
}

/**
 * PE32 (bits 32) or PE32+ image; names longer than 8 bytes go to the COFF string table.
 * Offsets for patching: e_lfanew 0x3c (= 0x40), NumberOfSections 0x46, SizeOfOptionalHeader 0x54.
 */
export function buildPe(sections: TestSection[], opts: { bits?: 32 | 64; imageBase?: number } = {}): Buffer {
  const bits = opts.bits ?? 64;
  const imageBase = opts.imageBase ?? 0x400000;
  const optSize = bits === 64 ? 240 : 224;
  const table = 0x40 + 4 + 20 + optSize;
  let at = align(table + 40 * sections.length, 0x200);
  const offsets = sections.map((s) => {
    const o = at;
    at = align(at + s.data.length, 0x200);
    return o;
  });
  const longNames: Buffer[] = [];
  let strSize = 4;
  const nameFields = sections.map((s) => {
    if (s.name.length <= 8) return s.name;
    const field = `/${strSize}`;
    longNames.push(Buffer.from(`${s.name}\0`, 'latin1'));
    strSize += s.name.length + 1;
    return field;
  });
  const strtab = at;
  const buf = Buffer.alloc(strtab + (longNames.length ? strSize : 0));
  const w = new Writer(buf, true);
  buf.write('MZ', 0, 'latin1');
  w.u32(0x3c, 0x40);
  buf.write('PE\0\0', 0x40, 'latin1');
  const coff = 0x44;
  w.u16(coff, bits === 64 ? 0x8664 : 0x14c);
  w.u16(coff + 2, sections.length);
  w.u32(coff + 8, longNames.length ? strtab : 0);
  w.u32(coff + 12, 0);
  w.u16(coff + 16, optSize);
  const opt = coff + 20;
  w.u16(opt, bits === 64 ? 0x20b : 0x10b);
  if (bits === 64) w.u64(opt + 24, imageBase);
  else w.u32(opt + 28, imageBase);
  sections.forEach((s, i) => {
    const o = table + i * 40;
    buf.write(nameFields[i]!, o, 'latin1');
    w.u32(o + 8, s.data.length);
    w.u32(o + 12, s.addr - imageBase);
    w.u32(o + 16, align(s.data.length, 0x200));
    w.u32(o + 20, offsets[i]!);
    const chars = s.executable ? 0x60000020 : 0x40000040 | (s.writable ? 0x80000000 : 0);
    w.u32(o + 36, chars);
    s.data.copy(buf, offsets[i]!);
  });
  if (longNames.length) {
    w.u32(strtab, strSize);
    Buffer.concat(longNames).copy(buf, strtab + 4);
  }
  return buf;
}

/** Mach-O with one segment command per section. Offsets for patching: ncmds 16, sizeofcmds 20, first command at 32 (64-bit) / 28. */
export function buildMachO(sections: TestSection[], opts: ExeOptions = {}): Buffer {
  const bits = opts.bits ?? 64;
  const le = opts.littleEndian ?? true;
  const hdr = bits === 64 ? 32 : 28;
  const segHead = bits === 64 ? 72 : 56;
  const sect = bits === 64 ? 80 : 68;
  const cmdSize = segHead + sect;
  let at = align(hdr + cmdSize * sections.length, 16);
  const offsets = sections.map((s) => {
    const o = at;
    at = align(at + s.data.length, 16);
    return o;
  });
  const buf = Buffer.alloc(at);
  const w = new Writer(buf, le);
  w.u32(0, bits === 64 ? 0xfeedfacf : 0xfeedface);
  w.u32(4, bits === 64 ? 0x01000007 : 7);
  w.u32(12, 2);
  w.u32(16, sections.length);
  w.u32(20, cmdSize * sections.length);
  const n = bits === 64 ? 8 : 4;
  sections.forEach((s, i) => {
    const c = hdr + i * cmdSize;
    const prot = s.executable ? 5 : s.writable ? 3 : 1;
    w.u32(c, bits === 64 ? 0x19 : 0x1);
    w.u32(c + 4, cmdSize);
    buf.write(s.segment ?? '__DATA', c + 8, 'latin1');
    w.word(c + 24, s.addr, bits);
    w.word(c + 24 + n, s.data.length, bits);
    w.word(c + 24 + 2 * n, offsets[i]!, bits);
    w.word(c + 24 + 3 * n, s.data.length, bits);
    w.u32(c + 24 + 4 * n, prot);
    w.u32(c + 28 + 4 * n, prot);
    w.u32(c + 32 + 4 * n, 1);
    const o = c + segHead;
    buf.write(s.name, o, 'latin1');
    buf.write(s.segment ?? '__DATA', o + 16, 'latin1');
    w.word(o + 32, s.addr, bits);
    w.word(o + 32 + n, s.data.length, bits);
    w.u32(o + 32 + 2 * n, offsets[i]!);
    s.data.copy(buf, offsets[i]!);
  });
  return buf;
}

/** A universal file holding the given Mach-O slices (fat_arch entries are 20 bytes from offset 8). */
export function buildUniversal(slices: Buffer[]): Buffer {
  let at = align(8 + 20 * slices.length, 16);
  const offsets = slices.map((s) => {
    const o = at;
    at = align(at + s.length, 16);
    return o;
  });
  const buf = Buffer.alloc(at);
  buf.writeUInt32BE(0xcafebabe, 0);
  buf.writeUInt32BE(slices.length, 4);
  slices.forEach((s, i) => {
    const e = 8 + i * 20;
    buf.writeUInt32BE(0x01000007, e);
    buf.writeUInt32BE(offsets[i]!, e + 8);
    buf.writeUInt32BE(s.length, e + 12);
    buf.writeUInt32BE(4, e + 16);
    s.copy(buf, offsets[i]!);
  });
  return buf;
}

// ---------------------------------------------------------------------------------------
// Go build info

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
/** cmd/go's module info sentinels (modload infoStart / infoEnd). */
const INFO_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
const INFO_END = Buffer.from('f932433186182072008242104116d8f2', 'hex');

export function framedModInfo(text: string): Buffer {
  return Buffer.concat([INFO_START, Buffer.from(text, 'utf8'), INFO_END]);
}

export function uvarintBytes(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

/** Go ≥ 1.18 build info: header with the inline flag, then two uvarint-prefixed strings. */
export function inlineBuildInfo(goVersion: string, modInfo: Buffer, ptrSize = 8): Buffer {
  const h = Buffer.alloc(32);
  MAGIC.copy(h);
  h[14] = ptrSize;
  h[15] = 2;
  const v = Buffer.from(goVersion, 'utf8');
  return Buffer.concat([h, uvarintBytes(v.length), v, uvarintBytes(modInfo.length), modInfo]);
}

/**
 * Go < 1.18 build info for a section at `addr`: header with two pointers to string headers
 * {data, len}, which follow it together with the string bytes.
 */
export function pointerBuildInfo(goVersion: string, modInfo: Buffer, addr: number, opts: { ptrSize?: 4 | 8; littleEndian?: boolean } = {}): Buffer {
  const p = opts.ptrSize ?? 8;
  const le = opts.littleEndian ?? true;
  const v = Buffer.from(goVersion, 'utf8');
  const hdrs = 32;
  const verHdr = hdrs;
  const modHdr = hdrs + 2 * p;
  const verData = hdrs + 4 * p;
  const modData = verData + v.length;
  const buf = Buffer.alloc(modData + modInfo.length);
  const w = new Writer(buf, le);
  MAGIC.copy(buf);
  buf[14] = p;
  buf[15] = le ? 0 : 1;
  const put = (off: number, val: number): void => (p === 8 ? w.u64(off, val) : w.u32(off, val));
  put(16, addr + verHdr);
  put(16 + p, addr + modHdr);
  put(verHdr, addr + verData);
  put(verHdr + p, v.length);
  put(modHdr, addr + modData);
  put(modHdr + p, modInfo.length);
  v.copy(buf, verData);
  modInfo.copy(buf, modData);
  return buf;
}
