/**
 * An HTTP/1.1 response read from raw bytes: status line, headers, and the body framed by
 * Content-Length, chunked transfer coding or the end of the connection. Bytes in, results out:
 * the transport feeds what the socket gives.
 *
 * Why: node:http's parser hands every body byte over as a fresh copy, which costs a sixth of
 * the CPU of a layer download; here body bytes are passed on as views of the socket's buffers.
 * Only for blob GETs on a connection of their own (the transport keeps node:http for the rest).
 */

export interface ResponseHead {
  status: number;
  /** Lower-case names; repeated fields joined with ", " (as node:http does for most). */
  headers: Record<string, string>;
}

/** Not an HTTP/1.x response, or malformed framing. `code` starts with HPE_ as llhttp's errors do. */
export class ResponseParseError extends Error {
  readonly code = 'HPE_INVALID_RESPONSE';
}

/** The connection ended before the response did. */
export class ResponseTruncated extends Error {
  readonly code = 'ECONNRESET';
  constructor() {
    super('aborted');
  }
}

const CRLF2 = Buffer.from('\r\n\r\n');
const MAX_CHUNK_LINE = 4096;

type Framing = { kind: 'none' } | { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'close' };

export class ResponseReader {
  head: ResponseHead | null = null;
  done = false;
  private pending: Buffer = Buffer.alloc(0);
  private framing: Framing = { kind: 'none' };
  private chunk: { state: 'size' | 'data' | 'crlf' | 'trailer'; left: number; line: string } = { state: 'size', left: 0, line: '' };

  constructor(private readonly opts: { maxHeadBytes: number; headRequest: boolean }) {}

  /** Feeds bytes from the connection; body bytes go to `onBody` as views of `chunk` (no copies). */
  feed(chunk: Buffer, onBody: (b: Buffer) => void): void {
    let buf = chunk;
    while (buf.length > 0 && !this.done) {
      if (this.head === null) {
        buf = this.readHead(buf);
        continue;
      }
      buf = this.readBody(buf, onBody);
    }
    // bytes past the end of the response (the request said Connection: close) are ignored
  }

  /** The connection ended: the end of a close-delimited body, else a truncated response. */
  end(): void {
    if (this.done) return;
    if (this.head !== null && this.framing.kind === 'close') {
      this.done = true;
      return;
    }
    if (this.head === null && this.pending.length === 0) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    throw new ResponseTruncated();
  }

  private readHead(buf: Buffer): Buffer {
    const all = this.pending.length ? Buffer.concat([this.pending, buf]) : buf;
    const end = all.indexOf(CRLF2);
    if (end < 0) {
      if (all.length > this.opts.maxHeadBytes) throw new ResponseParseError(`response headers larger than ${this.opts.maxHeadBytes} bytes`);
      // a server that does not speak HTTP: refuse early rather than wait for 64 KiB
      if (all.length >= 5 && !all.subarray(0, 5).equals(Buffer.from('HTTP/'))) throw new ResponseParseError('Expected HTTP/');
      this.pending = Buffer.from(all);
      return Buffer.alloc(0);
    }
    if (end > this.opts.maxHeadBytes) throw new ResponseParseError(`response headers larger than ${this.opts.maxHeadBytes} bytes`);
    this.pending = Buffer.alloc(0);
    const lines = all.subarray(0, end).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0]!);
    if (!m) throw new ResponseParseError('Expected HTTP/');
    const status = Number(m[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0 || /[\s]/.test(line.slice(0, colon))) throw new ResponseParseError(`malformed header line ${JSON.stringify(line.slice(0, 80))}`);
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] !== undefined ? `${headers[name]}, ${value}` : value;
    }
    const rest = all.subarray(end + 4);
    if (status >= 100 && status < 200) return rest; // 100 Continue, 103 Early Hints: the real head follows
    this.head = { status, headers };
    this.framing = this.framingOf(status, headers);
    if (this.framing.kind === 'none' || (this.framing.kind === 'length' && this.framing.left === 0)) this.done = true;
    return rest;
  }

  private framingOf(status: number, h: Record<string, string>): Framing {
    if (this.opts.headRequest || status === 204 || status === 304) return { kind: 'none' };
    const te = h['transfer-encoding'];
    if (te !== undefined) {
      const codings = te.toLowerCase().split(',').map((s) => s.trim());
      if (codings[codings.length - 1] === 'chunked') return { kind: 'chunked' };
      return { kind: 'close' };
    }
    const cl = h['content-length'];
    if (cl !== undefined) {
      const values = new Set(cl.split(',').map((s) => s.trim()));
      const [v] = values;
      if (values.size !== 1 || !/^\d{1,15}$/.test(v!)) throw new ResponseParseError(`invalid Content-Length ${JSON.stringify(cl.slice(0, 40))}`);
      return { kind: 'length', left: Number(v) };
    }
    return { kind: 'close' };
  }

  private readBody(buf: Buffer, onBody: (b: Buffer) => void): Buffer {
    const f = this.framing;
    if (f.kind === 'close') {
      onBody(buf);
      return Buffer.alloc(0);
    }
    if (f.kind === 'length') {
      const take = Math.min(f.left, buf.length);
      if (take > 0) onBody(buf.subarray(0, take));
      f.left -= take;
      if (f.left === 0) this.done = true;
      return buf.subarray(take);
    }
    if (f.kind === 'none') {
      this.done = true;
      return buf;
    }
    return this.readChunked(buf, onBody);
  }

  private readChunked(buf: Buffer, onBody: (b: Buffer) => void): Buffer {
    const c = this.chunk;
    let i = 0;
    while (i < buf.length && !this.done) {
      if (c.state === 'data') {
        const take = Math.min(c.left, buf.length - i);
        onBody(buf.subarray(i, i + take));
        i += take;
        c.left -= take;
        if (c.left === 0) {
          c.state = 'crlf';
          c.line = '';
        }
        continue;
      }
      // size, crlf and trailer states read lines
      const nl = buf.indexOf(0x0a, i);
      const piece = buf.subarray(i, nl < 0 ? buf.length : nl + 1).toString('latin1');
      i += piece.length;
      c.line += piece;
      if (c.line.length > MAX_CHUNK_LINE) throw new ResponseParseError('chunk line too long');
      if (nl < 0) continue;
      const line = c.line.replace(/\r?\n$/, '');
      c.line = '';
      if (c.state === 'crlf') {
        if (line !== '') throw new ResponseParseError('missing CRLF after chunk data');
        c.state = 'size';
      } else if (c.state === 'size') {
        const m = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(line);
        if (!m) throw new ResponseParseError(`invalid chunk size line ${JSON.stringify(line.slice(0, 40))}`);
        const size = parseInt(m[1]!, 16);
        if (size === 0) c.state = 'trailer';
        else {
          c.state = 'data';
          c.left = size;
        }
      } else if (line === '') {
        this.done = true; // the empty line after the trailers
      }
    }
    return buf.subarray(i);
  }
}
