/**
 * `rbac.escalate-bind-impersonate`: a rule with the verbs that bypass RBAC's own protection:
 * `escalate` (edit a role to grant more than one holds), `bind` (bind a role one does not hold),
 * `impersonate` (act as another user, group or service account), explicitly or as `*` on the
 * resources they apply to (roles, clusterroles, users, groups, serviceaccounts). HIGH: each is a
 * direct path to cluster-admin.
 */
import type { PostureFinding, RenderedResource } from '../../model/stages.js';
import { isRole, rulesOf } from './rbac.js';
import type { BestPracticeCheck } from './types.js';
import { finding } from './workload.js';

const VERBS = ['escalate', 'bind', 'impersonate'];
const TARGETS = ['roles', 'clusterroles', 'users', 'groups', 'serviceaccounts', 'uids', 'userextras'];

export const escalateBindImpersonate: BestPracticeCheck = {
  id: 'rbac.escalate-bind-impersonate',
  title: 'RBAC escalate, bind or impersonate',
  severity: 'HIGH',
  fix: 'Remove the escalate, bind and impersonate verbs (and "*" verbs on roles and identities) from the rule.',
  doc: 'No Role or ClusterRole rule grants escalate, bind or impersonate.',
  peers: 'Trivy KSV043 (CRITICAL, impersonate) and KSV056, Polaris, Checkov CKV_K8S_155/157',
  check(r: RenderedResource): PostureFinding[] {
    if (!isRole(r)) return [];
    return rulesOf(r).flatMap((rule) => {
      const named = rule.verbs.filter((v) => VERBS.includes(v));
      const starOn = rule.verbs.includes('*') ? rule.resources.filter((x) => TARGETS.includes(x)) : [];
      if (named.length === 0 && starOn.length === 0) return [];
      const what = named.length > 0 ? `verbs [${named.join(', ')}]` : `"*" on [${starOn.join(', ')}]`;
      return [finding('rbac.escalate-bind-impersonate', r, null, null, `rule ${rule.index} grants ${what}`, [['rules', rule.index, 'verbs']])];
    });
  },
};
