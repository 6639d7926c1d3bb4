/**
 * Each best-practice check on real-shaped manifests: a table of pass and fail rows per check,
 * with the finding's container and fields. Manifests are built as helm renders them (a
 * Deployment with its pod template, a Role and its binding, …).
 */
import { describe, expect, it } from 'vitest';
import type { RenderedResource } from '../../model/stages.js';
import { bestPracticeChecks } from './index.js';
import { literalSecret } from './env.literal-secret.js';
import { imageParts } from './image-ref.js';
import { labelSelectorMatches } from './selectors.js';
import { policyTypes } from './network.js';

type Obj = Record<string, unknown>;

function res(object: Obj, namespace: string | null = null): RenderedResource {
  const meta = (object.metadata ?? {}) as Obj;
  return { kind: String(object.kind), name: String(meta.name ?? ''), namespace, chart: 'app', template: 'templates/x.yaml', object };
}

/** A container that passes every container-level check. */
function good(name = 'app', more: Obj = {}): Obj {
  return {
    name, image: 'docker.io/bitnami/nginx:1.27.3-debian-12-r0@sha256:' + 'a'.repeat(64), imagePullPolicy: 'IfNotPresent',
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    livenessProbe: { tcpSocket: { port: 8080 } }, readinessProbe: { tcpSocket: { port: 8080 } },
    securityContext: { readOnlyRootFilesystem: true }, ...more,
  };
}

const LABELS = { 'app.kubernetes.io/name': 'app', 'app.kubernetes.io/instance': 'rel' };

function deployment(podSpec: Obj = {}, opts: { kind?: string; apiVersion?: string; annotations?: Obj; labels?: Obj } = {}): RenderedResource {
  const template = { metadata: { labels: opts.labels ?? LABELS }, spec: { automountServiceAccountToken: false, containers: [good()], ...podSpec } };
  const kind = opts.kind ?? 'Deployment';
  const spec = kind === 'CronJob' ? { schedule: '* * * * *', jobTemplate: { spec: { template } } } : { selector: { matchLabels: LABELS }, template };
  return res({ apiVersion: opts.apiVersion ?? (kind === 'CronJob' || kind === 'Job' ? 'batch/v1' : 'apps/v1'), kind, metadata: { name: 'rel-app', ...(opts.annotations ? { annotations: opts.annotations } : {}) }, spec });
}

const service = (type = 'ClusterIP', selector: Obj = LABELS) => res({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'rel-app' }, spec: { type, selector, ports: [{ port: 80 }] } });
const netpol = (spec: Obj, name = 'rel-app') => res({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name }, spec });
const bothPolicies = netpol({ podSelector: { matchLabels: LABELS }, policyTypes: ['Ingress', 'Egress'] });
const role = (kind: 'Role' | 'ClusterRole', rules: Obj[], name = 'rel-app') => res({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name }, rules });
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', roleKind: string, roleName: string, sa = 'rel-app') =>
  res({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: `rel-app-${roleName}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName }, subjects: [{ kind: 'ServiceAccount', name: sa, namespace: 'default' }] });
const serviceAccount = (name: string, automount?: boolean) => res({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name }, ...(automount === undefined ? {} : { automountServiceAccountToken: automount }) });

interface Row {
  name: string;
  /** The resource judged, then the chart's other resources. */
  resources: RenderedResource[];
  /** `container|fields` of each finding; [] for a pass. */
  expect: string[];
}

const C = 'spec.template.spec.containers[0]';
const I = 'spec.template.spec.initContainers[0]';

const TABLE: Record<string, Row[]> = {
  'resources.cpu-limits': [
    { name: 'limits set', resources: [deployment()], expect: [] },
    { name: 'no resources at all', resources: [deployment({ containers: [good('app', { resources: {} })] })], expect: [`app|${C}.resources.limits.cpu`] },
    { name: 'init container without limits', resources: [deployment({ initContainers: [good('init', { resources: { limits: { memory: '1Gi' } } })] })], expect: [`init|${I}.resources.limits.cpu`] },
    { name: 'limits.cpu empty string', resources: [deployment({ containers: [good('app', { resources: { limits: { cpu: '' } } })] })], expect: [`app|${C}.resources.limits.cpu`] },
    { name: 'not a workload', resources: [service()], expect: [] },
  ],
  'resources.cpu-requests': [
    { name: 'requests set', resources: [deployment()], expect: [] },
    { name: 'limit set: the request defaults to it', resources: [deployment({ containers: [good('app', { resources: { limits: { cpu: '1' } } })] })], expect: [] },
    { name: 'neither', resources: [deployment({ containers: [good('app', { resources: { requests: { memory: '1Gi' } } })] })], expect: [`app|${C}.resources.requests.cpu`] },
  ],
  'resources.memory-limits': [
    { name: 'limits set', resources: [deployment()], expect: [] },
    { name: 'only cpu limit', resources: [deployment({ containers: [good('app', { resources: { limits: { cpu: '1' } } })] })], expect: [`app|${C}.resources.limits.memory`] },
    { name: 'a CronJob too', resources: [deployment({ containers: [good('job', { resources: null })] }, { kind: 'CronJob' })], expect: ['job|spec.jobTemplate.spec.template.spec.containers[0].resources.limits.memory'] },
  ],
  'resources.memory-requests': [
    { name: 'requests set', resources: [deployment()], expect: [] },
    { name: 'limit set', resources: [deployment({ containers: [good('app', { resources: { limits: { memory: '1Gi' } } })] })], expect: [] },
    { name: 'neither', resources: [deployment({ containers: [good('app', { resources: {} })] })], expect: [`app|${C}.resources.requests.memory`] },
  ],
  'probes.liveness': [
    { name: 'declared', resources: [deployment()], expect: [] },
    { name: 'missing on a Deployment', resources: [deployment({ containers: [good('app', { livenessProbe: undefined })] })], expect: [`app|${C}.livenessProbe`] },
    { name: 'a Job runs to completion', resources: [deployment({ containers: [good('app', { livenessProbe: undefined })] }, { kind: 'Job' })], expect: [] },
    { name: 'a helm hook', resources: [deployment({ containers: [good('app', { livenessProbe: undefined })] }, { annotations: { 'helm.sh/hook': 'pre-install' } })], expect: [] },
    { name: 'init containers have none', resources: [deployment({ initContainers: [good('init', { livenessProbe: undefined })] })], expect: [] },
  ],
  'probes.readiness': [
    { name: 'declared, behind a Service', resources: [deployment(), service()], expect: [] },
    { name: 'missing, behind a Service', resources: [deployment({ containers: [good('app', { readinessProbe: null })] }), service()], expect: [`app|${C}.readinessProbe`] },
    { name: 'missing, no Service selects it', resources: [deployment({ containers: [good('app', { readinessProbe: null })] }), service('ClusterIP', { 'app.kubernetes.io/name': 'other' })], expect: [] },
  ],
  'image.tag-latest': [
    { name: 'versioned tag', resources: [deployment({ containers: [good('app', { image: 'nginx:1.27' })] })], expect: [] },
    { name: 'latest', resources: [deployment({ containers: [good('app', { image: 'nginx:latest' })] })], expect: [`app|${C}.image`] },
    { name: 'no tag', resources: [deployment({ containers: [good('app', { image: 'registry:5000/team/nginx' })] })], expect: [`app|${C}.image`] },
    { name: 'latest pinned by digest', resources: [deployment({ containers: [good('app', { image: `nginx:latest@sha256:${'b'.repeat(64)}` })] })], expect: [] },
  ],
  'image.no-digest': [
    { name: 'digest', resources: [deployment()], expect: [] },
    { name: 'tag only', resources: [deployment({ containers: [good('app', { image: 'docker.io/bitnami/nginx:1.27.3-debian-12-r0' })] })], expect: [`app|${C}.image`] },
  ],
  'image.pull-policy': [
    { name: 'IfNotPresent on a versioned tag', resources: [deployment({ containers: [good('app', { image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent' })] })], expect: [] },
    { name: 'IfNotPresent on latest', resources: [deployment({ containers: [good('app', { image: 'nginx:latest', imagePullPolicy: 'IfNotPresent' })] })], expect: [`app|${C}.imagePullPolicy`] },
    { name: 'Never without digest', resources: [deployment({ containers: [good('app', { image: 'nginx:1.27', imagePullPolicy: 'Never' })] })], expect: [`app|${C}.imagePullPolicy`] },
    { name: 'Never with digest', resources: [deployment({ containers: [good('app', { imagePullPolicy: 'Never' })] })], expect: [] },
    { name: 'unset on latest (defaults to Always)', resources: [deployment({ containers: [good('app', { image: 'nginx', imagePullPolicy: undefined })] })], expect: [] },
  ],
  'serviceaccount.automount-token': [
    { name: 'pod sets false', resources: [deployment()], expect: [] },
    { name: 'default account, unset', resources: [deployment({ automountServiceAccountToken: undefined })], expect: ['-|spec.template.spec.automountServiceAccountToken'] },
    { name: 'chart account sets false', resources: [deployment({ automountServiceAccountToken: undefined, serviceAccountName: 'rel-app' }), serviceAccount('rel-app', false)], expect: [] },
    { name: 'pod true overrides the account', resources: [deployment({ automountServiceAccountToken: true, serviceAccountName: 'rel-app' }), serviceAccount('rel-app', false)], expect: ['-|spec.template.spec.automountServiceAccountToken'] },
    { name: 'account bound by the chart: it needs the API', resources: [deployment({ automountServiceAccountToken: true, serviceAccountName: 'rel-app' }), serviceAccount('rel-app'), role('Role', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]), binding('RoleBinding', 'Role', 'rel-app')], expect: [] },
    { name: 'an account the chart does not create: unknown', resources: [deployment({ automountServiceAccountToken: undefined, serviceAccountName: 'external' })], expect: [] },
  ],
  'network.no-ingress-policy': [
    { name: 'selected by matchLabels', resources: [deployment(), bothPolicies], expect: [] },
    { name: 'no policy', resources: [deployment()], expect: ['-|'] },
    { name: 'empty podSelector selects all', resources: [deployment(), netpol({ podSelector: {} })], expect: [] },
    { name: 'other labels', resources: [deployment(), netpol({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db' } } })], expect: ['-|'] },
    { name: 'matchExpressions In', resources: [deployment(), netpol({ podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['app', 'web'] }] } })], expect: [] },
    { name: 'egress-only policy', resources: [deployment(), netpol({ podSelector: {}, policyTypes: ['Egress'] })], expect: ['-|'] },
    { name: 'policy in another namespace', resources: [res({ ...deployment().object }, 'a'), res({ ...netpol({ podSelector: {} }).object }, 'b')], expect: ['-|'] },
  ],
  'network.no-egress-policy': [
    { name: 'selected for egress', resources: [deployment(), bothPolicies], expect: [] },
    { name: 'policyTypes absent, no egress rules: ingress only', resources: [deployment(), netpol({ podSelector: {}, ingress: [{}] })], expect: ['-|'] },
    { name: 'policyTypes absent, egress rules: both', resources: [deployment(), netpol({ podSelector: {}, egress: [{ to: [{ podSelector: {} }] }] })], expect: [] },
    { name: 'egress: [] adds nothing', resources: [deployment(), netpol({ podSelector: {}, egress: [] })], expect: ['-|'] },
  ],
  'rbac.wildcard': [
    { name: 'named verbs and resources', resources: [role('Role', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }])], expect: [] },
    { name: 'verbs *', resources: [role('ClusterRole', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] }])], expect: ['-|rules[0].verbs'] },
    { name: '* on *', resources: [role('ClusterRole', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])], expect: ['-|rules[0].verbs,rules[0].resources'] },
    { name: 'apiGroups * alone', resources: [role('Role', [{ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }])], expect: [] },
  ],
  'rbac.cluster-admin-binding': [
    { name: 'ClusterRoleBinding to cluster-admin', resources: [binding('ClusterRoleBinding', 'ClusterRole', 'cluster-admin')], expect: ['-|roleRef.name'] },
    { name: 'RoleBinding to cluster-admin', resources: [binding('RoleBinding', 'ClusterRole', 'cluster-admin')], expect: ['-|roleRef.name'] },
    { name: 'binding to the chart role', resources: [binding('ClusterRoleBinding', 'ClusterRole', 'rel-app')], expect: [] },
  ],
  'rbac.secrets-cluster-read': [
    { name: 'chart ClusterRole reads secrets, bound cluster-wide', resources: [binding('ClusterRoleBinding', 'ClusterRole', 'rel-app'), role('ClusterRole', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }])], expect: ['-|roleRef.name'] },
    { name: 'the same role bound in one namespace', resources: [binding('RoleBinding', 'ClusterRole', 'rel-app'), role('ClusterRole', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }])], expect: [] },
    { name: 'only named secrets', resources: [binding('ClusterRoleBinding', 'ClusterRole', 'rel-app'), role('ClusterRole', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['tls'] }])], expect: [] },
    { name: 'create only', resources: [binding('ClusterRoleBinding', 'ClusterRole', 'rel-app'), role('ClusterRole', [{ apiGroups: [''], resources: ['secrets'], verbs: ['create'] }])], expect: [] },
    { name: 'built-in edit', resources: [binding('ClusterRoleBinding', 'ClusterRole', 'edit')], expect: ['-|roleRef.name'] },
  ],
  'rbac.escalate-bind-impersonate': [
    { name: 'impersonate', resources: [role('ClusterRole', [{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }])], expect: ['-|rules[0].verbs'] },
    { name: 'bind on roles', resources: [role('Role', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['get', 'bind'] }])], expect: ['-|rules[0].verbs'] },
    { name: '* on serviceaccounts', resources: [role('Role', [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['*'] }])], expect: ['-|rules[0].verbs'] },
    { name: 'read roles', resources: [role('Role', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['get', 'list'] }])], expect: [] },
  ],
  'service.load-balancer': [
    { name: 'LoadBalancer', resources: [service('LoadBalancer')], expect: ['-|spec.type'] },
    { name: 'ClusterIP', resources: [service('ClusterIP')], expect: [] },
  ],
  'service.node-port': [
    { name: 'NodePort', resources: [service('NodePort')], expect: ['-|spec.type'] },
    { name: 'LoadBalancer is the other check', resources: [service('LoadBalancer')], expect: [] },
  ],
  'env.literal-secret': [
    { name: 'secretKeyRef', resources: [deployment({ containers: [good('app', { env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 's', key: 'p' } } }] })] })], expect: [] },
    { name: 'literal password', resources: [deployment({ containers: [good('app', { env: [{ name: 'BITNAMI_DEBUG', value: 'false' }, { name: 'DB_PASSWORD', value: 'hunter2' }] })] })], expect: [`app|${C}.env[1].value`] },
    { name: '_FILE points to a file', resources: [deployment({ containers: [good('app', { env: [{ name: 'DB_PASSWORD_FILE', value: '/opt/bitnami/secrets/pw' }] })] })], expect: [] },
    { name: 'ALLOW_EMPTY_PASSWORD', resources: [deployment({ containers: [good('app', { env: [{ name: 'ALLOW_EMPTY_PASSWORD', value: 'yes' }] })] })], expect: [] },
  ],
  'container.writable-root-fs': [
    { name: 'read-only', resources: [deployment()], expect: [] },
    { name: 'unset', resources: [deployment({ containers: [good('app', { securityContext: { runAsNonRoot: true } })] })], expect: [`app|${C}.securityContext.readOnlyRootFilesystem`] },
    {
      name: 'pod template in a custom resource',
      resources: [res({ apiVersion: 'ray.io/v1', kind: 'RayCluster', metadata: { name: 'rc' }, spec: { headGroupSpec: { template: { spec: { containers: [good('head', { securityContext: {} })] } } } } })],
      expect: ['head|spec.headGroupSpec.template.spec.containers[0].securityContext.readOnlyRootFilesystem'],
    },
  ],
};

const checks = bestPracticeChecks();

describe('best-practice checks', () => {
  it('ids are unique, each check has a table here, severities and fixes are set', () => {
    expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
    expect(checks.map((c) => c.id).sort()).toEqual(Object.keys(TABLE).sort());
    for (const c of checks) {
      expect(c.id).toMatch(/^[a-z]+\.[a-z-]+$/);
      expect(c.fix.length).toBeGreaterThan(10);
      expect(c.doc.length).toBeGreaterThan(10);
      expect(c.peers.length).toBeGreaterThan(5);
      expect(TABLE[c.id]!.some((r) => r.expect.length === 0) && TABLE[c.id]!.some((r) => r.expect.length > 0)).toBe(true);
    }
  });

  for (const c of checks) {
    describe(c.id, () => {
      it.each(TABLE[c.id]!.map((r) => [r.name, r] as const))('%s', (_, row) => {
        const [target] = row.resources;
        const got = c.check(target!, row.resources).map((f) => {
          expect(f.check).toBe(c.id);
          expect(f.resource).toEqual({ kind: target!.kind, name: target!.name });
          expect(f.message.length).toBeGreaterThan(0);
          return `${f.container ?? '-'}|${(f.fields ?? []).join(',')}`;
        });
        expect(got).toEqual(row.expect);
      });
    });
  }

  it('marks pod templates found in custom resources', () => {
    const cr = TABLE['container.writable-root-fs']![2]!.resources[0]!;
    expect(checks.find((c) => c.id === 'container.writable-root-fs')!.check(cr, [cr])[0]!.customResource).toBe(true);
  });
});

describe('helpers', () => {
  it.each([
    ['nginx', { tag: null, digest: null }],
    ['nginx:1.2', { tag: '1.2', digest: null }],
    ['registry:5000/nginx', { tag: null, digest: null }],
    ['registry:5000/nginx:v1@sha256:abc', { tag: 'v1', digest: 'sha256:abc' }],
  ])('imageParts(%s)', (image, want) => expect(imageParts(image)).toEqual(want));

  it.each([
    [{ matchLabels: { a: '1' } }, true],
    [{ matchLabels: { a: '2' } }, false],
    [{}, true],
    [null, false],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['2'] }] }, true],
    [{ matchExpressions: [{ key: 'b', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }, false],
  ])('labelSelectorMatches(%j) on a=1', (sel, want) => expect(labelSelectorMatches(sel, { a: '1' })).toBe(want));

  it.each([
    [{}, ['Ingress']],
    [{ egress: [{}] }, ['Ingress', 'Egress']],
    [{ policyTypes: ['Egress'] }, ['Egress']],
    [{ policyTypes: [], egress: [{}] }, ['Ingress', 'Egress']],
  ])('policyTypes(%j)', (spec, want) => expect(policyTypes({ spec })).toEqual(want));

  it.each([
    ['DB_PASSWORD', 'hunter2', true],
    ['API_KEY', 'abc', true],
    ['GITHUB_TOKEN', 'ghp_x', true],
    ['DB_PASSWORD', '', false],
    ['DB_PASSWORD_FILE', '/run/secrets/pw', false],
    ['AIRFLOW__API__SECRET_KEY_CMD', 'cat /x', false],
    ['ETCD_AUTH_TOKEN', 'jwt,priv-key=/opt/bitnami/etcd/certs/token/jwt-token.pem,sign-method=RS256', false],
    ['ETCD_INITIAL_CLUSTER_TOKEN', 'etcd-cluster-k8s', false],
    ['PASSWORD', '$(OTHER)', false],
    ['TOKENIZER_MODEL', 'bert', false],
    ['ENABLE_TLS', 'yes', false],
  ])('literalSecret(%s, %s)', (name, value, want) => expect(literalSecret(name, value)).toBe(want));
});
