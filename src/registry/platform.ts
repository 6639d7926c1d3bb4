/**
 * Platforms (`os/arch[/variant]`) and choosing one manifest of an index. Bytes in, result out:
 * no I/O here.
 */
import { RegistryError } from './errors.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

/** `linux/arm64/v8` → { os, architecture, variant }. Throws RegistryError ('reference') when malformed. */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9._-]+$/i.test(p))) {
    throw new RegistryError(`--platform ${JSON.stringify(text)}: expected os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8`, 'reference');
  }
  const [os, architecture, variant] = parts as [string, string, string | undefined];
  return variant ? { os: os.toLowerCase(), architecture: architecture.toLowerCase(), variant: variant.toLowerCase() } : { os: os.toLowerCase(), architecture: architecture.toLowerCase() };
}

export function platformText(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

/** The variant an architecture has when none is written (containerd's normalisation). */
function defaultVariant(arch: string): string | undefined {
  if (arch === 'arm64') return 'v8';
  if (arch === 'arm') return 'v7';
  return undefined;
}

/** An index entry as the OCI image-spec describes it. */
export interface IndexEntry {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string; variant?: string; 'os.version'?: string };
  annotations?: Record<string, string>;
  artifactType?: string;
}

/** buildx attestation manifests (`unknown/unknown`, reference type annotation): never an image to scan. */
export function isAttestation(e: IndexEntry): boolean {
  if (e.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return true;
  return e.platform?.os === 'unknown' || e.platform?.architecture === 'unknown';
}

/**
 * The entry of `entries` for `want`. A variant asked for must match (arm64 without one counts
 * as v8); when none is asked for, an entry without a variant or with the default one is
 * preferred. Throws RegistryError ('platform') listing the platforms the index has.
 */
export function selectPlatform(entries: readonly IndexEntry[], want: Platform, what: string): IndexEntry {
  const candidates = entries.filter((e) => !isAttestation(e) && e.platform?.os === want.os && e.platform?.architecture === want.architecture);
  const wantVariant = want.variant ?? defaultVariant(want.architecture);
  const variantOf = (e: IndexEntry): string | undefined => e.platform?.variant ?? defaultVariant(want.architecture);
  const exact = candidates.find((e) => variantOf(e) === wantVariant);
  if (exact) return exact;
  if (!want.variant && candidates.length > 0) return candidates[0]!;
  const have = [...new Set(entries.filter((e) => !isAttestation(e) && e.platform?.os).map((e) => platformText({ os: e.platform!.os!, architecture: e.platform!.architecture ?? '?', ...(e.platform!.variant ? { variant: e.platform!.variant } : {}) })))];
  throw new RegistryError(
    `${what}: no image for platform ${platformText(want)}; the index has ${have.length > 0 ? have.join(', ') : 'no platform-specific images'} (choose one with --platform)`,
    'platform',
    what,
  );
}
