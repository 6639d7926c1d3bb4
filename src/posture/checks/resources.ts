/**
 * The four resource checks share one rule: a container of a pod template must state the CPU or
 * memory request or limit. A request that is unset while the limit is set is not a finding: the
 * API server defaults the request to the limit.
 */
import type { PostureFinding, RenderedResource } from '../../model/stages.js';
import type { BestPracticeCheck } from './types.js';
import { containerWord, finding, podTemplates, record } from './workload.js';

export function resourceCheck(spec: {
  id: string; resource: 'cpu' | 'memory'; kind: 'limits' | 'requests'; severity: BestPracticeCheck['severity']; title: string; fix: string; doc: string; peers: string;
}): BestPracticeCheck {
  const { id, resource, kind } = spec;
  return {
    ...spec,
    check(r: RenderedResource): PostureFinding[] {
      const out: PostureFinding[] = [];
      for (const pod of podTemplates(r)) {
        for (const c of pod.containers) {
          const res = record(c.container.resources);
          const has = (k: 'limits' | 'requests') => { const v = record(res?.[k])?.[resource]; return v !== undefined && v !== null && v !== ''; };
          if (has(kind) || (kind === 'requests' && has('limits'))) continue;
          const what = `${resource === 'cpu' ? 'CPU' : 'memory'} ${kind === 'limits' ? 'limit' : 'request'}`;
          out.push(finding(id, r, pod, c.name, `${containerWord(c)} has no ${what} (resources.${kind}.${resource})`, [[...c.path, 'resources', kind, resource]]));
        }
      }
      return out;
    },
  };
}
