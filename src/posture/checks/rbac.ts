/** Reading RBAC objects of the chart: roles' rules and bindings' role references. */
import type { RenderedResource } from '../../model/stages.js';
import { list, record, str } from './workload.js';

export interface Rule { index: number; apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames: string[]; nonResourceURLs: string[] }

export const isRole = (r: RenderedResource): boolean => r.kind === 'Role' || r.kind === 'ClusterRole';
export const isBinding = (r: RenderedResource): boolean => r.kind === 'RoleBinding' || r.kind === 'ClusterRoleBinding';

const strings = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === 'string');

export function rulesOf(role: RenderedResource): Rule[] {
  return list(role.object.rules).flatMap((x, index) => {
    const rule = record(x);
    return rule === null ? [] : [{ index, apiGroups: strings(rule.apiGroups), resources: strings(rule.resources), verbs: strings(rule.verbs), resourceNames: strings(rule.resourceNames), nonResourceURLs: strings(rule.nonResourceURLs) }];
  });
}

export function roleRef(binding: RenderedResource): { kind: string; name: string } | null {
  const ref = record(binding.object.roleRef);
  return ref === null ? null : { kind: str(ref.kind), name: str(ref.name) };
}

/** Whether a rule grants one of `verbs` on `resource` of API group `group` (wildcards count). */
export function grants(rule: Rule, group: string, resource: string, verbs: readonly string[]): boolean {
  return (rule.apiGroups.includes('*') || rule.apiGroups.includes(group))
    && (rule.resources.includes('*') || rule.resources.includes(resource))
    && (rule.verbs.includes('*') || verbs.some((v) => rule.verbs.includes(v)));
}

export const subjectsText = (binding: RenderedResource): string =>
  list(binding.object.subjects).map((s) => { const x = record(s); return x ? `${str(x.kind)} ${str(x.name)}` : ''; }).filter(Boolean).join(', ') || 'no subjects';
