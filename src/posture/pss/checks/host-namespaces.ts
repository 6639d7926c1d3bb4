/** No sharing of the host's network, PID or IPC namespace (upstream policy/check_hostNamespaces.go). */
import type { PssCheck, PssViolation } from '../types.js';
import { join } from '../util.js';

const FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

export const hostNamespaces: PssCheck = {
  id: 'hostNamespaces',
  level: 'baseline',
  doc: 'Sharing the host network, PID, and IPC namespaces must be disallowed: spec.hostNetwork, spec.hostPID, spec.hostIPC false or unset.',
  title: 'Host namespaces shared',
  fix: 'Remove hostNetwork, hostPID and hostIPC from the pod spec (or set them to false).',
  severity: 'HIGH',
  versions: [
    {
      since: 0,
      evaluate(pod) {
        const set: string[] = [];
        const violations: PssViolation[] = [];
        for (const f of FIELDS) {
          if (pod.spec[f] === true) {
            set.push(`${f}=true`);
            violations.push({ container: null, path: join(pod.specPath, f), value: true });
          }
        }
        if (set.length === 0) return null;
        return { reason: 'host namespaces', detail: set.join(', '), violations };
      },
    },
  ],
};
