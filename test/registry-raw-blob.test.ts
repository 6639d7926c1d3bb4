/**
 * The transport's raw GET (blobs: a connection of their own, the response read by
 * ResponseReader instead of node:http) against servers on 127.0.0.1 written here: chunked and
 * close-delimited bodies, a redirect, backpressure, a truncated body (retried), a server that
 * does not speak HTTP, a stall, and a header value that would add a line to the request.
 */
import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Deadline } from '../src/net/deadline.js';
import { RegistryError } from '../src/registry/errors.js';
import { Transport, type TransportOptions } from '../src/registry/transport.js';

const BLOB = Buffer.alloc(3 * 1024 * 1024 + 17);
for (let i = 0; i < BLOB.length; i++) BLOB[i] = (i * 7919) & 0xff;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

let http: Server;
let httpHost: string;
const rawServers: NetServer[] = [];
const seenHeaders: Record<string, string | string[] | undefined>[] = [];
let truncateNext = 0;

beforeAll(async () => {
  http = createHttpServer((req, res) => {
    seenHeaders.push(req.headers);
    if (req.url === '/chunked') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }); // no length: chunked
      for (let i = 0; i < BLOB.length; i += 100_000) res.write(BLOB.subarray(i, i + 100_000));
      res.end();
    } else if (req.url === '/length') {
      res.writeHead(200, { 'content-length': String(BLOB.length) });
      res.end(BLOB);
    } else if (req.url === '/redirect') {
      res.writeHead(307, { location: '/length', 'content-length': '4' });
      res.end('gone');
    } else if (req.url === '/truncated') {
      if (truncateNext-- > 0) {
        res.writeHead(200, { 'content-length': String(BLOB.length) });
        res.write(BLOB.subarray(0, 1000), () => res.socket?.destroy());
        return;
      }
      res.writeHead(200, { 'content-length': String(BLOB.length) });
      res.end(BLOB);
    } else if (req.url === '/stall') {
      res.writeHead(200, { 'content-length': String(BLOB.length) });
      res.write(BLOB.subarray(0, 1000)); // and nothing more
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  httpHost = `127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  http.closeAllConnections();
  await new Promise<void>((r) => http.close(() => r()));
  for (const s of rawServers) s.close();
});

/** A TCP server that answers every connection with `reply` and closes. */
async function rawServer(reply: string): Promise<string> {
  const s = createNetServer((c: Socket) => {
    c.on('error', () => undefined);
    c.once('data', () => c.end(reply));
  });
  rawServers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `127.0.0.1:${(s.address() as AddressInfo).port}`;
}

async function get(host: string, path: string, o: TransportOptions & { authorization?: string; slowReader?: boolean } = {}): Promise<{ status: number; sha: string; bytes: number }> {
  const t = new Transport({ insecure: [host], retries: 2, backoffMs: 10, ...o });
  try {
    return await t.withRetries(`GET ${path}`, new Deadline(20_000), async (a) => {
      const ans = await t.send(a, `http://${host}${path}`, { method: 'GET', headers: { accept: '*/*' }, authorization: o.authorization, rawBody: true });
      const h = createHash('sha256');
      let bytes = 0;
      try {
        a.alive();
        for await (const c of ans.body as AsyncIterable<Buffer>) {
          a.alive();
          h.update(c);
          bytes += c.length;
          if (o.slowReader) await new Promise((r) => setTimeout(r, 1));
        }
      } catch (e) {
        throw new (await import('../src/registry/transport.js')).Retryable(`${ans.url}: ${a.abortReason() ?? (e as Error).message} after ${bytes} bytes`);
      }
      const len = Number(ans.headers['content-length']);
      if (Number.isFinite(len) && len !== bytes) throw new Error(`short: ${bytes} of ${len}`);
      return { status: ans.status, sha: h.digest('hex'), bytes };
    });
  } finally {
    await t.close();
  }
}

describe('raw blob GETs', () => {
  it.each([
    ['Content-Length', '/length'],
    ['chunked', '/chunked'],
    ['a redirect, then Content-Length', '/redirect'],
  ])('%s: every byte, in order', async (_n, path) => {
    const got = await get(httpHost, path);
    expect(got).toEqual({ status: 200, sha: sha(BLOB), bytes: BLOB.length });
  });

  it('a slow reader: the socket is paused (backpressure), every byte still arrives', async () => {
    const got = await get(httpHost, '/length', { slowReader: true });
    expect(got.sha).toBe(sha(BLOB));
  });

  it('a close-delimited body (no length, no chunking) ends with the connection', async () => {
    const host = await rawServer('HTTP/1.0 200 OK\r\nServer: old\r\n\r\nthe whole body');
    expect(await get(host, '/x')).toEqual({ status: 200, sha: sha(Buffer.from('the whole body')), bytes: 14 });
  });

  it('the request says Connection: close and carries the given headers', async () => {
    seenHeaders.length = 0;
    await get(httpHost, '/length', { authorization: 'Bearer abc' });
    expect(seenHeaders[0]).toMatchObject({ connection: 'close', authorization: 'Bearer abc', accept: '*/*', 'user-agent': 'chartaudit', host: httpHost });
  });

  it('a body cut short is tried again', async () => {
    truncateNext = 1;
    expect((await get(httpHost, '/truncated')).sha).toBe(sha(BLOB));
  });

  it('a server that does not speak HTTP: a clear error, not retried', async () => {
    const host = await rawServer('SSH-2.0-OpenSSH_9.6\r\n');
    const e = await get(host, '/x').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RegistryError);
    expect((e as Error).message).toBe(`http://${host}/x: the server did not answer in HTTP (is the port right?)`);
  });

  it('a connection closed before any answer', async () => {
    const host = await rawServer('');
    const e = await get(host, '/x', { retries: 0 }).catch((x: unknown) => x);
    expect((e as Error).message).toBe(`GET /x: http://${host}/x: the server closed the connection (if it speaks TLS, use https://)`);
  });

  it('a body that stalls: the idle time-out ends the try', async () => {
    const e = await get(httpHost, '/stall', { retries: 0, bodyTimeoutMs: 200 }).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/^GET \/stall: http:\/\/127\.0\.0\.1:\d+\/stall: the response stalled for 0\.2 s after \d+ bytes$/);
  });

  it('a header value with a line break (a hostile token) is refused before anything is sent', async () => {
    seenHeaders.length = 0;
    const e = await get(httpHost, '/length', { retries: 0, authorization: 'Bearer x\r\nX-Injected: 1' }).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/invalid character in header authorization/);
    expect(seenHeaders).toEqual([]);
  });
});
