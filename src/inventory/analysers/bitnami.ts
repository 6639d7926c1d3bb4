/**
 * Bitnami's own packages, from the SBOMs its images carry (DESIGN.md "Image contents"):
 * `/opt/bitnami/<component>/.spdx-<component>.spdx` (SPDX JSON, or tag-value in some 2024
 * images) and the older `/opt/bitnami/.bitnami_components.json`. Each package whose purl is
 * `pkg:bitnami/…` is reported: the image's main component and the ones bundled with it
 * (postgresql 17.2.0-8 carries geos, proj, gdal…). Packages with other purls in those SBOMs
 * (pkg:maven, pkg:golang) are left to the analysers that read the jars and binaries themselves.
 *
 * Name and version come from the purl, as the Bitnami OSV records key them (vulndb writes
 * `affected[].package.name` equal to its purl name in all 7,444 records of
 * ../shared/osv/bitnami-all.zip): `nss_wrapper`, where the SPDX package name says
 * `nss-wrapper`. The version keeps its revision (`17.2.0-8`); the Bitnami version scheme
 * drops it when comparing (src/versioning/bitnami.ts).
 */
import { parsePurl } from '../../mitigations/purl.js';
import type { Analyser, FoundPackage, ImageFile } from '../../model/stages.js';
import { readSpdx } from '../bitnami/spdx.js';
import { formatPurl } from '../lang/purl.js';
import { fileText, isPlainToken, isRecord, parseJson, readEach, shortText, type FileReading } from '../lang/per-file.js';

const SPDX_FILE = /^\/opt\/bitnami\/(?:.+\/)?\.spdx-[^/]+\.spdx$/;
const COMPONENTS_FILE = '/opt/bitnami/.bitnami_components.json';

/** Bitnami SBOMs list tens to a few thousand packages (Syft-made ones add each bundled module): 32 MiB leaves room without reading anything absurd. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

function bitnamiPackage(name: string, version: string, arch: string | undefined, distro: string | undefined, path: string): FoundPackage {
  return {
    type: 'bitnami',
    ecosystem: 'Bitnami',
    name,
    version,
    purl: formatPurl({ type: 'bitnami', name, version, qualifiers: { arch, distro } }),
    paths: [path],
    confidence: 'exact',
  };
}

function readSpdxFile(file: ImageFile): FileReading {
  const reading = readSpdx(fileText(file.content));
  if (!reading.ok) return { packages: [], problems: [reading.reason] };
  const packages: FoundPackage[] = [];
  const problems: string[] = [];
  for (const p of reading.packages) {
    for (const text of p.purls) {
      if (!/^pkg:bitnami\//i.test(text)) continue;
      const purl = parsePurl(text);
      const label = shortText(p.name ?? text);
      if (purl === null || purl.type !== 'bitnami') {
        problems.push(`package ${label}: purl ${shortText(text)} cannot be read`);
        continue;
      }
      const version = purl.version ?? p.versionInfo?.trim();
      if (!isPlainToken(purl.name) || version === undefined || !isPlainToken(version)) {
        problems.push(`package ${label}: no usable name and version in purl ${shortText(text)}`);
        continue;
      }
      packages.push(bitnamiPackage(purl.name, version, purl.qualifiers.arch, purl.qualifiers.distro, file.path));
    }
  }
  return { packages, problems };
}

/** `{"<name>": {"arch", "digest", "distro", "type": "NAMI", "version": "4.4.11-2"}}`. */
function readComponentsFile(file: ImageFile): FileReading {
  const parsed = parseJson(file.content);
  if (!parsed.ok) return { packages: [], problems: [parsed.reason] };
  if (!isRecord(parsed.value)) return { packages: [], problems: ['not a JSON object of components'] };
  const packages: FoundPackage[] = [];
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(parsed.value)) {
    const version = isRecord(entry) && typeof entry.version === 'string' ? entry.version.trim() : '';
    if (!isPlainToken(name) || !isPlainToken(version)) {
      problems.push(`component ${shortText(name)}: no usable name and version`);
      continue;
    }
    const e = entry as Record<string, unknown>;
    const str = (k: string): string | undefined => (typeof e[k] === 'string' && e[k] !== '' ? (e[k] as string) : undefined);
    packages.push(bitnamiPackage(name, version, str('arch'), str('distro'), file.path));
  }
  return { packages, problems };
}

/** One entry per name and version: a component named by both SBOM kinds, or twice, is one package with both paths. */
function mergeSame(packages: FoundPackage[]): FoundPackage[] {
  const byKey = new Map<string, FoundPackage>();
  for (const p of packages) {
    const key = `${p.name}@${p.version}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { ...p, paths: [...p.paths] });
    else for (const path of p.paths) if (!seen.paths.includes(path)) seen.paths.push(path);
  }
  return [...byKey.values()];
}

export const bitnamiAnalyser: Analyser = {
  id: 'bitnami',
  version: 1,
  maxFileBytes: MAX_FILE_BYTES,
  wants(path) {
    return path.startsWith('/opt/bitnami/') && (path === COMPONENTS_FILE || SPDX_FILE.test(path));
  },
  analyse(files) {
    const result = readEach(files, MAX_FILE_BYTES, (file) => (file.path === COMPONENTS_FILE ? readComponentsFile(file) : readSpdxFile(file)));
    return { packages: mergeSame(result.packages), gaps: result.gaps };
  },
};
