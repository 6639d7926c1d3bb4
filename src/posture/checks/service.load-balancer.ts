/**
 * `service.load-balancer`: a Service of type LoadBalancer asks the cloud for an external load
 * balancer, usually reachable from the internet unless annotated as internal or limited by
 * loadBalancerSourceRanges. MEDIUM: exposure may be intended (a web front end), but it should be
 * a choice, not a chart default.
 */
import { serviceTypeCheck } from './service.js';

export const loadBalancerService = serviceTypeCheck({
  id: 'service.load-balancer', type: 'LoadBalancer', severity: 'MEDIUM',
  title: 'Service exposed by a load balancer',
  fix: 'Use service.type ClusterIP behind an Ingress or Gateway, or restrict loadBalancerSourceRanges.',
  doc: 'Services are not of type LoadBalancer unless exposure outside the cluster is intended.',
  peers: 'kube-score service-type; no Trivy, Polaris or kube-linter equivalent (kubescape flags external exposure)',
  exposure: 'is exposed outside the cluster through a cloud load balancer',
});
