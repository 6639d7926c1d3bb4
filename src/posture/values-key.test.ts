/**
 * Values-key attribution over a render function of the test's own: a chart whose Deployment has
 * an app container and a metrics sidecar, each with its own securityContext values (as Bitnami
 * charts have), so only re-rendering tells which key controls which container.
 */
import { describe, expect, it } from 'vitest';
import type { PostureCheck, RenderedResource } from '../model/stages.js';
import { bestPracticeChecks } from './checks/index.js';
import { pssPostureChecks } from './pss/index.js';
import {
  attributeValuesKeys, MAX_MATCHES, mergedValues, newCandidateCache, parseFieldPath, valuesKeyCandidates, withValue,
  type ChartValuesSource, type FindingRef, type Judged,
} from './values-key.js';

type Obj = Record<string, unknown>;
const checks: PostureCheck[] = [...pssPostureChecks({ level: 'restricted', version: 'latest' }), ...bestPracticeChecks()];

const DEFAULTS = {
  image: { repository: 'bitnami/app', tag: '1.0.0', digest: '' },
  primary: { containerSecurityContext: { enabled: true, runAsNonRoot: false, readOnlyRootFilesystem: true }, resources: {} },
  metrics: { enabled: true, containerSecurityContext: { enabled: false, runAsNonRoot: true, readOnlyRootFilesystem: true } },
  networkPolicy: { enabled: false },
  service: { type: 'LoadBalancer' },
  unrelated: { securityContext: { runAsNonRoot: false } },
};

const TEMPLATES = [
  { name: 'templates/deployment.yaml', text: 'securityContext: {{ toYaml .Values.primary.containerSecurityContext }}\n{{ .Values.primary.resources }} {{ if .Values.metrics.enabled }}{{ .Values.metrics.containerSecurityContext }}{{ end }}' },
  { name: 'templates/_helpers.tpl', text: '{{ .Values.image.repository }}:{{ .Values.image.tag }}{{ .Values.image.digest }}' },
  { name: 'templates/networkpolicy.yaml', text: '{{ if .Values.networkPolicy.enabled }}' },
  { name: 'templates/service.yaml', text: 'type: {{ .Values.service.type }}' },
];

const chart: ChartValuesSource = { path: 'app', prefix: [], values: DEFAULTS, templates: TEMPLATES };

function deepMerge(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) && typeof a[k] === 'object' && a[k] !== null ? deepMerge(a[k] as Obj, v as Obj) : v;
  }
  return out;
}

const sc = (v: Obj) => (v.enabled ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'enabled')) : undefined);

/** What helm would render for this toy chart. */
function renderToy(user: Obj, opts: { failWhen?: (v: Obj) => boolean } = {}): RenderedResource[] {
  const v = deepMerge(DEFAULTS, user) as typeof DEFAULTS;
  if (opts.failWhen?.(v as unknown as Obj)) throw new Error('execution error: not allowed');
  const image = `docker.io/${v.image.repository}:${v.image.tag}${v.image.digest ? `@${v.image.digest}` : ''}`;
  const labels = { 'app.kubernetes.io/name': 'app' };
  const containers: Obj[] = [{
    name: 'app', image, securityContext: sc(v.primary.containerSecurityContext), resources: v.primary.resources,
  }];
  if (v.metrics.enabled) containers.push({ name: 'metrics', image, securityContext: sc(v.metrics.containerSecurityContext) });
  const out: RenderedResource[] = [
    { kind: 'Deployment', name: 'rel-app', namespace: null, chart: 'app', template: 'templates/deployment.yaml', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'rel-app' }, spec: { template: { metadata: { labels }, spec: { containers } } } } },
    { kind: 'Service', name: 'rel-app', namespace: null, chart: 'app', template: 'templates/service.yaml', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'rel-app' }, spec: { type: v.service.type, selector: labels } } },
  ];
  if (v.networkPolicy.enabled) out.push({ kind: 'NetworkPolicy', name: 'rel-app', namespace: null, chart: 'app', template: 'templates/networkpolicy.yaml', object: { kind: 'NetworkPolicy', metadata: { name: 'rel-app' }, spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress', 'Egress'] } } });
  return out;
}

function judge(resources: readonly RenderedResource[]): FindingRef[] {
  return resources.flatMap((r) => checks.flatMap((c) => c.check(r, resources).map((f) => ({
    check: f.check, chart: r.chart, template: r.template, resource: f.resource, container: f.container, fields: f.fields ?? [],
  }))));
}

function run(user: Obj = {}, opts: { maxRenders?: number; failWhen?: (v: Obj) => boolean } = {}) {
  const base = renderToy(user);
  const findings = judge(base);
  let renders = 0;
  const result = attributeValuesKeys({
    findings, base, charts: [chart], userValues: user, maxRenders: opts.maxRenders,
    renderAndJudge(values): Judged {
      renders++;
      const resources = renderToy(values, opts);
      return { resources, findings: judge(resources) };
    },
  });
  expect(renders).toBe(result.renders);
  const keyOf = (check: string, container: string | null) => {
    const i = findings.findIndex((f) => f.check === check && f.container === container);
    return i < 0 ? undefined : result.attributions[i];
  };
  return { findings, result, keyOf };
}

describe('values-key attribution', () => {
  it('finds the key of each container by rendering again, not by name alone', () => {
    const { keyOf, result } = run();
    expect(keyOf('pss.restricted.runAsNonRoot', 'app')).toEqual({ key: 'primary.containerSecurityContext.runAsNonRoot', value: true, effect: 'resolves' });
    // the sidecar's values say readOnlyRootFilesystem: true but its securityContext is switched off
    expect(keyOf('container.writable-root-fs', 'metrics')).toEqual({ key: 'metrics.containerSecurityContext.enabled', value: true, effect: 'resolves' });
    expect(keyOf('container.writable-root-fs', 'app')).toBeUndefined();
    expect(keyOf('image.no-digest', 'app')?.key).toBe('image.digest');
    expect(keyOf('image.no-digest', 'metrics')?.key).toBe('image.digest');
    expect(keyOf('resources.memory-limits', 'app')).toEqual({ key: 'primary.resources.limits.memory', value: '512Mi', effect: 'resolves' });
    expect(keyOf('network.no-ingress-policy', null)?.key).toBe('networkPolicy.enabled');
    expect(keyOf('service.load-balancer', null)).toEqual({ key: 'service.type', value: 'ClusterIP', effect: 'resolves' });
    // no rule for the metrics container's resources in its own values: not known
    expect(keyOf('resources.memory-limits', 'metrics')).toBeNull();
    expect(result.renders).toBeLessThanOrEqual(20);
    expect(result.unfinished).toBe(0);
  });

  it('the user values are the base: a key the user already fixed is not suggested', () => {
    const { findings } = run({ primary: { containerSecurityContext: { runAsNonRoot: true } } });
    expect(findings.some((f) => f.check === 'pss.restricted.runAsNonRoot' && f.container === 'app')).toBe(false);
  });

  it('stops at the render budget and says how many findings are left', () => {
    const { result } = run({}, { maxRenders: 1 });
    expect(result.renders).toBe(1);
    expect(result.unfinished).toBeGreaterThan(0);
  });

  it('a candidate that makes the chart fail to render is not the key', () => {
    const { keyOf, result } = run({}, { failWhen: (v) => (v.service as Obj).type === 'ClusterIP' });
    expect(keyOf('service.load-balancer', null)).toBeNull();
    expect(result.failedRenders).toBeGreaterThan(0);
    expect(keyOf('image.no-digest', 'app')?.key).toBe('image.digest');
  });

  it('switching the resource off is not a fix: a finding whose resource disappears keeps looking', () => {
    // metrics.enabled=false would make the sidecar's findings go away with the container; it is never a candidate
    const { findings } = run();
    const merged = mergedValues([chart], {});
    for (const f of findings) for (const c of valuesKeyCandidates(f, [chart], merged)) expect(c.key).not.toBe('metrics.enabled');
  });

  it('candidates are keys of the finding\'s chart that its templates read, best first', () => {
    const merged = mergedValues([chart], {});
    const f: FindingRef = { check: 'pss.restricted.runAsNonRoot', chart: 'app', template: 'templates/deployment.yaml', resource: { kind: 'Deployment', name: 'rel-app' }, container: 'app', fields: [] };
    const keys = valuesKeyCandidates(f, [chart], merged).map((c) => c.key);
    expect(keys).toContain('primary.containerSecurityContext.runAsNonRoot');
    expect(keys).toContain('metrics.containerSecurityContext.enabled');
    expect(keys).not.toContain('unrelated.securityContext.runAsNonRoot'); // no template reads it
    expect(keys).not.toContain('metrics.containerSecurityContext.runAsNonRoot'); // already true
    expect(valuesKeyCandidates({ ...f, check: 'rbac.wildcard' }, [chart], merged)).toEqual([]);
  });

  it('subchart keys carry the alias path from the top chart', () => {
    const sub: ChartValuesSource = { path: 'top/charts/db', prefix: ['db'], values: { image: { digest: '' } }, templates: [{ name: 'templates/sts.yaml', text: '{{ .Values.image.digest }}' }] };
    const top: ChartValuesSource = { path: 'top', prefix: [], values: { db: { image: { tag: '1' } } }, templates: [] };
    const merged = mergedValues([top, sub], { db: { image: { registry: 'mirror' } } });
    expect(merged).toEqual({ db: { image: { digest: '', tag: '1', registry: 'mirror' } } });
    const f: FindingRef = { check: 'image.no-digest', chart: 'top/charts/db', template: 'templates/sts.yaml', resource: { kind: 'StatefulSet', name: 'db' }, container: 'db', fields: [] };
    expect(valuesKeyCandidates(f, [top, sub], merged).map((c) => [c.key, c.path])).toEqual([['db.image.digest', ['db', 'image', 'digest']]]);
  });
});

describe('bounds on hostile charts', () => {
  it('100,000 securityContext maps, a 1 MB template and 2,000 findings: bounded candidates, bounded time', () => {
    const values: Obj = {};
    for (let i = 0; i < 100_000; i++) values[`c${i}`] = { securityContext: { runAsNonRoot: false } };
    const text = `${'x'.repeat(1_000_000)}{{ .Values.c1.securityContext }}`;
    const big: ChartValuesSource = { path: 'big', prefix: [], values, templates: [{ name: 'templates/a.yaml', text }] };
    const merged = mergedValues([big], {});
    const cache = newCandidateCache();
    const t0 = performance.now();
    const f: FindingRef = { check: 'pss.restricted.runAsNonRoot', chart: 'big', template: 'templates/a.yaml', resource: { kind: 'Deployment', name: 'd' }, container: 'c', fields: [] };
    for (let i = 0; i < 2000; i++) valuesKeyCandidates({ ...f, container: `c${i}` }, [big], merged, 6, cache);
    expect(cache.matches.get('big\0pss.restricted.runAsNonRoot')!.length).toBe(MAX_MATCHES);
    expect(valuesKeyCandidates(f, [big], merged, 6, cache).map((c) => c.key)).toEqual(['c1.securityContext.runAsNonRoot']);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});

describe('helpers', () => {
  it.each([
    ['spec.template.spec.containers[0].securityContext.runAsNonRoot', ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'runAsNonRoot']],
    ['metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]', ['metadata', 'annotations', 'container.apparmor.security.beta.kubernetes.io/app']],
    ['rules[2].verbs', ['rules', 2, 'verbs']],
  ])('parseFieldPath(%s)', (s, want) => expect(parseFieldPath(s)).toEqual(want));

  it('withValue copies along the path and leaves the input alone', () => {
    const v = { a: { b: 1, c: { d: 2 } }, e: 3 };
    const w = withValue(v, ['a', 'c', 'x'], true);
    expect(w).toEqual({ a: { b: 1, c: { d: 2, x: true } }, e: 3 });
    expect(v).toEqual({ a: { b: 1, c: { d: 2 } }, e: 3 });
    expect(withValue({ a: 'scalar' }, ['a', 'b'], 1)).toEqual({ a: { b: 1 } });
  });
});
