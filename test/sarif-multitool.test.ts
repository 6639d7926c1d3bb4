/**
 * The SARIF that `scan` writes, checked by Microsoft's SARIF Multitool (`validate`, the SARIF SDK's
 * validator, devDependency @microsoft/sarif-multitool) with its GitHub Advanced Security rules
 * (GH1xxx/GH2xxx: what code scanning needs to ingest a result) and its SARIF rules, at level
 * error: the demo scan, and its report with posture findings, paths from a chart directory, and a
 * result that only the chart file locates. A broken log is caught too, so the check is known to run.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli } from './helpers/cli.js';
import type { ScanReport } from '../src/model/report.js';
import { renderSarif } from '../src/report/sarif.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const multitool = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
const demo = join(projectRoot, 'fixtures', 'demo');
const demoScan = [
  'scan', join(demo, 'storefront-5.0.1.tgz'), '--keyring', join(demo, 'keyring.gpg'), '--db', join(demo, 'db'),
  '--vex', join(demo, 'vex.openvex.json'), '--registry-mirror', `docker.io=oci-layout:${join(demo, 'images')}`,
];
const work = mkdtempSync(join(tmpdir(), 'chartaudit-sarif-multitool-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The Multitool's error-level results for one log: `GH1015 runs[0].results[1]: …`. */
function multitoolErrors(sarif: string, name: string): string[] {
  const input = join(work, `${name}.sarif`);
  const output = join(work, `${name}.validation.sarif`);
  writeFileSync(input, sarif);
  const r = spawnSync(multitool, ['validate', '--rule-kind', 'Ghas;Sarif', '--level', 'Error', '--output', output, input], {
    encoding: 'utf8', timeout: 120_000, env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
  });
  if (r.error) throw r.error;
  const log = JSON.parse(readFileSync(output, 'utf8').replace(/^\uFEFF/, '')) as Json;
  const failures = [
    ...((log.runs[0].invocations?.[0]?.toolExecutionNotifications ?? []) as Json[]).filter((n) => n.level === 'error').map((n) => `tool: ${n.message.text}`),
    ...((log.runs[0].results ?? []) as Json[]).filter((x) => (x.level ?? 'warning') === 'error').map((x) => `${x.ruleId} ${x.message.text ?? `${x.message.id} ${(x.message.arguments ?? []).join(' ')}`}`),
  ];
  return failures;
}

let demoSarif = '';
let demoReport: ScanReport;
beforeAll(async () => {
  const r = await runCli([...demoScan, '--format', 'sarif', '-o', `json=${join(work, 'report.json')}`]);
  expect(r.code).toBe(0);
  demoSarif = r.stdout;
  demoReport = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8')) as ScanReport;
}, 120_000);

describe('SARIF Multitool, GitHub Advanced Security rules', () => {
  it('the demo scan: no error', () => {
    expect(multitoolErrors(demoSarif, 'demo')).toEqual([]);
  }, 120_000);

  it('with posture findings, a chart directory and a result that no template locates: no error', () => {
    const posture = [{
      check: 'pss.restricted.runAsNonRoot', title: 'Running as non-root', severity: 'MEDIUM', resource: { kind: 'StatefulSet', name: 'release-name-queue-master' },
      container: 'redis', chart: 'storefront/charts/queue', template: 'templates/statefulset.yaml', message: 'container "redis" must set securityContext.runAsNonRoot=true',
      fields: ['spec.template.spec.containers[0].securityContext.runAsNonRoot'], fix: 'set runAsNonRoot: true', customResource: false, valuesKey: null,
    }];
    const withPosture = { ...demoReport, posture: { findings: posture } } as unknown as ScanReport;
    expect(multitoolErrors(JSON.stringify(renderSarif(withPosture, { chartRoot: 'deploy/storefront' })), 'posture')).toEqual([]);
    const lone = { ...demoReport, images: [], customResourceImages: [] } as ScanReport;
    expect(multitoolErrors(JSON.stringify(renderSarif(lone, { chartFile: 'charts/storefront-5.0.1.tgz' })), 'lone')).toEqual([]);
  }, 240_000);

  it('a broken log is caught (the check runs)', () => {
    const broken = JSON.parse(demoSarif) as Json;
    broken.runs[0].results[0].locations = [];
    expect(multitoolErrors(JSON.stringify(broken), 'broken')).toEqual(expect.arrayContaining([expect.stringMatching(/^GH\d+ Error_EmptyLocationsArray runs\[0\]\.results\[0\]/)]));
  }, 120_000);
});
