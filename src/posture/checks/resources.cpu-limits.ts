/**
 * `resources.cpu-limits`: every container states `resources.limits.cpu`, so that one pod cannot
 * take the node's CPU from its neighbours. LOW: CPU is compressible (a pod without a limit slows
 * others, it does not kill them), and some operators leave CPU limits out on purpose.
 */
import { resourceCheck } from './resources.js';

export const cpuLimits = resourceCheck({
  id: 'resources.cpu-limits', resource: 'cpu', kind: 'limits', severity: 'LOW',
  title: 'No CPU limit',
  fix: 'Set resources.limits.cpu on the container (or a LimitRange default in the namespace).',
  doc: 'Each container states resources.limits.cpu, so that it cannot starve the other pods of its node.',
  peers: 'Trivy KSV011 (LOW), kube-score container-resources, Polaris cpuLimitsMissing (warning), Checkov CKV_K8S_11',
});
