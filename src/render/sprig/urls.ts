/**
 * urlParse / urlJoin over a port of the parts of Go's net/url they use: Parse (scheme,
 * opaque, authority, userinfo, host, path, query, fragment, with Go's errors) and
 * URL.String (with Go's escaping per component).
 */
import { GoError, quote, typeOf, type FuncMap, type GoMap, type Value } from '../template/index.js';
import { NIL_DEREF, fn, fromUtf8, hasOwn, mapSet, utf8 } from './util.js';

type Mode = 'path' | 'host' | 'user' | 'query' | 'fragment';

function shouldEscape(c: number, mode: Mode): boolean {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) return false;
  const ch = String.fromCharCode(c);
  if (mode === 'host' && "!$&'()*+,;=:[]<>\"".includes(ch)) return false;
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) {
    switch (mode) {
      case 'path': return ch === '?';
      case 'user': return ch === '@' || ch === '/' || ch === '?' || ch === ':';
      case 'query': return true;
      case 'fragment': return false;
    }
  }
  if (mode === 'fragment' && '!()*'.includes(ch)) return false;
  return true;
}

export function escape(s: string, mode: Mode): string {
  let out = '';
  for (const b of utf8(s)) {
    if (shouldEscape(b, mode)) {
      if (b === 0x20 && mode === 'query') out += '+';
      else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
    } else out += String.fromCharCode(b);
  }
  return out;
}

const isHex = (c: number | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(String.fromCharCode(c));

class UrlErr extends Error {}

function unescape(s: string, mode: Mode): string {
  const b = utf8(s);
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    if (c === 0x25) {
      if (i + 2 >= b.length || !isHex(b[i + 1]) || !isHex(b[i + 2])) {
        throw new UrlErr(`invalid URL escape ${quote(fromUtf8(b.subarray(i, Math.min(i + 3, b.length))))}`);
      }
      if (mode === 'host' && parseInt(String.fromCharCode(b[i + 1]!), 16) < 8 && fromUtf8(b.subarray(i, i + 3)) !== '%25') {
        throw new UrlErr(`invalid URL escape ${quote(fromUtf8(b.subarray(i, i + 3)))}`);
      }
      i += 3;
    } else {
      if (mode === 'host' && c < 0x80 && shouldEscape(c, mode)) throw new UrlErr(`invalid character ${quote(String.fromCharCode(c))} in host name`);
      i++;
    }
  }
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x25) { out.push(parseInt(String.fromCharCode(b[i + 1]!, b[i + 2]!), 16)); i += 2; } else if (c === 0x2b && mode === 'query') out.push(0x20);
    else out.push(c);
  }
  return fromUtf8(Uint8Array.from(out));
}

export interface GoURL {
  scheme: string; opaque: string; user: { username: string; password: string | null } | null;
  host: string; path: string; rawQuery: string; fragment: string; forceQuery: boolean; omitHost: boolean;
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) { if (i === 0) return ['', raw]; continue; }
    if (c === ':') {
      if (i === 0) throw new UrlErr('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

const validOptionalPort = (p: string): boolean => p === '' || /^:[0-9]*$/.test(p);

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new UrlErr("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new UrlErr(`invalid port ${quote(colonPort)} after host`);
  } else {
    const i = host.lastIndexOf(':');
    if (i !== -1) {
      const colonPort = host.slice(i);
      if (!validOptionalPort(colonPort)) throw new UrlErr(`invalid port ${quote(colonPort)} after host`);
    }
  }
  return unescape(host, 'host');
}

/** url.Parse. */
export function parseURL(rawURL: string): GoURL {
  const hashAt = rawURL.indexOf('#');
  const u = hashAt >= 0 ? rawURL.slice(0, hashAt) : rawURL;
  const frag = hashAt >= 0 ? rawURL.slice(hashAt + 1) : '';
  const url: GoURL = { scheme: '', opaque: '', user: null, host: '', path: '', rawQuery: '', fragment: '', forceQuery: false, omitHost: false };
  const wrap = (what: string, f: () => void): void => {
    try { f(); } catch (e) {
      if (e instanceof UrlErr) throw new UrlErr(`parse ${quote(what)}: ${e.message}`);
      throw e;
    }
  };
  wrap(u, () => {
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x1f\x7f]/.test(u)) throw new UrlErr('net/url: invalid control character in URL');
    if (u === '*') { url.path = '*'; return; }
    let rest: string;
    [url.scheme, rest] = getScheme(u);
    url.scheme = url.scheme.toLowerCase();
    if (rest.endsWith('?') && rest.split('?').length === 2) {
      url.forceQuery = true;
      rest = rest.slice(0, -1);
    } else {
      const q = rest.indexOf('?');
      if (q >= 0) { url.rawQuery = rest.slice(q + 1); rest = rest.slice(0, q); }
    }
    if (!rest.startsWith('/')) {
      if (url.scheme !== '') { url.opaque = rest; return; }
      const seg = rest.split('/')[0]!;
      if (seg.includes(':')) throw new UrlErr('first path segment in URL cannot contain colon');
    }
    if ((url.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
      let authority = rest.slice(2);
      rest = '';
      const i = authority.indexOf('/');
      if (i >= 0) { rest = authority.slice(i); authority = authority.slice(0, i); }
      const at = authority.lastIndexOf('@');
      url.host = parseHost(at < 0 ? authority : authority.slice(at + 1));
      if (at >= 0) {
        const userinfo = authority.slice(0, at);
        if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) throw new UrlErr('net/url: invalid userinfo');
        const c = userinfo.indexOf(':');
        if (c < 0) url.user = { username: unescape(userinfo, 'user'), password: null };
        else url.user = { username: unescape(userinfo.slice(0, c), 'user'), password: unescape(userinfo.slice(c + 1), 'user') };
      }
    } else if (url.scheme !== '' && rest.startsWith('/')) url.omitHost = true;
    url.path = unescape(rest, 'path');
  });
  if (frag !== '') wrap(rawURL, () => { url.fragment = unescape(frag, 'fragment'); });
  return url;
}

export function userinfoString(u: { username: string; password: string | null }): string {
  let s = escape(u.username, 'user');
  if (u.password !== null) s += ':' + escape(u.password, 'user');
  return s;
}

/** URL.Hostname. */
export function hostname(hostPort: string): string {
  let host = hostPort;
  const colon = host.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(host.slice(colon))) host = host.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return host;
}

/** URL.String. */
export function urlString(u: GoURL): string {
  let buf = '';
  if (u.scheme !== '') buf += u.scheme + ':';
  if (u.opaque !== '') buf += u.opaque;
  else {
    if (u.scheme !== '' || u.host !== '' || u.user !== null) {
      if (!(u.omitHost && u.host === '' && u.user === null)) {
        if (u.host !== '' || u.path !== '' || u.user !== null) buf += '//';
        if (u.user !== null) buf += userinfoString(u.user) + '@';
        if (u.host !== '') buf += escape(u.host, 'host');
      }
    }
    const path = u.path === '*' ? '*' : escape(u.path, 'path');
    if (path !== '' && path[0] !== '/' && u.host !== '') buf += '/';
    if (buf.length === 0 && path.split('/')[0]!.includes(':')) buf += './';
    buf += path;
  }
  if (u.forceQuery || u.rawQuery !== '') buf += '?' + u.rawQuery;
  if (u.fragment !== '') buf += '#' + escape(u.fragment, 'fragment');
  return buf;
}

const M = 'map[string]interface {}';

function dictGetOrEmpty(d: GoMap, key: string): string {
  if (!hasOwn(d, key)) return '';
  const v: Value = d[key];
  if (v === null || v === undefined) throw new GoError(NIL_DEREF);
  const t = typeOf(v);
  if (t.kind !== 'string') throw new GoError(`unable to parse ${key} key, must be of type string, but ${t.kind === 'ptr' ? 'ptr' : t.kind} found`);
  return typeof v === 'string' ? v : String((v as { v: unknown }).v);
}

export function urlFuncs(): FuncMap {
  return {
    urlParse: fn(`func(string) ${M}`, (v: string) => {
      let u: GoURL;
      try { u = parseURL(v); } catch (e) { throw new GoError(`unable to parse url: ${(e as Error).message}`); }
      const d: GoMap = {};
      mapSet(d, 'scheme', u.scheme);
      mapSet(d, 'host', u.host);
      mapSet(d, 'hostname', hostname(u.host));
      mapSet(d, 'path', u.path);
      mapSet(d, 'query', u.rawQuery);
      mapSet(d, 'opaque', u.opaque);
      mapSet(d, 'fragment', u.fragment);
      mapSet(d, 'userinfo', u.user ? userinfoString(u.user) : '');
      return d;
    }),
    urlJoin: fn(`func(${M}) string`, (d: GoMap) => {
      const u: GoURL = {
        scheme: dictGetOrEmpty(d, 'scheme'), host: dictGetOrEmpty(d, 'host'), path: dictGetOrEmpty(d, 'path'),
        rawQuery: dictGetOrEmpty(d, 'query'), opaque: dictGetOrEmpty(d, 'opaque'), fragment: dictGetOrEmpty(d, 'fragment'),
        user: null, forceQuery: false, omitHost: false,
      };
      const userinfo = dictGetOrEmpty(d, 'userinfo');
      if (userinfo !== '') {
        let tmp: GoURL;
        try { tmp = parseURL(`proto://${userinfo}@host`); } catch (e) { throw new GoError(`unable to parse userinfo in dict: ${(e as Error).message}`); }
        u.user = tmp.user;
      }
      return urlString(u);
    }),
  };
}
