/**
 * Go binaries: the modules their build info lists (image-contents.md §3.1). Per binary: `stdlib` at
 * the toolchain version (`go1.22.3` → `1.22.3`, OSV's name and notation for the Go standard
 * library), the main module (its version by gobinary/versions.ts; '' when unknown, as Trivy reports
 * it) and every dependency, a replaced one under its replacement's path and version as Trivy and
 * osv-scalibr do. A replacement by a local directory (`=> ../fork`) has no module version: the
 * dependency keeps its own path with version '' (Trivy would report the directory as a module).
 * Files that are no executable or carry no Go build info give nothing; unreadable build info is a gap.
 */
import type { Analyser, AnalyserResult, FoundPackage, ImageFile } from '../../model/stages.js';
import { MalformedExecutableError } from '../binary/types.js';
import { MAX_EXECUTABLE_BYTES, wantsExecutable } from '../binary/wants.js';
import { GoBuildInfoError, readGoBuildInfo } from '../gobinary/buildinfo.js';
import { parseModInfo, type GoModule } from '../gobinary/modinfo.js';
import { mainModuleVersion, stdlibVersion } from '../gobinary/versions.js';

/** pkg:golang/<module path>@<version>: each path element percent-encoded, `/` kept (purl-spec). */
export function golangPurl(path: string, version: string): string {
  const p = path.split('/').map(encodeURIComponent).join('/');
  return version ? `pkg:golang/${p}@${encodeURIComponent(version)}` : `pkg:golang/${p}`;
}

/** A filesystem path rather than a module path (go.mod `replace x => ../dir`). */
function isDirectory(path: string): boolean {
  return path.startsWith('./') || path.startsWith('../') || path.startsWith('/') || path === '.' || path === '..' || /^[A-Za-z]:[\\/]/.test(path);
}

/** The packages of one Go binary; throws MalformedExecutableError / GoBuildInfoError. */
export function goBinaryPackages(file: Pick<ImageFile, 'path' | 'content'>): { packages: FoundPackage[]; gaps: string[] } {
  const info = readGoBuildInfo(file.content);
  if (info.kind !== 'found') return { packages: [], gaps: [] };
  const packages: FoundPackage[] = [];
  const gaps: string[] = [];
  const seen = new Set<string>();
  const add = (name: string, version: string): void => {
    const id = `${name}@${version}`;
    if (seen.has(id)) return;
    seen.add(id);
    packages.push({ type: 'golang', ecosystem: 'Go', name, version, purl: golangPurl(name, version), paths: [file.path], confidence: 'exact' });
  };
  const std = stdlibVersion(info.goVersion);
  if (std) add('stdlib', std);
  else gaps.push(`Go toolchain "${info.goVersion.slice(0, 80)}" is not a release: stdlib not reported`);
  const mod = parseModInfo(info.modInfo);
  if (mod.main) add(mod.main.path, mainModuleVersion(mod.main, mod.settings, info.exe));
  for (const dep of mod.deps) {
    const used: GoModule = dep.replace && !isDirectory(dep.replace.path) ? dep.replace : dep;
    const version = dep.replace && used === dep ? '' : used.version === '(devel)' ? '' : used.version;
    add(used.path, version);
  }
  return { packages, gaps };
}

export const gobinaryAnalyser: Analyser = {
  id: 'gobinary',
  version: 1,
  wants: wantsExecutable,
  maxFileBytes: MAX_EXECUTABLE_BYTES,
  perFile: true,
  analyse(files: ImageFile[]): AnalyserResult {
    const result: AnalyserResult = { packages: [], gaps: [] };
    for (const file of files) {
      try {
        const r = goBinaryPackages(file);
        result.packages.push(...r.packages);
        for (const reason of r.gaps) result.gaps.push({ path: file.path, reason });
      } catch (e) {
        result.gaps.push({ path: file.path, reason: reasonOf(e) });
      }
    }
    return result;
  },
};

function reasonOf(e: unknown): string {
  if (e instanceof MalformedExecutableError || e instanceof GoBuildInfoError) return e.message;
  // Not expected: every read is bounds-checked. Still a gap, so one odd file never stops the image.
  return `Go build info could not be read: ${e instanceof Error ? e.message : String(e)}`;
}
