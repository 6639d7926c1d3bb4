/** Pod Security Standards: the checks, the evaluator and where pod specs are found. */
export { evaluatePodSecurity, evaluatePodSpec, parsePssLevel, parsePssVersion, type PssOptions, type PssVersion } from './evaluate.js';
export { extractPodSpec, findEmbeddedPodSpecs, isPodSpecHolder, podSpecsOf, type PodSpecSource } from './pod-spec.js';
export { activeChecks, LATEST_MINOR, PSS_CHECKS, pssCheck, type ActiveCheck } from './registry.js';
export { pssPostureChecks } from './posture-checks.js';
export { formatPath } from './util.js';
export type * from './types.js';
