/**
 * Pod Security Standards, as Kubernetes' Pod Security admission (k8s.io/pod-security-admission)
 * judges them: objects in, results out, no I/O.
 *
 *   evaluatePodSecurity(object, { level: 'baseline'|'restricted', version: 'latest'|'v1.N' })
 *     → { allowed, failures: [{ check, reason, detail, violations: [{ container, path, value }] }], message }
 *     for the kinds admission reads (Pod, PodTemplate, ReplicationController, ReplicaSet,
 *     Deployment, DaemonSet, StatefulSet, Job, CronJob); null for other objects.
 *   podSpecsOf(object) / findEmbeddedPodSpecs(object) + evaluatePodSpec(source, opts)
 *     for pod templates inside custom resources (marked customResource) and Lists.
 *   pssPostureChecks(opts) → PostureCheck[] (src/model/stages.ts), ids `pss.<level>.<check id>`.
 *
 * Exactness: one module per upstream check (checks/), each with the versions at which its rule
 * starts or changes; the registry applies them per version v1.0…v1.37 in admission's order,
 * with restricted's overrides. reason/detail are upstream's ForbiddenReason/ForbiddenDetail
 * texts; `message` is admission's aggregate. The API server's own steps before admission that
 * change a verdict or a detail are applied: a volume with no source is an emptyDir; a Pod (not
 * a template) with hostNetwork gets hostPort = containerPort. Not applied: for Pods, the API
 * server copies AppArmor annotations to fields and back before admission; that can add a
 * setter to appArmorProfile's detail text, never change the verdict. Fields of the wrong JSON
 * type read as unset (the API server would refuse such an object before admission).
 */
export { evaluatePodSecurity, evaluatePodSpec, parsePssLevel, parsePssVersion, type PssOptions, type PssVersion } from './evaluate.js';
export { extractPodSpec, findEmbeddedPodSpecs, isPodSpecHolder, podSpecsOf, type PodSpecSource } from './pod-spec.js';
export { activeChecks, LATEST_MINOR, PSS_CHECKS, pssCheck, type ActiveCheck } from './registry.js';
export { pssPostureChecks } from './posture-checks.js';
export { formatPath } from './util.js';
export type * from './types.js';
