/** Privileged containers disable most isolation (upstream policy/check_privileged.go). */
import type { PssCheck, PssViolation } from '../types.js';
import { containersPhrase, join } from '../util.js';

export const privileged: PssCheck = {
  id: 'privileged',
  level: 'baseline',
  doc: 'Privileged Pods disable most security mechanisms and must be disallowed: securityContext.privileged of every container false or unset.',
  title: 'Privileged container',
  fix: 'Remove securityContext.privileged (or set it to false) on every container.',
  severity: 'CRITICAL',
  versions: [
    {
      since: 0,
      evaluate(pod) {
        const bad: string[] = [];
        const violations: PssViolation[] = [];
        for (const c of pod.containers) {
          if (c.securityContext?.privileged === true) {
            bad.push(c.name);
            violations.push({ container: c.name, path: join(c.path, 'securityContext', 'privileged'), value: true });
          }
        }
        if (bad.length === 0) return null;
        return {
          reason: 'privileged',
          detail: `${containersPhrase(bad)} must not set securityContext.privileged=true`,
          violations,
        };
      },
    },
  ],
};
