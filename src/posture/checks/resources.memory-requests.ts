/**
 * `resources.memory-requests`: every container states a memory request (or a limit, which the
 * request defaults to). LOW: without one the pod is the first evicted under memory pressure.
 */
import { resourceCheck } from './resources.js';

export const memoryRequests = resourceCheck({
  id: 'resources.memory-requests', resource: 'memory', kind: 'requests', severity: 'LOW',
  title: 'No memory request',
  fix: 'Set resources.requests.memory on the container.',
  doc: 'Each container states resources.requests.memory (or a memory limit, which the request defaults to).',
  peers: 'Trivy KSV016 (LOW), kube-score container-resources, Polaris memoryRequestsMissing (warning), Checkov CKV_K8S_12',
});
