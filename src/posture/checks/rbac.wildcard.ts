/**
 * `rbac.wildcard`: a Role or ClusterRole rule with `*` in verbs or resources grants everything
 * that exists now and every resource or verb added later (a CRD installed next year included).
 * HIGH: it is usually far more than the workload needs, and includes escalation paths. A `*`
 * in apiGroups alone (specific resources and verbs) is not flagged.
 */
import type { PostureFinding, RenderedResource } from '../../model/stages.js';
import { isRole, rulesOf } from './rbac.js';
import type { BestPracticeCheck } from './types.js';
import { finding } from './workload.js';

export const rbacWildcard: BestPracticeCheck = {
  id: 'rbac.wildcard',
  title: 'RBAC rule with wildcards',
  severity: 'HIGH',
  fix: 'List the resources and verbs the workload needs instead of "*".',
  doc: 'Role and ClusterRole rules name their verbs and resources; no "*".',
  peers: 'Trivy KSV044/KSV045/KSV046 (CRITICAL), kube-linter wildcard-in-rules, Checkov CKV_K8S_49',
  check(r: RenderedResource): PostureFinding[] {
    if (!isRole(r)) return [];
    return rulesOf(r).flatMap((rule) => {
      const fields: (string | number)[][] = [];
      if (rule.verbs.includes('*')) fields.push(['rules', rule.index, 'verbs']);
      if (rule.resources.includes('*')) fields.push(['rules', rule.index, 'resources']);
      if (fields.length === 0) return [];
      const what = rule.resources.length === 0 && rule.nonResourceURLs.length > 0
        ? `verbs [${rule.verbs.join(', ')}] on non-resource URLs [${rule.nonResourceURLs.join(', ')}]`
        : `verbs [${rule.verbs.join(', ')}] on resources [${rule.resources.join(', ')}] of API groups [${rule.apiGroups.map((g) => g === '' ? '""' : g).join(', ')}]`;
      return [finding('rbac.wildcard', r, null, null, `rule ${rule.index} grants ${what}`, fields)];
    });
  },
};
