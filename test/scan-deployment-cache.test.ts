/**
 * What a scanned archive deploys, kept between scans (src/commands/scan/deployment.ts): noted by
 * the first scan, written by the second, read by the third, with the same report in every format
 * as a scan without the cache; the entry is what is read, a damaged one is rendered afresh and
 * written again; every input of the render and the checks is in the key (values files' bytes
 * under the same name, each --set flag, --set-file's bytes, release, namespace, Kubernetes
 * version, API versions, posture flags); renders that read the clock or the time zone, chart
 * directories, charts that do not render and runs from source are never kept.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { helm } from './helpers/helm.js';
import { hermeticEnv } from './helpers/hermetic.js';
import { sharedPath } from './helpers/shared.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin', 'chartaudit.js');
const demoDb = join(root, 'fixtures', 'demo', 'db');
// its secrets hold random passwords: kept all the same
const postgresql = sharedPath('corpus', 'bitnami', 'charts', 'postgresql-17.1.0.tgz');
const scanFlags = ['--db', demoDb, '--offline', '--skip-image-contents', '--max-db-age', '1000000'];

function deployed(cache: string): string[] {
  const dir = join(cache, 'chartaudit', 'templates');
  try {
    return readdirSync(dir).filter((f) => /^deployed-[0-9a-f]{64}\.json$/.test(f)).map((f) => join(dir, f));
  } catch {
    return [];
  }
}

function scan(cache: string, args: string[], extra: Record<string, string> = {}, cwd?: string): string {
  const r = spawnSync(bin, ['scan', ...args, ...scanFlags], { encoding: 'utf8', cwd, env: { ...hermeticEnv(), XDG_CACHE_HOME: cache, ...extra }, timeout: 120_000 });
  // the demo database's age is the only thing said
  expect(r.stderr.replace(/^warning: the vulnerability data is \d+ days old .*\n/, '')).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

/** The report's gaps that say the chart did not render. */
const renderGaps = (json: string) => (JSON.parse(json) as { gaps: { reason: string }[] }).gaps.filter((g) => g.reason.includes('did not render'));
const uncached = (cache: string, args: string[], cwd?: string) => scan(cache, args, { CHARTAUDIT_NO_TEMPLATE_CACHE: '1' }, cwd);
const tempDir = (what: string) => mkdtempSync(join(tmpdir(), `chartaudit-deployed-${what}-`));

/** A chart archive whose images and posture follow every render input, or with `templates` of its own. */
function makeChart(templates: Record<string, string> = {}): string {
  const dir = tempDir('chart');
  const chart = join(dir, 'probe');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: probe\nversion: 1.0.0\n');
  writeFileSync(join(chart, 'values.yaml'), 'repo: example.com/app\nextra: ""\nrunAsNonRoot: false\n');
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  selector: {matchLabels: {app: probe}}
  template:
    metadata: {labels: {app: probe}}
    spec:
      containers:
        - name: app
          image: "{{ .Values.repo }}:{{ .Release.Name }}-{{ .Release.Namespace }}-{{ .Capabilities.KubeVersion.Minor }}{{ .Values.extra }}"
          securityContext:
            runAsNonRoot: {{ .Values.runAsNonRoot }}
            privileged: false
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
            seccompProfile: {type: RuntimeDefault}
        {{- if .Capabilities.APIVersions.Has "example.com/v1" }}
        - name: sidecar
          image: example.com/sidecar:1
        {{- end }}
`;
  for (const [name, text] of Object.entries({ 'deployment.yaml': deployment, ...templates })) writeFileSync(join(chart, 'templates', name), text);
  const r = helm(['package', chart, '-d', dir]);
  expect(r.stderr).toBe('');
  return join(dir, 'probe-1.0.0.tgz');
}

describe('what a scanned archive deploys, kept between scans', () => {
  it('the first scan notes it, the second keeps it, the third reads it; every format as without the cache', () => {
    const cache = tempDir('cache');
    const args = [postgresql, '--format', 'json'];
    const fresh = uncached(cache, args);
    expect(scan(cache, args)).toBe(fresh);
    expect(deployed(cache)).toEqual([]);
    expect(scan(cache, args)).toBe(fresh);
    const [entry] = deployed(cache);
    expect(entry).toBeDefined();
    expect(statSync(entry!).mode & 0o777).toBe(0o600);
    const written = statSync(entry!).mtimeMs;
    expect(scan(cache, args)).toBe(fresh);
    expect(statSync(entry!).mtimeMs).toBe(written); // read, not written again
    for (const format of ['table', 'markdown', 'sarif', 'cyclonedx']) {
      expect(scan(cache, [postgresql, '--format', format]), format).toBe(uncached(cache, [postgresql, '--format', format]));
    }
    expect(deployed(cache)).toEqual([entry]); // one entry serves every format
  });

  it('what is read is the entry; a damaged one is rendered afresh and written again', () => {
    const cache = tempDir('cache');
    const args = [postgresql, '--format', 'json'];
    const fresh = uncached(cache, args);
    scan(cache, args);
    scan(cache, args);
    const [entry] = deployed(cache);
    const good = readFileSync(entry!, 'utf8');
    expect(good).toContain('docker.io/bitnami/postgresql');
    writeFileSync(entry!, good.replaceAll('docker.io/bitnami/postgresql', 'docker.io/edited/postgresql'));
    expect(scan(cache, args)).toContain('docker.io/edited/postgresql');

    const damages: [string, () => void][] = [
      ['cut short', () => truncateSync(entry!, Math.floor(good.length / 2))],
      ['empty', () => writeFileSync(entry!, '')],
      ['not JSON', () => writeFileSync(entry!, '{"format": "chartaudit deployed 1", "images": [')],
      ['another format', () => writeFileSync(entry!, good.replace('chartaudit deployed 1', 'chartaudit deployed 0'))],
      ['images not a list', () => writeFileSync(entry!, good.replace('"images":[', '"images":{"x":[').replace('],"customResourceImages"', ']},"customResourceImages"'))],
      ['posture without findings', () => writeFileSync(entry!, good.replace('"findings":', '"found":'))],
      ['a list', () => writeFileSync(entry!, '[]\n')],
    ];
    for (const [what, damage] of damages) {
      damage();
      expect(scan(cache, args), what).toBe(fresh);
      expect(readFileSync(entry!, 'utf8'), what).toBe(good);
    }
  });

  it('every input of the render and the checks is in the key', () => {
    const chart = makeChart();
    const work = tempDir('work');
    writeFileSync(join(work, 'values.yaml'), 'extra: "-a"\n');
    writeFileSync(join(work, 'repo.txt'), 'example.com/from-file');
    const base = [chart, '--format', 'json', '-f', 'values.yaml', '--set-file', 'repo=repo.txt'];
    const warm = tempDir('cache');
    const baseReport = uncached(warm, base, work);
    for (let i = 0; i < 3; i++) expect(scan(warm, base, {}, work)).toBe(baseReport);
    expect(deployed(warm)).toHaveLength(1);

    const variants: [string, string[]][] = [
      ['--set', ['--set', 'extra=-b']],
      ['--set-string', ['--set-string', 'extra=-c']],
      ['--set-json', ['--set-json', 'extra="-d"']],
      ['--set-literal', ['--set-literal', 'extra=-e']],
      ['--set-file', ['--set-file', 'extra=repo.txt']],
      ['another values file', ['-f', 'more.yaml']],
      ['--release-name', ['--release-name', 'other']],
      ['--namespace', ['--namespace', 'other']],
      ['--kube-version', ['--kube-version', '1.29.0']],
      ['--api-versions', ['--api-versions', 'example.com/v1']],
      ['--pss-level', ['--pss-level', 'baseline']],
      ['--skip-posture', ['--skip-posture']],
      ['--values-keys', ['--values-keys']],
    ];
    writeFileSync(join(work, 'more.yaml'), 'runAsNonRoot: true\n');
    for (const [what, flags] of variants) {
      const cache = tempDir('cache');
      cpSync(warm, cache, { recursive: true });
      const expected = uncached(cache, [...base, ...flags], work);
      expect(expected, `${what} changes the report`).not.toBe(baseReport);
      expect(scan(cache, [...base, ...flags], {}, work), what).toBe(expected);
    }

    // the same names, other bytes
    const edits: [string, string, string][] = [
      ['values file', 'values.yaml', 'extra: "-z"\n'],
      ['--set-file', 'repo.txt', 'example.com/edited'],
    ];
    for (const [what, file, text] of edits) {
      const cache = tempDir('cache');
      cpSync(warm, cache, { recursive: true });
      const was = readFileSync(join(work, file));
      writeFileSync(join(work, file), text);
      const expected = uncached(cache, base, work);
      expect(expected, `${what} changes the report`).not.toBe(baseReport);
      expect(scan(cache, base, {}, work), what).toBe(expected);
      writeFileSync(join(work, file), was);
    }
  });

  it.each([
    ['now', '{{ now | date "2006" }}'],
    ['date of a string (the current time, as sprig)', '{{ date "2006" "2024-01-01" }}'],
    ['a time in the local zone', '{{ toDate "2006-01-02" "2024-01-01" | date "2006-01-02 MST" }}'],
    ['dateInZone "Local"', '{{ dateInZone "2006" (toDate "2006-01-02" "2024-01-01") "Local" }}'],
  ])('a render that reads the clock or the time zone is never kept: %s', (_, expr) => {
    const chart = makeChart({ 'stamp.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stamp\ndata:\n  at: |\n    ${expr}\n` });
    const cache = tempDir('cache');
    for (let i = 0; i < 3; i++) expect(renderGaps(scan(cache, [chart, '--format', 'json']))).toEqual([]);
    expect(deployed(cache)).toEqual([]);
  });

  it('random strings and keys do not stop it being kept', () => {
    const chart = makeChart({ 'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: {{ randAlphaNum 10 | quote }}\n  key: {{ genPrivateKey "ecdsa" | quote }}\n' });
    const cache = tempDir('cache');
    for (let i = 0; i < 3; i++) expect(renderGaps(scan(cache, [chart, '--format', 'json']))).toEqual([]);
    expect(deployed(cache)).toHaveLength(1);
  });

  it('run from source (no build to key it by), nothing is kept', async () => {
    const cache = join(process.env.XDG_CACHE_HOME!, 'chartaudit');
    const before = deployed(process.env.XDG_CACHE_HOME!);
    for (let i = 0; i < 3; i++) expect((await runCli(['scan', postgresql, '--format', 'json', ...scanFlags])).code).toBe(0);
    expect(readdirSync(join(cache, 'templates')).some((f) => f.startsWith('archive-'))).toBe(true); // the template cache was used
    expect(deployed(process.env.XDG_CACHE_HOME!)).toEqual(before);
  });

  it('a chart directory is never kept, nor a chart that does not render (its gap is there each time)', () => {
    const cache = tempDir('cache');
    const dir = join(root, 'fixtures', 'demo');
    const demoArchive = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    expect(demoArchive).toBeDefined();
    const unpacked = tempDir('dir');
    spawnSync('tar', ['-xzf', join(dir, demoArchive!), '-C', unpacked]);
    const [name] = readdirSync(unpacked);
    for (let i = 0; i < 3; i++) scan(cache, [join(unpacked, name!), '--format', 'json']);
    expect(deployed(cache)).toEqual([]);

    const failing = makeChart({ 'fail.yaml': '{{ fail "no, not with these values" }}\n' });
    for (let i = 0; i < 3; i++) {
      expect(renderGaps(scan(cache, [failing, '--format', 'json'])).map((g) => g.reason).join('\n')).toContain('no, not with these values');
    }
    expect(deployed(cache)).toEqual([]);
  });
});
