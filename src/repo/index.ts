/**
 * A Helm chart repository client: `index.yaml`, chart version selection, chart download with
 * the index's digest checked, and small text documents (external mitigation notes).
 *
 * Semantics follow helm (pkg/repo): the index is `<repo URL>/index.yaml` (query kept); chart URLs
 * are resolved against the repository URL with a trailing slash (`ResolveReferenceURL`); entries
 * whose version is not SemVer are skipped; with no version the newest non-prerelease wins
 * (constraint `*`), otherwise an exact match first, then the newest version the Masterminds
 * constraint accepts. Unlike helm, the download is refused unless its SHA-256 equals the index's
 * `digest`.
 */
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../model/errors.js';
import { checkConstraints, compareVersions, parseConstraints, parseVersion, type MVersion } from '../chart/semver-range.js';
import { checkHttpUrl, fetchBytes, redactUrl, type RepoFetchOptions } from './http.js';

export type { RepoAccess, RepoFetchOptions } from './http.js';
export { DEFAULT_REPO_DEADLINE_MS } from './http.js';

/** One version of one chart in an index. */
export interface ChartVersionEntry {
  name: string;
  version: string;
  urls: string[];
  /** As in the index (helm writes bare hex), or undefined when absent. */
  digest: string | undefined;
  created: string | undefined;
  appVersion: string | undefined;
  description: string | undefined;
  apiVersion: string | undefined;
  type: string | undefined;
  deprecated: boolean;
  /** The entry as parsed (every scalar a string: the index is read with YAML's failsafe schema). */
  raw: Record<string, unknown>;
}

export interface SkippedEntry {
  chart: string;
  version: string | null;
  reason: string;
}

export interface RepoIndex {
  /** The URL the index came from (user info removed), for messages. */
  source: string;
  apiVersion: string;
  generated: string | undefined;
  /** Chart name → versions, newest first (SemVer order, Masterminds rules). */
  entries: Map<string, ChartVersionEntry[]>;
  /** Entries left out, as helm does, with why (invalid version, not a mapping…). */
  skipped: SkippedEntry[];
}

export const DEFAULT_INDEX_MAX_BYTES = 100 * 1024 * 1024;
export const DEFAULT_CHART_MAX_BYTES = 100 * 1024 * 1024;
export const DEFAULT_TEXT_MAX_BYTES = 1024 * 1024;
const MAX_ALIASES = 100;

/** `<repo URL>/index.yaml`, the query string kept (helm's `url.JoinPath`). */
export function indexUrl(repoUrl: string): string {
  const u = checkHttpUrl(repoUrl, 'repository');
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/index.yaml`;
  u.hash = '';
  return u.toString();
}

/** helm's `ResolveReferenceURL`: absolute URLs as they are; relative ones against `<repo URL>/`, with the repository's query. */
export function resolveReferenceUrl(repoUrl: string, ref: string): string {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(ref)) return ref;
  const base = new URL(repoUrl);
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/`;
  const query = base.search;
  base.hash = '';
  const out = new URL(ref, base);
  out.search = query;
  return out.toString();
}

const s = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Parses index bytes; `source` names them in messages. InputError for anything that is not an index. */
export function parseIndex(bytes: Buffer | string, source: string): RepoIndex {
  let text: string;
  if (typeof bytes === 'string') text = bytes;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new InputError(`${source}: not a Helm repository index (not UTF-8 text)`, source);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let doc: unknown;
  try {
    doc = parseYaml(text, { schema: 'failsafe', maxAliasCount: MAX_ALIASES, uniqueKeys: false, prettyErrors: false });
  } catch (e) {
    const m = (e as Error).message.split('\n', 1)[0] ?? '';
    throw new InputError(`${source}: not a Helm repository index: ${/alias/i.test(m) ? `too many YAML aliases (${m})` : m}`, source);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new InputError(`${source}: not a Helm repository index (expected a YAML mapping with apiVersion and entries)`, source);
  }
  const d = doc as Record<string, unknown>;
  const apiVersion = s(d.apiVersion);
  if (!apiVersion) throw new InputError(`${source}: not a Helm repository index (no apiVersion)`, source);
  const rawEntries = d.entries;
  if (rawEntries !== undefined && rawEntries !== null && (typeof rawEntries !== 'object' || Array.isArray(rawEntries))) {
    throw new InputError(`${source}: not a Helm repository index (entries is not a mapping)`, source);
  }
  const entries = new Map<string, ChartVersionEntry[]>();
  const skipped: SkippedEntry[] = [];
  for (const [chart, list] of Object.entries((rawEntries ?? {}) as Record<string, unknown>)) {
    if (!Array.isArray(list)) {
      skipped.push({ chart, version: null, reason: 'not a list of versions' });
      continue;
    }
    const versions: { e: ChartVersionEntry; v: MVersion }[] = [];
    for (const item of list) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        skipped.push({ chart, version: null, reason: 'not a mapping' });
        continue;
      }
      const o = item as Record<string, unknown>;
      const version = s(o.version);
      const v = version === undefined ? null : parseVersion(version);
      if (version === undefined || v === null) {
        skipped.push({ chart, version: version ?? null, reason: version === undefined ? 'no version' : `invalid version ${JSON.stringify(version)}` });
        continue;
      }
      const urls = Array.isArray(o.urls) ? o.urls.filter((u): u is string => typeof u === 'string' && u !== '') : typeof o.urls === 'string' ? [o.urls] : [];
      versions.push({
        v,
        e: {
          name: s(o.name) ?? chart,
          version,
          urls,
          digest: s(o.digest) || undefined,
          created: s(o.created),
          appVersion: s(o.appVersion),
          description: s(o.description),
          apiVersion: s(o.apiVersion),
          type: s(o.type),
          deprecated: s(o.deprecated) === 'true',
          raw: o,
        },
      });
    }
    // Newest first; equal versions keep the newer `created` first.
    versions.sort((a, b) => compareVersions(b.v, a.v) || (b.e.created ?? '').localeCompare(a.e.created ?? ''));
    entries.set(
      chart,
      versions.map((x) => x.e),
    );
  }
  return { source, apiVersion, generated: s(d.generated), entries, skipped };
}

/**
 * Downloads and parses `<repoUrl>/index.yaml`. `opts.deadlineMs` bounds the fetch (default
 * DEFAULT_REPO_DEADLINE_MS); `opts.onRetry` hears of each retry.
 */
export async function fetchIndex(repoUrl: string, opts: RepoFetchOptions = {}): Promise<RepoIndex> {
  const url = indexUrl(repoUrl);
  // The index URL says what it is: messages start with it (`https://…/index.yaml: connection refused`).
  const bytes = await fetchBytes(url, null, {
    ...opts,
    maxBytes: opts.maxBytes ?? DEFAULT_INDEX_MAX_BYTES,
    credentialOrigin: repoUrl,
    notFoundHint: 'is the repository URL right?',
  });
  return parseIndex(bytes, redactUrl(url));
}

function listVersions(list: ChartVersionEntry[], max = 10): string {
  const shown = list.slice(0, max).map((e) => e.version);
  return `${shown.join(', ')}${list.length > max ? `, … (${list.length} in all)` : ''}`;
}

/**
 * The entry for `chart` at `version`: with no version the newest non-prerelease; otherwise the
 * exact version, else the newest one the constraint (`^1.2`, `>=2 <3`, `~1.4.x`…) accepts.
 */
export function resolveChartVersion(index: RepoIndex, chart: string, version?: string): ChartVersionEntry {
  const list = index.entries.get(chart);
  if (!list) {
    const lower = chart.toLowerCase();
    const similar = [...index.entries.keys()].filter((n) => n.toLowerCase().includes(lower) || lower.includes(n.toLowerCase())).slice(0, 5);
    throw new InputError(`chart ${chart} not found in repo ${index.source}${similar.length ? `; similar: ${similar.join(', ')}` : ''}`, index.source);
  }
  if (list.length === 0) {
    const bad = index.skipped.filter((x) => x.chart === chart);
    throw new InputError(`chart ${chart} has no usable version in repo ${index.source}${bad.length ? ` (${bad.length} skipped: ${bad[0]!.reason})` : ''}`, index.source);
  }
  const want = version?.trim();
  if (!want) {
    const stable = list.find((e) => parseVersion(e.version)!.pre === '');
    if (!stable) throw new InputError(`chart ${chart} has only pre-release versions in repo ${index.source} (${listVersions(list)}); pass --version`, index.source);
    return stable;
  }
  const exact = list.find((e) => e.version === want);
  if (exact) return exact;
  const cs = parseConstraints(want);
  if (cs) {
    const hit = list.find((e) => checkConstraints(cs, parseVersion(e.version)!));
    if (hit) return hit;
  }
  throw new InputError(`chart ${chart}: version ${want} not found in repo ${index.source}, available: ${listVersions(list)}`, index.source);
}

/** `sha256:<hex>` of the bytes. */
export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** The index's digest as `sha256:<hex>` (helm writes bare hex), or null when it is not a SHA-256. */
export function normaliseDigest(d: string): string | null {
  const m = /^(?:sha256:)?([0-9a-fA-F]{64})$/.exec(d.trim());
  return m ? `sha256:${m[1]!.toLowerCase()}` : null;
}

export interface DownloadedChart {
  bytes: Buffer;
  /** The URL it was downloaded from (user info removed). */
  url: string;
  /** `sha256:<hex>` of the bytes, equal to the index's digest. */
  digest: string;
  /** The archive's file name (last path segment of the URL). */
  fileName: string;
}

export interface DownloadChartOptions extends RepoFetchOptions {
  /** Accept an entry without a `digest` (default false: refused, the download could not be checked). */
  allowMissingDigest?: boolean;
}

/** The chart URL of an entry (its first `urls` item, resolved against the repository URL). */
export function chartUrl(entry: ChartVersionEntry, repoUrl: string): string {
  const first = entry.urls[0];
  if (first === undefined) throw new InputError(`chart ${entry.name} ${entry.version}: the index lists no download URL`);
  return resolveReferenceUrl(repoUrl, first);
}

/** Downloads the chart archive of `entry` and checks its SHA-256 against the index's `digest`. */
export async function downloadChart(entry: ChartVersionEntry, repoUrl: string, opts: DownloadChartOptions = {}): Promise<DownloadedChart> {
  const what = `chart ${entry.name} ${entry.version}`;
  let expected: string | null = null;
  if (entry.digest !== undefined) {
    expected = normaliseDigest(entry.digest);
    if (expected === null) throw new InputError(`${what}: the index's digest ${JSON.stringify(entry.digest)} is not a SHA-256`);
  } else if (!opts.allowMissingDigest) {
    throw new InputError(`${what}: the index gives no digest, so the download cannot be checked`);
  }
  const url = chartUrl(entry, repoUrl);
  const bytes = await fetchBytes(url, what, { ...opts, maxBytes: opts.maxBytes ?? DEFAULT_CHART_MAX_BYTES, credentialOrigin: repoUrl });
  const got = sha256Digest(bytes);
  if (expected !== null && got !== expected) {
    throw new InputError(`${what}: digest mismatch: index says ${expected}, downloaded ${got} (${redactUrl(url)})`, redactUrl(url));
  }
  const path = new URL(url).pathname;
  return { bytes, url: redactUrl(url), digest: got, fileName: decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || `${entry.name}-${entry.version}.tgz` };
}

/** The chart's `.prov` file (`<chart URL>.prov`, as `helm pull --prov`), or null when the repository has none (HTTP 404). */
export async function downloadProvenance(entry: ChartVersionEntry, repoUrl: string, opts: RepoFetchOptions = {}): Promise<Buffer | null> {
  const url = new URL(chartUrl(entry, repoUrl));
  url.pathname += '.prov';
  try {
    return await fetchBytes(url.toString(), `provenance of chart ${entry.name} ${entry.version}`, {
      ...opts,
      maxBytes: opts.maxBytes ?? DEFAULT_TEXT_MAX_BYTES,
      credentialOrigin: repoUrl,
    });
  } catch (e) {
    if (e instanceof InputError && /HTTP 404\b/.test(e.message)) return null;
    throw e;
  }
}

export interface FetchTextOptions extends RepoFetchOptions {
  /** Allow plain http to any host (default: https, or http to a loopback address only). */
  allowHttp?: boolean;
  /** Names the document in messages (default "notes"). */
  what?: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A small text document at `url` (an external `security-mitigation.yaml`): bounded size
 * (default 1 MiB), UTF-8 text only (a BOM is dropped; NUL bytes or invalid UTF-8 are refused),
 * https unless `allowHttp` or a loopback host. No credentials are sent unless `opts.access`
 * has some (then only to the URL's own host).
 */
export async function fetchText(url: string, opts: FetchTextOptions = {}): Promise<string> {
  const what = opts.what ?? 'notes';
  const u = checkHttpUrl(url, what);
  if (u.protocol === 'http:' && !opts.allowHttp && !LOOPBACK.has(u.hostname) && !u.hostname.startsWith('127.')) {
    throw new InputError(`${what}: ${redactUrl(url)} is plain http; only https is followed`);
  }
  const bytes = await fetchBytes(url, what, { ...opts, maxBytes: opts.maxBytes ?? DEFAULT_TEXT_MAX_BYTES });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${what}: ${redactUrl(url)} is not UTF-8 text`, redactUrl(url));
  }
  if (text.includes('\0')) throw new InputError(`${what}: ${redactUrl(url)} is not text (it holds NUL bytes)`, redactUrl(url));
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
