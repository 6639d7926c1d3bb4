import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildElf, buildMachO, buildPe, buildUniversal, type TestSection } from '../../../test/helpers/executables.js';
import { sharedPath } from '../../../test/helpers/shared.js';
import { findSection, fits, MalformedExecutableError, openExecutable, readVirtual, sectionBytes } from './executable.js';

const data = (name: string, text: string, addr: number, extra: Partial<TestSection> = {}): TestSection => ({
  name,
  data: Buffer.from(text),
  addr,
  writable: true,
  ...extra,
});

describe('executable reader', () => {
  it('reads the sections of the real fixtures as readelf lists them', () => {
    const rust = openExecutable(readFileSync(sharedPath('testdata', 'images', 'rust', 'test.elf')))!;
    expect(rust).toMatchObject({ format: 'elf', bits: 64, littleEndian: true });
    // readelf -S: .dep-v0 at file offset 0x4f523, 0x76 bytes (expected.json "observed").
    expect(findSection(rust, '.dep-v0')).toMatchObject({ offset: 0x4f523, size: 118 });
    const go = openExecutable(readFileSync(sharedPath('testdata', 'images', 'go', 'test.elf')))!;
    expect(findSection(go, '.go.buildinfo')).toBeDefined();
    expect(go.segments.some((s) => s.writable && !s.executable)).toBe(true);
  });

  it('maps virtual addresses through the segment that holds them, and nothing past a segment', () => {
    // A PE section maps its raw data, padded to the 0x200 file alignment (as Go's reader maps it).
    const builds: [(s: TestSection[]) => Buffer, number][] = [[(s) => buildElf(s), 5], [(s) => buildPe(s), 0x200], [(s) => buildMachO(s), 5]];
    for (const [build, mapped] of builds) {
      const exe = openExecutable(build([data('.one', 'first', 0x500000), data('.two', 'second', 0x600000)]))!;
      expect(readVirtual(exe, 0x600001, 5)?.toString()).toBe('econd');
      expect(readVirtual(exe, 0x500000, 5)?.toString()).toBe('first');
      expect(readVirtual(exe, 0x500000 + mapped - 2, 2)).not.toBeNull();
      expect(readVirtual(exe, 0x500000 + mapped - 2, 3)).toBeNull(); // runs past the segment
      expect(readVirtual(exe, 0x700000, 1)).toBeNull();
      expect(readVirtual(exe, Number.NaN, 1)).toBeNull();
      expect(readVirtual(exe, 0x500000, -1)).toBeNull();
    }
  });

  it('PE: long section names come from the COFF string table; RVAs are shifted by the image base', () => {
    const exe = openExecutable(buildPe([data('.a-very-long-name', 'x', 0x140001000)], { imageBase: 0x140000000 }))!;
    expect(exe.sections[0]).toMatchObject({ name: '.a-very-long-name', addr: 0x140001000, size: 1 });
    expect(readVirtual(exe, 0x140001000, 1)?.toString()).toBe('x');
  });

  it('ELF extended numbering: section count and name index from section 0', () => {
    const b = buildElf([data('.x', 'hello', 0x1000)]);
    const shoff = Number(b.readBigUInt64LE(40));
    const shnum = b.readUInt16LE(60);
    const shstrndx = b.readUInt16LE(62);
    b.writeUInt16LE(0, 60);
    b.writeUInt16LE(0xffff, 62);
    b.writeBigUInt64LE(BigInt(shnum), shoff + 32);
    b.writeUInt32LE(shstrndx, shoff + 40);
    const exe = openExecutable(b)!;
    expect(sectionBytes(exe, findSection(exe, '.x')!).toString()).toBe('hello');
  });

  it('an ELF whose name table index is out of range keeps its sections, nameless', () => {
    const b = buildElf([data('.x', 'hello', 0x1000)]);
    b.writeUInt16LE(999, 62);
    const exe = openExecutable(b)!;
    expect(exe.sections.map((s) => s.name)).toEqual(['', '', '']);
    expect(readVirtual(exe, 0x1000, 5)?.toString()).toBe('hello');
  });

  it('universal files: a broken first slice is skipped for the next one', () => {
    const good = buildMachO([data('__x', 'slice two', 0x1000)]);
    const broken = Buffer.from(buildMachO([data('__x', 'slice one', 0x1000)]));
    broken.writeUInt32LE(0, 36); // load command size 0
    const exe = openExecutable(buildUniversal([broken, good]))!;
    expect(sectionBytes(exe, findSection(exe, '__x')!).toString()).toBe('slice two');
    expect(() => openExecutable(buildUniversal([broken]))).toThrow(MalformedExecutableError);
  });

  it('sectionBytes refuses a section outside the file', () => {
    const exe = openExecutable(buildElf([data('.x', 'hello', 0x1000)]))!;
    expect(() => sectionBytes(exe, { ...exe.sections[1]!, offset: exe.bytes.length - 2 })).toThrow(
      /^section \.x \(offset \d+, size 5\) lies outside the \d+-byte file$/,
    );
  });

  it.each([
    [0, 0, 0, true],
    [0, 10, 10, true],
    [5, 6, 10, false],
    [11, 0, 10, false],
    [-1, 1, 10, false],
    [Number.NaN, 1, 10, false],
    [2 ** 53, 1, 2 ** 60, false],
  ])('fits(%d, %d, %d) = %s', (o, s, t, want) => {
    expect(fits(o, s, t)).toBe(want);
  });

  it('is none of the formats: null', () => {
    for (const b of ['', 'MZ', '\x7fEL', '#!/bin/sh', 'PK\x03\x04zip']) expect(openExecutable(Buffer.from(b, 'latin1'))).toBeNull();
  });
});
