/**
 * Types of the Pod Security Standards evaluator (Kubernetes' Pod Security admission,
 * k8s.io/pod-security-admission/policy): checks, their versioned rules, and what an
 * evaluation returns.
 */

export type PssLevel = 'baseline' | 'restricted';

/** A step into a JSON object: a key or an array index. */
export type PathSegment = string | number;
export type FieldPath = readonly PathSegment[];

/** One container of the pod spec, in admission's visiting order (init, regular, ephemeral). */
export interface ContainerView {
  /** `container.name` ('' when missing, as Go's zero value). */
  name: string;
  container: Record<string, unknown>;
  /** `container.securityContext`, null when unset. */
  securityContext: Record<string, unknown> | null;
  /** Path of the container in the holder object (`spec.template.spec.containers[0]`). */
  path: FieldPath;
}

/** The pod metadata and spec as the checks read them. */
export interface PodView {
  /** `metadata.annotations` of the pod (or of the pod template); empty when unset. */
  annotations: Record<string, unknown>;
  spec: Record<string, unknown>;
  /** `spec.securityContext`, null when unset. */
  podSecurityContext: Record<string, unknown> | null;
  containers: readonly ContainerView[];
  /** Path of the pod spec and of the pod metadata in the holder object. */
  specPath: FieldPath;
  metadataPath: FieldPath;
  /** `spec.os.name` is `windows` (exemptions of some restricted checks from 1.25). */
  windows: boolean;
  /** `spec.hostUsers` is explicitly false: a user-namespaced pod (relaxations from 1.35). */
  userNamespace: boolean;
  /**
   * The object is a Pod with `hostNetwork: true`: the API server defaults each container
   * port's hostPort to its containerPort before admission (not in pod templates since 1.28).
   */
  hostPortsDefaultToContainerPorts: boolean;
}

/** One field that makes a check fail. */
export interface PssViolation {
  /** The container's name; null for a pod-level field (spec, pod securityContext, annotations). */
  container: string | null;
  /** Where the field is in the holder object (for a missing field: where it should be). */
  path: FieldPath;
  /** Its value; undefined when the field is missing but required. */
  value: unknown;
}

/** What a failing check returns: upstream's ForbiddenReason and ForbiddenDetail, plus the fields. */
export interface PssCheckFailure {
  reason: string;
  detail: string;
  violations: PssViolation[];
}

/** The rule of a check from one policy version on (until the next entry). */
export interface PssCheckVersion {
  /** First policy version with this rule: the minor of v1.N. */
  since: number;
  /** null when the pod is allowed. */
  evaluate(pod: PodView): PssCheckFailure | null;
  /** Baseline checks this (restricted) rule replaces at these versions. */
  overrides?: readonly string[];
}

export interface PssCheck {
  /** Upstream's check id (`allowPrivilegeEscalation`, `capabilities_baseline`, …). */
  id: string;
  level: PssLevel;
  /** One line: what the control requires (from upstream's policy documentation). */
  doc: string;
  /** Short title for reports. */
  title: string;
  /** One line: how to fix a failure. */
  fix: string;
  severity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
  /** Strictly increasing `since`; the first entry is when the check appeared. */
  versions: readonly PssCheckVersion[];
}

/** A failing check in an evaluation. */
export interface PssFailure extends PssCheckFailure {
  check: string;
  level: PssLevel;
}

export interface PssEvaluation {
  level: PssLevel;
  /** The version asked for (`latest`, `v1.25`, `v1.99`). */
  version: string;
  /** The rules applied: `v1.N`, the newest known when `latest` or newer was asked for. */
  effectiveVersion: string;
  allowed: boolean;
  /** Failing checks in admission's order (baseline ids sorted, then restricted ids sorted). */
  failures: PssFailure[];
  /**
   * Admission's aggregate text: `reason (detail), reason (detail)`; '' when allowed. The
   * API server says `violates PodSecurity "restricted:latest": ` before it.
   */
  message: string;
}
