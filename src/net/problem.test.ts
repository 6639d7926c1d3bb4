/**
 * describeNetworkFailure on the errors undici really throws, each provoked against a server on
 * 127.0.0.1 (plain http, TLS with a throwaway self-signed certificate, a TCP server that speaks
 * SSH, a closed port), and Deadline's arithmetic.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCert } from '../../test/helpers/tls.js';
import { Deadline, durationText } from './deadline.js';
import { describeNetworkFailure, httpStatusText, plainMessage } from './problem.js';

let dir: string;
const servers: Server[] = [];
const sockets: Socket[] = [];
const port = (s: Server): number => (s.address() as AddressInfo).port;
async function listen<T extends Server>(s: T): Promise<T> {
  servers.push(s);
  s.on('connection', (c: Socket) => sockets.push(c));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return s;
}
let http: Server;
let tls: Server;
let ssh: Server;
let closedPort = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chartaudit-net-'));
  http = await listen(createHttpServer((_q, r) => r.end('hi')));
  ssh = await listen(createTcpServer((c) => c.end('SSH-2.0-OpenSSH_9.6\r\n')) as unknown as Server);
  const cert = selfSignedCert(dir);
  tls = await listen(createHttpsServer({ key: cert.key, cert: cert.cert }, (_q, r) => r.end('hi')));
  const closed = await listen(createHttpServer());
  closedPort = port(closed);
  await new Promise((r) => closed.close(r));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

/** The error undici throws for a GET of `url`. */
async function errorOf(url: string): Promise<unknown> {
  const agent = new Agent({ connect: { timeout: 2000 } });
  try {
    const res = await request(url, { dispatcher: agent });
    await res.body.dump();
    throw new Error(`expected ${url} to fail, got HTTP ${res.statusCode}`);
  } catch (e) {
    return e;
  } finally {
    await agent.destroy();
  }
}

describe('describeNetworkFailure', () => {
  const cases: [string, () => string, string, string][] = [
    ['https:// to plain http', () => `https://127.0.0.1:${port(http)}/`, 'TLS handshake failed: the server does not speak TLS (is it http://?)', 'no'],
    ['https:// to a server speaking SSH', () => `https://127.0.0.1:${port(ssh)}/`, 'TLS handshake failed: the server does not speak TLS (is it http://?)', 'no'],
    ['http:// to a server speaking SSH', () => `http://127.0.0.1:${port(ssh)}/`, 'the server did not answer in HTTP (is the port right?)', 'no'],
    ['a self-signed certificate', () => `https://127.0.0.1:${port(tls)}/`, 'TLS certificate not trusted: it is self-signed (CHARTAUDIT_EXTRA_CA_CERTS may name a PEM file with the CA to trust)', 'no'],
    ['http:// to a TLS server', () => `http://127.0.0.1:${port(tls)}/`, 'the server closed the connection (if it speaks TLS, use https://)', 'yes'],
    ['a closed port', () => `http://127.0.0.1:${closedPort}/`, 'connection refused', 'once'],
  ];
  it.each(cases)('%s', async (_, url, text, retry) => {
    const u = url();
    const p = describeNetworkFailure(await errorOf(u), u);
    expect(p).toEqual({ text, retry });
  });

  it('never passes OpenSSL\'s multi-line text through', () => {
    const e = Object.assign(new Error('80CC41D7B57F0000:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1605:SSL alert number 40\n'), { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' });
    expect(describeNetworkFailure(e, 'https://h/')).toEqual({ text: 'TLS handshake failed (sslv3 alert handshake failure)', retry: 'no' });
    expect(plainMessage('getaddrinfo ENOTFOUND x\nmore')).toBe('getaddrinfo ENOTFOUND x');
  });

  it('names HTTP statuses', () => {
    expect(httpStatusText(404)).toBe('HTTP 404 Not Found');
    expect(httpStatusText(599)).toBe('HTTP 599');
  });
});

describe('Deadline', () => {
  it('counts down, clamps, and says its length', () => {
    let now = 1_000;
    const d = new Deadline(30_000, () => now);
    expect(d.remaining()).toBe(30_000);
    now += 29_000;
    expect(d.clamp(5_000)).toBe(1_000);
    expect(d.allows(999)).toBe(true);
    expect(d.allows(1_000)).toBe(false);
    now += 2_000;
    expect(d.expired()).toBe(true);
    expect(d.remaining()).toBe(0);
    expect(String(d)).toBe('the 30 s deadline');
  });

  it('refuses a deadline that is not a positive number', () => {
    expect(() => new Deadline(0)).toThrow(RangeError);
    expect(() => new Deadline(Number.NaN)).toThrow(RangeError);
  });

  it('fires onExpiry once, and never for a deadline too far away for a timer', async () => {
    let fired = 0;
    new Deadline(20).onExpiry(() => fired++);
    const cancel = new Deadline(2 ** 40).onExpiry(() => fired++); // setTimeout would fire at once
    await new Promise((r) => setTimeout(r, 60));
    cancel();
    expect(fired).toBe(1);
  });

  it.each([
    [200, '0.2 s'],
    [1_000, '1 s'],
    [1_500, '1.5 s'],
    [30_000, '30 s'],
    [600_000, '10 min'],
    [Number.POSITIVE_INFINITY, 'forever'],
  ])('durationText(%d) is %s', (ms, text) => {
    expect(durationText(ms)).toBe(text);
  });
});
