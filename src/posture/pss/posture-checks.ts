/**
 * The Pod Security Standards checks as posture checks (src/model/stages.ts PostureCheck): one
 * per check that applies at the chosen level and version, id `pss.<level>.<check id>`, one
 * finding per container (null for pod-level fields) with admission's own words for the check.
 */
import type { PostureCheck, PostureFinding, RenderedResource } from '../../model/stages.js';
import { parsePssLevel, parsePssVersion, type PssOptions } from './evaluate.js';
import { podSpecsOf, type PodSpecSource } from './pod-spec.js';
import { activeChecks } from './registry.js';
import type { PodView } from './types.js';
import { buildPodView, formatPath } from './util.js';

/** Pod views per rendered object, so the checks of one level share one extraction. */
const views = new WeakMap<object, { source: PodSpecSource; pod: PodView }[]>();

function viewsOf(object: Record<string, unknown>): { source: PodSpecSource; pod: PodView }[] {
  let v = views.get(object);
  if (v === undefined) {
    v = podSpecsOf(object).map((source) => ({
      source,
      pod: buildPodView(source.metadata, source.spec, { metadata: source.metadataPath, spec: source.specPath }, source.isPod),
    }));
    views.set(object, v);
  }
  return v;
}

export function pssPostureChecks(opts: PssOptions): PostureCheck[] {
  const level = parsePssLevel(opts.level);
  const { minor } = parsePssVersion(opts.version);
  return activeChecks(level, minor).map(({ check, rule }): PostureCheck => ({
    id: `pss.${check.level}.${check.id}`,
    title: check.title,
    severity: check.severity,
    fix: check.fix,
    check(resource: RenderedResource): PostureFinding[] {
      const findings: PostureFinding[] = [];
      for (const { source, pod } of viewsOf(resource.object)) {
        const failure = rule.evaluate(pod);
        if (failure === null) continue;
        const message = `${failure.reason} (${failure.detail})`;
        const byContainer = new Map<string | null, string[]>();
        for (const v of failure.violations) {
          const fields = byContainer.get(v.container) ?? [];
          fields.push(formatPath(v.path));
          byContainer.set(v.container, fields);
        }
        for (const [container, fields] of byContainer) {
          const finding: PostureFinding = { check: `pss.${check.level}.${check.id}`, resource: { kind: resource.kind, name: resource.name }, container, message, fields };
          if (source.customResource) finding.customResource = true;
          findings.push(finding);
        }
      }
      return findings;
    },
  }));
}
