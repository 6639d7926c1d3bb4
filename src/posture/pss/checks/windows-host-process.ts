/** No Windows HostProcess containers (upstream policy/check_windowsHostProcess.go). */
import type { PssCheck, PssViolation } from '../types.js';
import { containersPhrase, join, record } from '../util.js';

export const windowsHostProcess: PssCheck = {
  id: 'windowsHostProcess',
  level: 'baseline',
  doc: 'Pod and containers must not set securityContext.windowsOptions.hostProcess to true.',
  title: 'Windows HostProcess container',
  fix: 'Remove securityContext.windowsOptions.hostProcess (or set it to false) on the pod and its containers.',
  severity: 'CRITICAL',
  versions: [
    {
      since: 0,
      evaluate(pod) {
        const violations: PssViolation[] = [];
        const bad: string[] = [];
        for (const c of pod.containers) {
          if (record(c.securityContext?.windowsOptions)?.hostProcess === true) {
            bad.push(c.name);
            violations.push({ container: c.name, path: join(c.path, 'securityContext', 'windowsOptions', 'hostProcess'), value: true });
          }
        }
        const setters: string[] = [];
        if (record(pod.podSecurityContext?.windowsOptions)?.hostProcess === true) {
          setters.push('pod');
          violations.unshift({ container: null, path: join(pod.specPath, 'securityContext', 'windowsOptions', 'hostProcess'), value: true });
        }
        if (bad.length > 0) setters.push(containersPhrase(bad));
        if (setters.length === 0) return null;
        return {
          reason: 'hostProcess',
          detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`,
          violations,
        };
      },
    },
  ],
};
