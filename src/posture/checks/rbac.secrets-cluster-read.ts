/**
 * `rbac.secrets-cluster-read`: a ClusterRoleBinding of the chart binds a ClusterRole that can
 * get, list or watch Secrets (list and watch return their contents too): every Secret of every
 * namespace, other applications' credentials and service account tokens included. HIGH. The
 * roles looked at are the chart's own ClusterRoles and the built-in `admin` and `edit`
 * (`cluster-admin` has its own check). A RoleBinding keeps it to one namespace: not flagged.
 */
import type { PostureFinding, RenderedResource } from '../../model/stages.js';
import { grants, roleRef, rulesOf, subjectsText } from './rbac.js';
import type { BestPracticeCheck } from './types.js';
import { finding } from './workload.js';

const READ = ['get', 'list', 'watch'];
const BUILTIN_SECRET_READERS = new Set(['admin', 'edit']);

export const secretsClusterRead: BestPracticeCheck = {
  id: 'rbac.secrets-cluster-read',
  title: 'Secrets readable across the cluster',
  severity: 'HIGH',
  fix: 'Grant Secret access with a Role and RoleBinding in the release namespace, with resourceNames where possible.',
  doc: 'No ClusterRoleBinding of the chart grants get, list or watch on Secrets cluster-wide.',
  peers: 'Trivy KSV041 (CRITICAL, manage secrets), kube-linter access-to-secrets, Checkov CKV_K8S_156',
  check(r: RenderedResource, all: readonly RenderedResource[]): PostureFinding[] {
    if (r.kind !== 'ClusterRoleBinding') return [];
    const ref = roleRef(r);
    if (ref?.kind !== 'ClusterRole') return [];
    let why: string | null = null;
    if (BUILTIN_SECRET_READERS.has(ref.name) && !all.some((x) => x.kind === 'ClusterRole' && x.name === ref.name)) {
      why = `the built-in ClusterRole ${ref.name} reads Secrets`;
    } else {
      const role = all.find((x) => x.kind === 'ClusterRole' && x.name === ref.name);
      const rule = role ? rulesOf(role).find((x) => x.resourceNames.length === 0 && grants(x, '', 'secrets', READ)) : undefined;
      if (rule) why = `ClusterRole ${ref.name} rule ${rule.index} grants [${rule.verbs.join(', ')}] on Secrets`;
    }
    if (why === null) return [];
    return [finding('rbac.secrets-cluster-read', r, null, null, `${why}, in every namespace, to ${subjectsText(r)}`, [['roleRef', 'name']])];
  },
};
