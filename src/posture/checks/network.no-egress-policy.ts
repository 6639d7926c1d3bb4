/**
 * `network.no-egress-policy`: no NetworkPolicy of the chart selects the workload's pods for
 * egress, so a compromised pod can reach anything (the cloud metadata endpoint, other
 * namespaces, the internet). LOW: egress control is defence in depth and often cluster-wide.
 */
import { networkCheck } from './network.js';

export const noEgressPolicy = networkCheck({
  id: 'network.no-egress-policy', direction: 'Egress', severity: 'LOW',
  title: 'No NetworkPolicy for egress',
  fix: 'Enable the chart\'s NetworkPolicy with egress rules, or add one whose policyTypes include Egress for these pods.',
  doc: 'A NetworkPolicy of the chart selects each workload\'s pods for egress.',
  peers: 'kube-score pod-networkpolicy (asks for both directions), Polaris missingNetworkPolicy',
});
