/** The registry's pure parts: challenges, config files, helper answers, platforms, manifests, mirrors. */
import { describe, expect, it } from 'vitest';
import { parseChallenges } from './challenge.js';
import { credentialFiles, helperFor, inlineCredential, normaliseHostKey, parseDockerConfig, parseHelperOutput } from './credentials.js';
import { RegistryError } from './errors.js';
import { parseMirror } from './client.js';
import { parseImageConfig, parseManifest } from './manifest.js';
import { parsePlatform, selectPlatform, type IndexEntry } from './platform.js';

describe('parseChallenges', () => {
  it.each([
    ['Bearer realm="https://auth.docker.io/token",service="registry.docker.io"', [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io' } }]],
    [
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull"',
      [{ scheme: 'bearer', params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:user/image:pull' } }],
    ],
    ['Basic realm="quay.io", Bearer realm="https://quay.io/v2/auth",service="quay.io"', [{ scheme: 'basic', params: { realm: 'quay.io' } }, { scheme: 'bearer', params: { realm: 'https://quay.io/v2/auth', service: 'quay.io' } }]],
    ['Basic realm="basic-realm"', [{ scheme: 'basic', params: { realm: 'basic-realm' } }]],
    ['bearer Realm=http://x/token , service=svc', [{ scheme: 'bearer', params: { realm: 'http://x/token', service: 'svc' } }]],
    ['Bearer realm="a\\"b"', [{ scheme: 'bearer', params: { realm: 'a"b' } }]],
    ['', []],
  ])('%s', (header, want) => expect(parseChallenges(header)).toEqual(want));

  it('reads several header values', () => {
    expect(parseChallenges(['Basic realm="r"', 'Bearer realm="t"']).map((c) => c.scheme)).toEqual(['basic', 'bearer']);
  });
});

describe('docker config.json', () => {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  const cfg = parseDockerConfig(
    JSON.stringify({
      auths: {
        'https://index.docker.io/v1/': { auth: b64('hubuser:hubpass') },
        'registry.example:5000': { auth: b64('u:p:with:colons') },
        'https://tokens.example/v2/': { identitytoken: 'refresh-1' },
        'plain.example': { username: 'pu', password: 'pp' },
        'bad.example': { auth: '%%%' },
      },
      credHelpers: { 'gcr.io': 'gcloud' },
      credsStore: 'desktop',
    }),
    '/cfg/config.json',
  );
  it.each([
    ['docker.io', { kind: 'basic', username: 'hubuser', password: 'hubpass' }],
    ['registry-1.docker.io', { kind: 'basic', username: 'hubuser', password: 'hubpass' }],
    ['registry.example:5000', { kind: 'basic', username: 'u', password: 'p:with:colons' }],
    ['registry.example', null],
    ['tokens.example', { kind: 'identity-token', token: 'refresh-1' }],
    ['plain.example', { kind: 'basic', username: 'pu', password: 'pp' }],
    ['other.example', null],
  ])('inline credential for %s', (host, want) => expect(inlineCredential(cfg, host)).toEqual(want));

  it('a bad auth value is an error naming the file', () => {
    expect(() => inlineCredential(cfg, 'bad.example')).toThrow('/cfg/config.json: the "auth" of bad.example is not base64 of user:password');
  });

  it.each([
    ['gcr.io', 'gcloud'],
    ['docker.io', 'desktop'],
  ])('helper for %s: %s', (host, want) => expect(helperFor(cfg, host)).toBe(want));

  it.each([
    ['{', '/f: not valid JSON'],
    ['[]', '/f: expected a JSON object'],
    ['{"auths": 3}', '/f: "auths" must be an object'],
  ])('malformed %s', (text, msg) => expect(() => parseDockerConfig(text, '/f')).toThrow(msg));

  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['http://Registry.Example:5000/v2/', 'registry.example:5000'],
    ['ghcr.io', 'ghcr.io'],
  ])('host key %s → %s', (k, h) => expect(normaliseHostKey(k)).toBe(h));

  it.each([
    ['{"ServerURL":"x","Username":"u","Secret":"s"}', { kind: 'basic', username: 'u', password: 's' }],
    ['{"ServerURL":"x","Username":"<token>","Secret":"id"}', { kind: 'identity-token', token: 'id' }],
    ['{"Username":"u","Secret":""}', null],
  ])('helper answer %s', (out, want) => expect(parseHelperOutput(out, 'h')).toEqual(want));

  it('files: --registry-config alone, else docker then Podman', () => {
    expect(credentialFiles({ configFile: '/my.json', env: { HOME: '/h' } })).toEqual(['/my.json']);
    expect(credentialFiles({ env: { HOME: '/h', DOCKER_CONFIG: '/d', XDG_RUNTIME_DIR: '/run/user/1' } })).toEqual(['/d/config.json', '/run/user/1/containers/auth.json', '/h/.config/containers/auth.json']);
    expect(credentialFiles({ env: { HOME: '/h' } })).toEqual(['/h/.docker/config.json', '/h/.config/containers/auth.json']);
  });
});

describe('platforms', () => {
  const entry = (os: string, architecture: string, variant?: string, extra: Partial<IndexEntry> = {}): IndexEntry => ({
    digest: `sha256:${(os + architecture + (variant ?? '')).padEnd(64, '0').slice(0, 64).replace(/[^0-9a-f]/g, 'a')}`,
    size: 1,
    platform: { os, architecture, ...(variant ? { variant } : {}) },
    ...extra,
  });
  const idx = [entry('unknown', 'unknown'), entry('linux', 'amd64'), entry('linux', 'arm', 'v6'), entry('linux', 'arm', 'v7'), entry('linux', 'arm64', 'v8'), entry('windows', 'amd64')];
  it.each([
    ['linux/amd64', 1],
    ['linux/arm64', 4],
    ['linux/arm64/v8', 4],
    ['linux/arm', 3],
    ['linux/arm/v6', 2],
    ['windows/amd64', 5],
  ])('%s → entry %i', (p, i) => expect(selectPlatform(idx, parsePlatform(p), 'x')).toBe(idx[i]));

  it('arm64 without a variant in the index matches linux/arm64/v8', () => {
    const e = entry('linux', 'arm64');
    expect(selectPlatform([e], parsePlatform('linux/arm64/v8'), 'x')).toBe(e);
  });

  it('an attestation is never chosen, even when its platform is asked for', () => {
    const att = entry('linux', 'amd64', undefined, { annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } });
    expect(() => selectPlatform([att], parsePlatform('linux/amd64'), 'img')).toThrow('img: no image for platform linux/amd64; the index has no platform-specific images (choose one with --platform)');
  });

  it.each(['linux', 'linux/', 'a/b/c/d', 'linux amd64'])('malformed --platform %j', (p) => expect(() => parsePlatform(p)).toThrow(RegistryError));
});

describe('manifests', () => {
  const d = `sha256:${'e'.repeat(64)}`;
  it.each([
    [{ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ digest: d, size: 3 }] }, 'index'],
    [{ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json', manifests: [] }, 'index'],
    [{ schemaVersion: 2, manifests: [] }, 'index'],
    [{ schemaVersion: 2, config: { digest: d, size: 1 }, layers: [] }, 'manifest'],
  ])('%j is a %s', (doc, kind) => expect(parseManifest(Buffer.from(JSON.stringify(doc)), undefined, 'w').kind).toBe(kind));

  it.each([
    ['not json', 'w: the manifest is not JSON'],
    [JSON.stringify({ schemaVersion: 1, fsLayers: [] }), 'w: Docker schema 1 manifests are not supported'],
    [JSON.stringify({ schemaVersion: 2, config: { digest: 'sha256:../x', size: 1 }, layers: [] }), 'w: config has no valid digest'],
    [JSON.stringify({ schemaVersion: 2, config: { digest: d, size: -1 }, layers: [] }), 'w: config has no valid size'],
    [JSON.stringify({ schemaVersion: 2 }), 'w: not an image manifest (no config and layers)'],
  ])('refuses %s', (text, msg) => expect(() => parseManifest(Buffer.from(text), undefined, 'w')).toThrow(msg));

  it('reads the config facts', () => {
    const c = parseImageConfig(Buffer.from(JSON.stringify({ os: 'linux', architecture: 'arm64', variant: 'v8', created: '2026-01-01T00:00:00Z', config: { User: 'app', Env: ['A=1'], Labels: { l: 'v' } }, rootfs: { diff_ids: [d] } })), 'w');
    expect(c).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8', user: 'app', created: '2026-01-01T00:00:00Z', env: ['A=1'], labels: { l: 'v' }, diffIds: [d] });
  });
});

describe('--registry-mirror', () => {
  it.each([
    ['docker.io=mirror.example:5000', ['docker.io', 'mirror.example:5000']],
    ['index.docker.io=https://Mirror.example/', ['docker.io', 'mirror.example']],
    ['ghcr.io=127.0.0.1:5001', ['ghcr.io', '127.0.0.1:5001']],
  ])('%s', (m, want) => expect(parseMirror(m)).toEqual(want));
  it.each(['mirror.example', 'docker.io=', '=x', 'docker.io=a/b'])('refuses %j', (m) => expect(() => parseMirror(m)).toThrow('expected REGISTRY=HOST[:PORT]'));
});
