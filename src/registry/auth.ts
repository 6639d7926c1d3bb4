/**
 * Registry authorisation: answers a 401's challenge. Bearer: a token from the challenge's realm
 * for `repository:<name>:pull`, asked anonymously, with Basic credentials, or (identity token)
 * by the OAuth2 refresh-token POST. Basic: the host's own credentials. Tokens are kept per host
 * and repository until shortly before they expire.
 *
 * A credential belongs to its registry host. It goes to that host, and to the token realm the
 * host names only when the realm is HTTPS or on the same host name (a loopback token server on
 * another port); never to a redirect target elsewhere (transport.ts).
 */
import { Deadline } from '../net/deadline.js';
import { httpStatusText } from '../net/problem.js';
import { parseChallenges, type Challenge } from './challenge.js';
import type { Credential, CredentialStore } from './credentials.js';
import { RegistryError } from './errors.js';
import { readCapped, type Transport } from './transport.js';

interface Token {
  value: string;
  expiresAt: number;
}

const basicValue = (c: { username: string; password: string }): string => `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;

export class Authorizer {
  private readonly tokens = new Map<string, Token>();
  /** The scheme each host asked for last (so the next request carries it at once). */
  private readonly schemes = new Map<string, Challenge>();

  constructor(
    private readonly transport: Transport,
    private readonly credentials: CredentialStore | null,
    private readonly deadlineMs: number,
  ) {}

  async credentialFor(host: string): Promise<Credential | null> {
    return this.credentials ? this.credentials.get(host) : null;
  }

  /** The Authorization header for a request to `host` about `repository`, if one is known. */
  async header(host: string, repository: string): Promise<string | undefined> {
    const ch = this.schemes.get(host);
    if (!ch) return undefined;
    if (ch.scheme === 'basic') {
      const c = await this.credentialFor(host);
      return c?.kind === 'basic' ? basicValue(c) : undefined;
    }
    const t = this.tokens.get(`${host}\n${repository}`);
    return t && t.expiresAt > Date.now() ? `Bearer ${t.value}` : undefined;
  }

  /**
   * Handles a 401 from `host`: fetches what the challenge asks for. Returns false when there is
   * nothing new to try (then the 401 stands).
   */
  async challenge(host: string, repository: string, wwwAuthenticate: string | string[] | undefined, label: string): Promise<boolean> {
    const all = parseChallenges(wwwAuthenticate);
    const bearer = all.find((c) => c.scheme === 'bearer' && c.params.realm);
    const basic = all.find((c) => c.scheme === 'basic');
    const cred = await this.credentialFor(host);
    if (bearer) {
      const before = this.tokens.get(`${host}\n${repository}`);
      const token = await this.fetchToken(host, repository, bearer, cred, label);
      this.schemes.set(host, bearer);
      this.tokens.set(`${host}\n${repository}`, token);
      return before?.value !== token.value;
    }
    if (basic) {
      if (this.schemes.get(host)?.scheme === 'basic' || cred?.kind !== 'basic') return false;
      this.schemes.set(host, basic);
      return true;
    }
    return false;
  }

  private async fetchToken(host: string, repository: string, ch: Challenge, cred: Credential | null, label: string): Promise<Token> {
    let realm: URL;
    try {
      realm = new URL(ch.params.realm!);
    } catch {
      throw new RegistryError(`${label}: the registry's token realm ${JSON.stringify(ch.params.realm)} is not a URL`, 'protocol', label);
    }
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:') throw new RegistryError(`${label}: the token realm ${realm.href} is not http(s)`, 'protocol', label);
    const hostName = host.replace(/:\d+$/, '').toLowerCase();
    const mayCarry = realm.protocol === 'https:' || realm.hostname.toLowerCase() === hostName.replace(/^\[|\]$/g, '') || this.transport.isInsecure(realm.host);
    const useCred = cred && mayCarry ? cred : null;
    const scope = `repository:${repository}:pull`;
    const deadline = new Deadline(this.deadlineMs);
    const what = `token for ${host}/${repository} from ${realm.origin}${realm.pathname}`;
    return this.transport.withRetries(what, deadline, async (a) => {
      let ans;
      if (useCred?.kind === 'identity-token') {
        const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: useCred.token, service: ch.params.service ?? '', scope, client_id: 'chartaudit' });
        ans = await this.transport.send(a, realm.href, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString() });
      } else {
        const u = new URL(realm.href);
        if (ch.params.service) u.searchParams.set('service', ch.params.service);
        u.searchParams.set('scope', scope);
        if (useCred?.kind === 'basic') u.searchParams.set('account', useCred.username);
        ans = await this.transport.send(a, u.href, { method: 'GET', headers: { accept: 'application/json' }, authorization: useCred?.kind === 'basic' ? basicValue(useCred) : undefined });
      }
      if (ans.status === 401 || ans.status === 403) {
        await ans.body.dump().catch(() => undefined);
        throw new RegistryError(
          `${label}: ${httpStatusText(ans.status)} from the token server ${realm.origin}: ${useCred ? `wrong username or password for ${host}${sourceText(useCred)}` : `${host} wants credentials (docker login, or --registry-config)`}`,
          'auth',
          label,
        );
      }
      if (ans.status !== 200) {
        await ans.body.dump().catch(() => undefined);
        throw new RegistryError(`${label}: the token server ${realm.origin} answered ${httpStatusText(ans.status)}`, 'auth', label);
      }
      const body = await readCapped(a, ans, 1 << 20, what);
      let doc: { token?: unknown; access_token?: unknown; expires_in?: unknown };
      try {
        doc = JSON.parse(body.toString('utf8')) as typeof doc;
      } catch {
        throw new RegistryError(`${label}: the token server ${realm.origin} did not answer JSON`, 'protocol', label);
      }
      const value = typeof doc.token === 'string' && doc.token !== '' ? doc.token : typeof doc.access_token === 'string' ? doc.access_token : '';
      if (value === '') throw new RegistryError(`${label}: the token server ${realm.origin} gave no token`, 'protocol', label);
      const life = typeof doc.expires_in === 'number' && doc.expires_in > 0 ? doc.expires_in : 60;
      // renew 10 s early (or halfway for short lives) so a token does not expire in flight
      return { value, expiresAt: Date.now() + Math.max(life / 2, life - 10) * 1000 };
    });
  }
}

export function sourceText(c: Credential): string {
  return c.source ? ` (from ${c.source})` : '';
}
