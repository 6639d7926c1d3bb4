/**
 * The package list of an SPDX 2.x document in either of the two encodings Bitnami has shipped
 * under `/opt/bitnami/<component>/.spdx-<component>.spdx`: JSON (today's images, despite the
 * extension) and tag-value (some 2024 images). Only what package identity needs is read:
 * name, versionInfo and the purl external references. Pure: text in, packages out.
 * Spec: https://spdx.github.io/spdx-spec/v2.3/ (package fields §7, tag-value format annex).
 */
import { isRecord, shortText } from '../lang/per-file.js';

export interface SpdxPackage {
  name: string | undefined;
  versionInfo: string | undefined;
  purls: string[];
}

export type SpdxReading = { ok: true; packages: SpdxPackage[] } | { ok: false; reason: string };

/** Most packages read from one document (a Bitnami SBOM lists tens); more is refused as a gap. */
export const MAX_SPDX_PACKAGES = 20_000;
/** Most external references read per package. */
export const MAX_REFS_PER_PACKAGE = 64;

export function readSpdx(text: string): SpdxReading {
  const start = text.trimStart();
  if (start.startsWith('{')) return readSpdxJson(text);
  if (/^SPDXVersion:\s*SPDX-/m.test(text.slice(0, 4096))) return readSpdxTagValue(text);
  return { ok: false, reason: 'neither SPDX JSON nor SPDX tag-value (no SPDXVersion line at the top)' };
}

function readSpdxJson(text: string): SpdxReading {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not valid JSON (${shortText(err instanceof Error ? err.message : String(err))})` };
  }
  if (!isRecord(doc) || typeof doc.spdxVersion !== 'string' || !doc.spdxVersion.startsWith('SPDX-')) {
    return { ok: false, reason: 'JSON but not an SPDX document (no spdxVersion "SPDX-…")' };
  }
  const list = doc.packages;
  if (list === undefined) return { ok: true, packages: [] };
  if (!Array.isArray(list)) return { ok: false, reason: 'SPDX "packages" is not a list' };
  if (list.length > MAX_SPDX_PACKAGES) return { ok: false, reason: `SPDX document lists ${list.length} packages, over the limit of ${MAX_SPDX_PACKAGES}` };
  const packages: SpdxPackage[] = [];
  for (const p of list) {
    if (!isRecord(p)) continue;
    const purls: string[] = [];
    const refs = Array.isArray(p.externalRefs) ? p.externalRefs.slice(0, MAX_REFS_PER_PACKAGE) : [];
    for (const r of refs) {
      if (isRecord(r) && r.referenceType === 'purl' && typeof r.referenceLocator === 'string') purls.push(r.referenceLocator.trim());
    }
    packages.push({
      name: typeof p.name === 'string' ? p.name : undefined,
      versionInfo: typeof p.versionInfo === 'string' ? p.versionInfo : undefined,
      purls,
    });
  }
  return { ok: true, packages };
}

/**
 * Tag-value: `Tag: value` lines; a value opened by `<text>` runs to the line holding `</text>`
 * (so a description quoting `PackageName:` is not a package). `PackageName` starts a package.
 */
function readSpdxTagValue(text: string): SpdxReading {
  const packages: SpdxPackage[] = [];
  let current: SpdxPackage | null = null;
  let inText = false;
  for (const line of text.split(/\r?\n/)) {
    if (inText) {
      if (line.includes('</text>')) inText = false;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0 || line.startsWith('#')) continue;
    const tag = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (value.startsWith('<text>') && !value.includes('</text>')) {
      inText = true;
      continue;
    }
    switch (tag) {
      case 'PackageName':
        if (packages.length >= MAX_SPDX_PACKAGES) return { ok: false, reason: `SPDX document lists more than ${MAX_SPDX_PACKAGES} packages` };
        current = { name: value, versionInfo: undefined, purls: [] };
        packages.push(current);
        break;
      case 'PackageVersion':
        if (current) current.versionInfo = value;
        break;
      case 'ExternalRef': {
        // ExternalRef: <category> <type> <locator>
        const parts = value.split(/\s+/);
        if (current && parts.length >= 3 && parts[1] === 'purl' && current.purls.length < MAX_REFS_PER_PACKAGE) current.purls.push(parts[2]!);
        break;
      }
      case 'FileName':
      case 'SnippetSPDXID':
        // Files and snippets follow the packages; their tags are not package fields.
        current = null;
        break;
    }
  }
  if (inText) return { ok: false, reason: 'SPDX tag-value document ends inside a <text> value' };
  return { ok: true, packages };
}
