/**
 * `chartaudit posture`: the rendered chart judged against the Pod Security Standards, with the
 * chart's values deciding what is deployed (a chart of the test's own, the demo, a corpus chart).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli } from './helpers/cli.js';
import { sharedPath } from './helpers/shared.js';

const demo = join(projectRoot, 'fixtures', 'demo', 'storefront-5.0.1.tgz');
const work = mkdtempSync(join(tmpdir(), 'chartaudit-posture-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
type Finding = { check: string; severity: string; resource: { kind: string; name: string }; container: string | null; chart: string; template: string; fields: string[]; customResource: boolean };

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

const findings = (stdout: string): Finding[] => (JSON.parse(stdout) as { findings: Finding[] }).findings;

describe('chartaudit posture', () => {
  it('baseline: a privileged DaemonSet on the host network, located in the chart', async () => {
    const r = await runCli(['posture', agentChart(), '--level', 'baseline', '--format', 'json']);
    expect(r.code).toBe(0);
    const f = findings(r.stdout);
    expect(f.map((x) => x.check).sort()).toEqual(['pss.baseline.hostNamespaces', 'pss.baseline.privileged']);
    expect(f.find((x) => x.check === 'pss.baseline.privileged')).toMatchObject({
      severity: 'CRITICAL', resource: { kind: 'DaemonSet', name: 'release-name-agent' }, container: 'agent', chart: 'agent',
      template: 'templates/daemonset.yaml', fields: ['spec.template.spec.containers[0].securityContext.privileged'], customResource: false,
    });
  });

  it('the values decide: with privileged=false and hostNetwork=false baseline passes', async () => {
    const r = await runCli(['posture', agentChart(), '--level', 'baseline', '--set', 'privileged=false,hostNetwork=false', '--format', 'json']);
    expect(findings(r.stdout)).toEqual([]);
    const table = await runCli(['posture', agentChart(), '--level', 'baseline', '--set', 'privileged=false,hostNetwork=false', '--no-color']);
    expect(table.stdout).toContain('every workload passes baseline');
  });

  it('restricted (the default) includes the baseline checks and the restricted ones', async () => {
    const f = findings((await runCli(['posture', agentChart(), '--format', 'json'])).stdout);
    const checks = new Set(f.map((x) => x.check));
    for (const c of ['pss.baseline.privileged', 'pss.baseline.hostNamespaces', 'pss.restricted.runAsNonRoot', 'pss.restricted.seccompProfile_restricted']) expect(checks).toContain(c);
  });

  it('the demo: baseline passes, restricted names each container of each subchart', async () => {
    expect(findings((await runCli(['posture', demo, '--level', 'baseline', '--format', 'json'])).stdout)).toEqual([]);
    const f = findings((await runCli(['posture', demo, '--format', 'json'])).stdout);
    expect(new Set(f.map((x) => x.chart))).toEqual(new Set(['storefront', 'storefront/charts/postgresql', 'storefront/charts/queue']));
    const table = await runCli(['posture', demo, '--no-color']);
    for (const line of table.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('a real corpus chart renders and is judged without gaps (wordpress, both levels)', async () => {
    const chart = sharedPath('corpus', 'bitnami', 'charts', 'wordpress-27.0.0.tgz');
    for (const level of ['baseline', 'restricted']) {
      const r = await runCli(['posture', chart, '--level', level, '--format', 'json']);
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as { gaps: unknown[] }).gaps).toEqual([]);
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
