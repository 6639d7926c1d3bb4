/**
 * `rbac.cluster-admin-binding`: a RoleBinding or ClusterRoleBinding to the built-in ClusterRole
 * `cluster-admin`: its subjects can do anything (in the namespace for a RoleBinding, everywhere
 * for a ClusterRoleBinding). CRITICAL: whoever takes over the workload owns the cluster.
 */
import type { PostureFinding, RenderedResource } from '../../model/stages.js';
import { isBinding, roleRef, subjectsText } from './rbac.js';
import type { BestPracticeCheck } from './types.js';
import { finding } from './workload.js';

export const clusterAdminBinding: BestPracticeCheck = {
  id: 'rbac.cluster-admin-binding',
  title: 'Binding to cluster-admin',
  severity: 'CRITICAL',
  fix: 'Bind a Role or ClusterRole with only the permissions the workload needs.',
  doc: 'No RoleBinding or ClusterRoleBinding of the chart references the cluster-admin ClusterRole.',
  peers: 'Polaris clusterrolebindingClusterAdmin / rolebindingClusterAdminClusterRole (danger), kube-linter cluster-admin-role-binding, Trivy KSV111',
  check(r: RenderedResource): PostureFinding[] {
    if (!isBinding(r)) return [];
    const ref = roleRef(r);
    if (ref?.kind !== 'ClusterRole' || ref.name !== 'cluster-admin') return [];
    const scope = r.kind === 'ClusterRoleBinding' ? 'across the cluster' : 'in its namespace';
    return [finding('rbac.cluster-admin-binding', r, null, null, `grants cluster-admin ${scope} to ${subjectsText(r)}`, [['roleRef', 'name']])];
  },
};
