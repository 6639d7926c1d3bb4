/** The default AppArmor profile may only be replaced by localhost profiles (upstream policy/check_appArmorProfile.go). */
import { quote } from '../../../render/template/strconv.js';
import type { PssCheck, PssViolation } from '../types.js';
import { containersPhrase, goCompare, join, joinQuote, pluralize, record, sortedSet, str } from '../util.js';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAnnotationValue(v: string): boolean {
  return v === '' || v === 'runtime/default' || v.startsWith('localhost/');
}

function allowedProfileType(t: string): boolean {
  return t === 'RuntimeDefault' || t === 'Localhost';
}

export const appArmorProfile: PssCheck = {
  id: 'appArmorProfile',
  level: 'baseline',
  doc: "The default AppArmor profile must not be disabled or overridden except by localhost profiles: annotations container.apparmor.security.beta.kubernetes.io/* runtime/default or localhost/*; appArmorProfile.type (pod and containers) RuntimeDefault or Localhost.",
  title: 'AppArmor profile disabled or overridden',
  fix: 'Use the RuntimeDefault or a Localhost AppArmor profile (securityContext.appArmorProfile), or remove the setting.',
  severity: 'HIGH',
  versions: [
    {
      since: 0,
      evaluate(pod) {
        const setters: string[] = [];
        const values: string[] = [];
        const violations: PssViolation[] = [];
        const podProfile = record(pod.podSecurityContext?.appArmorProfile);
        if (podProfile !== null && !allowedProfileType(str(podProfile.type))) {
          setters.push('pod');
          values.push(str(podProfile.type));
          violations.push({ container: null, path: join(pod.specPath, 'securityContext', 'appArmorProfile', 'type'), value: podProfile.type });
        }
        const bad: string[] = [];
        for (const c of pod.containers) {
          const profile = record(c.securityContext?.appArmorProfile);
          if (profile === null || allowedProfileType(str(profile.type))) continue;
          bad.push(c.name);
          values.push(str(profile.type));
          violations.push({ container: c.name, path: join(c.path, 'securityContext', 'appArmorProfile', 'type'), value: profile.type });
        }
        if (bad.length > 0) setters.push(containersPhrase(bad));
        const annotations: string[] = [];
        for (const [k, v] of Object.entries(pod.annotations)) {
          if (typeof v !== 'string' || !k.startsWith(ANNOTATION_PREFIX) || allowedAnnotationValue(v)) continue;
          annotations.push(`${k}=${quote(v)}`);
          const name = k.slice(ANNOTATION_PREFIX.length);
          const named = pod.containers.some((c) => c.name === name);
          violations.push({ container: named ? name : null, path: join(pod.metadataPath, 'annotations', k), value: v });
        }
        const valueList = sortedSet(values);
        if (annotations.length > 0) {
          annotations.sort(goCompare);
          valueList.push(...annotations);
          setters.push(pluralize('annotation', 'annotations', annotations.length));
        }
        if (setters.length === 0) return null;
        return {
          reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', valueList.length),
          detail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(valueList)}`,
          violations,
        };
      },
    },
  ],
};
