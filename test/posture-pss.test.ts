/**
 * Pod Security Standards against upstream's own fixtures (../shared/testdata/pod-security/,
 * kubernetes/pod-security-admission test/testdata): every file judged as admission judges it.
 * allow ⇔ no failing check at that level and version; deny ⇒ the failing checks include the
 * fixture's check (or the restricted check that overrides it at that version, per index.json)
 * and the message contains the fixture's errorSubstring, as upstream's test/run.go asserts.
 * On top of upstream's assertion: a deny fixture fails only the checks its file is about, plus
 * the ones listed below with the reason.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseValuesFile } from '../src/chart/yaml.js';
import { evaluatePodSecurity, LATEST_MINOR, PSS_CHECKS } from '../src/posture/pss/index.js';
import { sharedPath } from './helpers/shared.js';

interface Fixture {
  file: string;
  level: 'baseline' | 'restricted';
  version: string;
  expect: 'allow' | 'deny';
  check?: string;
  errorSubstring?: string;
  fixtureFor?: string;
  alsoFailsApiValidation?: boolean;
}
interface Index {
  checks: Record<string, { level: string; since: string; changedIn?: string[]; overrides?: string[] }>;
  fixtures: Fixture[];
}

const index = JSON.parse(readFileSync(sharedPath('testdata', 'pod-security', 'index.json'), 'utf8')) as Index;

/**
 * Fixtures that fail a second check besides their own, by design of upstream's generators
 * (the minimal pod plus one change that another check also forbids). Upstream asserts only the
 * substring; these are the extra checks, each with why. No fixture is judged differently.
 */
const ALSO_FAILS: Record<string, { level?: 'restricted'; checks: string[]; why: string }> = {
  'windowshostprocess0.yaml': { checks: ['hostNamespaces'], why: 'a HostProcess pod must use hostNetwork (API validation), which baseline forbids' },
  'windowshostprocess1.yaml': { checks: ['hostNamespaces'], why: 'as windowshostprocess0, on the containers' },
  'privileged0.yaml': { level: 'restricted', checks: ['allowPrivilegeEscalation'], why: 'a privileged container may not set allowPrivilegeEscalation=false (API validation), which restricted requires' },
  'privileged1.yaml': { level: 'restricted', checks: ['allowPrivilegeEscalation'], why: 'as privileged0, on the init container' },
  'allowprivilegeescalation3.yaml': { checks: ['capabilities_restricted'], why: 'the fixture removes the whole securityContext, so drop ALL goes with it' },
};

function overridesOf(check: string): string[] {
  return Object.entries(index.checks).filter(([, c]) => c.overrides?.includes(check)).map(([id]) => id);
}

describe('index.json and the registry name the same checks', () => {
  it('same ids, levels, first versions and overrides', () => {
    const ours = Object.fromEntries(PSS_CHECKS.map((c) => [c.id, {
      level: c.level,
      since: `1.${c.versions[0]!.since}`,
      changedIn: c.versions.slice(1).map((v) => `1.${v.since}`),
      overrides: [...new Set(c.versions.flatMap((v) => v.overrides ?? []))],
    }]));
    const theirs = Object.fromEntries(Object.entries(index.checks).map(([id, c]) => [id, {
      level: c.level, since: c.since, changedIn: c.changedIn ?? [], overrides: c.overrides ?? [],
    }]));
    expect(ours).toEqual(theirs);
  });
  it('latest is the newest version in the fixtures', () => {
    const newest = Math.max(...index.fixtures.map((f) => Number(f.version.split('.')[1])));
    expect(LATEST_MINOR).toBe(newest);
  });
});

describe('every upstream fixture is judged as admission judges it', () => {
  expect(index.fixtures.length).toBe(274);
  for (const f of index.fixtures) {
    it(`${f.file} (${f.expect})`, () => {
      const obj = parseValuesFile(readFileSync(sharedPath('testdata', 'pod-security', f.file)), f.file);
      const r = evaluatePodSecurity(obj, { level: f.level, version: `v${f.version}` })!;
      expect(r).not.toBeNull();
      expect(r.effectiveVersion).toBe(`v${f.version}`);
      if (f.expect === 'allow') {
        expect(r.failures).toEqual([]);
        expect(r.allowed).toBe(true);
        return;
      }
      expect(r.allowed).toBe(false);
      const failing = r.failures.map((x) => x.check);
      const accepted = [f.check!, ...overridesOf(f.check!)];
      expect(failing.some((c) => accepted.includes(c)), `${failing.join(', ')} should include one of ${accepted.join(', ')}`).toBe(true);
      expect(r.message).toContain(f.errorSubstring ?? f.check!);
      expect(r.message).not.toContain('unknown forbidden reason');
      const name = f.file.split('/').pop()!;
      const own = failing.filter((c) => accepted.includes(c));
      const extra = failing.filter((c) => !accepted.includes(c));
      expect(own).toHaveLength(1);
      const also = ALSO_FAILS[name];
      expect(extra).toEqual(also && (also.level === undefined || also.level === f.level) ? also.checks : []);
    });
  }
  it('latest judges the v1.37 fixtures as v1.37 does, and newer versions read as latest', () => {
    for (const f of index.fixtures.filter((x) => x.version === '1.37')) {
      const obj = parseValuesFile(readFileSync(sharedPath('testdata', 'pod-security', f.file)), f.file);
      const at = evaluatePodSecurity(obj, { level: f.level, version: 'v1.37' })!;
      for (const version of ['latest', 'v1.38', 'v1.99']) {
        const r = evaluatePodSecurity(obj, { level: f.level, version })!;
        expect({ ...r, version: 'x' }).toEqual({ ...at, version: 'x' });
      }
    }
  });
});
