/**
 * Which proxy, if any, a registry request goes through: HTTPS_PROXY for https:// URLs,
 * HTTP_PROXY for http:// URLs (upper case first, then lower case, as Go's net/http reads
 * them; no fallback from one to the other), unless NO_PROXY names the host.
 *
 * NO_PROXY is a comma list: `*` (no proxy at all), a host name (itself and its subdomains),
 * `.domain` (subdomains only), an IP address or CIDR block, each optionally with `:port`.
 * Unlike Go, loopback hosts are NOT exempt unless listed: users point tests at loopback proxies.
 *
 * Bytes in, answer out: the environment is the one the command was given, never read here.
 */
import { isIP } from 'node:net';

export type Env = Readonly<Record<string, string | undefined>>;

/** A proxy URL that cannot be used (bad syntax, a scheme other than http/https). */
export class ProxyConfigError extends Error {}

interface NoProxyEntry {
  /** Lower-case name or IP (no brackets); '' for `*`. */
  host: string;
  /** Only this port, when given. */
  port: number | null;
  /** `.domain`: subdomains only. */
  subdomainsOnly: boolean;
  /** `10.0.0.0/8`. */
  cidr: { bytes: Buffer; bits: number } | null;
}

/** The first non-empty value of `names` in `env`. */
function envAny(env: Env, ...names: string[]): string {
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v.trim() !== '') return v.trim();
  }
  return '';
}

function ipBytes(ip: string): Buffer | null {
  const v = isIP(ip);
  if (v === 4) return Buffer.from(ip.split('.').map(Number));
  if (v !== 6) return null;
  // expand `::` and a trailing dotted quad into 16 bytes
  let s = ip;
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (quad) {
    const b = quad[1]!.split('.').map(Number);
    s = `${s.slice(0, -quad[1]!.length)}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') as [string, string] : [s, null];
  const h = head === '' ? [] : head.split(':');
  const t = tail === null || tail === '' ? [] : tail.split(':');
  const groups = tail === null ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

function inCidr(ip: Buffer, cidr: { bytes: Buffer; bits: number }): boolean {
  if (ip.length !== cidr.bytes.length) return false;
  for (let bit = 0; bit < cidr.bits; bit += 8) {
    const left = Math.min(8, cidr.bits - bit);
    const mask = (0xff << (8 - left)) & 0xff;
    if ((ip[bit / 8]! & mask) !== (cidr.bytes[bit / 8]! & mask)) return false;
  }
  return true;
}

/** Splits `host:port`, `[v6]:port`, `v6`, `host`. */
function splitHostPort(s: string): { host: string; port: number | null } {
  const br = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (br) return { host: br[1]!, port: br[2] ? Number(br[2]) : null };
  if (isIP(s) === 6) return { host: s, port: null };
  const m = /^(.*):(\d+)$/.exec(s);
  return m ? { host: m[1]!, port: Number(m[2]) } : { host: s, port: null };
}

export function parseNoProxy(value: string): NoProxyEntry[] {
  const out: NoProxyEntry[] = [];
  for (const raw of value.split(',')) {
    const s = raw.trim().toLowerCase();
    if (s === '') continue;
    if (s === '*') {
      out.push({ host: '', port: null, subdomainsOnly: false, cidr: null });
      continue;
    }
    const slash = /^([0-9a-f:.]+)\/(\d+)$/.exec(s);
    if (slash) {
      const bytes = ipBytes(slash[1]!);
      const bits = Number(slash[2]);
      if (bytes && bits <= bytes.length * 8) out.push({ host: slash[1]!, port: null, subdomainsOnly: false, cidr: { bytes, bits } });
      continue;
    }
    const { host, port } = splitHostPort(s);
    // `*.example.com` as curl and undici write it: the subdomains of example.com
    const wild = host.startsWith('*.');
    const name = wild ? host.slice(1) : host;
    if (name === '' || name === '.') continue;
    out.push({ host: name.startsWith('.') ? name.slice(1) : name, port, subdomainsOnly: name.startsWith('.'), cidr: null });
  }
  return out;
}

const defaultPort = (protocol: string): number => (protocol === 'https:' ? 443 : 80);

/** Whether NO_PROXY `entries` exempt `url`. */
export function bypassesProxy(entries: readonly NoProxyEntry[], url: URL): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const port = url.port ? Number(url.port) : defaultPort(url.protocol);
  const ip = ipBytes(host);
  for (const e of entries) {
    if (e.host === '' && e.cidr === null) return true;
    if (e.port !== null && e.port !== port) continue;
    if (e.cidr) {
      if (ip && inCidr(ip, e.cidr)) return true;
      continue;
    }
    if (isIP(e.host)) {
      if (ip && ipBytes(e.host)!.equals(ip)) return true;
      continue;
    }
    if (host.endsWith(`.${e.host}`) || (!e.subdomainsOnly && host === e.host)) return true;
  }
  return false;
}

/** The proxy settings of one environment, parsed once. */
export class ProxySettings {
  private readonly https: URL | null;
  private readonly http: URL | null;
  private readonly noProxy: NoProxyEntry[];

  constructor(env: Env) {
    this.https = parseProxyUrl(envAny(env, 'HTTPS_PROXY', 'https_proxy'), 'HTTPS_PROXY');
    // HTTP_PROXY in a CGI environment may come from a request's Proxy: header (httpoxy): Go ignores it there
    this.http = parseProxyUrl(env.REQUEST_METHOD ? envAny(env, 'http_proxy') : envAny(env, 'HTTP_PROXY', 'http_proxy'), 'HTTP_PROXY');
    this.noProxy = parseNoProxy(envAny(env, 'NO_PROXY', 'no_proxy'));
  }

  /** Whether any proxy is set. */
  get any(): boolean {
    return this.https !== null || this.http !== null;
  }

  /** The proxy for `url`, or null to connect directly. */
  forUrl(url: URL): URL | null {
    const p = url.protocol === 'https:' ? this.https : url.protocol === 'http:' ? this.http : null;
    if (p === null || bypassesProxy(this.noProxy, url)) return null;
    return p;
  }
}

/** `proxy.example:3128` is read as `http://proxy.example:3128`, as curl and Go do. */
export function parseProxyUrl(value: string, name: string): URL | null {
  if (value === '') return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new ProxyConfigError(`${name}=${redactedProxy(value)}: not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ProxyConfigError(`${name}=${redactedProxy(value)}: only http:// and https:// proxies are supported`);
  if (u.hostname === '') throw new ProxyConfigError(`${name}=${redactedProxy(value)}: no host`);
  return u;
}

/** `http://user:***@proxy:3128`: a proxy for messages, its password never shown. */
export function redactedProxy(value: string | URL): string {
  const s = typeof value === 'string' ? value : value.href.replace(/\/$/, '');
  return s.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

/** `Basic …` from the proxy URL's userinfo (percent-decoded), or null: the only Proxy-Authorization ever sent. */
export function proxyAuthorization(proxy: URL): string | null {
  if (proxy.username === '' && proxy.password === '') return null;
  const user = decodeURIComponent(proxy.username);
  const pass = decodeURIComponent(proxy.password);
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}
