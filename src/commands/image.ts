/**
 * `chartaudit image <ref>`: one image from a registry, an OCI layout or a `docker save`
 * archive, resolved to one platform's manifest, every layer streamed through the merged view
 * and checked against its digests. Its packages come with the package analysers.
 */
import type { ImageReport } from '../model/report.js';
import type { Env } from './context.js';
import { imageSources, sourceFor, type ImageSourceOptions } from './image-sources.js';

export interface ImageOptions extends ImageSourceOptions {
  ref: string;
  /** `os/arch[/variant]`, default linux/amd64. */
  platform: string;
}

export async function inspectImage(opts: ImageOptions, e: Env): Promise<ImageReport> {
  const sources = imageSources(opts, e);
  const image = await sourceFor(opts.ref, sources).resolve(opts.ref, { platform: opts.platform, offline: opts.offline });
  const skipped: { path: string; reason: string }[] = [];
  let files = 0;
  // Reading every layer checks each against its digest (and diff_id) even when no file is wanted.
  await image.readFiles(() => false, () => { files++; }, { onSkip: (path, reason) => skipped.push({ path, reason }) });
  const p = image.platform;
  return {
    ref: image.ref,
    digest: image.digest,
    platform: `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`,
    config: { user: image.config.user, created: image.config.created },
    layers: image.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType })),
    gaps: [{ scope: image.ref, reason: 'packages inside the image are not inventoried yet: OS and application package analysers are the next stage' }],
  };
}
