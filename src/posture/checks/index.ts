/**
 * The best-practice posture checks beyond the Pod Security Standards (DESIGN.md "Posture"):
 * one module per check, named by its stable id; docs/posture-findings.md lists them.
 */
import { automountToken } from './serviceaccount.automount-token.js';
import { clusterAdminBinding } from './rbac.cluster-admin-binding.js';
import { cpuLimits } from './resources.cpu-limits.js';
import { cpuRequests } from './resources.cpu-requests.js';
import { envLiteralSecret } from './env.literal-secret.js';
import { escalateBindImpersonate } from './rbac.escalate-bind-impersonate.js';
import { imageNoDigest } from './image.no-digest.js';
import { imagePullPolicy } from './image.pull-policy.js';
import { imageTagLatest } from './image.tag-latest.js';
import { livenessProbe } from './probes.liveness.js';
import { loadBalancerService } from './service.load-balancer.js';
import { memoryLimits } from './resources.memory-limits.js';
import { memoryRequests } from './resources.memory-requests.js';
import { noEgressPolicy } from './network.no-egress-policy.js';
import { noIngressPolicy } from './network.no-ingress-policy.js';
import { nodePortService } from './service.node-port.js';
import { rbacWildcard } from './rbac.wildcard.js';
import { readinessProbe } from './probes.readiness.js';
import { secretsClusterRead } from './rbac.secrets-cluster-read.js';
import type { BestPracticeCheck } from './types.js';
import { writableRootFs } from './container.writable-root-fs.js';

export type { BestPracticeCheck } from './types.js';

const CHECKS: readonly BestPracticeCheck[] = [
  cpuLimits, cpuRequests, memoryLimits, memoryRequests,
  livenessProbe, readinessProbe,
  imageTagLatest, imageNoDigest, imagePullPolicy,
  automountToken,
  noIngressPolicy, noEgressPolicy,
  rbacWildcard, clusterAdminBinding, secretsClusterRead, escalateBindImpersonate,
  loadBalancerService, nodePortService,
  envLiteralSecret,
  writableRootFs,
];

/** Every best-practice check, in report order. */
export function bestPracticeChecks(): BestPracticeCheck[] {
  return [...CHECKS];
}
