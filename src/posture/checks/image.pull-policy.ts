/**
 * `image.pull-policy`: the pull policy lets a node run an image it did not pull for this pod:
 * `Never` with an image not pinned by digest (whatever sits in the node's cache under that name
 * runs), or `IfNotPresent` set explicitly on a `latest` or untagged image (nodes keep whichever
 * `latest` they pulled first). Either way the registry's credentials and the tag's current
 * content are never checked. A versioned tag with IfNotPresent (the usual chart default) passes:
 * kube-score's "always Always" rule would flag nearly every chart. LOW.
 */
import type { PostureFinding, RenderedResource } from '../../model/stages.js';
import { imageParts } from './image-ref.js';
import type { BestPracticeCheck } from './types.js';
import { containerWord, finding, podTemplates } from './workload.js';

export const imagePullPolicy: BestPracticeCheck = {
  id: 'image.pull-policy',
  title: 'Pull policy can run a stale or unpulled image',
  severity: 'LOW',
  fix: 'Set imagePullPolicy: Always (or pin the image by digest).',
  doc: 'imagePullPolicy never lets a node run a cached image for a mutable reference: no Never without a digest, no IfNotPresent on latest.',
  peers: 'kube-score container-image-pull-policy (requires Always), Polaris pullPolicyNotAlways (ignored by default)',
  check(r: RenderedResource): PostureFinding[] {
    const out: PostureFinding[] = [];
    for (const pod of podTemplates(r)) {
      for (const c of pod.containers) {
        const image = c.container.image;
        const policy = c.container.imagePullPolicy;
        if (typeof image !== 'string' || image === '') continue;
        const { tag, digest } = imageParts(image);
        if (digest !== null) continue;
        const mutable = tag === null || tag === 'latest';
        let why: string | null = null;
        if (policy === 'Never') why = `imagePullPolicy Never runs whatever the node has cached as ${image}`;
        else if (policy === 'IfNotPresent' && mutable) why = `imagePullPolicy IfNotPresent on ${image} runs whichever ${tag ?? 'latest'} the node pulled first`;
        if (why !== null) out.push(finding('image.pull-policy', r, pod, c.name, `${containerWord(c)}: ${why}`, [[...c.path, 'imagePullPolicy']]));
      }
    }
    return out;
  },
};
