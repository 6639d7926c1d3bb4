/**
 * What an image contains, at image level (DESIGN.md): a Bitnami image
 * (`…/bitnami/<name>:<X.Y.Z>-<distro>-r<N>` on any registry or mirror, or the
 * `bitnamilegacy` namespace the images moved to in 2025) is the Bitnami package `<name>` at
 * `X.Y.Z`. Anything else has no known contents yet: a gap, never "no vulnerabilities".
 */
import type { ImagePackage } from '../model/advisory.js';
import type { Gap, ReportImage } from '../model/report.js';

const BITNAMI_NAMESPACES = new Set(['bitnami', 'bitnamilegacy']);
/** The leading version of a Bitnami tag: `7.4.1` of `7.4.1-debian-12-r2`. */
const BITNAMI_TAG = /^(\d+\.\d+\.\d+)(?:-|$)/;

export interface ImageInventory {
  packages: ImagePackage[];
  gaps: Gap[];
}

export function packagesOfImages(images: ReportImage[]): ImageInventory {
  const packages: ImagePackage[] = [];
  const gaps: Gap[] = [];
  for (const img of images) {
    const parts = img.repository.split('/');
    const name = parts[parts.length - 1]!;
    const namespace = parts[parts.length - 2];
    if (namespace === undefined || !BITNAMI_NAMESPACES.has(namespace)) {
      gaps.push({ scope: img.ref, reason: 'no package inventory for this image (only Bitnami images are mapped to packages so far)' });
      continue;
    }
    const m = img.tag ? BITNAMI_TAG.exec(img.tag) : null;
    if (!m) {
      gaps.push({
        scope: img.ref,
        reason: img.tag
          ? `the tag ${img.tag} does not start with a version (X.Y.Z), so the version of Bitnami package ${name} is unknown`
          : `no tag, only a digest: the version of Bitnami package ${name} is unknown`,
      });
      continue;
    }
    packages.push({ ecosystem: 'Bitnami', name, version: m[1]!, image: img.ref });
  }
  return { packages, gaps };
}
