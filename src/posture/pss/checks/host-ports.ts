/** No container port bound on the node (upstream policy/check_hostPorts.go). */
import type { PssCheck, PssViolation } from '../types.js';
import { join, joinQuote, list, optNumber, pluralize, record, sortedSet } from '../util.js';

export const hostPorts: PssCheck = {
  id: 'hostPorts',
  level: 'baseline',
  doc: 'HostPort ports must be forbidden: ports[*].hostPort of every container unset or 0.',
  title: 'Host port',
  fix: 'Remove hostPort from the container ports (use a Service to expose them).',
  severity: 'HIGH',
  versions: [
    {
      since: 0,
      evaluate(pod) {
        const bad: string[] = [];
        const ports: string[] = [];
        const violations: PssViolation[] = [];
        for (const c of pod.containers) {
          // The API server's Pod defaulting copies containerPort into hostPort under hostNetwork
          // (init and regular containers; ephemeral containers have no port defaulting).
          const defaulted = pod.hostPortsDefaultToContainerPorts && c.path[c.path.length - 2] !== 'ephemeralContainers';
          const items = list(c.container.ports);
          let valid = true;
          for (let i = 0; i < items.length; i++) {
            const p = record(items[i]);
            if (p === null) continue;
            let hostPort = optNumber(p.hostPort) ?? 0;
            let field = 'hostPort';
            if (hostPort === 0 && defaulted) {
              hostPort = optNumber(p.containerPort) ?? 0;
              field = 'containerPort';
            }
            if (hostPort !== 0) {
              valid = false;
              ports.push(String(Math.trunc(hostPort)));
              violations.push({ container: c.name, path: join(c.path, 'ports', i, field), value: hostPort });
            }
          }
          if (!valid) bad.push(c.name);
        }
        if (bad.length === 0) return null;
        const distinct = sortedSet(ports);
        return {
          reason: 'hostPort',
          detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', distinct.length)} ${distinct.join(', ')}`,
          violations,
        };
      },
    },
  ],
};
