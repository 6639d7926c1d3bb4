/**
 * Versions of what a Go binary contains: the toolchain (reported as the `stdlib` module, as OSV's
 * Go records name it) and the main module, whose recorded version is often `(devel)`. For the main
 * module this follows Trivy (pkg/dependency/parser/golang/binary): a real module version wins; else
 * a `-X <pkg>.version=<semver>` linker definition from the `-ldflags` build setting; else the
 * `<pkg>.version.str` string symbol that such a definition leaves in an unstripped ELF (Go drops
 * -ldflags from build info under -trimpath, go.dev/issue/63432); else the recorded version, `(devel)`
 * read as unknown (''). A version from -X or a symbol gets a leading `v` when it lacks one, so that
 * it is a Go module version (Trivy keeps it as given). A version built from vcs.revision/vcs.time
 * (Syft's choice) is not invented: such a pseudo-version sorts below every release and would match
 * every advisory ever fixed.
 */
import { ByteView } from '../binary/bytes.js';
import { SHT_SYMTAB } from '../binary/elf.js';
import { EXECUTABLE_LIMITS, fits, type Executable } from '../binary/types.js';
import { linkerDefinitions, shellWords, type GoModule } from './modinfo.js';

export const GO_SYMBOL_LIMITS = {
  /** Symbols examined for the version fallback (kubelet has about 100,000). */
  maxSymbols: 2_000_000,
  /** Longest version string read from a symbol. */
  maxValueBytes: 256,
};

/** `.str` as a big-endian u32. */
const STR_SUFFIX = 0x2e737472;

const NUM = '(?:0|[1-9][0-9]*)';
const IDENT = '[0-9A-Za-z-]+';
const PRE_IDENT = `(?:${NUM}|[0-9]*[A-Za-z-][0-9A-Za-z-]*)`;
const SEMVER = new RegExp(
  `^v${NUM}(?:\\.${NUM}(?:\\.${NUM}(?:-${PRE_IDENT}(?:\\.${PRE_IDENT})*)?(?:\\+${IDENT}(?:\\.${IDENT})*)?)?)?$`,
);
const PSEUDO = /^v[0-9]+\.(?:0\.0-|[0-9]+\.[0-9]+-(?:[^+]*\.)?0\.)[0-9]{14}-[A-Za-z0-9]+(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** golang.org/x/mod/semver.IsValid: `v` + MAJOR[.MINOR[.PATCH[-pre][+build]]]. */
export function isGoSemver(v: string): boolean {
  return SEMVER.test(v);
}

/** golang.org/x/mod/module.IsPseudoVersion. */
export function isPseudoVersion(v: string): boolean {
  return (v.match(/-/g)?.length ?? 0) >= 2 && isGoSemver(v) && PSEUDO.test(v);
}

/**
 * `go1.22.3` → `1.22.3`, `go1.20` → `1.20.0`, `go1.21rc2` → `1.21.0-rc.2` (the notation of OSV's
 * `stdlib` ranges); what follows a blank (` X:loopvar`, a vendor note) or `-X:` (Go ≥ 1.26's
 * experiment list) is dropped. null for a toolchain that is no release (`devel go1.23-abc…`).
 */
export function stdlibVersion(goVersion: string): string | null {
  let v = goVersion.split(' ')[0]!;
  const x = v.indexOf('-X:');
  if (x >= 0) v = v.slice(0, x);
  const m = /^go([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:(rc|beta)([0-9]+))?$/.exec(v);
  if (!m) return null;
  const core = `${Number(m[1])}.${Number(m[2] ?? 0)}.${Number(m[3] ?? 0)}`;
  return m[4] ? `${core}-${m[4]}.${Number(m[5])}` : core;
}

/** The main module's version by the rules above; '' when unknown. */
export function mainModuleVersion(main: GoModule, settings: { key: string; value: string }[], exe: Executable): string {
  const recorded = main.version === '(devel)' ? '' : main.version;
  if (recorded !== '' && !isPseudoVersion(recorded)) return recorded;
  return ldflagsVersion(main.path, settings) || (exe.format === 'elf' ? elfSymbolVersion(exe, main.path) : '') || recorded;
}

/** The version a `-X …version=` definition in the `-ldflags` build setting gives the module; '' when none or ambiguous. */
export function ldflagsVersion(modulePath: string, settings: { key: string; value: string }[]): string {
  const ldflags = settings.find((s) => s.key === '-ldflags');
  const words = ldflags ? shellWords(ldflags.value) : null;
  if (!words) return '';
  // Quotes left inside a word (`-X 'main.version=1.0'` written inside double quotes) are trimmed as Trivy does.
  return chooseVersion(
    modulePath,
    linkerDefinitions(words).map((d) => ({ key: d.key.replace(/^'+/, ''), value: d.value.replace(/'+$/, '') })),
  );
}

/** The version the `<key>.version.str` symbols of an unstripped ELF give the module; '' when none or ambiguous. */
export function elfSymbolVersion(exe: Executable, modulePath: string): string {
  return chooseVersion(modulePath, elfStringSymbols(exe));
}

/**
 * Of `<key>=<semver>` definitions whose key ends `.version` or `.ver` (any case), the one in the
 * first non-empty tier: `<module>/cmd/…` keys, then keys whose last element starts `main.`,
 * `common.`, `version.` or `cmd.`, then the rest. Two different versions in that tier: unknown.
 */
function chooseVersion(modulePath: string, defs: { key: string; value: string }[]): string {
  const tiers: Set<string>[] = [new Set(), new Set(), new Set()];
  for (const { key, value } of defs) {
    const k = key.toLowerCase();
    if (!k.endsWith('.version') && !k.endsWith('.ver')) continue;
    const v = isGoSemver(value) ? value : isGoSemver(`v${value}`) ? `v${value}` : null;
    if (!v) continue;
    const prefix = key.slice(key.lastIndexOf('/') + 1).split('.')[0]!.toLowerCase();
    const tier = key.startsWith(`${modulePath}/cmd/`) ? 0 : ['main', 'common', 'version', 'cmd'].includes(prefix) ? 1 : 2;
    tiers[tier]!.add(v);
  }
  for (const t of tiers) {
    if (t.size === 1) return [...t][0]!;
    if (t.size > 1) return '';
  }
  return '';
}

/** `<key>` = string value of each `<key>.str` data symbol of the ELF symbol table (what `-X` leaves behind). */
function elfStringSymbols(exe: Executable): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  const symtab = exe.sections.find((s) => s.elfType === SHT_SYMTAB);
  if (!symtab || symtab.size === 0 || !fits(symtab.offset, symtab.size, exe.bytes.length)) return out;
  const strtab = exe.sections[symtab.elfLink ?? -1];
  if (!strtab || !fits(strtab.offset, strtab.size, exe.bytes.length)) return out;
  const entSize = exe.bits === 64 ? 24 : 16;
  const count = Math.min(Math.floor(symtab.size / entSize), GO_SYMBOL_LIMITS.maxSymbols);
  const v = new ByteView(exe.bytes, exe.littleEndian, 'ELF');
  const strEnd = strtab.offset + strtab.size;
  for (let i = 1; i < count; i++) {
    const o = symtab.offset + i * entSize;
    const start = strtab.offset + v.u32(o);
    if (start >= strEnd) continue;
    // Only names ending `.str` matter: test the four bytes before the NUL before decoding anything.
    const nul = exe.bytes.subarray(start, Math.min(strEnd, start + EXECUTABLE_LIMITS.maxNameBytes)).indexOf(0);
    if (nul < 4 || exe.bytes.readUInt32BE(start + nul - 4) !== STR_SUFFIX) continue;
    const name = exe.bytes.toString('latin1', start, start + nul);
    const key = name.slice(0, -4);
    const k = key.toLowerCase();
    if (!k.endsWith('.version') && !k.endsWith('.ver')) continue;
    const shndx = exe.bits === 64 ? v.u16(o + 6) : v.u16(o + 14);
    const value = exe.bits === 64 ? v.u64(o + 8) : v.u32(o + 4);
    const size = exe.bits === 64 ? v.u64(o + 16) : v.u32(o + 8);
    const sec = exe.sections[shndx];
    if (!sec || size === 0 || size > GO_SYMBOL_LIMITS.maxValueBytes) continue;
    const rel = value - sec.addr;
    if (!(rel >= 0) || !fits(sec.offset + rel, size, exe.bytes.length) || rel + size > sec.size) continue;
    const text = exe.bytes.toString('utf8', sec.offset + rel, sec.offset + rel + size).replace(/\0+$/, '');
    if (text) out.push({ key, value: text });
  }
  return out;
}
