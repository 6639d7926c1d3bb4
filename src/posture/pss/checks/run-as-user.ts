/** No container may run as UID 0 (upstream policy/check_runAsUser.go). */
import type { PodView, PssCheck, PssCheckFailure, PssViolation } from '../types.js';
import { containersPhrase, join, optNumber } from '../util.js';

function runAsUser(pod: PodView): PssCheckFailure | null {
  const setters: string[] = [];
  const violations: PssViolation[] = [];
  if (optNumber(pod.podSecurityContext?.runAsUser) === 0) {
    setters.push('pod');
    violations.push({ container: null, path: join(pod.specPath, 'securityContext', 'runAsUser'), value: 0 });
  }
  const bad: string[] = [];
  for (const c of pod.containers) {
    if (optNumber(c.securityContext?.runAsUser) !== 0) continue;
    bad.push(c.name);
    violations.push({ container: c.name, path: join(c.path, 'securityContext', 'runAsUser'), value: 0 });
  }
  if (bad.length > 0) setters.push(containersPhrase(bad));
  if (setters.length === 0) return null;
  return { reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0`, violations };
}

export const runAsUserCheck: PssCheck = {
  id: 'runAsUser',
  level: 'restricted',
  doc: 'Containers must not set runAsUser to 0: runAsUser (pod and containers) non-zero or unset (from 1.23; from 1.35 any value when hostUsers is false).',
  title: 'Runs as UID 0',
  fix: 'Set runAsUser to a non-zero UID (or remove it) on the pod and its containers.',
  severity: 'MEDIUM',
  versions: [
    { since: 23, evaluate: runAsUser },
    { since: 35, evaluate: (pod) => (pod.userNamespace ? null : runAsUser(pod)) },
  ],
};
