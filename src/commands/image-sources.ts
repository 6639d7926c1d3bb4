/**
 * The image sources a command may read from, tried in order: OCI layout directories and tars,
 * `docker save` archives, directory mirrors (`--registry-mirror docker.io=oci-layout:DIR`), and
 * registries (everything no other scheme claims).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../model/errors.js';
import type { ImageProvider } from '../model/stages.js';
import { dockerArchiveProvider, ociLayoutProvider, resolveParsedArchive } from '../image/providers.js';
import { parseImageReference } from '../images/reference.js';
import { normaliseHostKey } from '../registry/credentials.js';
import { RegistryClient } from '../registry/client.js';
import { registryProvider } from '../registry/provider.js';
import type { Env } from './context.js';

export interface ImageSourceOptions {
  /** `--registry-config FILE`: docker's config.json. */
  registryConfig?: string;
  /** `--registry-mirror REGISTRY=HOST[:PORT]` or `REGISTRY=oci-layout:DIR` (repeatable). */
  mirrors: string[];
  /** `--insecure-registry HOST[:PORT]` (repeatable). */
  insecure: string[];
  offline: boolean;
  deadlineMs?: number;
  onRetry?: (message: string) => void;
  onProgress?: (p: { ref: string; digest: string; bytes: number; total: number }) => void;
}

const LAYOUT_MIRROR = /^oci-layout:(.+)$/s;

export function imageSources(opts: ImageSourceOptions, e: Env): ImageProvider[] {
  const layoutMirrors = new Map<string, string[]>();
  const hostMirrors: string[] = [];
  for (const m of opts.mirrors) {
    const eq = m.indexOf('=');
    const dir = eq > 0 ? LAYOUT_MIRROR.exec(m.slice(eq + 1).trim()) : null;
    if (!dir) {
      hostMirrors.push(m);
      continue;
    }
    const registry = normaliseHostKey(m.slice(0, eq).trim());
    const path = resolve(dir[1]!);
    if (!existsSync(path)) throw new UsageError(`--registry-mirror ${m}: ${dir[1]} does not exist`);
    layoutMirrors.set(registry, [...(layoutMirrors.get(registry) ?? []), path]);
  }
  const client = new RegistryClient({
    env: e.env,
    mirrors: hostMirrors,
    insecure: opts.insecure,
    offline: opts.offline,
    ...(opts.registryConfig ? { registryConfig: opts.registryConfig } : {}),
    ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}),
    ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  const registry = registryProvider(client);
  return [ociLayoutProvider, dockerArchiveProvider, ...(layoutMirrors.size ? [layoutMirrorProvider(layoutMirrors, registry)] : []), registry];
}

/**
 * A registry served from a directory of OCI image layouts, one per repository
 * (`DIR/<repository>/index.json`, tags as `org.opencontainers.image.ref.name`): for machines
 * without network, and for the bundled demo. A repository the directory holds is read only from
 * it; the others go to the registry. The image keeps its registry name in the report.
 */
function layoutMirrorProvider(mirrors: Map<string, string[]>, registry: ImageProvider): ImageProvider {
  const layoutOf = (ref: string): { dir: string; name: string; tag: string | null; digest: string | null } | null => {
    let parsed;
    try {
      parsed = parseImageReference(ref);
    } catch {
      return null;
    }
    for (const root of mirrors.get(normaliseHostKey(parsed.registry)) ?? []) {
      const dir = join(root, ...parsed.repository.split('/'));
      // the repository path must stay inside the mirror directory (it is parsed, so no `..`)
      if (existsSync(join(dir, 'index.json'))) return { dir, name: parsed.ref, tag: parsed.tag, digest: parsed.digest };
    }
    return null;
  };
  return {
    scheme: 'oci-layout-mirror',
    accepts: (ref) => registry.accepts(ref) && layoutOf(ref) !== null,
    resolve(ref, opts) {
      const l = layoutOf(ref)!;
      const selector = l.digest ? { digest: l.digest } : { tag: l.tag ?? 'latest' };
      return resolveParsedArchive({ scheme: 'oci-layout', path: l.dir, selector }, l.name, { platform: opts.platform });
    },
  };
}

export function sourceFor(ref: string, sources: ImageProvider[]): ImageProvider {
  const s = sources.find((p) => p.accepts(ref));
  if (!s) throw new UsageError(`${ref}: no image source reads this reference (registry/repository[:tag][@digest], oci-layout:DIR[:tag|@digest], docker-archive:FILE[:ref])`);
  return s;
}
