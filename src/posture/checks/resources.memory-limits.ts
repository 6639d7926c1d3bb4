/**
 * `resources.memory-limits`: every container states `resources.limits.memory`. MEDIUM: memory is
 * not compressible, a container without a limit can push its node into out-of-memory kills of
 * other pods (a denial of service by one workload).
 */
import { resourceCheck } from './resources.js';

export const memoryLimits = resourceCheck({
  id: 'resources.memory-limits', resource: 'memory', kind: 'limits', severity: 'MEDIUM',
  title: 'No memory limit',
  fix: 'Set resources.limits.memory on the container (or a LimitRange default in the namespace).',
  doc: 'Each container states resources.limits.memory, so that it cannot drive its node out of memory.',
  peers: 'Trivy KSV018 (LOW), kube-score container-resources (critical), Polaris memoryLimitsMissing (warning), Checkov CKV_K8S_13',
});
