/**
 * `probes.readiness`: each container of a long-running pod that a Service of the chart selects
 * declares a readinessProbe, so traffic only reaches it when it can serve (kube-score's rule:
 * pods no Service selects receive no traffic to gate). LOW: availability, not exposure.
 */
import { probeCheck } from './probes.js';

export const readinessProbe = probeCheck({
  id: 'probes.readiness', probe: 'readinessProbe', onlyBehindService: true, severity: 'LOW',
  title: 'No readiness probe',
  fix: 'Add a readinessProbe to the container (most charts have a readinessProbe.enabled value).',
  doc: 'Each container of a long-running pod behind a Service of the chart declares a readinessProbe, so it gets traffic only when ready.',
  peers: 'kube-score pod-probes (only pods behind a Service), Polaris readinessProbeMissing (warning, reliability)',
});
