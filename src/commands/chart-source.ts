/**
 * Where a chart comes from when it is not a file here: `oci://host[:port]/path/name[:tag][@digest]`
 * (a registry, as helm 3.8+/4 pushes charts) or `<repo>/<chart>` (a repository of helm's
 * repositories file, as `helm pull` finds it). The archive and its provenance come back as bytes,
 * for the same checks as a `.tgz` with a `.prov` beside it; a local path gives null.
 *
 * Versions follow helm (pkg/registry `ValidateReference`, `Tags`, `GetTagMatchingVersionOrConstraint`):
 * a `--version` that reads as a version is the tag itself (`+` written `_`, helm's tag
 * convention); anything else is a constraint matched against the repository's tags that are
 * strict SemVer (`_` read back as `+`), newest first, an exact tag first; no version at all is
 * the constraint `*` (the newest non-prerelease). A tag in the reference stands for `--version`.
 * Repositories: `resolveChartVersion` (src/repo/index.ts) does what `helm pull` does.
 *
 * `--offline`: a registry chart is served from the blob cache when its tag (or digest) was
 * resolved online before, as images are; a constraint needs the tag list and a repository chart
 * needs the repository, so both are usage errors that say so.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError, UsageError } from '../model/errors.js';
import { checkConstraints, compareVersions, parseConstraintsOrError, parseVersion, type MVersion } from '../chart/semver-range.js';
import { RegistryClient, type RegistryManifest } from '../registry/client.js';
import { CredentialStore, credentialFiles, normaliseHostKey, parseDockerConfig, type DockerConfig } from '../registry/credentials.js';
import { RegistryError } from '../registry/errors.js';
import type { Descriptor } from '../registry/manifest.js';
import { parseImageReference, ReferenceError, type ImageReference } from '../images/reference.js';
import { chartNameIn, resolveChartRef } from '../repo/repositories.js';
import { DEFAULT_CHART_MAX_BYTES, DEFAULT_TEXT_MAX_BYTES, downloadChart, downloadProvenance, fetchIndex, resolveChartVersion, sha256Digest } from '../repo/index.js';
import { redactUrl } from '../repo/http.js';
import { chartRefKind } from './chart-ref.js';
import type { Env } from './context.js';

/** helm's media types for a chart in a registry (pkg/registry/constants.go). */
export const HELM_MEDIA = {
  config: 'application/vnd.cncf.helm.config.v1+json',
  chart: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
  legacyChart: 'application/tar+gzip',
  prov: 'application/vnd.cncf.helm.chart.provenance.v1.prov',
} as const;

/** The largest chart layer (helm's loader reads at most this much of an archive). */
export const MAX_CHART_LAYER_BYTES = DEFAULT_CHART_MAX_BYTES;
/** The largest provenance layer: a .prov is a signed YAML of a few KiB. */
export const MAX_PROV_LAYER_BYTES = DEFAULT_TEXT_MAX_BYTES;
/** The largest chart config (chart metadata as JSON). */
const MAX_CONFIG_BYTES = 1024 * 1024;
/** Tags named in a "no version satisfies" message. */
const SHOWN_TAGS = 5;

export interface ChartSourceOptions {
  /** `--version`: a version, a tag or a SemVer constraint (`^1.2`, `>=2 <3`). */
  version?: string | undefined;
  /** `--repo URL`: take `<chart>` from this repository; helm's repositories file is not read. */
  repo?: string | undefined;
  /** `--offline`. */
  offline: boolean;
  /** `--registry-config FILE` (else helm's registry config, then docker's and Podman's files). */
  registryConfig?: string | undefined;
  /** `--registry-mirror REGISTRY=HOST[:PORT]` (repeatable). */
  mirrors?: readonly string[] | undefined;
  /** `--insecure-registry HOST[:PORT]` (repeatable). */
  insecure?: readonly string[] | undefined;
  /** Most time one request (retries included) may take: a registry resolve or blob, a repository file. */
  deadlineMs?: number | undefined;
  onRetry?: ((message: string) => void) | undefined;
  /**
   * A client to use (shared with the image pulls of the same run); its own settings (cache,
   * mirrors, credentials, offline) then apply and the registry options above are not used.
   */
  registry?: RegistryClient | undefined;
}

export type ChartOrigin =
  | { kind: 'oci'; /** The reference fetched (`oci://host/path/name:tag` or `…@digest`). */ ref: string; tag: string | null; manifestDigest: string }
  | { kind: 'repo'; /** The repository's name in helm's file, or null with `--repo`. */ repository: string | null; repositoryUrl: string; chartUrl: string };

export interface FetchedChart {
  /** The chart as messages and reports name it: `oci://host/charts/demo:1.2.3`, `shop/storefront 5.0.1`. */
  label: string;
  /** The archive's file name as `helm pull` saves it (`<name>-<version>.tgz`): the key in its .prov's `files:`. */
  filename: string;
  archive: Buffer;
  /** The provenance (the registry's prov layer, the repository's `<chart URL>.prov`); null: unsigned. */
  prov: Buffer | null;
  /** Where the provenance was looked for, for reasons ("no provenance file …"). */
  provName: string;
  /** `sha256:<hex>` of the archive. */
  digest: string;
  /** The version chosen (`+` form). */
  version: string;
  origin: ChartOrigin;
  warnings: string[];
}

/**
 * The chart `ref` names, fetched: an `oci://` reference or `<repo>/<chart>` (see the module
 * comment), or null for a local path (the caller reads it). InputError (exit 2) for what the
 * registry or repository says or holds, UsageError for a reference or flags that cannot work.
 */
export async function fetchChart(ref: string, opts: ChartSourceOptions, e: Env): Promise<FetchedChart | null> {
  switch (chartRefKind(ref, opts)) {
    case 'local':
      return null;
    case 'oci':
      return fetchOciChart(ref.trim(), opts, e);
    case 'repo':
      return fetchRepoChart(ref.trim(), opts, e);
  }
}

// --- registries -------------------------------------------------------------------------

export interface OciChartRef {
  /** As given, for messages. */
  raw: string;
  /** `host[:port]` as given (lower case). */
  host: string;
  /** The registry key: the host, Docker Hub's aliases folded into docker.io (mirrors and credentials use it). */
  registry: string;
  repository: string;
  /** The tag in the reference, `+` already written `_` (helm's convention), or null. */
  tag: string | null;
  digest: string | null;
}

const HOST = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:]+\])(:[0-9]{1,5})?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

/**
 * `oci://HOST[:PORT]/PATH/NAME[:TAG][@DIGEST]`. The first component is always the registry
 * (as oras reads it; docker's "no dot means Docker Hub" does not apply). UsageError otherwise.
 */
export function parseOciChartRef(raw: string): OciChartRef {
  const bad = (why: string): UsageError => new UsageError(`${raw}: ${why} (expected oci://HOST[:PORT]/PATH/NAME[:TAG][@DIGEST])`);
  if (!raw.startsWith('oci://')) throw bad('not an oci:// reference');
  const rest = raw.slice('oci://'.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) throw bad('no registry host and chart path');
  const host = rest.slice(0, slash).toLowerCase();
  if (!HOST.test(host)) throw bad(`${JSON.stringify(host)} is not a registry host`);
  let path = rest.slice(slash + 1);
  let digest: string | null = null;
  const at = path.lastIndexOf('@');
  if (at >= 0) {
    digest = path.slice(at + 1);
    path = path.slice(0, at);
    if (!DIGEST.test(digest)) throw bad(`${JSON.stringify(digest.slice(0, 140))} is not a sha256 or sha512 digest`);
  }
  let tag: string | null = null;
  const colon = path.lastIndexOf(':');
  if (colon > path.lastIndexOf('/')) {
    tag = path.slice(colon + 1).replace(/\+/g, '_');
    path = path.slice(0, colon);
    if (!TAG.test(tag)) throw bad(`${JSON.stringify(tag.slice(0, 140))} is not a valid tag`);
  }
  // The path by the distribution grammar (lower case, separators), under a stand-in host.
  let repository: string;
  try {
    const p = parseImageReference(`localhost/${path}`);
    if (p.registry !== 'localhost' || p.digest !== null || p.tag !== 'latest') throw new ReferenceError('invalid reference format');
    repository = p.repository;
  } catch (err) {
    if (err instanceof ReferenceError) throw bad(`${JSON.stringify(path)} is not a repository path: ${err.message}`);
    throw err;
  }
  return { raw, host, registry: normaliseHostKey(host), repository, tag, digest };
}

/** The ImageReference the registry client takes, with the oci:// form in every message. */
function imageRef(r: OciChartRef, pick: { tag?: string; digest?: string }): ImageReference {
  const ref = `oci://${r.host}/${r.repository}${pick.tag ? `:${pick.tag}` : ''}${pick.digest ? `@${pick.digest}` : ''}`;
  return { ref, registry: r.registry, repository: r.repository, tag: pick.tag ?? null, digest: pick.digest ?? null };
}

/** Masterminds `StrictNewVersion`: exactly MAJOR.MINOR.PATCH, no `v`, no leading zeros. */
export function parseStrictVersion(s: string): MVersion | null {
  if (!/^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(s)) return null;
  return parseVersion(s);
}

/** helm's `Tags`: the tags that are strict SemVer once `_` is read as `+`, newest first, in `+` form. */
export function semverTags(tags: readonly string[]): string[] {
  const vs: MVersion[] = [];
  for (const t of tags) {
    const v = parseStrictVersion(t.replace(/_/g, '+'));
    if (v) vs.push(v);
  }
  // stable sort: equal versions (differing only in build metadata) keep the registry's order
  return vs.sort((a, b) => compareVersions(b, a)).map((v) => v.original);
}

export type TagChoice = { tag: string } | { error: string; /** the flag is at fault, not the registry's tags */ usage: boolean };

/**
 * helm's `GetTagMatchingVersionOrConstraint` over `tags` (semverTags' output): an exact match
 * first, else the first (newest) the constraint accepts; `''` is the constraint `*`.
 */
export function matchTag(tags: readonly string[], version: string): TagChoice {
  if (version !== '' && tags.includes(version)) return { tag: version };
  const cs = parseConstraintsOrError(version === '' ? '*' : version);
  if (typeof cs === 'string') return { error: `--version ${JSON.stringify(version)} is neither a version nor a constraint (${cs})`, usage: true };
  for (const t of tags) if (checkConstraints(cs, parseVersion(t)!)) return { tag: t };
  const shown = tags.slice(0, SHOWN_TAGS).join(', ');
  const what = version === '' ? 'no version without a pre-release part (pass --version to pick one)' : `no version satisfies --version ${JSON.stringify(version)}`;
  return { error: `${what}; newest tags: ${shown}${tags.length > SHOWN_TAGS ? ` (${tags.length} in all)` : ''}`, usage: false };
}

/** `version` as helm takes it for a tag: a version (`+` written `_`) when it reads as one, else null (a constraint). */
function versionAsTag(version: string): string | null {
  if (parseVersion(version) !== null) return version.replace(/\+/g, '_');
  // the registry's own spelling (`1.2.3_build.5`) is accepted too, unlike helm
  if (version.includes('_') && parseVersion(version.replace(/_/g, '+')) !== null && TAG.test(version)) return version;
  return null;
}

/** helm's registry credentials file: `$HELM_REGISTRY_CONFIG`, else `registry/config.json` in helm's config home. */
export function helmRegistryConfigPath(e: Env): string {
  const env = e.env;
  if (env.HELM_REGISTRY_CONFIG) return env.HELM_REGISTRY_CONFIG;
  if (env.HELM_CONFIG_HOME) return join(env.HELM_CONFIG_HOME, 'registry', 'config.json');
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'helm', 'registry', 'config.json');
  const home = env.HOME || e.home || homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Preferences', 'helm', 'registry', 'config.json');
  if (process.platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'helm', 'registry', 'config.json');
  return join(home, '.config', 'helm', 'registry', 'config.json');
}

/**
 * Credentials as helm looks them up for a chart: `helm registry login`'s file first, then
 * docker's and Podman's; `--registry-config` alone when given.
 */
export function chartCredentials(opts: ChartSourceOptions, e: Env): CredentialStore {
  const files = opts.registryConfig ? [opts.registryConfig] : [helmRegistryConfigPath(e), ...credentialFiles({ env: e.env })];
  const configs: DockerConfig[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (opts.registryConfig) throw new RegistryError(`--registry-config ${file}: cannot read it (${code === 'ENOENT' ? 'no such file' : code ?? (err as Error).message})`, 'reference', file);
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw new RegistryError(`${file}: cannot read it (${code ?? (err as Error).message})`, 'reference', file);
    }
    configs.push(parseDockerConfig(text, file));
  }
  return new CredentialStore(configs, { env: e.env });
}

async function fetchOciChart(raw: string, opts: ChartSourceOptions, e: Env): Promise<FetchedChart> {
  const r = parseOciChartRef(raw);
  const base = `oci://${r.host}/${r.repository}`;
  const given = opts.version?.trim() ?? '';
  if (given !== '' && r.tag !== null && given.replace(/\+/g, '_') !== r.tag) {
    throw new UsageError(`${raw}: the reference's tag ${r.tag} and --version ${given} disagree (give one of them)`);
  }
  if (opts.registry && opts.offline && !opts.registry.offline) throw new Error('fetchChart: offline, but the registry client given is not an offline one');
  const client = opts.registry ?? new RegistryClient({
    env: e.env,
    credentials: chartCredentials(opts, e),
    offline: opts.offline,
    ...(opts.mirrors ? { mirrors: opts.mirrors } : {}),
    ...(opts.insecure ? { insecure: opts.insecure } : {}),
    ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}),
    ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
  });
  try {
    const offline = client.offline;
    const version = given !== '' ? given : r.tag ?? '';
    let pick: { tag?: string; digest?: string };
    if (r.digest !== null && version === '') {
      pick = { digest: r.digest };
    } else {
      let tag = versionAsTag(version);
      if (tag === null) {
        if (offline) {
          throw new UsageError(`${base}: ${version === '' ? 'the newest version' : `--version ${JSON.stringify(version)}`} needs the registry's tag list, and --offline forbids the network; give an exact --version (served from the cache when it was fetched before)`);
        }
        const tags = semverTags(await client.listTags(imageRef(r, {})));
        if (tags.length === 0) throw new InputError(`${base}: the repository has no tag that is a SemVer version (helm pushes charts tagged with their version)`, base);
        const choice = matchTag(tags, version);
        if ('error' in choice) {
          const err = `${base}: ${choice.error}`;
          throw choice.usage ? new UsageError(err) : new InputError(err, base);
        }
        tag = choice.tag.replace(/\+/g, '_');
      }
      pick = { tag };
    }
    let m;
    try {
      m = await client.resolveManifest(imageRef(r, pick));
    } catch (err) {
      // with a digest the tag need not exist (helm: "the resource does not have to be tagged")
      if (!(r.digest !== null && err instanceof RegistryError && err.kind === 'not-found')) throw await explainMissing(err, client, r, pick, offline);
      pick = { tag: pick.tag!, digest: r.digest };
      m = await client.resolveManifest(imageRef(r, { digest: r.digest })).catch(async (e2: unknown) => {
        throw await explainMissing(e2, client, r, {}, offline);
      });
    }
    if (r.digest !== null && m.digest !== r.digest) {
      throw new InputError(`${raw}: tag ${pick.tag} is ${m.digest}, not the digest the reference names`, raw);
    }
    const label = m.ref;
    const ir = imageRef(r, pick);
    if (m.manifest.kind !== 'manifest') throw new InputError(`${label}: an index (${m.manifest.mediaType}), not a Helm chart manifest`, label);
    const man = m.manifest;
    if (man.config.mediaType !== HELM_MEDIA.config) {
      const image = man.config.mediaType === 'application/vnd.oci.image.config.v1+json' || man.config.mediaType === 'application/vnd.docker.container.image.v1+json';
      throw new InputError(`${label}: not a Helm chart (its config is ${man.config.mediaType || 'untyped'}, not ${HELM_MEDIA.config})${image ? '; a container image: `chartaudit image` reads it' : ''}`, label);
    }
    const warnings: string[] = [];
    const chartLayers = man.layers.filter((l) => l.mediaType === HELM_MEDIA.chart || l.mediaType === HELM_MEDIA.legacyChart);
    const provLayers = man.layers.filter((l) => l.mediaType === HELM_MEDIA.prov);
    if (chartLayers.length === 0) throw new InputError(`${label}: the manifest has no chart layer (${HELM_MEDIA.chart})`, label);
    if (chartLayers.length > 1) throw new InputError(`${label}: the manifest has ${chartLayers.length} chart layers; which one is the chart is ambiguous`, label);
    if (provLayers.length > 1) throw new InputError(`${label}: the manifest has ${provLayers.length} provenance layers; which one is the chart's is ambiguous`, label);
    const chartLayer = chartLayers[0]!;
    if (chartLayer.mediaType === HELM_MEDIA.legacyChart) warnings.push(`${label}: chart media type ${HELM_MEDIA.legacyChart} is deprecated (helm says so too)`);
    // both sizes judged before either is fetched
    checkSize(chartLayer, MAX_CHART_LAYER_BYTES, 'chart layer', label);
    if (provLayers[0]) checkSize(provLayers[0], MAX_PROV_LAYER_BYTES, 'provenance layer', label);
    const archive = await layer(client, ir, m, chartLayer, MAX_CHART_LAYER_BYTES, 'chart layer', label);
    const prov = provLayers[0] ? await layer(client, ir, m, provLayers[0], MAX_PROV_LAYER_BYTES, 'provenance layer', label) : null;

    let chartVersion: string;
    let name = r.repository.slice(r.repository.lastIndexOf('/') + 1);
    if (pick.tag) {
      chartVersion = pick.tag.replace(/_/g, '+');
    } else {
      // by digest alone: the name and version helm's config records (helm pull names the file from the ref)
      const meta = chartMeta(await layer(client, ir, m, man.config, MAX_CONFIG_BYTES, 'config', label), label);
      name = meta.name;
      chartVersion = meta.version;
    }
    return {
      label,
      filename: `${name}-${chartVersion}.tgz`,
      archive,
      prov,
      provName: `${label} (provenance layer ${HELM_MEDIA.prov})`,
      digest: sha256Digest(archive),
      version: chartVersion,
      origin: { kind: 'oci', ref: label, tag: pick.tag ?? null, manifestDigest: m.digest },
      warnings,
    };
  } finally {
    if (!opts.registry) await client.close();
  }
}

function checkSize(d: Descriptor, max: number, what: string, label: string): void {
  if (d.size > max) throw new InputError(`${label}: the ${what} is ${d.size} bytes, more than the ${max} bytes allowed`, label);
}

async function layer(client: RegistryClient, ir: ImageReference, m: RegistryManifest, d: Descriptor, max: number, what: string, label: string): Promise<Buffer> {
  checkSize(d, max, what, label);
  try {
    return await client.blobBytes(ir, m, d, max);
  } catch (err) {
    if (err instanceof RegistryError && err.kind === 'offline' && client.offline) throw offlineMiss(label);
    throw err;
  }
}

function chartMeta(bytes: Buffer, label: string): { name: string; version: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new InputError(`${label}: the chart config is not JSON`, label);
  }
  const o = (doc ?? {}) as Record<string, unknown>;
  const ok = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9][A-Za-z0-9._+-]{0,252}$/.test(v);
  if (!ok(o.name) || !ok(o.version)) throw new InputError(`${label}: the chart config names no usable chart name and version`, label);
  return { name: o.name, version: o.version };
}

function offlineMiss(label: string): UsageError {
  return new UsageError(`${label}: not in the cache, and a remote chart needs the network, which --offline forbids (fetch it once without --offline)`);
}

/** A missing tag says which tags there are (helm says only "not found"); an offline miss is a usage error. */
async function explainMissing(err: unknown, client: RegistryClient, r: OciChartRef, pick: { tag?: string; digest?: string }, offline: boolean): Promise<unknown> {
  if (!(err instanceof RegistryError)) return err;
  if (err.kind === 'offline' && offline) return offlineMiss(imageRef(r, pick).ref);
  if (err.kind !== 'not-found' || !pick.tag || offline) return err;
  let tags: string[];
  try {
    tags = semverTags(await client.listTags(imageRef(r, {})));
  } catch {
    return err; // no repository at all: the 404 says enough
  }
  const base = `oci://${r.host}/${r.repository}`;
  const shown = tags.slice(0, SHOWN_TAGS).join(', ');
  return new InputError(`${base}: version ${pick.tag.replace(/_/g, '+')} not found (no tag ${pick.tag}); ${tags.length ? `newest tags: ${shown}${tags.length > SHOWN_TAGS ? ` (${tags.length} in all)` : ''}` : 'it has no SemVer tags'}`, base);
}

// --- repositories -----------------------------------------------------------------------

async function fetchRepoChart(ref: string, opts: ChartSourceOptions, e: Env): Promise<FetchedChart> {
  if (opts.offline) {
    throw new UsageError(`${ref}: a chart from a Helm repository needs the network, which --offline forbids (download it with \`helm pull ${ref} --prov\` and name the .tgz)`);
  }
  const net = { ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}), ...(opts.onRetry ? { onRetry: opts.onRetry } : {}) };
  const warnings: string[] = [];
  const onWarning = (w: string): void => void warnings.push(w);
  const r = resolveChartRef(ref, { ...(opts.repo !== undefined ? { repoUrl: opts.repo } : {}), env: e.env, home: e.home });
  const index = await fetchIndex(r.url, { access: r.access, onWarning, ...net });
  const entry = resolveChartVersion(index, chartNameIn(r, (n) => index.entries.has(n)), opts.version?.trim() || undefined);
  const chart = await downloadChart(entry, r.url, { access: r.access, onWarning, ...net });
  const prov = await downloadProvenance(entry, r.url, { access: r.access, onWarning, ...net });
  if (entry.deprecated) warnings.push(`${r.asGiven} ${entry.version}: the repository marks this chart deprecated`);
  return {
    label: `${r.repoName !== null ? `${r.repoName}/` : ''}${entry.name} ${entry.version}`,
    filename: chart.fileName,
    archive: chart.bytes,
    prov,
    provName: `${chart.url}.prov`,
    digest: chart.digest,
    version: entry.version,
    origin: { kind: 'repo', repository: r.repoName, repositoryUrl: redactUrl(r.url), chartUrl: chart.url },
    warnings: [...new Set(warnings)],
  };
}
