/**
 * Platforms (`os/arch[/variant]`) and choosing one manifest of an index, for every image source
 * (registries, OCI layouts, docker archives). Bytes in, result out; callers raise their own errors.
 */

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** An index entry, as far as choosing a platform goes. */
export interface PlatformEntry {
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

/** `linux/arm64/v8` → { os, architecture, variant } (lower case); null when malformed. */
export function parsePlatform(text: string): Platform | null {
  const parts = text.trim().toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9._-]+$/.test(p))) return null;
  const p: Platform = { os: parts[0]!, architecture: parts[1]! };
  if (parts[2]) p.variant = parts[2];
  return p;
}

export const PLATFORM_SYNTAX = 'expected os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8';

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

/** The variant an architecture has when none is written (containerd's normalisation). */
function defaultVariant(arch: string): string | undefined {
  if (arch === 'arm64') return 'v8';
  if (arch === 'arm') return 'v7';
  return undefined;
}

/** buildx attestation manifests (`unknown/unknown`, reference type annotation): never an image to scan. */
export function isAttestation(e: PlatformEntry): boolean {
  if (e.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return true;
  return e.platform?.os === 'unknown' || e.platform?.architecture === 'unknown';
}

/**
 * The entry for `want`. A variant asked for must match (arm64 without one counts as v8); when
 * none is asked for, an entry with the default variant is preferred, else the first of that
 * os/arch. When there is none: the platforms the index has, for the caller's message.
 */
export function choosePlatform<T extends PlatformEntry>(entries: readonly T[], want: Platform): { entry: T } | { have: string[] } {
  const usable = entries.filter((e) => !isAttestation(e));
  const candidates = usable.filter((e) => e.platform?.os === want.os && e.platform?.architecture === want.architecture);
  const wantVariant = want.variant ?? defaultVariant(want.architecture);
  const exact = candidates.find((e) => (e.platform?.variant ?? defaultVariant(want.architecture)) === wantVariant);
  if (exact) return { entry: exact };
  if (!want.variant && candidates.length > 0) return { entry: candidates[0]! };
  const have = usable.filter((e) => e.platform?.os).map((e) => formatPlatform({ os: e.platform!.os!, architecture: e.platform!.architecture ?? '?', ...(e.platform!.variant ? { variant: e.platform!.variant } : {}) }));
  return { have: [...new Set(have)] };
}

/** The message when choosePlatform found nothing. */
export const noPlatformMessage = (what: string, want: Platform, have: string[]): string =>
  `${what}: no image for platform ${formatPlatform(want)}; the index has ${have.length > 0 ? have.join(', ') : 'no platform-specific images'} (choose one with --platform)`;
