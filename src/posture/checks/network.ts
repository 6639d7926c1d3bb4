/**
 * NetworkPolicy coverage: whether a NetworkPolicy of the chart selects a pod for a direction.
 * policyTypes as the API server defaults it: when absent, Ingress always, plus Egress when the
 * policy has egress rules (a non-empty list). A policy applies to pods of its own namespace; an
 * empty podSelector selects every pod there.
 */
import type { PostureFinding, RenderedResource } from '../../model/stages.js';
import { labelSelectorMatches, sameNamespace } from './selectors.js';
import type { BestPracticeCheck } from './types.js';
import { finding, list, podTemplates, record } from './workload.js';

export type Direction = 'Ingress' | 'Egress';

export function policyTypes(policy: Record<string, unknown>): Direction[] {
  const spec = record(policy.spec) ?? {};
  const declared = list(spec.policyTypes).filter((t): t is Direction => t === 'Ingress' || t === 'Egress');
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0) return declared;
  return list(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** The NetworkPolicies of the chart that select these pod labels for `direction`. */
export function selectingPolicies(r: RenderedResource, labels: Readonly<Record<string, string>>, direction: Direction, all: readonly RenderedResource[]): RenderedResource[] {
  return all.filter((p) => p.kind === 'NetworkPolicy' && sameNamespace(p, r)
    && policyTypes(p.object).includes(direction)
    && labelSelectorMatches(record(p.object.spec)?.podSelector ?? null, labels));
}

export function networkCheck(spec: { id: string; direction: Direction; severity: BestPracticeCheck['severity']; title: string; fix: string; doc: string; peers: string }): BestPracticeCheck {
  const { id, direction } = spec;
  return {
    ...spec,
    check(r: RenderedResource, all: readonly RenderedResource[]): PostureFinding[] {
      const out: PostureFinding[] = [];
      for (const pod of podTemplates(r)) {
        if (selectingPolicies(r, pod.labels, direction, all).length > 0) continue;
        const labels = Object.entries(pod.labels).map(([k, v]) => `${k}=${v}`).join(',');
        out.push(finding(id, r, pod, null, `no NetworkPolicy of the chart selects these pods (${labels || 'no labels'}) for ${direction.toLowerCase()}`, []));
      }
      return out;
    },
  };
}
