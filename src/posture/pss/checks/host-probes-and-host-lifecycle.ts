/** Probes and lifecycle handlers may not target another host (upstream policy/check_hostProbesAndhostLifecycle.go). */
import type { FieldPath, PssCheck, PssViolation } from '../types.js';
import { join, joinQuote, pluralize, record, sortedSet, str } from '../util.js';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HANDLERS = ['postStart', 'preStop'] as const;
const ACTIONS = ['httpGet', 'tcpSocket'] as const;

/** The non-empty `host` of a probe's or handler's httpGet and tcpSocket actions. */
function hostsOf(handler: unknown, path: FieldPath, container: string, out: PssViolation[]): string[] {
  const h = record(handler);
  if (h === null) return [];
  const hosts: string[] = [];
  for (const action of ACTIONS) {
    const host = str(record(h[action])?.host);
    if (host === '') continue;
    hosts.push(host);
    out.push({ container, path: join(path, action, 'host'), value: host });
  }
  return hosts;
}

export const hostProbesAndHostLifecycle: PssCheck = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  doc: 'The host field of probes (httpGet, tcpSocket) and lifecycle handlers (postStart, preStop) must be unset or empty (from 1.34).',
  title: 'Probe or lifecycle handler targets another host',
  fix: 'Remove host from the httpGet/tcpSocket probes and lifecycle handlers (they then target the pod).',
  severity: 'MEDIUM',
  versions: [
    {
      since: 34,
      evaluate(pod) {
        const bad = new Set<string>();
        const forbidden = new Set<string>();
        const violations: PssViolation[] = [];
        for (const c of pod.containers) {
          const found: string[] = [];
          for (const probe of PROBES) found.push(...hostsOf(c.container[probe], join(c.path, probe), c.name, violations));
          const lifecycle = record(c.container.lifecycle);
          if (lifecycle !== null) {
            for (const h of HANDLERS) found.push(...hostsOf(lifecycle[h], join(c.path, 'lifecycle', h), c.name, violations));
          }
          if (found.length === 0) continue;
          bad.add(c.name);
          for (const host of found) forbidden.add(host);
        }
        if (bad.size === 0) return null;
        const hosts = sortedSet(forbidden);
        return {
          reason: 'probe or lifecycle host',
          detail: `${pluralize('container', 'containers', bad.size)} ${joinQuote(sortedSet(bad))} ${pluralize('uses', 'use', bad.size)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', hosts.length)} ${joinQuote(hosts)}`,
          violations,
        };
      },
    },
  ],
};
