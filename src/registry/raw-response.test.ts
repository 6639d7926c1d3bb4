import { describe, expect, it } from 'vitest';
import { ResponseParseError, ResponseReader, ResponseTruncated } from './raw-response.js';

/** Feeds `raw` in pieces of `step` bytes (0: whole), then the end of the connection when `close`. */
function read(raw: string | Buffer, step = 0, opts: { headRequest?: boolean; close?: boolean; maxHeadBytes?: number } = {}) {
  const r = new ResponseReader({ maxHeadBytes: opts.maxHeadBytes ?? 64 * 1024, headRequest: opts.headRequest ?? false });
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw;
  const body: Buffer[] = [];
  const n = step || bytes.length;
  for (let i = 0; i < bytes.length && !r.done; i += n) r.feed(bytes.subarray(i, i + n), (b) => body.push(Buffer.from(b)));
  if (opts.close) r.end();
  return { head: r.head, done: r.done, body: Buffer.concat(body).toString('latin1') };
}

const CASES: [string, string, { status: number; headers?: Record<string, string>; body: string; close?: boolean; headRequest?: boolean }][] = [
  ['Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nDocker-Content-Digest: sha256:x\r\n\r\nhello', { status: 200, headers: { 'content-length': '5', 'docker-content-digest': 'sha256:x' }, body: 'hello' }],
  ['Content-Length 0', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', { status: 200, body: '' }],
  ['bytes past the response are not body', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA', { status: 200, body: 'ok' }],
  ['chunked', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n', { status: 200, body: 'hello, world' }],
  ['chunked with trailers', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n', { status: 200, body: 'abc' }],
  ['chunked, upper-case hex size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n', { status: 200, body: '0123456789' }],
  ['close-delimited', 'HTTP/1.0 200 OK\r\nServer: old\r\n\r\nuntil the end', { status: 200, body: 'until the end', close: true }],
  ['a 307 redirect with a body', 'HTTP/1.1 307 Temporary Redirect\r\nLocation: https://cdn.example/blob\r\nContent-Length: 9\r\n\r\nredirect!', { status: 307, headers: { location: 'https://cdn.example/blob', 'content-length': '9' }, body: 'redirect!' }],
  ['204 has no body', 'HTTP/1.1 204 No Content\r\n\r\n', { status: 204, body: '' }],
  ['a HEAD answer has no body, whatever its Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n', { status: 200, body: '', headRequest: true }],
  ['100 Continue before the answer', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}', { status: 404, body: '{}' }],
  ['repeated fields joined', 'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="a"\r\nwww-authenticate: Bearer realm="b"\r\nContent-Length: 0\r\n\r\n', { status: 401, headers: { 'www-authenticate': 'Basic realm="a", Bearer realm="b"', 'content-length': '0' }, body: '' }],
  ['equal repeated Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\nabc', { status: 200, body: 'abc' }],
  ['no reason phrase', 'HTTP/1.1 200\r\nContent-Length: 1\r\n\r\nx', { status: 200, body: 'x' }],
];

describe('ResponseReader: framing, fed whole and one byte at a time', () => {
  for (const [name, raw, want] of CASES) {
    it.each([0, 1, 3, 7])(`${name} (pieces of %i bytes)`, (step) => {
      const got = read(raw, step, { close: want.close, headRequest: want.headRequest });
      expect(got.head?.status).toBe(want.status);
      if (want.headers) expect(got.head?.headers).toEqual(want.headers);
      expect(got.body).toBe(want.body);
      expect(got.done).toBe(true);
    });
  }

  it('body bytes are views of the fed buffer, not copies', () => {
    const r = new ResponseReader({ maxHeadBytes: 1024, headRequest: false });
    r.feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n'), () => undefined);
    const chunk = Buffer.from('12345678');
    const seen: Buffer[] = [];
    r.feed(chunk, (b) => seen.push(b));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.buffer).toBe(chunk.buffer);
  });
});

describe('ResponseReader: refusals', () => {
  it.each([
    ['not HTTP at all', 'SSH-2.0-OpenSSH_9.6\r\n', ResponseParseError, 'Expected HTTP/'],
    ['a bad status line', 'HTTP/1.1 abc OK\r\n\r\n', ResponseParseError, 'Expected HTTP/'],
    ['HTTP/2 preface', 'HTTP/2 200\r\n\r\n', ResponseParseError, 'Expected HTTP/'],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nbroken line\r\n\r\n', ResponseParseError, 'malformed header line "broken line"'],
    ['a space before the colon', 'HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\nx', ResponseParseError, 'malformed header line'],
    ['conflicting Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\nabc', ResponseParseError, 'invalid Content-Length "3, 4"'],
    ['a negative Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', ResponseParseError, 'invalid Content-Length'],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', ResponseParseError, 'invalid chunk size line "zz"'],
    ['no CRLF after chunk data', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n', ResponseParseError, 'missing CRLF after chunk data'],
    ['an endless chunk line', `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${'1'.repeat(5000)}`, ResponseParseError, 'chunk line too long'],
  ])('%s', (_n, raw, type, message) => {
    expect(() => read(raw)).toThrow(type);
    expect(() => read(raw)).toThrow(message);
  });

  it('headers past the limit, with or without their end in sight', () => {
    const big = `HTTP/1.1 200 OK\r\nX: ${'a'.repeat(2000)}\r\n\r\n`;
    expect(() => read(big, 0, { maxHeadBytes: 1000 })).toThrow('response headers larger than 1000 bytes');
    expect(() => read(big.slice(0, 1500), 100, { maxHeadBytes: 1000 })).toThrow('response headers larger than 1000 bytes');
  });

  it.each([
    ['in the headers', 'HTTP/1.1 200 OK\r\nContent-Len', ResponseTruncated],
    ['in a Content-Length body', 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', ResponseTruncated],
    ['in a chunked body', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab', ResponseTruncated],
  ])('the connection ends %s: truncated', (_n, raw, type) => {
    expect(() => read(raw, 0, { close: true })).toThrow(type);
  });

  it('the connection ends before any byte: socket hang up', () => {
    const r = new ResponseReader({ maxHeadBytes: 1024, headRequest: false });
    expect(() => r.end()).toThrow('socket hang up');
  });
});
