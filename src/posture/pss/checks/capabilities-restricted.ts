/** Drop ALL, add back NET_BIND_SERVICE at most (upstream policy/check_capabilities_restricted.go). */
import type { PodView, PssCheck, PssCheckFailure, PssViolation } from '../types.js';
import { CAPABILITIES_BASELINE_ID } from './capabilities-baseline.js';
import { containersPhrase, join, joinQuote, list, record, sortedSet, str } from '../util.js';

function dropAllAddNetBindOnly(pod: PodView): PssCheckFailure | null {
  const missingDropAll: string[] = [];
  const addingForbidden: string[] = [];
  const forbidden: string[] = [];
  const violations: PssViolation[] = [];
  for (const c of pod.containers) {
    const capabilities = record(c.securityContext?.capabilities);
    const capsPath = join(c.path, 'securityContext', 'capabilities');
    if (capabilities === null) {
      missingDropAll.push(c.name);
      violations.push({ container: c.name, path: join(capsPath, 'drop'), value: undefined });
      continue;
    }
    const drop = list(capabilities.drop);
    if (!drop.some((d) => d === 'ALL')) {
      missingDropAll.push(c.name);
      violations.push({ container: c.name, path: join(capsPath, 'drop'), value: capabilities.drop });
    }
    const add = list(capabilities.add);
    let addedForbidden = false;
    for (let i = 0; i < add.length; i++) {
      const cap = str(add[i]);
      if (cap === 'NET_BIND_SERVICE') continue;
      addedForbidden = true;
      forbidden.push(cap);
      violations.push({ container: c.name, path: join(capsPath, 'add', i), value: add[i] });
    }
    if (addedForbidden) addingForbidden.push(c.name);
  }
  const details: string[] = [];
  if (missingDropAll.length > 0) {
    details.push(`${containersPhrase(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  }
  if (addingForbidden.length > 0) {
    details.push(`${containersPhrase(addingForbidden)} must not include ${joinQuote(sortedSet(forbidden))} in securityContext.capabilities.add`);
  }
  if (details.length === 0) return null;
  return { reason: 'unrestricted capabilities', detail: details.join('; '), violations };
}

export const capabilitiesRestricted: PssCheck = {
  id: 'capabilities_restricted',
  level: 'restricted',
  doc: 'Containers must drop ALL capabilities, and are only permitted to add back NET_BIND_SERVICE (Windows pods exempt from 1.25).',
  title: 'Capabilities not dropped',
  fix: 'Set securityContext.capabilities.drop: ["ALL"] on every container and add back at most NET_BIND_SERVICE.',
  severity: 'MEDIUM',
  versions: [
    { since: 22, evaluate: dropAllAddNetBindOnly, overrides: [CAPABILITIES_BASELINE_ID] },
    {
      since: 25,
      // API validation refuses capabilities on Windows pods, so admission does not require them.
      evaluate: (pod) => (pod.windows ? null : dropAllAddNetBindOnly(pod)),
      overrides: [CAPABILITIES_BASELINE_ID],
    },
  ],
};
