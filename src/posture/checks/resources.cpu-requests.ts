/**
 * `resources.cpu-requests`: every container states a CPU request (or a limit, which the request
 * defaults to), so the scheduler reserves what it needs. LOW: a scheduling and fairness concern.
 */
import { resourceCheck } from './resources.js';

export const cpuRequests = resourceCheck({
  id: 'resources.cpu-requests', resource: 'cpu', kind: 'requests', severity: 'LOW',
  title: 'No CPU request',
  fix: 'Set resources.requests.cpu on the container.',
  doc: 'Each container states resources.requests.cpu (or a CPU limit, which the request defaults to), so the scheduler reserves it.',
  peers: 'Trivy KSV015 (LOW), kube-score container-resources, Polaris cpuRequestsMissing (warning), Checkov CKV_K8S_10',
});
