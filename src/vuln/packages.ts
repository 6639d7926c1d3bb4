/**
 * The packages of each image that advisories are matched against (DESIGN.md "Images",
 * "Image contents"). An image that was read gives its inventory: OS packages keyed as their
 * distribution's advisories key them (Debian, Ubuntu and Alpine by source package and source
 * version, RPM distributions by binary name and [epoch:]version-release), application packages
 * by name, Bitnami packages from the image's own SBOM. An image that was not read falls back to
 * its name: a Bitnami image (`…/bitnami/<name>:<X.Y.Z>-<distro>-r<N>` on any registry or
 * mirror, or the `bitnamilegacy` namespace) is the Bitnami package `<name>` at `X.Y.Z`.
 * Anything else is a gap, never "no vulnerabilities".
 */
import type { ImagePackage } from '../model/advisory.js';
import type { Gap, ReportImage, ReportPackage } from '../model/report.js';

const BITNAMI_NAMESPACES = new Set(['bitnami', 'bitnamilegacy']);
/** The leading version of a Bitnami tag: `7.4.1` of `7.4.1-debian-12-r2`. */
const BITNAMI_TAG = /^(\d+\.\d+\.\d+)(?:-|$)/;
/** Ecosystems whose advisories name the source package. */
const BY_SOURCE = new Set(['deb', 'apk']);

export interface ImageInventory {
  packages: ImagePackage[];
  gaps: Gap[];
}

export function packagesOfImages(images: ReportImage[]): ImageInventory {
  const packages: ImagePackage[] = [];
  const gaps: Gap[] = [];
  for (const img of images) {
    if (img.contents) {
      const read = packagesOfContents(img.ref, img.contents.packages);
      packages.push(...read.packages);
      gaps.push(...read.gaps);
      // An image without a Bitnami SBOM keeps its tag mapping (older Bitnami images).
      if (!img.contents.packages.some((p) => p.type === 'bitnami')) {
        const byTag = bitnamiByTag(img);
        if (byTag && 'package' in byTag) packages.push(byTag.package);
      }
      if (img.contents.packages.length === 0 && !isBitnami(img)) {
        gaps.push({ scope: img.ref, reason: `no packages found in the image${img.contents.os ? '' : ' (no OS release files: scratch, or an unknown distribution)'}: nothing to match` });
      }
      continue;
    }
    const byTag = bitnamiByTag(img);
    if (byTag && 'package' in byTag) packages.push(byTag.package);
    else if (byTag) gaps.push(byTag.gap);
    // contents === null: the image stage has said why it was not read
    else if (img.contents === undefined) gaps.push({ scope: img.ref, reason: 'no package inventory for this image: it was not read (only Bitnami images are mapped to packages by name)' });
  }
  return { packages, gaps };
}

function isBitnami(img: ReportImage): boolean {
  const parts = img.repository.split('/');
  return parts.length >= 2 && BITNAMI_NAMESPACES.has(parts[parts.length - 2]!);
}

function bitnamiByTag(img: ReportImage): { package: ImagePackage } | { gap: Gap } | null {
  if (!isBitnami(img)) return null;
  const name = img.repository.split('/').pop()!;
  const m = img.tag ? BITNAMI_TAG.exec(img.tag) : null;
  if (!m) {
    return {
      gap: {
        scope: img.ref,
        reason: img.tag
          ? `the tag ${img.tag} does not start with a version (X.Y.Z), so the version of Bitnami package ${name} is unknown`
          : `no tag, only a digest: the version of Bitnami package ${name} is unknown`,
      },
    };
  }
  return { package: { ecosystem: 'Bitnami', name, version: m[1]!, image: img.ref } };
}

/** One matchable package per (ecosystem, name, version) of an image; binaries of one source together. */
export function packagesOfContents(image: string, found: readonly ReportPackage[]): ImageInventory {
  const byKey = new Map<string, ImagePackage>();
  let unversioned = 0;
  let example = '';
  for (const p of found) {
    if (p.ecosystem === null) continue; // the inventory's gap names these
    const key = matchKey(p);
    if (key.version === '') {
      unversioned++;
      example ||= `${p.name} in ${p.paths[0] ?? '?'}`;
      continue;
    }
    const id = `${p.ecosystem}\u0000${key.name}\u0000${key.version}`;
    const had = byKey.get(id);
    if (had) {
      if (BY_SOURCE.has(p.type) && !had.binaries?.includes(p.name)) had.binaries = [...(had.binaries ?? []), p.name].sort();
      continue;
    }
    byKey.set(id, {
      ecosystem: p.ecosystem,
      name: key.name,
      version: key.version,
      image,
      ...(p.purl ? { purl: p.purl } : {}),
      location: { layer: p.layer, path: p.paths[0] ?? '/' },
      ...(BY_SOURCE.has(p.type) ? { binaries: [p.name] } : {}),
    });
  }
  const gaps: Gap[] = unversioned
    ? [{ scope: image, reason: `${unversioned} package${unversioned === 1 ? ' has' : 's have'} no version (e.g. ${example}, a Go main module built as (devel)): not matched` }]
    : [];
  return { packages: [...byKey.values()], gaps };
}

/** The name and version advisories of the package's ecosystem use. */
function matchKey(p: ReportPackage): { name: string; version: string } {
  if (BY_SOURCE.has(p.type) && p.source) return { name: p.source.name, version: p.source.version ?? p.version };
  if (p.type === 'rpm') return { name: p.name, version: p.epoch ? `${p.epoch}:${p.version}` : p.version };
  return { name: p.name, version: p.version };
}
