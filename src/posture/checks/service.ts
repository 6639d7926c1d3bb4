/** The Service type checks share one rule: the Service's spec.type. */
import type { PostureFinding, RenderedResource } from '../../model/stages.js';
import type { BestPracticeCheck } from './types.js';
import { finding, list, record } from './workload.js';

export function serviceTypeCheck(spec: { id: string; type: 'LoadBalancer' | 'NodePort'; severity: BestPracticeCheck['severity']; title: string; fix: string; doc: string; peers: string; exposure: string }): BestPracticeCheck {
  const { id, type, exposure, ...rest } = spec;
  return {
    id, ...rest,
    check(r: RenderedResource): PostureFinding[] {
      if (r.kind !== 'Service' || record(r.object.spec)?.type !== type) return [];
      const ports = list(record(r.object.spec)?.ports).map((p) => record(p)?.port).filter((p) => p !== undefined).join(', ');
      return [finding(id, r, null, null, `Service of type ${type} ${exposure}${ports ? ` (ports ${ports})` : ''}`, [['spec', 'type']])];
    },
  };
}
