/** Only namespaced, pod-isolated ("safe") sysctls (upstream policy/check_sysctls.go). */
import type { PodView, PssCheck, PssCheckFailure, PssViolation } from '../types.js';
import { join, list, record, str } from '../util.js';

/** The safe set per policy version: each entry adds to the ones before it. */
export const SAFE_SYSCTLS: readonly { since: number; names: readonly string[] }[] = [
  {
    since: 0,
    names: ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'],
  },
  { since: 27, names: ['net.ipv4.ip_local_reserved_ports'] },
  { since: 29, names: ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'] },
  { since: 32, names: ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'] },
  { since: 37, names: ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'] },
];

function sysctls(pod: PodView, allowed: ReadonlySet<string>): PssCheckFailure | null {
  if (pod.podSecurityContext === null) return null;
  const forbidden: string[] = [];
  const violations: PssViolation[] = [];
  const items = list(pod.podSecurityContext.sysctls);
  for (let i = 0; i < items.length; i++) {
    const name = str(record(items[i])?.name);
    if (allowed.has(name)) continue;
    forbidden.push(name);
    violations.push({ container: null, path: join(pod.specPath, 'securityContext', 'sysctls', i, 'name'), value: name });
  }
  if (forbidden.length === 0) return null;
  return { reason: 'forbidden sysctls', detail: forbidden.join(', '), violations };
}

export const sysctlsCheck: PssCheck = {
  id: 'sysctls',
  level: 'baseline',
  doc: 'Sysctls can disable security mechanisms or affect all containers on a host; only the safe (namespaced, pod-isolated) subset is allowed in spec.securityContext.sysctls.',
  title: 'Unsafe sysctls',
  fix: 'Remove the sysctls outside the safe set from spec.securityContext.sysctls.',
  severity: 'HIGH',
  versions: SAFE_SYSCTLS.map((step, i) => {
    const allowed = new Set(SAFE_SYSCTLS.slice(0, i + 1).flatMap((s) => s.names));
    return { since: step.since, evaluate: (pod: PodView) => sysctls(pod, allowed) };
  }),
};
