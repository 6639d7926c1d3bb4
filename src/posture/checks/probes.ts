/** The probe checks share one rule: a regular container of a long-running pod declares the probe. */
import type { PostureFinding, RenderedResource } from '../../model/stages.js';
import { sameNamespace, serviceSelects } from './selectors.js';
import type { BestPracticeCheck } from './types.js';
import { containerWord, finding, isLongRunning, podTemplates, record } from './workload.js';

export function probeCheck(spec: {
  id: string; probe: 'livenessProbe' | 'readinessProbe'; onlyBehindService: boolean; severity: BestPracticeCheck['severity']; title: string; fix: string; doc: string; peers: string;
}): BestPracticeCheck {
  const { id, probe, onlyBehindService } = spec;
  return {
    ...spec,
    check(r: RenderedResource, all: readonly RenderedResource[]): PostureFinding[] {
      const out: PostureFinding[] = [];
      for (const pod of podTemplates(r)) {
        if (!isLongRunning(r, pod)) continue;
        if (onlyBehindService && !all.some((s) => s.kind === 'Service' && sameNamespace(s, r) && serviceSelects(s, pod.labels))) continue;
        for (const c of pod.containers) {
          if (c.list !== 'containers' || record(c.container[probe]) !== null) continue;
          out.push(finding(id, r, pod, c.name, `${containerWord(c)} has no ${probe === 'livenessProbe' ? 'liveness' : 'readiness'} probe`, [[...c.path, probe]]));
        }
      }
      return out;
    },
  };
}
