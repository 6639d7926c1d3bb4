/**
 * The image sources a command may read from, tried in order: OCI layout directories and tars,
 * `docker save` archives, and registries (everything no other scheme claims).
 */
import { UsageError } from '../model/errors.js';
import type { ImageProvider } from '../model/stages.js';
import { dockerArchiveProvider, ociLayoutProvider } from '../image/providers.js';
import { RegistryClient } from '../registry/client.js';
import { registryProvider } from '../registry/provider.js';
import type { Env } from './context.js';

export interface ImageSourceOptions {
  /** `--registry-config FILE`: docker's config.json. */
  registryConfig?: string;
  /** `--registry-mirror REGISTRY=HOST[:PORT]` (repeatable). */
  mirrors: string[];
  /** `--insecure-registry HOST[:PORT]` (repeatable). */
  insecure: string[];
  offline: boolean;
  deadlineMs?: number;
  onRetry?: (message: string) => void;
  onProgress?: (p: { ref: string; digest: string; bytes: number; total: number }) => void;
}

export function imageSources(opts: ImageSourceOptions, e: Env): ImageProvider[] {
  const client = new RegistryClient({
    env: e.env,
    mirrors: opts.mirrors,
    insecure: opts.insecure,
    offline: opts.offline,
    ...(opts.registryConfig ? { registryConfig: opts.registryConfig } : {}),
    ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}),
    ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  return [ociLayoutProvider, dockerArchiveProvider, registryProvider(client)];
}

export function sourceFor(ref: string, sources: ImageProvider[]): ImageProvider {
  const s = sources.find((p) => p.accepts(ref));
  if (!s) throw new UsageError(`${ref}: no image source reads this reference (registry/repository[:tag][@digest], oci-layout:DIR[:tag|@digest], docker-archive:FILE[:ref])`);
  return s;
}
