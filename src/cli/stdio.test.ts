import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fdWriter, type FdSinks } from './stdio.js';

class ClosedPipe extends Error {}

/** A descriptor that takes `accept` bytes per call, then fails with `failWith` after `total` bytes. */
function sinks(accept: number, total: number, failWith: string | null): FdSinks & { written: Buffer[]; streamed: PassThrough; chunks: () => string } {
  const written: Buffer[] = [];
  const streamed = new PassThrough();
  const got: Buffer[] = [];
  streamed.on('data', (b: Buffer) => got.push(b));
  let sum = 0;
  return {
    written,
    streamed,
    chunks: () => Buffer.concat([...written, ...got]).toString('utf8'),
    write: (_fd, bytes, offset, length) => {
      if (sum >= total && failWith) throw Object.assign(new Error(failWith), { code: failWith });
      const n = Math.min(length, accept, total - sum);
      written.push(Buffer.from(bytes.subarray(offset, offset + n)));
      sum += n;
      return n;
    },
    stream: () => streamed,
  };
}

describe('fdWriter', () => {
  const text = 'héllo wörld\n'.repeat(50);
  it.each<[string, number, number, string | null, string]>([
    ['all at once', 1 << 20, 1 << 20, null, 'fd'],
    ['partial writes are continued', 7, 1 << 20, null, 'fd'],
    ['a full non-blocking descriptor hands the rest to the stream', 64, 100, 'EAGAIN', 'fd+stream'],
    ['a closed pipe ends quietly', 64, 100, 'EPIPE', 'closed'],
  ])('%s', async (_, accept, total, failWith, outcome) => {
    const s = sinks(accept, total, failWith);
    let closed = false;
    const write = fdWriter(1, () => { closed = true; throw new ClosedPipe(); }, s);
    const run = () => { write(text); write('after\n'); };
    if (outcome === 'closed') {
      expect(run).toThrow(ClosedPipe);
      expect(closed).toBe(true);
      return;
    }
    run();
    await new Promise((r) => setImmediate(r));
    // every byte once, in order, the later write after the earlier one
    expect(s.chunks()).toBe(`${text}after\n`);
    if (outcome === 'fd') expect(s.streamed.writableLength + s.streamed.readableLength).toBe(0);
  });

  it('other errors are errors', () => {
    const s = sinks(64, 10, 'EIO');
    const write = fdWriter(1, () => { throw new ClosedPipe(); }, s);
    expect(() => write(text)).toThrow('EIO');
  });

  it('writes real descriptors: 4 MiB through a pipe to a slow reader arrive whole', () => {
    const root = resolve(import.meta.dirname, '..', '..');
    const script = `import { fdWriter } from ${JSON.stringify(join(root, 'src', 'cli', 'stdio.ts'))};
const w = fdWriter(1, () => process.exit(0)); for (let i = 0; i < 4096; i++) w(String(i % 10).repeat(1023) + '\\n');`;
    const r = spawnSync('bash', ['-c', `"${process.execPath}" --import tsx -e "$0" | (sleep 0.2; wc -c)`, script], { encoding: 'utf8', cwd: root, timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(String(4096 * 1024));
  });
});
