/**
 * A real registry for tests: Debian's `docker-registry` (distribution 2.8) on 127.0.0.1 with a
 * filesystem store in a temp dir, optionally behind htpasswd Basic auth or token auth (with
 * the test's own token server issuing ES256 JWTs that the registry verifies through a
 * certificate made here), a push helper (the distribution API, by hand), and a small front
 * server that sits between the client and the registry to make faults (429s, stalls, altered
 * bytes, redirects) and record what was asked. The registry is required: without it the tests
 * fail and say so (`.ci/run` installs it).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, randomBytes, sign } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { bcryptHash } from '../../src/render/sprig/bcrypt.js';
import type { Blob } from './oci-image.js';
import { hermeticEnv } from './hermetic.js';

export interface RunningRegistry {
  /** `127.0.0.1:PORT` */
  host: string;
  port: number;
  stop(): Promise<void>;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, host, r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export type RegistryAuth =
  | { kind: 'none' }
  | { kind: 'htpasswd'; users: Record<string, string> }
  | { kind: 'token'; realm: string; service: string; issuer: string; certPath: string };

/** Starts docker-registry serving `storageDir` (several registries may share one store). */
export async function startRegistry(workDir: string, storageDir: string, auth: RegistryAuth = { kind: 'none' }, tls?: { certPath: string; keyPath: string }): Promise<RunningRegistry> {
  mkdirSync(workDir, { recursive: true });
  const port = await freePort();
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storageDir}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
    ...(tls ? ['  tls:', `    certificate: ${tls.certPath}`, `    key: ${tls.keyPath}`] : []),
  ];
  if (auth.kind === 'htpasswd') {
    const file = join(workDir, 'htpasswd');
    writeFileSync(file, Object.entries(auth.users).map(([u, p]) => `${u}:${bcryptHash(Buffer.from(p), 5)}\n`).join(''));
    lines.push('auth:', '  htpasswd:', '    realm: basic-realm', `    path: ${file}`);
  } else if (auth.kind === 'token') {
    lines.push('auth:', '  token:', `    realm: ${auth.realm}`, `    service: ${auth.service}`, `    issuer: ${auth.issuer}`, `    rootcertbundle: ${auth.certPath}`);
  }
  const cfg = join(workDir, 'config.yml');
  writeFileSync(cfg, `${lines.join('\n')}\n`);
  let child: ChildProcess;
  let stderr = '';
  try {
    child = spawn('docker-registry', ['serve', cfg], { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '', ...hermeticEnv() } });
  } catch (e) {
    throw new Error(`these tests need Debian's docker-registry (apt-get install docker-registry): ${(e as Error).message}`);
  }
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    if (stderr.length < 20_000) stderr += d;
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  let spawnError: Error | null = null;
  child.on('error', (e) => {
    spawnError = e;
  });
  const until = Date.now() + 15_000;
  for (;;) {
    if (spawnError) throw new Error(`these tests need Debian's docker-registry (apt-get install docker-registry): ${(spawnError as Error).message}`);
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${stderr.slice(0, 2000)}`);
    const status = await new Promise<number>((resolve) => {
      const q = (tls ? httpsRequest : httpRequest)({ host: '127.0.0.1', port, path: '/v2/', method: 'GET', rejectUnauthorized: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      q.on('error', () => resolve(0));
      q.end();
    });
    if (status === 200 || status === 401) break;
    if (Date.now() > until) throw new Error(`docker-registry did not come up on 127.0.0.1:${port}: ${stderr.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: `127.0.0.1:${port}`,
    port,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

// --- pushing ---------------------------------------------------------------------------

function call(host: string, method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
  const [h, p] = host.split(':') as [string, string];
  return new Promise((resolve, reject) => {
    const q = httpRequest({ host: h, port: Number(p), method, path, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    q.on('error', reject);
    q.end(body);
  });
}

/** Uploads a blob to an unauthenticated registry (POST, then PUT with the digest). */
export async function pushBlob(host: string, repo: string, b: Blob): Promise<void> {
  const head = await call(host, 'HEAD', `/v2/${repo}/blobs/${b.digest}`);
  if (head.status === 200) return;
  const start = await call(host, 'POST', `/v2/${repo}/blobs/uploads/`, Buffer.alloc(0));
  if (start.status !== 202) throw new Error(`push ${repo}: POST upload: ${start.status} ${start.body.toString()}`);
  const loc = new URL(String(start.headers.location), `http://${host}`);
  loc.searchParams.set('digest', b.digest);
  const put = await call(host, 'PUT', `${loc.pathname}${loc.search}`, b.data, { 'content-type': 'application/octet-stream' });
  if (put.status !== 201) throw new Error(`push ${repo}: PUT blob: ${put.status} ${put.body.toString()}`);
}

export async function pushManifest(host: string, repo: string, ref: string, m: Blob): Promise<void> {
  const put = await call(host, 'PUT', `/v2/${repo}/manifests/${ref}`, m.data, { 'content-type': m.mediaType });
  if (put.status !== 201) throw new Error(`push ${repo}:${ref}: PUT manifest: ${put.status} ${put.body.toString()}`);
}

/** Pushes every blob and manifest in `blobs` (manifests by digest), then tags `top`. */
export async function pushAll(host: string, repo: string, blobs: Blob[], top: Blob, tag: string): Promise<void> {
  const isManifest = (b: Blob): boolean => /manifest|index/.test(b.mediaType);
  for (const b of blobs) if (!isManifest(b)) await pushBlob(host, repo, b);
  for (const b of blobs) if (isManifest(b) && b !== top) await pushManifest(host, repo, b.digest, b);
  await pushManifest(host, repo, tag, top);
}

// --- token server ----------------------------------------------------------------------

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  certPath: string;
  /** Requests it got: method, query, whether it carried Basic credentials (and whose). */
  requests: { method: string; scope: string | null; user: string | null; grant: string | null }[];
  stop(): Promise<void>;
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/**
 * A token server (the distribution token spec): GET with optional Basic credentials, or POST
 * with an OAuth2 refresh token. Grants pull on repositories under `public/` to anyone and pull
 * on everything to a known user or refresh token; wrong credentials get 401.
 */
export async function startTokenServer(dir: string, opts: { users: Record<string, string>; refreshTokens: Record<string, string> }): Promise<TokenServer> {
  mkdirSync(dir, { recursive: true });
  const keyPath = join(dir, 'token-key.pem');
  const certPath = join(dir, 'token-cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=chartaudit-test-token-issuer'], { stdio: 'ignore' });
  const key = createPrivateKey(readFileSync(keyPath));
  const certDer = Buffer.from(readFileSync(certPath, 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const service = 'chartaudit-test-registry';
  const issuer = 'chartaudit-test-issuer';
  const requests: TokenServer['requests'] = [];
  const issue = (sub: string, scope: string | null, full: boolean): string => {
    const access: { type: string; name: string; actions: string[] }[] = [];
    const m = scope ? /^repository:([^:]+):(.+)$/.exec(scope) : null;
    if (m && (full || m[1]!.startsWith('public/'))) access.push({ type: 'repository', name: m[1]!, actions: m[2]!.split(',') });
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'ES256', typ: 'JWT', x5c: [certDer.toString('base64')] };
    const claims = { iss: issuer, sub, aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const sig = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${b64url(sig)}`;
  };
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        const rt = form.get('refresh_token') ?? '';
        requests.push({ method: 'POST', scope: form.get('scope'), user: null, grant: form.get('grant_type') });
        const user = opts.refreshTokens[rt];
        if (form.get('grant_type') !== 'refresh_token' || !user) return reply(401, { error: 'invalid_grant' });
        return reply(200, { access_token: issue(user, form.get('scope'), true), expires_in: 300 });
      }
      const authz = req.headers.authorization ?? '';
      let user: string | null = null;
      if (authz.startsWith('Basic ')) {
        const [u2, ...rest] = Buffer.from(authz.slice(6), 'base64').toString().split(':');
        if (opts.users[u2!] === undefined || opts.users[u2!] !== rest.join(':')) {
          requests.push({ method: 'GET', scope: u.searchParams.get('scope'), user: u2 ?? '', grant: null });
          return reply(401, { details: 'incorrect username or password' });
        }
        user = u2!;
      }
      requests.push({ method: 'GET', scope: u.searchParams.get('scope'), user, grant: null });
      return reply(200, { token: issue(user ?? 'anonymous', u.searchParams.get('scope'), user !== null), expires_in: 300 });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { realm: `http://127.0.0.1:${port}/token`, service, issuer, certPath, requests, stop: () => closeServer(server) };
}

// --- a front server for faults -----------------------------------------------------------

export interface Seen {
  method: string;
  path: string;
  authorization: string | undefined;
  accept: string | undefined;
}

/** What the front server does with one request: undefined passes it to the registry as it is. */
export type FrontRule = (req: IncomingMessage, res: ServerResponse, seen: Seen) => boolean | void;

export interface FrontServer {
  host: string;
  seen: Seen[];
  /** Replace the rule (e.g. per test). */
  rule: FrontRule | null;
  /** Alters the bytes of proxied responses whose path matches. */
  alter: ((path: string, body: Buffer) => Buffer) | null;
  stop(): Promise<void>;
}

const sockets = new WeakMap<Server, Set<Socket>>();

export async function closeServer(server: Server): Promise<void> {
  for (const s of sockets.get(server) ?? []) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
}

function track(server: Server): void {
  const set = new Set<Socket>();
  sockets.set(server, set);
  server.on('connection', (s: Socket) => {
    set.add(s);
    s.on('close', () => set.delete(s));
  });
}

/** A loopback server that records requests and forwards them to `target` (a registry host), unless its rule answers. */
export async function startFront(target: string, bindHost = '127.0.0.1'): Promise<FrontServer> {
  const [th, tp] = target.split(':') as [string, string];
  const front: FrontServer = { host: '', seen: [], rule: null, alter: null, stop: async () => undefined };
  const server = createServer((req, res) => {
    const seen: Seen = { method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, accept: req.headers.accept };
    front.seen.push(seen);
    if (front.rule && front.rule(req, res, seen) === true) return;
    const headers = { ...req.headers, host: target };
    const q = httpRequest({ host: th, port: Number(tp), method: req.method, path: req.url, headers }, (up) => {
      const alter = front.alter;
      if (!alter) {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        const body = req.method === 'HEAD' ? Buffer.alloc(0) : alter(req.url ?? '', Buffer.concat(chunks));
        const h = { ...up.headers };
        if (req.method !== 'HEAD') h['content-length'] = String(body.length);
        res.writeHead(up.statusCode ?? 502, h);
        res.end(body);
      });
    });
    q.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(q);
  });
  track(server);
  await new Promise<void>((r) => server.listen(0, bindHost, r));
  front.host = `${bindHost}:${(server.address() as AddressInfo).port}`;
  front.stop = () => closeServer(server);
  return front;
}

/** A server that accepts connections and never answers. */
export async function startSilent(): Promise<{ host: string; stop(): Promise<void> }> {
  const conns = new Set<Socket>();
  const server = createNetServer((c) => {
    conns.add(c);
    c.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      for (const c of conns) c.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export const digestOf = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
