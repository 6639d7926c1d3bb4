/**
 * Container image references, normalised the way docker does (distribution/reference's
 * ParseNormalizedNamed + TagNameOnly): `registry/repository[:tag][@digest]`, registry
 * `docker.io` when the first component is not a host (no `.` or `:` and not `localhost`),
 * `index.docker.io` and `registry-1.docker.io` folded into `docker.io`, `library/` for
 * one-component Docker Hub names, and tag `latest` only when there is neither tag nor digest.
 */

export interface ImageReference {
  /** The normalised reference. */
  ref: string;
  registry: string;
  repository: string;
  tag: string | null;
  digest: string | null;
}

// distribution/reference's grammar, anchored.
const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const HOST = `(?:${DOMAIN_NAME}|${IPV6})`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const DOMAIN_ONLY = new RegExp(`^${DOMAIN}$`);

const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export class ReferenceError extends Error {
  override name = 'ReferenceError';
}

/** Parses and normalises `raw`; throws ReferenceError with docker's reason when it is not a reference. */
export function parseImageReference(raw: string): ImageReference {
  const s = raw.trim();
  if (s === '') throw new ReferenceError('repository name must have at least one component');
  if (s.length > 4096) throw new ReferenceError('reference is too long');
  const m = REFERENCE.exec(s);
  if (!m) {
    const lower = REFERENCE.exec(s.toLowerCase());
    throw new ReferenceError(lower ? 'repository name must be lowercase' : 'invalid reference format');
  }
  const name = m[1]!;
  const tag = m[2] ?? null;
  const digest = m[3] ?? null;
  let registry: string;
  let repository: string;
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) && DOMAIN_ONLY.test(first)) {
    registry = first;
    repository = name.slice(slash + 1);
  } else {
    registry = 'docker.io';
    repository = name;
  }
  if (repository !== repository.toLowerCase()) throw new ReferenceError('repository name must be lowercase');
  if (DOCKER_HUB_ALIASES.has(registry)) {
    registry = 'docker.io';
    if (!repository.includes('/')) repository = `library/${repository}`;
  }
  const finalTag = tag ?? (digest ? null : 'latest');
  const ref = `${registry}/${repository}${finalTag ? `:${finalTag}` : ''}${digest ? `@${digest}` : ''}`;
  return { ref, registry, repository, tag: finalTag, digest };
}
