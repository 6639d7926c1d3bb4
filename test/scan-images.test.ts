/**
 * `scan` pulls every image the chart deploys (issue 10): a chart whose workloads name images in a
 * real registry (Debian's docker-registry on 127.0.0.1, behind a recording front server), each
 * image read once per digest, facts on the report, gaps for what cannot be read, the per-layer
 * result cache making a rescan read no layer, --offline from the cache, a directory mirror.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli } from './helpers/cli.js';
import { makeImage, writeOciLayout, type TestImage } from './helpers/oci-image.js';
import { pushAll, startFront, startRegistry, type FrontServer, type RunningRegistry } from './helpers/registry.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const demoDb = join(projectRoot, 'fixtures', 'demo', 'db');

function writeChart(dir: string, images: string[]): string {
  const chart = join(dir, 'chart');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: pulls\nversion: 1.0.0\n');
  writeFileSync(join(chart, 'values.yaml'), `images:\n${images.map((i) => `  - ${JSON.stringify(i)}`).join('\n')}\n`);
  writeFileSync(join(chart, 'templates', 'deploy.yaml'), [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ .Release.Name }}-app',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '{{- range $i, $img := .Values.images }}',
    '        - name: c{{ $i }}',
    '          image: {{ $img }}',
    '{{- end }}',
    '',
  ].join('\n'));
  return chart;
}

describe('scan pulls the images the chart deploys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chartaudit-scan-images-'));
  let reg: RunningRegistry;
  let front: FrontServer;
  let app: TestImage;
  let chart: string;
  const scan = (...extra: string[]) => runCli(['scan', chart, '--db', demoDb, '--format', 'json', ...extra]);

  beforeAll(async () => {
    reg = await startRegistry(join(dir, 'reg'), join(dir, 'store'));
    front = await startFront(reg.host);
    app = makeImage({
      layers: [
        { 'etc/os-release': 'ID=debian\nVERSION_ID=12\n', 'etc/motd': 'hello\n' },
        { 'app/server': 'x'.repeat(20_000), 'etc/.wh.motd': '' },
      ],
      user: '1001',
    });
    await pushAll(reg.host, 'acme/app', app.blobs, app.manifest, '1.0');
    await pushAll(reg.host, 'acme/app', app.blobs, app.manifest, 'same'); // another tag, same digest
    chart = writeChart(dir, [`${front.host}/acme/app:1.0`, `${front.host}/acme/app:same`, `${front.host}/acme/missing:1.0`]);
  }, 120_000);
  afterAll(async () => {
    await front?.stop();
    await reg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports digest, platform, config and layers of each image, reads a digest once, and makes a gap of a missing one', async () => {
    front.seen.length = 0;
    const r = await scan('--insecure-registry', front.host);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Json;
    const byRef = new Map((report.images as Json[]).map((i) => [i.ref.replace(`${front.host}/`, ''), i]));
    for (const tag of ['acme/app:1.0', 'acme/app:same']) {
      expect(byRef.get(tag)!.contents).toMatchObject({
        digest: app.manifest.digest,
        platform: 'linux/amd64',
        from: front.host,
        config: { os: 'linux', architecture: 'amd64', user: '1001' },
        layers: app.layers.map((l) => ({ digest: l.digest, size: l.size })),
      });
    }
    expect(byRef.get('acme/missing:1.0')!.contents).toBeNull();
    const gap = (report.gaps as Json[]).find((g) => g.scope.endsWith('acme/missing:1.0'));
    expect(gap?.reason).toMatch(/^the image was not read: .*(404|not found|unknown)/i);
    // each layer blob fetched once, though two tags name the image
    for (const l of app.layers) expect(front.seen.filter((s) => s.method === 'GET' && s.path.endsWith(l.digest))).toHaveLength(1);
    const table = await runCli(['scan', chart, '--db', demoDb, '--insecure-registry', front.host, '--no-color']);
    expect(table.stdout).toContain(app.manifest.digest);
    expect(table.stdout).toMatch(/linux\/amd64, 2 layers .*, user 1001/);
  }, 60_000);

  it('a rescan reads no layer again (per-layer result cache), and --offline answers from the cache with the registry gone', async () => {
    await scan('--insecure-registry', front.host);
    front.seen.length = 0;
    const again = JSON.parse((await scan('--insecure-registry', front.host)).stdout) as Json;
    expect(front.seen.filter((s) => s.path.includes('/blobs/'))).toEqual([]);
    front.rule = (_req, res) => {
      res.writeHead(500);
      res.end();
      return true;
    };
    front.seen.length = 0;
    const offline = JSON.parse((await scan('--offline')).stdout) as Json;
    front.rule = null;
    expect(front.seen).toEqual([]);
    expect(offline.images.map((i: Json) => i.contents)).toEqual(again.images.map((i: Json) => i.contents && { ...i.contents }));
  }, 60_000);

  it('a cold cache with --offline: each image is a gap, nothing is asked of the network', async () => {
    const saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = join(dir, 'cold-cache'); // a temp dir this test made
    front.seen.length = 0;
    try {
      const r = await runCli(['scan', chart, '--db', demoDb, '--format', 'json', '--offline', '--fail-on-gaps']);
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout) as Json;
      expect(report.images.map((i: Json) => i.contents)).toEqual([null, null, null]);
      expect(report.gaps.filter((g: Json) => /not in the cache \(--offline\)/.test(g.reason))).toHaveLength(3);
      expect(report.verdict.reasons.join('\n')).toMatch(/not examined|gap/);
      expect(front.seen).toEqual([]);
    } finally {
      process.env.XDG_CACHE_HOME = saved;
    }
  }, 60_000);

  it('a wrong password is a gap naming the image, the scan goes on (exit 0; --fail-on-gaps: 1)', async () => {
    const locked = await startRegistry(join(dir, 'reg-basic'), join(dir, 'store'), { kind: 'htpasswd', users: { alice: 'right' } });
    try {
      const config = join(dir, 'wrong-config.json');
      writeFileSync(config, JSON.stringify({ auths: { [locked.host]: { auth: Buffer.from('alice:wrong').toString('base64') } } }));
      const lockedChart = writeChart(join(dir, 'locked'), [`${locked.host}/acme/app:1.0`]);
      const args = ['scan', lockedChart, '--db', demoDb, '--format', 'json', '--insecure-registry', locked.host, '--registry-config', config];
      const r = await runCli(args);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as Json;
      expect(report.images[0].contents).toBeNull();
      expect(report.gaps.find((g: Json) => g.scope === `${locked.host}/acme/app:1.0`)?.reason).toMatch(/not read: .*(401|unauthorized|credentials|denied)/i);
      expect((await runCli([...args, '--fail-on-gaps'])).code).toBe(1);
      writeFileSync(config, JSON.stringify({ auths: { [locked.host]: { auth: Buffer.from('alice:right').toString('base64') } } }));
      const ok = JSON.parse((await runCli(args)).stdout) as Json;
      expect(ok.images[0].contents.digest).toBe(app.manifest.digest);
    } finally {
      await locked.stop();
    }
  }, 60_000);

  it('--skip-image-contents lists the images without pulling them, and says so', async () => {
    front.seen.length = 0;
    const report = JSON.parse((await scan('--insecure-registry', front.host, '--skip-image-contents')).stdout) as Json;
    expect(front.seen).toEqual([]);
    expect(report.images.every((i: Json) => i.contents === null)).toBe(true);
    expect(report.gaps.map((g: Json) => g.reason).join('\n')).toContain('--skip-image-contents');
  });

  it('--registry-mirror REGISTRY=oci-layout:DIR serves the repositories the directory holds, under their registry names', async () => {
    const mirror = join(dir, 'mirror');
    writeOciLayout(join(mirror, 'acme', 'app'), app.blobs, app.manifest, '1.0');
    const other = makeImage({ layers: [{ 'etc/alpine-release': '3.20.3\n' }] });
    writeOciLayout(join(mirror, 'acme', 'other'), other.blobs, other.manifest, 'v2');
    const mirrored = writeChart(join(dir, 'm'), ['docker.io/acme/app:1.0', 'acme/other:v2', 'docker.io/acme/app@' + app.manifest.digest]);
    const r = await runCli(['scan', mirrored, '--db', demoDb, '--format', 'json', '--offline', '--registry-mirror', `docker.io=oci-layout:${mirror}`]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Json;
    expect(report.images.map((i: Json) => [i.ref, i.contents?.digest, i.contents?.from]).sort()).toEqual([
      ['docker.io/acme/app:1.0', app.manifest.digest, `oci-layout:${join(mirror, 'acme', 'app')}`],
      ['docker.io/acme/other:v2', other.manifest.digest, `oci-layout:${join(mirror, 'acme', 'other')}`],
      [`docker.io/acme/app@${app.manifest.digest}`, app.manifest.digest, `oci-layout:${join(mirror, 'acme', 'app')}`],
    ].sort());
    const bad = await runCli(['scan', mirrored, '--db', demoDb, '--registry-mirror', `docker.io=oci-layout:${join(dir, 'no-such-dir')}`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no-such-dir');
  }, 60_000);
});
