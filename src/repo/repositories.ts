/**
 * helm's repositories file (`helm repo add` writes it) and `<repo>/<chart>` references.
 *
 * Path, as helm's `helmpath.ConfigPath("repositories.yaml")` with `$HELM_REPOSITORY_CONFIG` first:
 * `$HELM_REPOSITORY_CONFIG`, else `$HELM_CONFIG_HOME/repositories.yaml`, else
 * `$XDG_CONFIG_HOME/helm/repositories.yaml`, else the platform default: `~/.config/helm` (Linux
 * and others), `~/Library/Preferences/helm` (macOS), `%APPDATA%\helm` (Windows).
 *
 * A reference splits at its first `/` as helm does (`center/jfrog/artifactory` is chart
 * `jfrog/artifactory` of repository `center`). With `--repo URL` the file is not read, the chart
 * alone is enough, and a `<repo>/` prefix only names the repository.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError, UsageError } from '../model/errors.js';
import type { RepoAccess } from './http.js';

export interface RepositoryEntry extends RepoAccess {
  name: string;
  url: string;
}

export interface PathContext {
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  home?: string;
}

/** Where helm keeps its repositories file. */
export function helmRepositoryConfigPath(ctx: PathContext = {}): string {
  const env = ctx.env ?? process.env;
  const platform = ctx.platform ?? process.platform;
  const home = ctx.home ?? homedir();
  if (env.HELM_REPOSITORY_CONFIG) return env.HELM_REPOSITORY_CONFIG;
  if (env.HELM_CONFIG_HOME) return join(env.HELM_CONFIG_HOME, 'repositories.yaml');
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'helm', 'repositories.yaml');
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'helm', 'repositories.yaml');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'helm', 'repositories.yaml');
  return join(home, '.config', 'helm', 'repositories.yaml');
}

const MAX_FILE_BYTES = 4 * 1024 * 1024;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined);

/** Parses a repositories file's text; `file` names it in errors. */
export function parseRepositoriesFile(text: string, file: string): RepositoryEntry[] {
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 50, uniqueKeys: false });
  } catch (e) {
    throw new InputError(`${file}: not a valid helm repositories file: ${firstLine((e as Error).message)}`, file);
  }
  if (doc === null || doc === undefined) return [];
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new InputError(`${file}: not a helm repositories file (expected a mapping with \`repositories:\`)`, file);
  const list = (doc as Record<string, unknown>).repositories;
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) throw new InputError(`${file}: \`repositories\` is not a list`, file);
  const out: RepositoryEntry[] = [];
  list.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new InputError(`${file}: repositories[${i}] is not a mapping`, file);
    const o = r as Record<string, unknown>;
    const name = str(o.name);
    const url = str(o.url);
    if (!name || !url) throw new InputError(`${file}: repositories[${i}] has no ${!name ? 'name' : 'url'}`, file);
    const e: RepositoryEntry = { name, url };
    const set = <K extends keyof RepositoryEntry>(k: K, v: RepositoryEntry[K] | undefined): void => {
      if (v !== undefined && v !== '') e[k] = v;
    };
    set('username', str(o.username));
    set('password', str(o.password));
    set('caFile', str(o.caFile));
    set('certFile', str(o.certFile));
    set('keyFile', str(o.keyFile));
    set('insecureSkipTlsVerify', bool(o.insecure_skip_tls_verify));
    set('passCredentialsAll', bool(o.pass_credentials_all));
    out.push(e);
  });
  return out;
}

/** Reads helm's repositories file at `file`; InputError when missing, unreadable or malformed. */
export function readRepositoriesFile(file: string): RepositoryEntry[] {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new InputError(`no helm repositories file at ${file}: add the repository with \`helm repo add NAME URL\`, set HELM_REPOSITORY_CONFIG, or pass --repo URL`, file);
    }
    throw new InputError(`cannot read helm repositories file ${file}: ${code ?? (e as Error).message}`, file);
  }
  if (buf.length > MAX_FILE_BYTES) throw new InputError(`${file}: ${buf.length} bytes is more than the ${MAX_FILE_BYTES} a repositories file may have`, file);
  return parseRepositoriesFile(buf.toString('utf8'), file);
}

export interface ResolvedChartRef {
  /** The chart's name in the repository index. */
  chart: string;
  /**
   * The reference as given. With `--repo`, helm takes it whole as the chart name: a caller may
   * prefer it when the index has an entry of that name (`jfrog/artifactory` in a ChartCenter-style
   * index); see `chartNameIn`.
   */
  asGiven: string;
  /** The repository's name (from the reference or the file), or null for a bare `--repo` chart. */
  repoName: string | null;
  /** The repository URL (index.yaml lives under it). */
  url: string;
  /** Credentials and TLS settings from the repositories file (empty with `--repo`). */
  access: RepoAccess;
  /** The repositories file read, or null with `--repo`. */
  configFile: string | null;
}

export interface ResolveOptions extends PathContext {
  /** `--repo URL`: use this repository; the file is not read. */
  repoUrl?: string | undefined;
  /** Credentials for `--repo` (helm's --username/--password). */
  access?: RepoAccess | undefined;
  /** Read this repositories file instead of helm's default one. */
  configFile?: string | undefined;
}

function checkRepoUrl(url: string, source: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`${source}: ${JSON.stringify(url)} is not a URL`);
  }
  if (u.protocol === 'oci:') throw new UsageError(`${source}: OCI registries (${url}) are not supported yet`);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`${source}: ${JSON.stringify(url)} is not an http(s) URL`);
}

/**
 * Resolves `<repo>/<chart>` (or `<chart>` with `--repo`) to a chart name and repository.
 * UsageError for a malformed reference, InputError for the file or an unknown repository.
 */
export function resolveChartRef(ref: string, opts: ResolveOptions = {}): ResolvedChartRef {
  const r = ref.trim();
  if (r === '') throw new UsageError('name a chart: <repo>/<chart>, or <chart> with --repo URL');
  const slash = r.indexOf('/');
  const prefix = slash > 0 ? r.slice(0, slash) : null;
  const rest = slash >= 0 ? r.slice(slash + 1) : r;
  if (opts.repoUrl !== undefined) {
    checkRepoUrl(opts.repoUrl, '--repo');
    // With --repo, `<repo>/` only names the repository.
    if (rest === '') throw new UsageError(`${JSON.stringify(ref)}: no chart name`);
    return { chart: rest, asGiven: r, repoName: prefix, url: opts.repoUrl, access: { ...(opts.access ?? {}) }, configFile: null };
  }
  if (prefix === null || rest === '') {
    throw new UsageError(`${JSON.stringify(ref)}: name the chart as <repo>/<chart> (a repository added with \`helm repo add\`), or pass --repo URL`);
  }
  const file = opts.configFile ?? helmRepositoryConfigPath(opts);
  const repos = readRepositoriesFile(file);
  const found = repos.find((x) => x.name === prefix);
  if (!found) {
    const known = repos.map((x) => x.name);
    throw new InputError(
      `no repository named ${JSON.stringify(prefix)} in ${file}; ${known.length ? `known: ${known.join(', ')}` : 'it lists none'} (add it with \`helm repo add ${prefix} URL\` or pass --repo URL)`,
      file,
    );
  }
  checkRepoUrl(found.url, `${file}: repository ${found.name}`);
  const { name, url, ...access } = found;
  return { chart: rest, asGiven: r, repoName: name, url, access: { ...access, ...(opts.access ?? {}) }, configFile: file };
}

/** The chart name to look up in an index: `asGiven` with `--repo` when the index has it, else `chart`. */
export function chartNameIn(ref: ResolvedChartRef, has: (name: string) => boolean): string {
  return ref.configFile === null && ref.asGiven !== ref.chart && has(ref.asGiven) ? ref.asGiven : ref.chart;
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0] ?? s;
}
