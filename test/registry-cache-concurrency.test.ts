/**
 * Two chartaudit processes pulling the same image into one cache at the same time (CI jobs
 * sharing a runner's cache): both succeed, every cached blob is whole and matches its digest,
 * no temp file is left behind.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeImage, noise, type TestImage } from './helpers/oci-image.js';
import { pushAll, startRegistry, type RunningRegistry } from './helpers/registry.js';
import { projectRoot } from './helpers/shared.js';

let dir: string;
let reg: RunningRegistry;
let image: TestImage;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chartaudit-regcache-'));
  reg = await startRegistry(join(dir, 'reg'), join(dir, 'store'));
  image = makeImage({ layers: Array.from({ length: 6 }, (_, i) => ({ [`layer${i}.bin`]: noise(3 << 20) })) });
  await pushAll(reg.host, 'big', image.blobs, image.manifest, '1.0');
});

afterAll(async () => {
  await reg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function pull(cacheDir: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'test/helpers/registry-pull-child.ts'), `${reg.host}/big:1.0`, cacheDir], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

it('two processes pulling the same image into one cache both succeed and leave only whole, verified blobs', async () => {
  const cacheDir = join(dir, 'shared-cache');
  const [a, b] = await Promise.all([pull(cacheDir), pull(cacheDir)]);
  expect(a.err).toBe('');
  expect(b.err).toBe('');
  expect([a.code, b.code]).toEqual([0, 0]);
  expect(JSON.parse(a.out)).toEqual(JSON.parse(b.out));
  const blobDir = join(cacheDir, 'blobs', 'sha256');
  const names = readdirSync(blobDir).sort();
  expect(names).toEqual(image.blobs.map((x) => x.digest.slice(7)).sort());
  for (const name of names) expect(createHash('sha256').update(readFileSync(join(blobDir, name))).digest('hex')).toBe(name);
}, 120_000);
