/**
 * `image.tag-latest`: a container image named without a tag (which means `latest`) or with tag
 * `latest`, and no digest: what runs changes whenever the tag moves, so nodes may run different
 * code and a rollback has nothing to return to. MEDIUM: an unreviewed image may be deployed.
 * An image pinned by digest passes whatever its tag says.
 */
import type { PostureFinding, RenderedResource } from '../../model/stages.js';
import { imageParts } from './image-ref.js';
import type { BestPracticeCheck } from './types.js';
import { containerWord, finding, podTemplates } from './workload.js';

export const imageTagLatest: BestPracticeCheck = {
  id: 'image.tag-latest',
  title: 'Image tag is latest or missing',
  severity: 'MEDIUM',
  fix: 'Name a fixed version tag, or better a digest (@sha256:…), for the image.',
  doc: 'Container images name a fixed tag or a digest, never `latest` or no tag at all.',
  peers: 'Trivy KSV013 (MEDIUM), kube-score container-image-tag, kube-linter latest-tag, Checkov CKV_K8S_14',
  check(r: RenderedResource): PostureFinding[] {
    const out: PostureFinding[] = [];
    for (const pod of podTemplates(r)) {
      for (const c of pod.containers) {
        const image = c.container.image;
        if (typeof image !== 'string' || image === '') continue;
        const { tag, digest } = imageParts(image);
        if (digest !== null || (tag !== null && tag !== 'latest')) continue;
        out.push(finding('image.tag-latest', r, pod, c.name, `${containerWord(c)} runs ${image}, ${tag === null ? 'without a tag (latest)' : 'tag latest'}`, [[...c.path, 'image']]));
      }
    }
    return out;
  },
};
