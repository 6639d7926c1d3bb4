import { describe, expect, it } from 'vitest';
import { bypassesProxy, parseNoProxy, parseProxyUrl, ProxyConfigError, ProxySettings, proxyAuthorization, redactedProxy } from './proxy.js';

describe('NO_PROXY', () => {
  it.each([
    // [NO_PROXY, URL, bypassed]
    ['', 'https://registry.example/v2/', false],
    ['*', 'https://registry.example/v2/', true],
    [' * ', 'http://127.0.0.1:5000/v2/', true],
    ['registry.example', 'https://registry.example/v2/', true],
    ['registry.example', 'https://eu.registry.example/v2/', true],
    ['registry.example', 'https://notregistry.example/v2/', false],
    ['REGISTRY.example', 'https://registry.EXAMPLE/v2/', true],
    ['.registry.example', 'https://registry.example/v2/', false],
    ['.registry.example', 'https://eu.registry.example/v2/', true],
    ['*.registry.example', 'https://eu.registry.example/v2/', true],
    ['*.registry.example', 'https://registry.example/v2/', false],
    ['registry.example:5000', 'https://registry.example:5000/v2/', true],
    ['registry.example:5000', 'https://registry.example/v2/', false],
    ['registry.example:443', 'https://registry.example/v2/', true],
    ['registry.example:80', 'http://registry.example/v2/', true],
    ['other.example, registry.example', 'https://registry.example/v2/', true],
    ['other.example,,', 'https://registry.example/v2/', false],
    // loopback is not exempt unless listed
    ['other.example', 'http://127.0.0.1:5000/v2/', false],
    ['other.example', 'http://localhost:5000/v2/', false],
    ['127.0.0.1', 'http://127.0.0.1:5000/v2/', true],
    ['127.0.0.1:5000', 'http://127.0.0.1:5000/v2/', true],
    ['127.0.0.1:5001', 'http://127.0.0.1:5000/v2/', false],
    ['localhost', 'http://localhost:5000/v2/', true],
    ['127.0.0.0/8', 'http://127.0.0.2:5000/v2/', true],
    ['10.0.0.0/8', 'http://127.0.0.1:5000/v2/', false],
    ['::1', 'http://[::1]:5000/v2/', true],
    ['[::1]:5000', 'http://[::1]:5000/v2/', true],
    ['[::1]:5001', 'http://[::1]:5000/v2/', false],
    ['fd00::/8', 'http://[fd12:3456::1]/v2/', true],
    ['fd00::/8', 'http://[fe80::1]/v2/', false],
    ['::ffff:0:0/96', 'http://[::ffff:10.1.2.3]/v2/', true],
  ])('NO_PROXY=%j, %s: bypassed %s', (noProxy, url, want) => {
    expect(bypassesProxy(parseNoProxy(noProxy), new URL(url))).toBe(want);
  });
});

describe('which proxy a URL goes through', () => {
  const P = (env: Record<string, string>, url: string): string | null => new ProxySettings(env).forUrl(new URL(url))?.href ?? null;

  it.each([
    // [env, URL, proxy]
    [{}, 'https://r.example/v2/', null],
    [{ HTTPS_PROXY: 'http://p:3128' }, 'https://r.example/v2/', 'http://p:3128/'],
    [{ https_proxy: 'http://p:3128' }, 'https://r.example/v2/', 'http://p:3128/'],
    [{ HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' }, 'https://r.example/v2/', 'http://upper:1/'],
    [{ HTTPS_PROXY: '', https_proxy: 'http://lower:2' }, 'https://r.example/v2/', 'http://lower:2/'],
    // each scheme has its own variable, no fallback from one to the other (curl, Go)
    [{ HTTP_PROXY: 'http://p:3128' }, 'https://r.example/v2/', null],
    [{ HTTPS_PROXY: 'http://p:3128' }, 'http://r.example/v2/', null],
    [{ HTTP_PROXY: 'http://p:3128' }, 'http://r.example/v2/', 'http://p:3128/'],
    [{ http_proxy: 'p:3128' }, 'http://r.example/v2/', 'http://p:3128/'],
    [{ HTTPS_PROXY: 'https://p:3129' }, 'https://r.example/v2/', 'https://p:3129/'],
    [{ HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'r.example' }, 'https://r.example/v2/', null],
    [{ HTTPS_PROXY: 'http://p:3128', no_proxy: 'r.example' }, 'https://r.example/v2/', null],
    [{ HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'x.example', no_proxy: 'r.example' }, 'https://r.example/v2/', 'http://p:3128/'],
    // HTTP_PROXY in a CGI environment may come from a request header (httpoxy): ignored there, as Go does
    [{ HTTP_PROXY: 'http://evil:1', REQUEST_METHOD: 'GET' }, 'http://r.example/v2/', null],
    [{ http_proxy: 'http://p:3128', REQUEST_METHOD: 'GET' }, 'http://r.example/v2/', 'http://p:3128/'],
  ])('%j, %s → %s', (env, url, want) => {
    expect(P(env as Record<string, string>, url)).toBe(want);
  });

  it.each([
    ['socks5://p:1080', 'HTTPS_PROXY=socks5://p:1080: only http:// and https:// proxies are supported'],
    ['http://user:secret@[bad', 'HTTPS_PROXY=http://user:***@[bad: not a URL'],
  ])('HTTPS_PROXY=%s is refused with a clear message, the password hidden', (value, message) => {
    expect(() => new ProxySettings({ HTTPS_PROXY: value })).toThrow(ProxyConfigError);
    expect(() => new ProxySettings({ HTTPS_PROXY: value })).toThrow(message);
  });
});

describe('the proxy credentials', () => {
  it.each([
    ['http://p:3128', null],
    ['http://alice:s3cret@p:3128', `Basic ${Buffer.from('alice:s3cret').toString('base64')}`],
    ['http://al%40ce:p%3Ass%2Fw@p:3128', `Basic ${Buffer.from('al@ce:p:ss/w').toString('base64')}`],
    ['http://alice@p:3128', `Basic ${Buffer.from('alice:').toString('base64')}`],
  ])('%s → %s', (url, want) => {
    expect(proxyAuthorization(parseProxyUrl(url, 'HTTPS_PROXY')!)).toBe(want);
  });

  it.each([
    ['http://alice:s3cret@p:3128', 'http://alice:***@p:3128'],
    ['http://p:3128', 'http://p:3128'],
    [new URL('http://alice:s3cret@p:3128'), 'http://alice:***@p:3128'],
  ])('%s is shown as %s', (v, want) => {
    expect(redactedProxy(v)).toBe(want);
  });
});
