/** allowPrivilegeEscalation must be false (upstream policy/check_allowPrivilegeEscalation.go). */
import type { PodView, PssCheck, PssCheckFailure, PssViolation } from '../types.js';
import { containersPhrase, join } from '../util.js';

function allowPrivilegeEscalation(pod: PodView): PssCheckFailure | null {
  const bad: string[] = [];
  const violations: PssViolation[] = [];
  for (const c of pod.containers) {
    const value = c.securityContext?.allowPrivilegeEscalation;
    if (value === false) continue;
    bad.push(c.name);
    violations.push({ container: c.name, path: join(c.path, 'securityContext', 'allowPrivilegeEscalation'), value });
  }
  if (bad.length === 0) return null;
  return {
    reason: 'allowPrivilegeEscalation != false',
    detail: `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false`,
    violations,
  };
}

export const allowPrivilegeEscalationCheck: PssCheck = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  doc: 'Privilege escalation (such as via set-user-ID or set-group-ID file mode) must not be allowed: securityContext.allowPrivilegeEscalation false on every container (from 1.8; Windows pods exempt from 1.25).',
  title: 'Privilege escalation allowed',
  fix: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
  severity: 'MEDIUM',
  versions: [
    { since: 8, evaluate: allowPrivilegeEscalation },
    // API validation refuses the field on Windows pods, so admission does not require it.
    { since: 25, evaluate: (pod) => (pod.windows ? null : allowPrivilegeEscalation(pod)) },
  ],
};
