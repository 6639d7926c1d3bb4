/**
 * Rust binaries built with cargo-auditable (image-contents.md §3.2): every runtime crate of the
 * embedded dependency list, ecosystem `crates.io`, purl pkg:cargo/<name>@<version>. Build-time
 * crates (`"kind":"build"`: build scripts, proc macros) are not in the binary and are left out, as
 * Trivy does. Workspace crates (`"source":"local"`, the binary's own crate among them) are kept
 * like Trivy keeps them: advisories are keyed by crate name, so a local crate shadowing a
 * crates.io name would match that crate's advisories, the same trade-off the peer makes.
 * Files that are no executable or have no `.dep-v0` section give nothing; unreadable data is a gap.
 */
import type { Analyser, AnalyserResult, FoundPackage, ImageFile } from '../../model/stages.js';
import { MalformedExecutableError } from '../binary/types.js';
import { MAX_EXECUTABLE_BYTES, wantsExecutable } from '../binary/wants.js';
import { CargoAuditableError, readCargoAuditable } from '../cargo/auditable.js';

export function cargoPurl(name: string, version: string): string {
  return `pkg:cargo/${encodeURIComponent(name)}@${encodeURIComponent(version)}`;
}

/** The crates of one binary; throws MalformedExecutableError / CargoAuditableError. */
export function cargoAuditablePackages(file: Pick<ImageFile, 'path' | 'content'>): { packages: FoundPackage[]; gaps: string[] } {
  const r = readCargoAuditable(file.content);
  if (r.kind !== 'found') return { packages: [], gaps: [] };
  const packages: FoundPackage[] = [];
  const seen = new Set<string>();
  for (const c of r.crates) {
    if (c.kind !== 'runtime') continue;
    const id = `${c.name}@${c.version}`;
    if (seen.has(id)) continue;
    seen.add(id);
    packages.push({
      type: 'cargo',
      ecosystem: 'crates.io',
      name: c.name,
      version: c.version,
      purl: cargoPurl(c.name, c.version),
      paths: [file.path],
      confidence: 'exact',
    });
  }
  const gaps = r.malformed > 0 ? [`cargo-auditable data: ${r.malformed} package entries lack a name or version or have the wrong types; left out`] : [];
  return { packages, gaps };
}

export const cargoAuditableAnalyser: Analyser = {
  id: 'cargo-auditable',
  version: 1,
  wants: wantsExecutable,
  maxFileBytes: MAX_EXECUTABLE_BYTES,
  perFile: true,
  analyse(files: ImageFile[]): AnalyserResult {
    const result: AnalyserResult = { packages: [], gaps: [] };
    for (const file of files) {
      try {
        const r = cargoAuditablePackages(file);
        result.packages.push(...r.packages);
        for (const reason of r.gaps) result.gaps.push({ path: file.path, reason });
      } catch (e) {
        const known = e instanceof MalformedExecutableError || e instanceof CargoAuditableError;
        result.gaps.push({
          path: file.path,
          reason: known ? (e as Error).message : `cargo-auditable data could not be read: ${e instanceof Error ? e.message : String(e)}`,
        });
      }
    }
    return result;
  },
};
