/**
 * `chartaudit posture`: the rendered chart judged against the Pod Security Standards and the
 * best practices, with the chart's values deciding what is deployed (a chart of the test's own,
 * the demo, a corpus chart), each finding with the values key that controls it where known.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateAgainstSingleSchema } from '../src/render/schema.js';
import { projectRoot, runCli } from './helpers/cli.js';
import { sharedPath } from './helpers/shared.js';

const demo = join(projectRoot, 'fixtures', 'demo', 'storefront-5.0.1.tgz');
const work = mkdtempSync(join(tmpdir(), 'chartaudit-posture-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
type Finding = { check: string; severity: string; resource: { kind: string; name: string }; container: string | null; chart: string; template: string; fields: string[]; customResource: boolean; valuesKey: string | null };

const schema = JSON.parse(readFileSync(join(projectRoot, 'schema', 'report.schema.json'), 'utf8')) as Record<string, unknown>;
const postureSchema = JSON.stringify({ ...schema, $ref: '#/$defs/postureReport', required: undefined, properties: undefined, additionalProperties: undefined, type: undefined });

/** The JSON report, checked against the committed schema. */
function report(stdout: string): { findings: Finding[]; gaps: unknown[] } {
  const r = JSON.parse(stdout) as { findings: Finding[]; gaps: unknown[] };
  const err = validateAgainstSingleSchema(r as unknown as Record<string, unknown>, postureSchema);
  if (err !== null) throw new Error(`posture report does not follow schema/report.schema.json:\n${err}`);
  return r;
}

/** A chart whose Deployment is privileged and on the host network unless values say otherwise. */
function agentChart(): string {
  const dir = join(work, 'agent');
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: agent\nversion: 1.0.0\n');
  writeFileSync(join(dir, 'values.yaml'), 'privileged: true\nhostNetwork: true\n');
  writeFileSync(join(dir, 'templates', 'daemonset.yaml'), [
    'apiVersion: apps/v1', 'kind: DaemonSet', 'metadata:', '  name: {{ .Release.Name }}-agent', 'spec:', '  selector:', '    matchLabels: {app: agent}',
    '  template:', '    metadata:', '      labels: {app: agent}', '    spec:', '      hostNetwork: {{ .Values.hostNetwork }}', '      containers:',
    '        - name: agent', '          image: example.org/agent:1.0', '          securityContext:', '            privileged: {{ .Values.privileged }}', '',
  ].join('\n'));
  return dir;
}

const findings = (stdout: string): Finding[] => report(stdout).findings;
const pss = (f: Finding[]): Finding[] => f.filter((x) => x.check.startsWith('pss.'));

/** A chart whose one Deployment follows every check, unless values say otherwise. */
function hardenedChart(): string {
  const dir = join(work, 'hardened');
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: hardened\nversion: 1.0.0\n');
  writeFileSync(join(dir, 'values.yaml'), [
    'image: {repository: example.org/web, tag: "2.1", digest: "sha256:' + 'c'.repeat(64) + '"}',
    'containerSecurityContext: {runAsNonRoot: true, runAsUser: 1001, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}, seccompProfile: {type: RuntimeDefault}}',
    'resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, memory: 256Mi}}',
    'networkPolicy: {enabled: true}', 'service: {type: ClusterIP}', '',
  ].join('\n'));
  writeFileSync(join(dir, 'templates', 'all.yaml'), [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: {{ .Release.Name }}-web}', 'spec:', '  selector: {matchLabels: {app: web}}', '  template:',
    '    metadata: {labels: {app: web}}', '    spec:', '      automountServiceAccountToken: false', '      containers:', '        - name: web',
    '          image: {{ .Values.image.repository }}:{{ .Values.image.tag }}{{ if .Values.image.digest }}@{{ .Values.image.digest }}{{ end }}',
    '          securityContext: {{- toYaml .Values.containerSecurityContext | nindent 12 }}', '          resources: {{- toYaml .Values.resources | nindent 12 }}',
    '          livenessProbe: {httpGet: {path: /, port: 8080}}', '          readinessProbe: {httpGet: {path: /, port: 8080}}',
    '---', 'apiVersion: v1', 'kind: Service', 'metadata: {name: {{ .Release.Name }}-web}', 'spec: {type: {{ .Values.service.type }}, selector: {app: web}, ports: [{port: 80}]}',
    '{{- if .Values.networkPolicy.enabled }}', '---', 'apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: {name: {{ .Release.Name }}-web}',
    'spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress, Egress]}', '{{- end }}', '',
  ].join('\n'));
  return dir;
}

describe('chartaudit posture', () => {
  it('baseline: a privileged DaemonSet on the host network, located in the chart', async () => {
    const r = await runCli(['posture', agentChart(), '--level', 'baseline', '--format', 'json']);
    expect(r.code).toBe(0);
    const f = pss(findings(r.stdout));
    expect(f.map((x) => x.check).sort()).toEqual(['pss.baseline.hostNamespaces', 'pss.baseline.privileged']);
    expect(f.find((x) => x.check === 'pss.baseline.privileged')).toMatchObject({
      severity: 'CRITICAL', resource: { kind: 'DaemonSet', name: 'release-name-agent' }, container: 'agent', chart: 'agent',
      template: 'templates/daemonset.yaml', fields: ['spec.template.spec.containers[0].securityContext.privileged'], customResource: false,
    });
  });

  it('the values decide: with privileged=false and hostNetwork=false baseline passes', async () => {
    const r = await runCli(['posture', agentChart(), '--level', 'baseline', '--set', 'privileged=false,hostNetwork=false', '--format', 'json']);
    expect(pss(findings(r.stdout))).toEqual([]);
  });

  it('each finding names the values key that controls it, verified by rendering again, or null', async () => {
    const f = findings((await runCli(['posture', agentChart(), '--level', 'baseline', '--format', 'json'])).stdout);
    expect(f.find((x) => x.check === 'pss.baseline.privileged')!.valuesKey).toBe('privileged');
    expect(f.find((x) => x.check === 'pss.baseline.hostNamespaces')!.valuesKey).toBe('hostNetwork');
    // the chart has no value for its resources: not known
    expect(f.find((x) => x.check === 'resources.memory-limits')!.valuesKey).toBeNull();
    const table = await runCli(['posture', agentChart(), '--level', 'baseline', '--no-color']);
    expect(table.stdout).toContain('values key: privileged');
    expect(table.stdout).toContain('values key: not known');
  });

  it('best practices by default: a hardened chart passes everything, its values break it and are named', async () => {
    expect(findings((await runCli(['posture', hardenedChart(), '--format', 'json'])).stdout)).toEqual([]);
    expect((await runCli(['posture', hardenedChart(), '--no-color'])).stdout).toContain('every resource passes restricted and the best practices');
    const f = findings((await runCli(['posture', hardenedChart(), '--format', 'json', '--set', 'service.type=LoadBalancer,networkPolicy.enabled=false,image.digest=,containerSecurityContext.readOnlyRootFilesystem=false'])).stdout);
    expect(Object.fromEntries(f.map((x) => [x.check, x.valuesKey]))).toEqual({
      'service.load-balancer': 'service.type',
      'network.no-ingress-policy': 'networkPolicy.enabled',
      'network.no-egress-policy': 'networkPolicy.enabled',
      'image.no-digest': 'image.digest',
      'container.writable-root-fs': 'containerSecurityContext.readOnlyRootFilesystem',
    });
  });

  it('restricted (the default) includes the baseline checks and the restricted ones', async () => {
    const f = findings((await runCli(['posture', agentChart(), '--format', 'json'])).stdout);
    const checks = new Set(f.map((x) => x.check));
    for (const c of ['pss.baseline.privileged', 'pss.baseline.hostNamespaces', 'pss.restricted.runAsNonRoot', 'pss.restricted.seccompProfile_restricted']) expect(checks).toContain(c);
  });

  it('the demo: baseline passes, restricted names each container of each subchart', async () => {
    expect(pss(findings((await runCli(['posture', demo, '--level', 'baseline', '--format', 'json'])).stdout))).toEqual([]);
    const f = pss(findings((await runCli(['posture', demo, '--format', 'json'])).stdout));
    expect(new Set(f.map((x) => x.chart))).toEqual(new Set(['storefront', 'storefront/charts/postgresql', 'storefront/charts/queue']));
    const table = await runCli(['posture', demo, '--no-color']);
    for (const line of table.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('a real corpus chart renders and is judged without gaps (wordpress, both levels)', async () => {
    const chart = sharedPath('corpus', 'bitnami', 'charts', 'wordpress-27.0.0.tgz');
    for (const level of ['baseline', 'restricted']) {
      const r = await runCli(['posture', chart, '--level', level, '--format', 'json']);
      expect(r.code).toBe(0);
      expect(report(r.stdout).gaps).toEqual([]);
    }
  });

  it.each([
    [['--pss-version', 'v1.25'], 0],
    [['--pss-version', '1.25'], 2],
    [['--level', 'privileged'], 2],
  ])('%j → exit %i', async (flags, code) => {
    expect((await runCli(['posture', demo, ...flags])).code).toBe(code);
  });
});
