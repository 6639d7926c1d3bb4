/**
 * The HTTP side of the chart repository client. It reuses `db update`'s downloader
 * (`src/vuln/db/http.ts`: time-outs, retries with backoff on 429/5xx/resets/time-outs/truncated
 * bodies, size caps, CHARTAUDIT_EXTRA_CA_CERTS, proxies, redirects) and adds what a Helm
 * repository needs on top:
 *
 * - the body in memory (the downloader streams to a file: we give it one in a private temp dir
 *   and read it back);
 * - basic auth from helm's repositories file, sent only to the repository's own scheme+host
 *   (helm's rule unless `pass_credentials_all`), and stripped by undici on a cross-origin redirect;
 * - a repository's `caFile`, trusted on top of the default roots (and CHARTAUDIT_EXTRA_CA_CERTS);
 * - an overall deadline per fetch (DEFAULT_REPO_DEADLINE_MS unless `deadlineMs` says otherwise);
 * - one-line InputErrors that name the URL and the problem in plain words, never a password.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dispatcher } from 'undici';
import { InputError } from '../model/errors.js';
import { DownloadError, download, makeDispatcher, type DownloadProgress, type FetchOptions } from '../vuln/db/http.js';

/** How to reach one repository: what helm's repositories file says about it. */
export interface RepoAccess {
  username?: string | undefined;
  password?: string | undefined;
  /** PEM file of CA certificates to trust for this repository, on top of the default roots. */
  caFile?: string | undefined;
  /** Not supported yet (TLS is always verified); a warning is given. */
  insecureSkipTlsVerify?: boolean | undefined;
  /** Client certificate: not supported yet; a warning is given. */
  certFile?: string | undefined;
  keyFile?: string | undefined;
  /** Send the credentials to every host, not only the repository's (helm's `pass_credentials_all`). */
  passCredentialsAll?: boolean | undefined;
}

/** A repository answers small files; past this the user hears why rather than waits. */
export const DEFAULT_REPO_DEADLINE_MS = 30_000;

/**
 * FetchOptions has `deadlineMs` (most time one fetch may take, every try included; default
 * DEFAULT_REPO_DEADLINE_MS) and `onRetry` (one line before each retry, for a progress line).
 */
export interface RepoFetchOptions extends FetchOptions {
  access?: RepoAccess | undefined;
  /** A dispatcher to use instead of one made from the options (tests, connection reuse). */
  dispatcher?: Dispatcher | undefined;
  onProgress?: ((p: DownloadProgress) => void) | undefined;
  /** Where warnings go (unsupported repository settings); default: ignored. */
  onWarning?: ((message: string) => void) | undefined;
}

/** A URL for messages: user info (`user:password@`) removed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username === '' && u.password === '') return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

/** http(s) URLs only; anything else is an InputError naming `what`. */
export function checkHttpUrl(url: string, what: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(`${what}: ${JSON.stringify(url)} is not a valid URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new InputError(`${what}: ${redactUrl(url)} is not an http(s) URL${u.protocol === 'oci:' ? ' (OCI registries are not supported yet)' : ''}`);
  }
  return u;
}

function sameOrigin(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.host === b.host;
}

/** An interceptor that adds `authorization` to requests for `origin` (undici's redirect handler strips it across origins). */
function withBasicAuth(dispatcher: Dispatcher, access: RepoAccess, credentialOrigin: URL): Dispatcher {
  const value = `Basic ${Buffer.from(`${access.username ?? ''}:${access.password ?? ''}`, 'utf8').toString('base64')}`;
  return dispatcher.compose((dispatch) => (opts, handler) => {
    let send = access.passCredentialsAll === true;
    if (!send) {
      try {
        send = sameOrigin(new URL(String(opts.origin)), credentialOrigin);
      } catch {
        send = false;
      }
    }
    if (!send) return dispatch(opts, handler);
    const h = opts.headers;
    let headers: Dispatcher.DispatchOptions['headers'];
    if (Array.isArray(h)) headers = [...(h as string[]), 'authorization', value];
    else if (h && typeof (h as Iterable<unknown>)[Symbol.iterator] === 'function') headers = [...(h as Iterable<[string, string]>), ['authorization', value]] as never;
    else headers = { ...((h as Record<string, string> | null | undefined) ?? {}), authorization: value };
    return dispatch({ ...opts, headers }, handler);
  });
}

export interface FetchBytesOptions extends RepoFetchOptions {
  /** Where the credentials in `access` may be sent (the repository URL; default the URL itself). */
  credentialOrigin?: string | undefined;
  /** Added to an HTTP 404 message: what a 404 here most likely means. */
  notFoundHint?: string | undefined;
}

/**
 * GETs `url` into memory with the downloader's retries and limits. `what` names the thing for
 * messages ("chart nginx 1.2.3"), before the URL; null when the URL says enough (index.yaml).
 */
export async function fetchBytes(url: string, what: string | null, opts: FetchBytesOptions = {}): Promise<Buffer> {
  const label = what ?? redactUrl(url);
  checkHttpUrl(url, label);
  const access = opts.access ?? {};
  if (access.insecureSkipTlsVerify) opts.onWarning?.(`${label}: insecure_skip_tls_verify is not supported; the TLS certificate is verified`);
  if (access.certFile || access.keyFile) opts.onWarning?.(`${label}: client certificates (certFile/keyFile) are not supported; connecting without one`);
  const dir = mkdtempSync(join(tmpdir(), 'chartaudit-repo-'));
  let dispatcher: Dispatcher | undefined;
  let own = false;
  try {
    if (opts.dispatcher) {
      dispatcher = opts.dispatcher;
    } else {
      const env = opts.env ?? process.env;
      let caEnv = env;
      if (access.caFile) {
        let pem: string;
        try {
          pem = readFileSync(access.caFile, 'utf8');
        } catch (e) {
          throw new InputError(`${label}: cannot read the repository's caFile ${access.caFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, access.caFile);
        }
        let combined = pem;
        if (env.CHARTAUDIT_EXTRA_CA_CERTS) {
          try {
            combined += `\n${readFileSync(env.CHARTAUDIT_EXTRA_CA_CERTS, 'utf8')}`;
          } catch {
            // makeDispatcher reports an unreadable CHARTAUDIT_EXTRA_CA_CERTS; here the caFile alone is used.
          }
        }
        const caPath = join(dir, 'ca.pem');
        writeFileSync(caPath, combined, { mode: 0o600 });
        caEnv = { ...env, CHARTAUDIT_EXTRA_CA_CERTS: caPath };
      }
      dispatcher = makeDispatcher({ ...opts, env: caEnv });
      own = true;
    }
    let d = dispatcher;
    if (access.username !== undefined || access.password !== undefined) {
      d = withBasicAuth(dispatcher, access, new URL(opts.credentialOrigin ?? url));
    }
    const dest = join(dir, 'body');
    try {
      await download(url, dest, { ...opts, deadlineMs: opts.deadlineMs ?? DEFAULT_REPO_DEADLINE_MS, dispatcher: d });
    } catch (e) {
      throw wrap(e, url, what, access, opts.notFoundHint);
    }
    return readFileSync(dest);
  } finally {
    if (own) await dispatcher?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The downloader's error with the password out of the URL, `what` in front, and a hint for 401/403/404. */
function wrap(e: unknown, url: string, what: string | null, access: RepoAccess, notFoundHint: string | undefined): unknown {
  // Anything else is a local problem (a temporary file) or a bug: the CLI reports those itself.
  if (!(e instanceof InputError)) return e;
  let msg = e.message.split(url).join(redactUrl(url));
  if (e instanceof DownloadError && /HTTP (401|403)\b/.test(msg)) {
    msg += access.username !== undefined ? ' (check the username and password in helm\'s repositories file)' : ' (the repository wants credentials: `helm repo add --username … --password …`)';
  }
  if (e instanceof DownloadError && notFoundHint && /HTTP 404\b/.test(msg)) msg += ` (${notFoundHint})`;
  return new InputError(what === null ? msg : `${what}: ${msg}`, e.file === url ? redactUrl(url) : e.file);
}
