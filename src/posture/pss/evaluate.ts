/**
 * Pod Security Standards as Kubernetes' Pod Security admission evaluates them
 * (k8s.io/pod-security-admission policy.checkRegistry.EvaluatePod): objects in, results out.
 */
import { UsageError } from '../../model/errors.js';
import { extractPodSpec, type PodSpecSource } from './pod-spec.js';
import { activeChecks, LATEST_MINOR } from './registry.js';
import type { PssEvaluation, PssFailure, PssLevel } from './types.js';
import { buildPodView } from './util.js';

export interface PssOptions {
  level: PssLevel;
  /** `latest` or `v1.N` (upstream's syntax: no leading zeros); newer than known reads as latest. */
  version: string;
}

const VERSION = /^v1\.([0-9]|[1-9][0-9]*)$/;

export interface PssVersion {
  /** As given (`latest`, `v1.25`). */
  label: string;
  /** The minor whose rules apply (clamped to the newest rules). */
  minor: number;
}

/** Versions already parsed (a run asks for one or two, thousands of times). */
const parsed = new Map<string, PssVersion>();

/** Parses a policy version as upstream's api.ParseVersion does; a UsageError otherwise. */
export function parsePssVersion(text: string): PssVersion {
  const known = parsed.get(text);
  if (known !== undefined) return { ...known };
  let v: PssVersion;
  if (text === 'latest') v = { label: text, minor: LATEST_MINOR };
  else {
    const m = VERSION.exec(text);
    if (m === null) throw new UsageError(`invalid Pod Security Standards version ${JSON.stringify(text)}: must be "latest" or "v1.x"`);
    v = { label: text, minor: Math.min(Number(m[1]), LATEST_MINOR) };
  }
  if (parsed.size < 256) parsed.set(text, v);
  return { ...v };
}

export function parsePssLevel(text: string): PssLevel {
  if (text === 'baseline' || text === 'restricted') return text;
  throw new UsageError(`invalid Pod Security Standards level ${JSON.stringify(text)}: must be "baseline" or "restricted"`);
}

/** Admission's verdict on one pod spec. */
export function evaluatePodSpec(source: PodSpecSource, opts: PssOptions): PssEvaluation {
  const level = parsePssLevel(opts.level);
  const version = parsePssVersion(opts.version);
  const pod = buildPodView(source.metadata, source.spec, { metadata: source.metadataPath, spec: source.specPath }, source.isPod);
  const failures: PssFailure[] = [];
  for (const { check, rule } of activeChecks(level, version.minor)) {
    const failure = rule.evaluate(pod);
    if (failure !== null) failures.push({ check: check.id, level: check.level, reason: failure.reason, detail: failure.detail, violations: failure.violations });
  }
  return {
    level,
    version: version.label,
    effectiveVersion: `v1.${version.minor}`,
    allowed: failures.length === 0,
    failures,
    message: failures.map((f) => (f.detail === '' ? f.reason : `${f.reason} (${f.detail})`)).join(', '),
  };
}

/**
 * Admission's verdict on a Pod or on the pod template of a workload (the kinds admission
 * reads); null for any other object (see findEmbeddedPodSpecs for custom resources).
 */
export function evaluatePodSecurity(holder: Record<string, unknown>, opts: PssOptions): PssEvaluation | null {
  const source = extractPodSpec(holder);
  return source === null ? null : evaluatePodSpec(source, opts);
}
