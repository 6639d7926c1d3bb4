import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zstdFramesText } from '../../fixtures/image/generate.js';
import { projectRoot } from '../../test/helpers/shared.js';
import { layerTarChunks, sniffCompression } from './decompress.js';
import { normaliseDockerName, parsePlatform, selectPlatform, type Descriptor } from './layout.js';
import { imageLimits } from './limits.js';
import { normaliseEntryName } from './merged-view.js';
import { parseArchiveRef } from './providers.js';

async function inflate(chunks: Buffer[], opts: { digest?: string; diffId?: string } = {}): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const b of layerTarChunks((async function* () { yield* chunks; })(), { what: 'L', limits: imageLimits(), ...opts })) out.push(b);
  return Buffer.concat(out);
}

describe('layer decompression', () => {
  it.each([
    [[0x1f, 0x8b, 8, 0], 'gzip'],
    [[0x28, 0xb5, 0x2f, 0xfd], 'zstd'],
    [[0x61, 0x62, 0x63, 0x00], 'none'],
    [[0x1f], 'none'],
  ])('sniffs %j as %s', (bytes, want) => {
    expect(sniffCompression(Buffer.from(bytes))).toBe(want);
  });

  it('zstd: frames with and without checksum around a skippable frame, fed one byte at a time too', async () => {
    const z = readFileSync(join(projectRoot, 'fixtures', 'image', 'out', 'zstd-frames.bin'));
    const want = zstdFramesText().join('');
    expect((await inflate([z])).toString()).toBe(want);
    const bytes = Array.from({ length: 4096 }, (_, i) => z.subarray(i, i + 1));
    const rest = z.subarray(4096);
    expect((await inflate([...bytes, rest])).toString()).toBe(want);
  });

  it('gzip with several members (as pigz and concatenation write them), split anywhere', async () => {
    const gz = Buffer.concat([gzipSync('hello '), gzipSync('world')]);
    expect((await inflate([gz.subarray(0, 3), gz.subarray(3, 30), gz.subarray(30)])).toString()).toBe('hello world');
  });

  it('a digest that is not sha256 is refused before reading', async () => {
    await expect(inflate([Buffer.from('x')], { digest: 'md5:abc' })).rejects.toThrow(/unsupported digest "md5:abc" \(sha256 only\)/);
  });
});

describe('names', () => {
  it.each([
    ['./etc/passwd', 'etc/passwd'],
    ['/etc//passwd', 'etc/passwd'],
    ['etc/ssl/', 'etc/ssl'],
    ['./', ''],
    ['a/./b/../c', 'a/c'],
    ['../x', null],
    ['a/../../x', null],
    ['/../x', null],
    ['..', null],
  ])('entry name %s → %s', (name, want) => {
    expect(normaliseEntryName(name)).toBe(want);
  });

  it.each([
    ['alpine', 'docker.io/library/alpine:latest'],
    ['alpine:3.20', 'docker.io/library/alpine:3.20'],
    ['bitnami/redis:7', 'docker.io/bitnami/redis:7'],
    ['docker.io/library/alpine:3.20', 'docker.io/library/alpine:3.20'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['ghcr.io/o/app:1@sha256:' + 'a'.repeat(64), 'ghcr.io/o/app:1'],
  ])('docker name %s → %s', (ref, want) => {
    expect(normaliseDockerName(ref)).toBe(want);
  });

  it.each([
    ['oci-layout:./out/app', { scheme: 'oci-layout', path: './out/app', selector: {} }],
    ['oci-layout:./out/app:1.0', { scheme: 'oci-layout', path: './out/app', selector: { tag: '1.0' } }],
    ['oci-layout:./out/app@sha256:' + 'b'.repeat(64), { scheme: 'oci-layout', path: './out/app', selector: { digest: 'sha256:' + 'b'.repeat(64) } }],
    ['docker-archive:app.tar', { scheme: 'docker-archive', path: 'app.tar', selector: {} }],
    ['docker-archive:app.tar:alpine:3.20', { scheme: 'docker-archive', path: 'app.tar', selector: { tag: 'alpine:3.20' } }],
    ['docker-archive:app.tar:@1', { scheme: 'docker-archive', path: 'app.tar', selector: { index: 1 } }],
  ])('reference %s', (ref, want) => {
    expect(parseArchiveRef(ref)).toEqual(want);
  });

  it.each([
    ['docker://alpine', /not an oci-layout: or docker-archive: reference/],
    ['oci-layout:', /no path after oci-layout:/],
    ['oci-layout:dir@sha256:abc', /invalid digest "sha256:abc"/],
    ['docker-archive:app.tar:', /empty tag/],
  ])('bad reference %s', (ref, msg) => {
    expect(() => parseArchiveRef(ref)).toThrow(msg);
  });
});

describe('platform selection', () => {
  const d = (platform: Descriptor['platform'], annotations?: Record<string, string>): Descriptor => ({
    digest: 'sha256:' + Buffer.from(JSON.stringify(platform)).toString('hex').padEnd(64, '0').slice(0, 64),
    size: 1,
    platform,
    ...(annotations ? { annotations } : {}),
  });
  const list = [
    d({ os: 'linux', architecture: 'arm', variant: 'v6' }),
    d({ os: 'linux', architecture: 'arm', variant: 'v7' }),
    d({ os: 'linux', architecture: 'arm64', variant: 'v8' }),
    d({ os: 'linux', architecture: 'amd64' }),
    d({ os: 'unknown', architecture: 'unknown' }, { 'vnd.docker.reference.type': 'attestation-manifest' }),
  ];
  it.each([
    ['linux/amd64', 'amd64', undefined],
    ['linux/arm64', 'arm64', 'v8'],
    ['linux/arm/v7', 'arm', 'v7'],
    ['linux/arm', 'arm', 'v7'],
    ['linux/arm/v6', 'arm', 'v6'],
  ])('%s', (want, arch, variant) => {
    const got = selectPlatform('idx', list, parsePlatform(want));
    expect(got.platform).toEqual({ os: 'linux', architecture: arch, ...(variant ? { variant } : {}) });
  });
  it('never an attestation; the error lists the platforms', () => {
    expect(() => selectPlatform('idx', list, parsePlatform('unknown/unknown'))).toThrow(
      'idx: no image for platform unknown/unknown; the index has linux/arm/v6, linux/arm/v7, linux/arm64/v8, linux/amd64 (choose one with --platform)',
    );
    expect(() => selectPlatform('idx', list, parsePlatform('linux/arm/v5'))).toThrow(/no image for platform linux\/arm\/v5/);
  });
});
