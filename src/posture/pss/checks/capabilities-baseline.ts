/** No capabilities beyond the container runtime's default set (upstream policy/check_capabilities_baseline.go). */
import type { PssCheck, PssViolation } from '../types.js';
import { containersPhrase, join, joinQuote, list, record, sortedSet, str } from '../util.js';

export const CAPABILITIES_BASELINE_ID = 'capabilities_baseline';

/** The default set of the container runtimes (NET_RAW left out). */
export const BASELINE_ALLOWED_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

export const capabilitiesBaseline: PssCheck = {
  id: CAPABILITIES_BASELINE_ID,
  level: 'baseline',
  doc: 'Adding NET_RAW or capabilities beyond the default set must be disallowed: securityContext.capabilities.add only from AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT.',
  title: 'Non-default capabilities added',
  fix: 'Remove the extra capabilities from securityContext.capabilities.add.',
  severity: 'HIGH',
  versions: [
    {
      since: 0,
      evaluate(pod) {
        const bad: string[] = [];
        const caps: string[] = [];
        const violations: PssViolation[] = [];
        for (const c of pod.containers) {
          const capabilities = record(c.securityContext?.capabilities);
          if (capabilities === null) continue;
          const add = list(capabilities.add);
          let valid = true;
          for (let i = 0; i < add.length; i++) {
            const cap = str(add[i]);
            if (BASELINE_ALLOWED_CAPABILITIES.has(cap)) continue;
            valid = false;
            caps.push(cap);
            violations.push({ container: c.name, path: join(c.path, 'securityContext', 'capabilities', 'add', i), value: add[i] });
          }
          if (!valid) bad.push(c.name);
        }
        if (bad.length === 0) return null;
        return {
          reason: 'non-default capabilities',
          detail: `${containersPhrase(bad)} must not include ${joinQuote(sortedSet(caps))} in securityContext.capabilities.add`,
          violations,
        };
      },
    },
  ],
};
