/**
 * The registry of Pod Security Standards checks and, per level and policy version, the rules
 * that apply there, in admission's order (upstream policy/registry.go): a check's rule at
 * v1.N is its newest entry with `since` ≤ N; at restricted, the baseline checks that a
 * restricted rule of that version overrides are left out; baseline ids (sorted) come first,
 * then restricted ids (sorted).
 */
import { allowPrivilegeEscalationCheck } from './checks/allow-privilege-escalation.js';
import { appArmorProfile } from './checks/apparmor-profile.js';
import { capabilitiesBaseline } from './checks/capabilities-baseline.js';
import { capabilitiesRestricted } from './checks/capabilities-restricted.js';
import { hostNamespaces } from './checks/host-namespaces.js';
import { hostPathVolumes } from './checks/host-path-volumes.js';
import { hostPorts } from './checks/host-ports.js';
import { hostProbesAndHostLifecycle } from './checks/host-probes-and-host-lifecycle.js';
import { privileged } from './checks/privileged.js';
import { procMountBaseline, procMountRestricted } from './checks/proc-mount.js';
import { restrictedVolumes } from './checks/restricted-volumes.js';
import { runAsNonRootCheck } from './checks/run-as-non-root.js';
import { runAsUserCheck } from './checks/run-as-user.js';
import { seLinuxOptionsCheck } from './checks/se-linux-options.js';
import { seccompProfileBaseline, seccompProfileRestricted } from './checks/seccomp-profile.js';
import { sysctlsCheck } from './checks/sysctls.js';
import { windowsHostProcess } from './checks/windows-host-process.js';
import type { PssCheck, PssCheckVersion, PssLevel } from './types.js';
import { goCompare } from './util.js';

export const PSS_CHECKS: readonly PssCheck[] = [
  privileged,
  hostNamespaces,
  hostPorts,
  hostPathVolumes,
  capabilitiesBaseline,
  appArmorProfile,
  seLinuxOptionsCheck,
  procMountBaseline,
  seccompProfileBaseline,
  sysctlsCheck,
  windowsHostProcess,
  hostProbesAndHostLifecycle,
  capabilitiesRestricted,
  procMountRestricted,
  seccompProfileRestricted,
  restrictedVolumes,
  allowPrivilegeEscalationCheck,
  runAsNonRootCheck,
  runAsUserCheck,
];

/** A check's rule as it applies at one policy version. */
export interface ActiveCheck {
  check: PssCheck;
  rule: PssCheckVersion;
}

/** Problems with a list of checks (empty when fine): what upstream's validateChecks refuses. */
export function registryProblems(checks: readonly PssCheck[]): string[] {
  const problems: string[] = [];
  const levels = new Map<string, PssLevel>();
  for (const c of checks) {
    if (levels.has(c.id)) problems.push(`multiple checks registered for ID ${c.id}`);
    levels.set(c.id, c.level);
    if (c.versions.length === 0) problems.push(`check ${c.id}: empty`);
    let last = -1;
    for (const v of c.versions) {
      if (!Number.isInteger(v.since) || v.since <= last) problems.push(`check ${c.id}: versions must be strictly increasing`);
      last = v.since;
    }
  }
  for (const c of checks) {
    for (const v of c.versions) {
      if (!v.overrides || v.overrides.length === 0) continue;
      if (c.level !== 'restricted') problems.push(`check ${c.id}: only restricted checks may set overrides`);
      for (const o of v.overrides) {
        const l = levels.get(o);
        if (l === undefined) problems.push(`check ${c.id}: overrides unknown check ${o}`);
        else if (l !== 'baseline') problems.push(`check ${c.id}: overrides ${l} check ${o}`);
      }
    }
  }
  return problems;
}

/** The newest minor version any rule starts at: `latest` means this one. */
export const LATEST_MINOR = Math.max(...PSS_CHECKS.flatMap((c) => c.versions.map((v) => v.since)));

function ruleAt(check: PssCheck, minor: number): PssCheckVersion | null {
  let found: PssCheckVersion | null = null;
  for (const v of check.versions) if (v.since <= minor) found = v;
  return found;
}

function build(checks: readonly PssCheck[], level: PssLevel, minor: number): ActiveCheck[] {
  const byId = (a: PssCheck, b: PssCheck) => goCompare(a.id, b.id);
  const baseline = checks.filter((c) => c.level === 'baseline').sort(byId);
  const restricted = checks.filter((c) => c.level === 'restricted').sort(byId);
  const active = (list: PssCheck[]) =>
    list.flatMap((check) => {
      const rule = ruleAt(check, minor);
      return rule ? [{ check, rule }] : [];
    });
  const base = active(baseline);
  if (level === 'baseline') return base;
  const more = active(restricted);
  const overridden = new Set(more.flatMap((a) => a.rule.overrides ?? []));
  return [...base.filter((a) => !overridden.has(a.check.id)), ...more];
}

const problems = registryProblems(PSS_CHECKS);
if (problems.length > 0) throw new Error(`Pod Security Standards registry: ${problems.join('; ')}`);

/** Each level's rules by minor version, built at their first use (all of them took ~3 ms of a scan's start). */
const TABLES: Record<PssLevel, ActiveCheck[][]> = { baseline: [], restricted: [] };

/** The rules of `level` at policy version v1.`minor` (0 ≤ minor ≤ LATEST_MINOR), in admission's order. */
export function activeChecks(level: PssLevel, minor: number): readonly ActiveCheck[] {
  if (!Number.isInteger(minor) || minor < 0 || minor > LATEST_MINOR) throw new RangeError(`no Pod Security Standards rules for v1.${minor}`);
  return (TABLES[level][minor] ??= build(PSS_CHECKS, level, minor));
}

/** The check with this upstream id. */
export function pssCheck(id: string): PssCheck | undefined {
  return PSS_CHECKS.find((c) => c.id === id);
}
