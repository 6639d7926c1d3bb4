/** No custom SELinux user or role, type only from the container types (upstream policy/check_seLinuxOptions.go). */
import type { PodView, PssCheck, PssCheckFailure, PssViolation } from '../types.js';
import { containersPhrase, join, joinQuote, pluralize, record, sortedSet, str } from '../util.js';

const TYPES_1_0: ReadonlySet<string> = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const TYPES_1_31: ReadonlySet<string> = new Set([...TYPES_1_0, 'container_engine_t']);

function seLinuxOptions(pod: PodView, allowedTypes: ReadonlySet<string>): PssCheckFailure | null {
  const setters: string[] = [];
  const badTypes: string[] = [];
  let setUser = false;
  let setRole = false;
  const violations: PssViolation[] = [];
  const validate = (opts: Record<string, unknown>, container: string | null, path: readonly (string | number)[]): boolean => {
    let valid = true;
    const type = str(opts.type);
    if (!allowedTypes.has(type)) {
      valid = false;
      badTypes.push(type);
      violations.push({ container, path: join(path, 'type'), value: opts.type });
    }
    if (str(opts.user).length > 0) {
      valid = false;
      setUser = true;
      violations.push({ container, path: join(path, 'user'), value: opts.user });
    }
    if (str(opts.role).length > 0) {
      valid = false;
      setRole = true;
      violations.push({ container, path: join(path, 'role'), value: opts.role });
    }
    return valid;
  };
  const podOpts = record(pod.podSecurityContext?.seLinuxOptions);
  if (podOpts !== null && !validate(podOpts, null, join(pod.specPath, 'securityContext', 'seLinuxOptions'))) setters.push('pod');
  const bad: string[] = [];
  for (const c of pod.containers) {
    const opts = record(c.securityContext?.seLinuxOptions);
    if (opts !== null && !validate(opts, c.name, join(c.path, 'securityContext', 'seLinuxOptions'))) bad.push(c.name);
  }
  if (bad.length > 0) setters.push(containersPhrase(bad));
  if (setters.length === 0) return null;
  const data: string[] = [];
  const types = sortedSet(badTypes);
  if (types.length > 0) data.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
  if (setUser) data.push('user may not be set');
  if (setRole) data.push('role may not be set');
  return {
    reason: 'seLinuxOptions',
    detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`,
    violations,
  };
}

export const seLinuxOptionsCheck: PssCheck = {
  id: 'seLinuxOptions',
  level: 'baseline',
  doc: 'Setting the SELinux type is restricted, and setting a custom SELinux user or role option is forbidden: seLinuxOptions.type unset, container_t, container_init_t, container_kvm_t (container_engine_t from 1.31); user and role unset.',
  title: 'Custom SELinux options',
  fix: 'Remove seLinuxOptions.user and .role and use a container SELinux type (container_t) or none.',
  severity: 'HIGH',
  versions: [
    { since: 0, evaluate: (pod) => seLinuxOptions(pod, TYPES_1_0) },
    { since: 31, evaluate: (pod) => seLinuxOptions(pod, TYPES_1_31) },
  ],
};
