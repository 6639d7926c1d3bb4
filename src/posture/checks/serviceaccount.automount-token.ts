/**
 * `serviceaccount.automount-token`: a pod gets its service account's API token mounted although
 * nothing in the chart grants that account any RBAC role, i.e. the workload does not need the
 * API. A token it does not need is a credential an intruder can use (at least for discovery and
 * whatever the cluster grants every account). MEDIUM.
 *
 * The token is mounted unless the pod spec sets automountServiceAccountToken: false, or leaves it
 * unset and its ServiceAccount sets it false. The account "needs the API" when a RoleBinding or
 * ClusterRoleBinding of the chart names it as a subject. Pods using an account the chart does not
 * create (other than `default`) are skipped: what it is bound to is not known here.
 */
import type { PostureFinding, RenderedResource } from '../../model/stages.js';
import { sameNamespace } from './selectors.js';
import type { BestPracticeCheck } from './types.js';
import { finding, list, podTemplates, record, str } from './workload.js';

function boundByChart(sa: string, r: RenderedResource, all: readonly RenderedResource[]): boolean {
  return all.some((b) => (b.kind === 'RoleBinding' || b.kind === 'ClusterRoleBinding')
    && list(b.object.subjects).some((s) => {
      const subject = record(s);
      if (subject === null || subject.kind !== 'ServiceAccount' || str(subject.name) !== sa) return false;
      const ns = typeof subject.namespace === 'string' && subject.namespace !== '' ? subject.namespace : null;
      return ns === null || r.namespace === null || ns === r.namespace;
    }));
}

export const automountToken: BestPracticeCheck = {
  id: 'serviceaccount.automount-token',
  title: 'API token mounted but not needed',
  severity: 'MEDIUM',
  fix: 'Set automountServiceAccountToken: false on the pod (or its ServiceAccount); charts often have an automountServiceAccountToken value.',
  doc: 'Pods whose service account has no RBAC binding in the chart do not mount its API token.',
  peers: 'Trivy KSV036 (MEDIUM), Polaris automountServiceAccountToken (warning), Checkov CKV_K8S_38',
  check(r: RenderedResource, all: readonly RenderedResource[]): PostureFinding[] {
    const out: PostureFinding[] = [];
    for (const pod of podTemplates(r)) {
      const own = pod.spec.automountServiceAccountToken;
      if (own === false) continue;
      const sa = str(pod.spec.serviceAccountName) || str(pod.spec.serviceAccount) || 'default';
      const account = all.find((x) => x.kind === 'ServiceAccount' && x.name === sa && sameNamespace(x, r));
      if (account === undefined && sa !== 'default') continue;
      if (own !== true && account !== undefined && account.object.automountServiceAccountToken === false) continue;
      if (boundByChart(sa, r, all)) continue;
      const field = [...pod.source.specPath, 'automountServiceAccountToken'];
      const msg = `the pod mounts the API token of service account "${sa}"${own === true ? ' (automountServiceAccountToken: true)' : ''}, which no RoleBinding or ClusterRoleBinding of the chart grants anything`;
      out.push(finding('serviceaccount.automount-token', r, pod, null, msg, [field]));
    }
    return out;
  },
};
