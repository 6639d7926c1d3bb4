/**
 * `image.no-digest`: a container image named by tag only. A tag can be moved to other content
 * by whoever can push to the repository; a digest names exactly the bytes that were reviewed and
 * scanned. LOW: a supply-chain hardening step that most charts leave to the operator (Bitnami
 * charts have an `image.digest` value for it).
 */
import type { PostureFinding, RenderedResource } from '../../model/stages.js';
import { imageParts } from './image-ref.js';
import type { BestPracticeCheck } from './types.js';
import { containerWord, finding, podTemplates } from './workload.js';

export const imageNoDigest: BestPracticeCheck = {
  id: 'image.no-digest',
  title: 'Image not pinned by digest',
  severity: 'LOW',
  fix: 'Name the image by digest (repository@sha256:…); charts often have an image.digest value.',
  doc: 'Container images are named by digest, so what runs is exactly what was reviewed and scanned.',
  peers: 'Polaris tagNotSpecified covers only the missing tag; kube-score and Trivy have no digest check (Kyverno require-image-digest does)',
  check(r: RenderedResource): PostureFinding[] {
    const out: PostureFinding[] = [];
    for (const pod of podTemplates(r)) {
      for (const c of pod.containers) {
        const image = c.container.image;
        if (typeof image !== 'string' || image === '' || imageParts(image).digest !== null) continue;
        out.push(finding('image.no-digest', r, pod, c.name, `${containerWord(c)} runs ${image} by tag, not by digest`, [[...c.path, 'image']]));
      }
    }
    return out;
  },
};
