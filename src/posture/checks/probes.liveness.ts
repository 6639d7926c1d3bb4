/**
 * `probes.liveness`: each container of a long-running pod (not Jobs, CronJobs or helm hooks)
 * declares a livenessProbe, so a hung process is restarted. LOW: availability, not exposure.
 */
import { probeCheck } from './probes.js';

export const livenessProbe = probeCheck({
  id: 'probes.liveness', probe: 'livenessProbe', onlyBehindService: false, severity: 'LOW',
  title: 'No liveness probe',
  fix: 'Add a livenessProbe to the container (most charts have a livenessProbe.enabled value).',
  doc: 'Each container of a long-running pod declares a livenessProbe, so the kubelet restarts it when it hangs.',
  peers: 'kube-score pod-probes, Polaris livenessProbeMissing (warning, reliability); Trivy and kube-linter have none',
});
