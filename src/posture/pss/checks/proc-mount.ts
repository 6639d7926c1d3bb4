/**
 * The default /proc masks must stay (upstream policy/check_procMount_baseline.go and
 * check_procMount_restricted.go). From 1.35 baseline allows any procMount for user-namespaced
 * pods (`hostUsers: false`); restricted keeps the unconditional rule as `procMount_restricted`.
 */
import type { PodView, PssCheck, PssCheckFailure, PssViolation } from '../types.js';
import { containersPhrase, join, joinQuote, sortedSet } from '../util.js';

export const PROC_MOUNT_ID = 'procMount';

function procMount(pod: PodView): PssCheckFailure | null {
  const bad: string[] = [];
  const types: string[] = [];
  const violations: PssViolation[] = [];
  for (const c of pod.containers) {
    const value = c.securityContext?.procMount;
    if (typeof value !== 'string' || value === 'Default') continue;
    bad.push(c.name);
    types.push(value);
    violations.push({ container: c.name, path: join(c.path, 'securityContext', 'procMount'), value });
  }
  if (bad.length === 0) return null;
  return {
    reason: 'procMount',
    detail: `${containersPhrase(bad)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}`,
    violations,
  };
}

const FIX = 'Remove securityContext.procMount (or set it to Default).';

export const procMountBaseline: PssCheck = {
  id: PROC_MOUNT_ID,
  level: 'baseline',
  doc: 'The default /proc masks are set up to reduce attack surface and are required: securityContext.procMount unset or Default (from 1.35 any value when hostUsers is false).',
  title: 'Unmasked /proc',
  fix: FIX,
  severity: 'HIGH',
  versions: [
    { since: 0, evaluate: procMount },
    { since: 35, evaluate: (pod) => (pod.userNamespace ? null : procMount(pod)) },
  ],
};

export const procMountRestricted: PssCheck = {
  id: 'procMount_restricted',
  level: 'restricted',
  doc: 'The default /proc masks are required by the restricted profile whatever hostUsers says: securityContext.procMount unset or Default.',
  title: 'Unmasked /proc',
  fix: FIX,
  severity: 'MEDIUM',
  versions: [{ since: 35, evaluate: procMount, overrides: [PROC_MOUNT_ID] }],
};
