/**
 * `network.no-ingress-policy`: no NetworkPolicy of the chart selects the workload's pods for
 * ingress, so any pod in the cluster can connect to them (unless the namespace has a default
 * deny the chart does not show). MEDIUM: lateral movement is the usual second step of an attack.
 */
import { networkCheck } from './network.js';

export const noIngressPolicy = networkCheck({
  id: 'network.no-ingress-policy', direction: 'Ingress', severity: 'MEDIUM',
  title: 'No NetworkPolicy for ingress',
  fix: 'Enable the chart\'s NetworkPolicy (often networkPolicy.enabled) or add one that selects these pods.',
  doc: 'A NetworkPolicy of the chart selects each workload\'s pods for ingress.',
  peers: 'kube-score pod-networkpolicy (critical), Polaris missingNetworkPolicy (warning), kube-linter non-isolated-pod, Trivy KSV038',
});
