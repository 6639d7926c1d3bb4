/**
 * Platforms (`os/arch[/variant]`) and choosing one manifest of an index. Bytes in, result out:
 * no I/O here.
 */
import { RegistryError } from './errors.js';

import { choosePlatform, formatPlatform, noPlatformMessage, parsePlatform as parse, PLATFORM_SYNTAX, type Platform } from '../images/platform.js';

export type { Platform };
export { isAttestation } from '../images/platform.js';

export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

/** `linux/arm64/v8` → { os, architecture, variant }. Throws RegistryError ('reference') when malformed. */
export function parsePlatform(text: string): Platform {
  const p = parse(text);
  if (!p) throw new RegistryError(`--platform ${JSON.stringify(text)}: ${PLATFORM_SYNTAX}`, 'reference');
  return p;
}

export const platformText = formatPlatform;

/** An index entry as the OCI image-spec describes it. */
export interface IndexEntry {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string; variant?: string; 'os.version'?: string };
  annotations?: Record<string, string>;
  artifactType?: string;
}

/** The entry of `entries` for `want` (src/images/platform.ts); RegistryError ('platform') listing what the index has. */
export function selectPlatform(entries: readonly IndexEntry[], want: Platform, what: string): IndexEntry {
  const r = choosePlatform(entries, want);
  if ('entry' in r) return r.entry;
  throw new RegistryError(noPlatformMessage(what, want, r.have), 'platform', what);
}
