import { describe, expect, it } from 'vitest';
import { extractImages } from './extract.js';
import { splitSource } from '../render/resources.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: rel-web
spec:
  template:
    spec:
      initContainers:
        - name: init
          image: docker.io/bitnami/os-shell:12-debian-12-r51
      containers:
        - name: web
          image: "nginx:1.25"
        - name: sidecar
          image: docker.io/bitnami/os-shell:12-debian-12-r51
`;

describe('extractImages', () => {
  it('finds containers and init containers of a Deployment, with their sources', () => {
    const r = extractImages([{ source: 'shop/templates/web/deployment.yaml', content: deployment }]);
    expect(r.gaps).toEqual([]);
    expect(r.images.map((i) => i.ref)).toEqual(['docker.io/bitnami/os-shell:12-debian-12-r51', 'docker.io/library/nginx:1.25']);
    expect(r.images[0]!.sources).toEqual([
      { chart: 'shop', template: 'templates/web/deployment.yaml', kind: 'Deployment', name: 'rel-web', container: 'init' },
      { chart: 'shop', template: 'templates/web/deployment.yaml', kind: 'Deployment', name: 'rel-web', container: 'sidecar' },
    ]);
  });

  it.each([
    ['Pod', 'kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: c, image: busybox}\n', 'docker.io/library/busybox:latest'],
    ['CronJob', 'kind: CronJob\nmetadata: {name: cj}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - {name: c, image: "bitnami/kubectl:1.31"}\n', 'docker.io/bitnami/kubectl:1.31'],
    ['ephemeral', 'kind: Pod\nmetadata: {name: p}\nspec:\n  ephemeralContainers:\n    - {name: dbg, image: "busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}\n', 'docker.io/library/busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'],
    ['a List', 'kind: List\nitems:\n  - kind: Pod\n    metadata: {name: p}\n    spec:\n      containers:\n        - {name: c, image: "redis:7"}\n', 'docker.io/library/redis:7'],
  ])('%s', (_, content, ref) => {
    const r = extractImages([{ source: 'c/templates/x.yaml', content }]);
    expect(r.images.map((i) => i.ref)).toEqual([ref]);
  });

  it.each([
    ['a Rollout', 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec:\n  template:\n    spec:\n      containers:\n        - {name: app, image: "quay.io/acme/app:2"}\n', 'quay.io/acme/app:2'],
    ['a RayCluster', 'kind: RayCluster\nmetadata: {name: rc}\nspec:\n  headGroupSpec:\n    template:\n      spec:\n        containers:\n          - {name: ray-head, image: "bitnami/ray:2.49.0"}\n', 'docker.io/bitnami/ray:2.49.0'],
    ['a PodTemplate', 'kind: PodTemplate\nmetadata: {name: pt}\ntemplate:\n  spec:\n    containers:\n      - {name: c, image: "busybox:1"}\n', 'docker.io/library/busybox:1'],
  ])('pod templates in %s are custom-resource images, kept apart', (_, content, ref) => {
    const r = extractImages([{ source: 'c/templates/x.yaml', content }]);
    expect(r.images).toEqual([]);
    expect(r.customResourceImages.map((i) => i.ref)).toEqual([ref]);
  });

  it('several documents and sources merge per image', () => {
    const pod = (n: string) => `kind: Pod\nmetadata: {name: ${n}}\nspec:\n  containers:\n    - {name: c, image: redis:7}\n`;
    const r = extractImages([
      { source: 'c/templates/a.yaml', content: `${pod('a')}---\n${pod('b')}` },
      { source: 'c/charts/sub/templates/b.yaml', content: pod('z') },
    ]);
    expect(r.images).toHaveLength(1);
    expect(r.images[0]!.sources.map((s) => `${s.chart}:${s.name}`)).toEqual(['c:a', 'c:b', 'c/charts/sub:z']);
  });

  it('a container whose image cannot be read is a gap, never silence', () => {
    const r = extractImages([{ source: 'c/templates/x.yaml', content: 'kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: a, image: "Not A Ref"}\n    - {name: b}\n    - {name: c, image: 5}\n' }]);
    expect(r.images).toEqual([]);
    expect(r.gaps.map((g) => g.reason)).toEqual([
      'cannot read image reference "Not A Ref": invalid reference format',
      'container has no image',
      'image is not a string: 5',
    ]);
  });

  it('documents without containers give nothing', () => {
    expect(extractImages([{ source: 'c/templates/cm.yaml', content: 'kind: ConfigMap\nmetadata: {name: x}\ndata: {image: "nginx"}\n' }])).toEqual({ images: [], customResourceImages: [], gaps: [] });
  });

  it('splits sources', () => {
    expect(splitSource('a/charts/b/templates/x/y.yaml')).toEqual({ chart: 'a/charts/b', template: 'templates/x/y.yaml' });
  });
});
