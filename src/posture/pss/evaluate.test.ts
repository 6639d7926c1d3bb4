/** Pod spec holders, custom resources, versions and levels, paths, the registry, the posture-check adapter. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../model/errors.js';
import type { RenderedResource } from '../../model/stages.js';
import { evaluatePodSecurity, evaluatePodSpec, parsePssVersion } from './evaluate.js';
import { extractPodSpec, findEmbeddedPodSpecs, podSpecsOf } from './pod-spec.js';
import { pssPostureChecks } from './posture-checks.js';
import { activeChecks, LATEST_MINOR, PSS_CHECKS, registryProblems } from './registry.js';
import type { PssCheck } from './types.js';
import { formatPath } from './util.js';

type Obj = Record<string, unknown>;

const badTemplate = (): Obj => ({
  metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } },
  spec: { containers: [{ name: 'app', image: 'x', securityContext: { privileged: true } }] },
});

const holders: [string, Obj, string][] = [
  ['Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'n', ...badTemplate().metadata as Obj }, spec: badTemplate().spec }, ''],
  ['PodTemplate', { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'n' }, template: badTemplate() }, 'template.'],
  ['ReplicationController', { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'n' }, spec: { template: badTemplate() } }, 'spec.template.'],
  ['ReplicaSet', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'n' }, spec: { template: badTemplate() } }, 'spec.template.'],
  ['Deployment', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'n' }, spec: { template: badTemplate() } }, 'spec.template.'],
  ['Deployment (extensions/v1beta1)', { apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'n' }, spec: { template: badTemplate() } }, 'spec.template.'],
  ['DaemonSet', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'n' }, spec: { template: badTemplate() } }, 'spec.template.'],
  ['StatefulSet', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'n' }, spec: { template: badTemplate() } }, 'spec.template.'],
  ['Job', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'n' }, spec: { template: badTemplate() } }, 'spec.template.'],
  ['CronJob', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'n' }, spec: { jobTemplate: { spec: { template: badTemplate() } } } }, 'spec.jobTemplate.spec.template.'],
];

describe('pod spec holders (the kinds admission reads)', () => {
  for (const [name, obj, prefix] of holders) {
    it(`${name}: judged, with the fields' paths in the object`, () => {
      const r = evaluatePodSecurity(obj, { level: 'baseline', version: 'latest' })!;
      expect(r.failures.map((f) => f.check)).toEqual(['appArmorProfile', 'privileged']);
      const paths = r.failures.flatMap((f) => f.violations.map((v) => formatPath(v.path)));
      expect(paths).toEqual([
        `${prefix}metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]`,
        `${prefix}spec.containers[0].securityContext.privileged`,
      ]);
      expect(r.failures[0]!.violations[0]!.container).toBe('app');
      expect(extractPodSpec(obj)!.customResource).toBe(false);
    });
  }

  it('other kinds are not holders', () => {
    expect(evaluatePodSecurity({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} }, { level: 'baseline', version: 'latest' })).toBeNull();
    expect(evaluatePodSecurity({ kind: 'Deployment', apiVersion: 'example.com/v1', spec: { template: badTemplate() } }, { level: 'baseline', version: 'latest' })).toBeNull();
  });

  it('a holder without a template reads as an empty pod spec (Go zero value): allowed', () => {
    const r = evaluatePodSecurity({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }, { level: 'restricted', version: 'latest' })!;
    expect(r.allowed).toBe(true);
  });

  it('a Deployment on the host network does not get hostPorts defaulted (templates are not, since 1.28)', () => {
    const spec = { hostNetwork: true, containers: [{ name: 'a', ports: [{ containerPort: 80 }] }] };
    const dep = evaluatePodSecurity({ apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { spec } } }, { level: 'baseline', version: 'latest' })!;
    expect(dep.failures.map((f) => f.check)).toEqual(['hostNamespaces']);
    const p = evaluatePodSecurity({ apiVersion: 'v1', kind: 'Pod', spec }, { level: 'baseline', version: 'latest' })!;
    expect(p.failures.map((f) => f.check)).toEqual(['hostNamespaces', 'hostPorts']);
    expect(formatPath(p.failures[1]!.violations[0]!.path)).toBe('spec.containers[0].ports[0].containerPort');
  });
});

describe('custom resources', () => {
  it('pod templates found anywhere below the root, marked as custom resources', () => {
    const rollout = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'r' },
      spec: {
        template: badTemplate(),
        extra: [{ workers: { template: { spec: { containers: [{ name: 'w', securityContext: { privileged: true } }] } } } }],
      },
    };
    const found = findEmbeddedPodSpecs(rollout);
    expect(found.map((f) => [formatPath(f.specPath), f.customResource, f.holderKind, f.holderName])).toEqual([
      ['spec.template.spec', true, 'Rollout', 'r'],
      ['spec.extra[0].workers.template.spec', true, 'Rollout', 'r'],
    ]);
    const r = evaluatePodSpec(found[0]!, { level: 'baseline', version: 'latest' });
    expect(r.failures.map((f) => f.check)).toEqual(['appArmorProfile', 'privileged']);
    expect(formatPath(r.failures[1]!.violations[0]!.path)).toBe('spec.template.spec.containers[0].securityContext.privileged');
  });

  it('the root itself is not taken for a pod template (operators put container patches there)', () => {
    expect(findEmbeddedPodSpecs({ kind: 'Prometheus', spec: { containers: [{ name: 'prometheus' }] } })).toEqual([]);
  });

  it('a spec with no containers is not a pod template', () => {
    expect(findEmbeddedPodSpecs({ kind: 'X', spec: { template: { spec: { containers: [] } }, other: { spec: { containers: ['x'] } } } })).toEqual([]);
  });

  it('a built-in kind under another API group is searched as a custom resource', () => {
    const found = podSpecsOf({ apiVersion: 'example.com/v1', kind: 'Deployment', spec: { template: badTemplate() } });
    expect(found).toHaveLength(1);
    expect(found[0]!.customResource).toBe(true);
  });

  it('a List is its items, each as its own object', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: badTemplate() } },
      { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' }, spec: { job: { template: badTemplate() } } },
    ] };
    expect(podSpecsOf(list).map((s) => [s.holderKind, s.holderName, formatPath(s.specPath), s.customResource])).toEqual([
      ['Deployment', 'd', 'items[1].spec.template.spec', false],
      ['Thing', 't', 'items[2].spec.job.template.spec', true],
    ]);
  });

  it('deep nesting is bounded', () => {
    let deep: Obj = { spec: { containers: [{ name: 'a' }] } };
    for (let i = 0; i < 200; i++) deep = { x: deep };
    expect(findEmbeddedPodSpecs({ kind: 'X', spec: deep })).toEqual([]);
    let shallow: Obj = { spec: { containers: [{ name: 'a' }] } };
    for (let i = 0; i < 20; i++) shallow = { x: shallow };
    expect(findEmbeddedPodSpecs({ kind: 'X', spec: shallow })).toHaveLength(1);
  });

  it('the search visits at most 200,000 maps and lists, then stops', () => {
    const wide = Array.from({ length: 250_000 }, () => ({ a: {} }));
    const t0 = Date.now();
    expect(findEmbeddedPodSpecs({ kind: 'X', spec: { wide, later: { template: badTemplate() } } })).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(findEmbeddedPodSpecs({ kind: 'X', spec: { wide: wide.slice(0, 1000), later: { template: badTemplate() } } })).toHaveLength(1);
  });
});

describe('levels and versions', () => {
  it('parses versions as upstream does', () => {
    expect(parsePssVersion('latest')).toEqual({ label: 'latest', minor: LATEST_MINOR });
    expect(parsePssVersion('v1.0')).toEqual({ label: 'v1.0', minor: 0 });
    expect(parsePssVersion('v1.25')).toEqual({ label: 'v1.25', minor: 25 });
    expect(parsePssVersion('v1.99')).toEqual({ label: 'v1.99', minor: LATEST_MINOR });
    for (const bad of ['v1.025', 'v1.', '1.25', 'v2.0', 'V1.25', 'v1.25.0', '', ' latest']) {
      expect(() => parsePssVersion(bad), bad).toThrow(UsageError);
    }
    expect(() => parsePssVersion('1.25')).toThrow('invalid Pod Security Standards version "1.25": must be "latest" or "v1.x"');
  });

  it('refuses other levels', () => {
    expect(() => evaluatePodSecurity({ kind: 'Pod', apiVersion: 'v1' }, { level: 'privileged' as 'baseline', version: 'latest' })).toThrow(UsageError);
  });

  it('reports the version asked for and the rules applied', () => {
    const r = evaluatePodSecurity({ kind: 'Pod', apiVersion: 'v1', spec: {} }, { level: 'restricted', version: 'latest' })!;
    expect([r.version, r.effectiveVersion, r.allowed, r.message]).toEqual(['latest', `v1.${LATEST_MINOR}`, true, '']);
  });

  it('every version from v1.0 to latest has its rules, in admission order', () => {
    expect(LATEST_MINOR).toBe(37);
    expect(activeChecks('baseline', 0).map((a) => a.check.id)).toEqual([
      'appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPathVolumes', 'hostPorts', 'privileged', 'procMount', 'seLinuxOptions', 'seccompProfile_baseline', 'sysctls', 'windowsHostProcess',
    ]);
    expect(activeChecks('restricted', 0).map((a) => a.check.id)).toEqual([
      'appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPorts', 'privileged', 'procMount', 'seLinuxOptions', 'seccompProfile_baseline', 'sysctls', 'windowsHostProcess', 'restrictedVolumes', 'runAsNonRoot',
    ]);
    expect(activeChecks('restricted', 37).map((a) => a.check.id)).toEqual([
      'appArmorProfile', 'hostNamespaces', 'hostPorts', 'hostProbesAndHostLifecycle', 'privileged', 'seLinuxOptions', 'sysctls', 'windowsHostProcess',
      'allowPrivilegeEscalation', 'capabilities_restricted', 'procMount_restricted', 'restrictedVolumes', 'runAsNonRoot', 'runAsUser', 'seccompProfile_restricted',
    ]);
    expect(() => activeChecks('baseline', 38)).toThrow(RangeError);
  });

  it('each check module has its id, level, doc, title, fix and versions', () => {
    expect(PSS_CHECKS).toHaveLength(19);
    for (const c of PSS_CHECKS) {
      expect(c.doc.length, c.id).toBeGreaterThan(20);
      expect(c.title.length, c.id).toBeGreaterThan(5);
      expect(c.fix, c.id).toMatch(/\.$/);
    }
    expect(registryProblems(PSS_CHECKS)).toEqual([]);
  });

  it('the registry refuses what upstream refuses', () => {
    const allow = () => null;
    const mk = (id: string, level: 'baseline' | 'restricted', versions: PssCheck['versions']): PssCheck => ({ id, level, versions, doc: '', title: '', fix: '', severity: 'LOW' });
    expect(registryProblems([mk('a', 'baseline', []), mk('a', 'baseline', [{ since: 0, evaluate: allow }])])).toEqual(['check a: empty', 'multiple checks registered for ID a']);
    expect(registryProblems([mk('a', 'baseline', [{ since: 3, evaluate: allow }, { since: 3, evaluate: allow }])])).toEqual(['check a: versions must be strictly increasing']);
    expect(registryProblems([mk('a', 'baseline', [{ since: 0, evaluate: allow, overrides: ['b'] }]), mk('b', 'baseline', [{ since: 0, evaluate: allow }])])).toEqual(['check a: only restricted checks may set overrides']);
    expect(registryProblems([mk('a', 'restricted', [{ since: 0, evaluate: allow, overrides: ['b'] }]), mk('b', 'restricted', [{ since: 0, evaluate: allow }])])).toEqual(['check a: overrides restricted check b']);
  });
});

describe('as posture checks', () => {
  const resource = (object: Obj): RenderedResource => ({
    kind: String(object.kind), name: 'n', namespace: null, chart: 'c', template: 'c/templates/x.yaml', object,
  });

  it('one check per applicable control, ids pss.<level>.<id>', () => {
    const checks = pssPostureChecks({ level: 'restricted', version: 'v1.25' });
    expect(checks.map((c) => c.id)).toContain('pss.restricted.capabilities_restricted');
    expect(checks.map((c) => c.id)).not.toContain('pss.baseline.capabilities_baseline');
    expect(checks.map((c) => c.id)).not.toContain('pss.baseline.hostProbesAndHostLifecycle');
    expect(pssPostureChecks({ level: 'baseline', version: 'latest' }).map((c) => c.id)).toContain('pss.baseline.hostProbesAndHostLifecycle');
  });

  it('one finding per container, with the fields and admission\'s text', () => {
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        { name: 'a', securityContext: { capabilities: { drop: ['ALL'] } } },
        { name: 'b', securityContext: { allowPrivilegeEscalation: true, capabilities: { drop: ['ALL'] } } },
      ],
    } } } };
    const ape = pssPostureChecks({ level: 'restricted', version: 'latest' }).find((c) => c.id === 'pss.restricted.allowPrivilegeEscalation')!;
    expect(ape.severity).toBe('MEDIUM');
    expect(ape.check(resource(dep), [])).toEqual([
      { check: 'pss.restricted.allowPrivilegeEscalation', resource: { kind: 'Deployment', name: 'n' }, container: 'a', message: 'allowPrivilegeEscalation != false (containers "a", "b" must set securityContext.allowPrivilegeEscalation=false)', fields: ['spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation'] },
      { check: 'pss.restricted.allowPrivilegeEscalation', resource: { kind: 'Deployment', name: 'n' }, container: 'b', message: 'allowPrivilegeEscalation != false (containers "a", "b" must set securityContext.allowPrivilegeEscalation=false)', fields: ['spec.template.spec.containers[1].securityContext.allowPrivilegeEscalation'] },
    ]);
  });

  it('pod-level findings have no container; custom resources are marked', () => {
    const cr = { apiVersion: 'example.com/v1', kind: 'Thing', spec: { worker: { template: { spec: { hostPID: true, containers: [{ name: 'w' }] } } } } };
    const ns = pssPostureChecks({ level: 'baseline', version: 'latest' }).find((c) => c.id === 'pss.baseline.hostNamespaces')!;
    expect(ns.check(resource(cr), [])).toEqual([
      { check: 'pss.baseline.hostNamespaces', resource: { kind: 'Thing', name: 'n' }, container: null, message: 'host namespaces (hostPID=true)', fields: ['spec.worker.template.spec.hostPID'], customResource: true },
    ]);
    expect(ns.check(resource({ apiVersion: 'v1', kind: 'ConfigMap' }), [])).toEqual([]);
  });
});
