/**
 * Interop with the real thing: skopeo (containers/image) converts the synthetic images between
 * docker-archive and OCI layouts, with gzip and zstd layers (Go's zstd encoder, not the CLI),
 * and chartaudit reads each result to the same merged view as the original.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveArchive } from '../src/image/index.js';
import { projectRoot } from './helpers/shared.js';

const generated = (f: string): string => join(projectRoot, 'fixtures', 'image', 'out', f);
let work = '';

function skopeo(...args: string[]): void {
  const r = spawnSync('skopeo', ['--insecure-policy', ...args], { encoding: 'utf8' });
  if (r.error) throw new Error(`skopeo is required for this test (apt-get install skopeo, as .ci/run does): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`skopeo ${args.join(' ')} failed: ${r.stderr}`);
}

async function view(ref: string, platform = 'linux/amd64'): Promise<{ files: Record<string, string>; mediaTypes: string[] }> {
  const img = await resolveArchive(ref, { platform });
  const files: Record<string, string> = {};
  await img.readFiles((p) => !p.startsWith('/dev/'), (f) => (files[f.path] = f.content.toString()));
  return { files, mediaTypes: img.layers.map((l) => l.mediaType) };
}

describe('skopeo-converted images read to the same merged view', () => {
  let original: Record<string, string> = {};
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ca-skopeo-'));
    original = (await view(`docker-archive:${generated('docker-legacy.tar')}`)).files;
    expect(original['/etc/os-release']).toContain('VERSION_ID=2');
  });

  it('docker-archive → oci (gzip layers) → docker-archive', async () => {
    skopeo('copy', '-q', `docker-archive:${generated('docker-legacy.tar')}`, `oci:${join(work, 'oci')}:v1`);
    const oci = await view(`oci-layout:${join(work, 'oci')}:v1`);
    expect(oci.files).toEqual(original);
    skopeo('copy', '-q', `oci:${join(work, 'oci')}:v1`, `docker-archive:${join(work, 'back.tar')}:synthetic/back:2`);
    expect((await view(`docker-archive:${join(work, 'back.tar')}:synthetic/back:2`)).files).toEqual(original);
  });

  it('zstd layers written by skopeo', async () => {
    skopeo('copy', '-q', '--dest-compress-format', 'zstd', `docker-archive:${generated('docker-legacy.tar')}`, `oci:${join(work, 'zoci')}:z`);
    const z = await view(`oci-layout:${join(work, 'zoci')}:z`);
    expect(z.mediaTypes.every((m) => m.endsWith('+zstd'))).toBe(true);
    expect(z.files).toEqual(original);
  });

  it('a multi-platform index copied with --all', async () => {
    skopeo('copy', '-q', '--all', `oci:${generated('multiarch.oci')}:1.0`, `oci:${join(work, 'multi')}:1.0`);
    const arm = await view(`oci-layout:${join(work, 'multi')}:1.0`, 'linux/arm64');
    expect(arm.files['/etc/arch']).toBe('arm64\n');
    const amd = await view(`oci-layout:${join(work, 'multi')}:1.0`);
    expect(amd.files).toEqual({ ...original });
  });
});
