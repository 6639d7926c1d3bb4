/** Containers must run as non-root users (upstream policy/check_runAsNonRoot.go). */
import type { PodView, PssCheck, PssCheckFailure, PssViolation } from '../types.js';
import { containersPhrase, join, optBool } from '../util.js';

function runAsNonRoot(pod: PodView): PssCheckFailure | null {
  const setters: string[] = [];
  const violations: PssViolation[] = [];
  let podNonRoot = false;
  const podValue = optBool(pod.podSecurityContext?.runAsNonRoot);
  if (podValue === false) {
    setters.push('pod');
    violations.push({ container: null, path: join(pod.specPath, 'securityContext', 'runAsNonRoot'), value: false });
  } else if (podValue === true) podNonRoot = true;
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  const implicitViolations: PssViolation[] = [];
  for (const c of pod.containers) {
    const value = optBool(c.securityContext?.runAsNonRoot);
    const path = join(c.path, 'securityContext', 'runAsNonRoot');
    if (value === false) {
      explicitlyBad.push(c.name);
      violations.push({ container: c.name, path, value: false });
    } else if (value === null && !podNonRoot) {
      implicitlyBad.push(c.name);
      implicitViolations.push({ container: c.name, path, value: undefined });
    }
  }
  if (explicitlyBad.length > 0) setters.push(containersPhrase(explicitlyBad));
  if (setters.length > 0) {
    return {
      reason: 'runAsNonRoot != true',
      detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false`,
      violations,
    };
  }
  if (implicitlyBad.length > 0) {
    return {
      reason: 'runAsNonRoot != true',
      detail: `pod or ${containersPhrase(implicitlyBad)} must set securityContext.runAsNonRoot=true`,
      violations: implicitViolations,
    };
  }
  return null;
}

export const runAsNonRootCheck: PssCheck = {
  id: 'runAsNonRoot',
  level: 'restricted',
  doc: 'Containers must be required to run as non-root users: runAsNonRoot true on the pod (containers unset or true) or on every container (from 1.35 any value when hostUsers is false).',
  title: 'May run as root',
  fix: 'Set spec.securityContext.runAsNonRoot: true (and a non-zero runAsUser if the image runs as root).',
  severity: 'MEDIUM',
  versions: [
    { since: 0, evaluate: runAsNonRoot },
    { since: 35, evaluate: (pod) => (pod.userNamespace ? null : runAsNonRoot(pod)) },
  ],
};
