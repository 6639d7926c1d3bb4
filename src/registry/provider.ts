/**
 * The registry as an ImageProvider (src/model/stages.ts): the client resolves and verifies, the
 * merged view (src/image/) reads the layers as streams from the blob cache. Each layer is
 * brought into the cache (verified) before the view opens it; the view checks diff_ids.
 */
import { resolvedImage } from '../image/providers.js';
import type { LayerSource } from '../image/merged-view.js';
import type { ImageProvider, ResolvedImage } from '../model/stages.js';
import type { RegistryClient } from './client.js';

/** Registry references are what no other scheme claims (`oci-layout:`, `docker-archive:`). */
const OTHER_SCHEME = /^(oci-layout|docker-archive|oci-archive|docker-daemon|containers-storage|dir):/;

export function registryProvider(client: RegistryClient): ImageProvider {
  return {
    scheme: 'registry',
    accepts: (ref) => !OTHER_SCHEME.test(ref),
    async resolve(ref, opts): Promise<ResolvedImage> {
      // --offline is the client's setting (its cache answers); an online client must not be asked for it
      if (opts.offline && !client.offline) throw new Error('registryProvider: resolve({ offline: true }) needs a RegistryClient made with offline: true');
      const img = await client.resolve(ref, { platform: opts.platform });
      const layerSources: LayerSource[] = img.layers.map((l, i) => ({
        digest: l.digest,
        // the cache holds only verified blobs; the view need not hash them again
        verifyDigest: false,
        ...(img.config.diffIds[i] ? { diffId: img.config.diffIds[i] } : {}),
        open: () => openLazily(client, img, l.digest),
      }));
      const resolved = resolvedImage(
        {
          digest: img.digest,
          platform: img.platform,
          config: { user: img.config.user, created: img.config.created, env: img.config.env },
          layers: img.layers.map((l, i) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType, ...(img.config.diffIds[i] ? { diffId: img.config.diffIds[i] } : {}) })),
          layerSources,
        },
        img.ref,
        img.endpoint,
      );
      // layers are read one by one; their downloads may overlap (only those the caller will read)
      resolved.prefetch = (indices) => client.prefetchLayers(img, indices.map((i) => img.layers[i]?.digest).filter((d): d is string => d !== undefined));
      return resolved;
    },
  };
}

async function* openLazily(client: RegistryClient, img: Awaited<ReturnType<RegistryClient['resolve']>>, digest: string): AsyncGenerator<Buffer> {
  const stream = await client.openBlob(img, digest);
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } finally {
    stream.destroy();
  }
}
