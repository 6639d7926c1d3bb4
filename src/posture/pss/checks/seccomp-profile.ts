/**
 * Seccomp (upstream policy/check_seccompProfile_baseline.go and check_seccompProfile_restricted.go).
 * Baseline: a profile that is set must not be Unconfined (1.0-1.18 through the alpha
 * annotations, from 1.19 through securityContext.seccompProfile). Restricted (from 1.19): a
 * RuntimeDefault or Localhost profile is required, on the pod or on every container; Windows
 * pods are exempt from 1.25.
 */
import { quote } from '../../../render/template/strconv.js';
import type { PodView, PssCheck, PssCheckFailure, PssViolation } from '../types.js';
import { containersPhrase, join, joinQuote, pluralize, record, sortedSet, str } from '../util.js';

export const SECCOMP_BASELINE_ID = 'seccompProfile_baseline';

const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

function validType(t: string): boolean {
  return t === 'RuntimeDefault' || t === 'Localhost';
}

function validAnnotationValue(v: string): boolean {
  return v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
}

function seccompAnnotations(pod: PodView): PssCheckFailure | null {
  const forbidden = new Set<string>();
  const violations: PssViolation[] = [];
  const check = (key: string, container: string | null) => {
    const v = pod.annotations[key];
    if (typeof v !== 'string' || validAnnotationValue(v)) return;
    forbidden.add(`${key}=${quote(v)}`);
    violations.push({ container, path: join(pod.metadataPath, 'annotations', key), value: v });
  };
  check(POD_ANNOTATION, null);
  for (const c of pod.containers) check(CONTAINER_ANNOTATION_PREFIX + c.name, c.name);
  if (forbidden.size === 0) return null;
  return {
    reason: 'seccompProfile',
    detail: `forbidden ${pluralize('annotation', 'annotations', forbidden.size)} ${sortedSet(forbidden).join(', ')}`,
    violations,
  };
}

/** Both levels' field rule; `required` adds restricted's "must be set somewhere". */
function seccompFields(pod: PodView, required: boolean): PssCheckFailure | null {
  const setters: string[] = [];
  const values: string[] = [];
  const violations: PssViolation[] = [];
  let podSet = false;
  const podProfile = record(pod.podSecurityContext?.seccompProfile);
  if (podProfile !== null) {
    if (!validType(str(podProfile.type))) {
      setters.push('pod');
      values.push(str(podProfile.type));
      violations.push({ container: null, path: join(pod.specPath, 'securityContext', 'seccompProfile', 'type'), value: podProfile.type });
    } else podSet = true;
  }
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  const implicitViolations: PssViolation[] = [];
  for (const c of pod.containers) {
    const profile = record(c.securityContext?.seccompProfile);
    if (profile !== null) {
      if (!validType(str(profile.type))) {
        explicitlyBad.push(c.name);
        values.push(str(profile.type));
        violations.push({ container: c.name, path: join(c.path, 'securityContext', 'seccompProfile', 'type'), value: profile.type });
      }
    } else if (required && !podSet) {
      implicitlyBad.push(c.name);
      implicitViolations.push({ container: c.name, path: join(c.path, 'securityContext', 'seccompProfile', 'type'), value: undefined });
    }
  }
  if (explicitlyBad.length > 0) setters.push(containersPhrase(explicitlyBad));
  if (setters.length > 0) {
    return {
      reason: 'seccompProfile',
      detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(values))}`,
      violations,
    };
  }
  if (implicitlyBad.length > 0) {
    return {
      reason: 'seccompProfile',
      detail: `pod or ${containersPhrase(implicitlyBad)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      violations: implicitViolations,
    };
  }
  return null;
}

export const seccompProfileBaseline: PssCheck = {
  id: SECCOMP_BASELINE_ID,
  level: 'baseline',
  doc: 'If seccomp profiles are specified, only runtime default and localhost profiles are allowed: annotations runtime/default, docker/default, localhost/* (1.0-1.18); seccompProfile.type RuntimeDefault, Localhost or unset (1.19+).',
  title: 'Seccomp disabled',
  fix: 'Set securityContext.seccompProfile.type to RuntimeDefault (or Localhost), never Unconfined.',
  severity: 'HIGH',
  versions: [
    { since: 0, evaluate: seccompAnnotations },
    { since: 19, evaluate: (pod) => seccompFields(pod, false) },
  ],
};

export const seccompProfileRestricted: PssCheck = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  doc: 'Seccomp profiles must be specified, and only runtime default and localhost profiles are allowed: seccompProfile.type RuntimeDefault or Localhost on the pod or on every container (Windows pods exempt from 1.25).',
  title: 'Seccomp profile not set',
  fix: 'Set spec.securityContext.seccompProfile.type: RuntimeDefault on the pod.',
  severity: 'MEDIUM',
  versions: [
    { since: 19, evaluate: (pod) => seccompFields(pod, true), overrides: [SECCOMP_BASELINE_ID] },
    {
      since: 25,
      // API validation refuses seccomp settings on Windows pods, so admission does not require them.
      evaluate: (pod) => (pod.windows ? null : seccompFields(pod, true)),
      overrides: [SECCOMP_BASELINE_ID],
    },
  ],
};
