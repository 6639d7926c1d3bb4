import { describe, expect, it } from 'vitest';
import { parseImageReference } from './reference.js';

// Cases from docker's distribution/reference normalize_test.go and from real charts.
describe('parseImageReference', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.25', 'docker.io/library/nginx:1.25'],
    ['library/nginx', 'docker.io/library/nginx:latest'],
    ['bitnami/redis:7.4.1-debian-12-r2', 'docker.io/bitnami/redis:7.4.1-debian-12-r2'],
    ['docker.io/bitnami/redis:7.4.1-debian-12-r2', 'docker.io/bitnami/redis:7.4.1-debian-12-r2'],
    ['index.docker.io/bitnami/redis:7.4.1', 'docker.io/bitnami/redis:7.4.1'],
    ['registry-1.docker.io/nginx', 'docker.io/library/nginx:latest'],
    ['docker.io/nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'docker.io/library/nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'],
    ['nginx:1.25@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'docker.io/library/nginx:1.25@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'],
    ['quay.io/prometheus/node-exporter:v1.8.2', 'quay.io/prometheus/node-exporter:v1.8.2'],
    ['registry.k8s.io/ingress-nginx/controller:v1.11.2', 'registry.k8s.io/ingress-nginx/controller:v1.11.2'],
    ['localhost/foo', 'localhost/foo:latest'],
    ['localhost:5000/foo/bar:1', 'localhost:5000/foo/bar:1'],
    ['myregistry:5000/team/app', 'myregistry:5000/team/app:latest'],
    ['ghcr.io/a/b/c/d:1.0', 'ghcr.io/a/b/c/d:1.0'],
    ['foo_bar/baz__qux:1', 'docker.io/foo_bar/baz__qux:1'],
    ['[::1]:5000/foo:1', '[::1]:5000/foo:1'],
    ['  docker.io/bitnami/os-shell:12  ', 'docker.io/bitnami/os-shell:12'],
    ['Docker.IO/bitnami/x:1', 'Docker.IO/bitnami/x:1'],
    ['public.ecr.aws/bitnami/redis:7', 'public.ecr.aws/bitnami/redis:7'],
  ])('%s → %s', (raw, ref) => {
    expect(parseImageReference(raw).ref).toBe(ref);
  });

  it('splits the parts', () => {
    expect(parseImageReference('docker.io/bitnami/redis:7.4.1-debian-12-r2')).toEqual({
      ref: 'docker.io/bitnami/redis:7.4.1-debian-12-r2', registry: 'docker.io', repository: 'bitnami/redis', tag: '7.4.1-debian-12-r2', digest: null,
    });
  });

  it.each([
    ['', 'repository name must have at least one component'],
    ['Nginx', 'repository name must be lowercase'],
    ['docker.io/Bitnami/redis', 'repository name must be lowercase'],
    ['nginx:', 'invalid reference format'],
    [':1.0', 'invalid reference format'],
    ['nginx@sha256:abc', 'invalid reference format'],
    ['a/b:c:d', 'invalid reference format'],
    ['/nginx', 'invalid reference format'],
    ['nginx:{{ .Values.tag }}', 'invalid reference format'],
    [`nginx:${'x'.repeat(129)}`, 'invalid reference format'],
  ])('refuses %j (%s)', (raw, msg) => {
    expect(() => parseImageReference(raw)).toThrow(msg);
  });
});
