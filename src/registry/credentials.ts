/**
 * Registry credentials from docker's `config.json` and Podman's `auth.json`:
 * `auths` (`auth` = base64 user:password, `identitytoken`, `username`/`password`), `credHelpers`
 * (per host) and `credsStore` (every host), the `docker-credential-<name> get` protocol (host on
 * stdin, `{"Username","Secret"}` out; Username `<token>` means Secret is an identity token).
 * Precedence as docker: credHelpers[host] > credsStore > auths. Each credential belongs to one
 * host; the client never sends it anywhere else.
 *
 * Parsing is bytes in, result out; only `loadCredentialStore` and the helper runner do I/O.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { RegistryError } from './errors.js';

export type Credential = (
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'identity-token'; token: string; username?: string }
) & {
  /** Where it came from, for messages: the file, or `docker-credential-<name>`. */
  source?: string;
};

export interface DockerConfig {
  /** The file it came from, for messages. */
  file: string;
  auths: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers: Record<string, string>;
  credsStore?: string;
}

const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Parses a config.json / auth.json. Throws RegistryError naming the file when it is not one. */
export function parseDockerConfig(text: string, file: string): DockerConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new RegistryError(`${file}: not valid JSON (${(e as Error).message})`, 'reference', file);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new RegistryError(`${file}: expected a JSON object`, 'reference', file);
  const o = doc as Record<string, unknown>;
  const auths: DockerConfig['auths'] = {};
  if (o.auths !== undefined) {
    if (typeof o.auths !== 'object' || o.auths === null || Array.isArray(o.auths)) throw new RegistryError(`${file}: "auths" must be an object`, 'reference', file);
    for (const [k, v] of Object.entries(o.auths as Record<string, unknown>)) {
      if (typeof v !== 'object' || v === null) continue;
      const e = v as Record<string, unknown>;
      const str = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);
      auths[k] = { auth: str(e.auth), username: str(e.username), password: str(e.password), identitytoken: str(e.identitytoken) };
    }
  }
  const credHelpers: Record<string, string> = {};
  if (o.credHelpers && typeof o.credHelpers === 'object') {
    for (const [k, v] of Object.entries(o.credHelpers as Record<string, unknown>)) if (typeof v === 'string' && v !== '') credHelpers[k] = v;
  }
  const credsStore = typeof o.credsStore === 'string' && o.credsStore !== '' ? o.credsStore : undefined;
  return { file, auths, credHelpers, ...(credsStore ? { credsStore } : {}) };
}

/** `https://host/v1/`, `host`, `http://host` → `host` (port kept), Docker Hub keys → docker.io. */
export function normaliseHostKey(key: string): string {
  let h = key.trim().replace(/^[a-z]+:\/\//i, '');
  h = h.split('/')[0]!.toLowerCase();
  return DOCKER_HUB_HOSTS.has(h) ? 'docker.io' : h;
}

/** The key a helper is asked about: docker's own spelling for Docker Hub, the host otherwise. */
export function helperServerUrl(host: string): string {
  return DOCKER_HUB_HOSTS.has(host) ? DOCKER_HUB_KEY : host;
}

/** The inline `auths` entry for `host`, decoded; null when there is none. Throws on a bad `auth`. */
export function inlineCredential(cfg: DockerConfig, host: string): Credential | null {
  const want = normaliseHostKey(host);
  const key = Object.keys(cfg.auths).find((k) => normaliseHostKey(k) === want);
  if (key === undefined) return null;
  const e = cfg.auths[key]!;
  if (e.identitytoken) return { kind: 'identity-token', token: e.identitytoken, ...(e.username ? { username: e.username } : {}) };
  if (e.auth) {
    const decoded = Buffer.from(e.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0 || !/^[A-Za-z0-9+/=\s]+$/.test(e.auth)) throw new RegistryError(`${cfg.file}: the "auth" of ${key} is not base64 of user:password`, 'reference', cfg.file);
    return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (e.username !== undefined && e.password !== undefined) return { kind: 'basic', username: e.username, password: e.password };
  return null;
}

/** The helper's name for `host`: credHelpers[host], else credsStore, else null. */
export function helperFor(cfg: DockerConfig, host: string): string | null {
  const want = normaliseHostKey(host);
  const key = Object.keys(cfg.credHelpers).find((k) => normaliseHostKey(k) === want);
  if (key !== undefined) return cfg.credHelpers[key]!;
  return cfg.credsStore ?? null;
}

/** A helper's JSON answer as a credential (bytes in, result out). */
export function parseHelperOutput(stdout: string, helper: string): Credential | null {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    throw new RegistryError(`docker-credential-${helper}: its answer is not JSON`, 'auth');
  }
  const o = (doc ?? {}) as Record<string, unknown>;
  const user = typeof o.Username === 'string' ? o.Username : '';
  const secret = typeof o.Secret === 'string' ? o.Secret : '';
  if (secret === '') return null;
  if (user === '<token>') return { kind: 'identity-token', token: secret };
  return { kind: 'basic', username: user, password: secret };
}

export interface CredentialLookupOptions {
  /** `--registry-config FILE`: the only file read when given. */
  configFile?: string | undefined;
  env?: Record<string, string | undefined>;
  /** Longest a credential helper may run (default 30 s). */
  helperTimeoutMs?: number;
}

/** The files looked at, in order: --registry-config, else docker's, then Podman's. */
export function credentialFiles(opts: CredentialLookupOptions): string[] {
  if (opts.configFile) return [opts.configFile];
  const env = opts.env ?? process.env;
  const home = env.HOME || homedir();
  const files = [env.DOCKER_CONFIG ? join(env.DOCKER_CONFIG, 'config.json') : join(home, '.docker', 'config.json')];
  if (env.REGISTRY_AUTH_FILE) files.push(env.REGISTRY_AUTH_FILE);
  if (env.XDG_RUNTIME_DIR) files.push(join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
  files.push(join(env.XDG_CONFIG_HOME || join(home, '.config'), 'containers', 'auth.json'));
  return files;
}

/** Looks credentials up per host across the config files, running helpers as needed (results kept per host). */
export class CredentialStore {
  private readonly configs: DockerConfig[];
  private readonly found = new Map<string, Promise<Credential | null>>();

  constructor(
    configs: DockerConfig[],
    private readonly opts: CredentialLookupOptions = {},
  ) {
    this.configs = configs;
  }

  /** The credential for `host` (`registry.example:5000`), or null for anonymous. */
  get(host: string): Promise<Credential | null> {
    const key = normaliseHostKey(host);
    let p = this.found.get(key);
    if (!p) {
      p = this.lookup(key);
      this.found.set(key, p);
    }
    return p;
  }

  private async lookup(host: string): Promise<Credential | null> {
    for (const cfg of this.configs) {
      const helper = helperFor(cfg, host);
      if (helper) {
        const c = await runHelper(helper, helperServerUrl(host), this.opts);
        if (c) return { ...c, source: `docker-credential-${helper}` };
      }
      const inline = inlineCredential(cfg, host);
      if (inline) return { ...inline, source: cfg.file };
    }
    return null;
  }
}

/** Reads the first credential file that exists (--registry-config must exist). */
export function loadCredentialStore(opts: CredentialLookupOptions = {}): CredentialStore {
  const configs: DockerConfig[] = [];
  for (const file of credentialFiles(opts)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (opts.configFile) throw new RegistryError(`--registry-config ${file}: cannot read it (${code === 'ENOENT' ? 'no such file' : code ?? (e as Error).message})`, 'reference', file);
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw new RegistryError(`${file}: cannot read it (${code ?? (e as Error).message})`, 'reference', file);
    }
    configs.push(parseDockerConfig(text, file));
  }
  return new CredentialStore(configs, opts);
}

/**
 * Runs `docker-credential-<helper> get` with `serverUrl` on stdin. A helper that says it has no
 * entry (non-zero exit, "credentials not found") gives null; one that cannot be run is an error.
 */
export function runHelper(helper: string, serverUrl: string, opts: CredentialLookupOptions = {}): Promise<Credential | null> {
  if (!/^[A-Za-z0-9._-]+$/.test(helper)) return Promise.reject(new RegistryError(`credential helper ${JSON.stringify(helper)}: not a helper name`, 'auth'));
  const exe = `docker-credential-${helper}`;
  const env = opts.env ?? process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(exe, ['get'], { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new RegistryError(`${exe} get: no answer within ${Math.round((opts.helperTimeoutMs ?? 30_000) / 1000)} s`, 'auth'));
    }, opts.helperTimeoutMs ?? 30_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (out.length < 1 << 20) out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (err.length < 4096) err += d;
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new RegistryError(`${exe}: ${e.code === 'ENOENT' ? 'not found on PATH (named by credHelpers/credsStore)' : e.message}`, 'auth'));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        const said = (out + err).trim().split('\n')[0] ?? '';
        if (/not found/i.test(said) || said === '') return resolve(null);
        return reject(new RegistryError(`${exe} get for ${serverUrl}: ${said}`, 'auth'));
      }
      try {
        resolve(parseHelperOutput(out, helper));
      } catch (e) {
        reject(e);
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(serverUrl);
  });
}
