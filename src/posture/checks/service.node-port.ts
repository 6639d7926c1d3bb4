/**
 * `service.node-port`: a Service of type NodePort opens its port on every node's addresses,
 * past any Ingress and its TLS and authentication. LOW: node addresses are often internal.
 */
import { serviceTypeCheck } from './service.js';

export const nodePortService = serviceTypeCheck({
  id: 'service.node-port', type: 'NodePort', severity: 'LOW',
  title: 'Service exposed on node ports',
  fix: 'Use service.type ClusterIP behind an Ingress or Gateway.',
  doc: 'Services are not of type NodePort, which opens a port on every node.',
  peers: 'kube-score service-type (warns on NodePort)',
  exposure: 'opens a port on every node',
});
