/**
 * Writing the CLI's output to file descriptors 1 and 2 directly. Creating process.stdout and
 * process.stderr loads Node's stream, net and tty modules (~7 ms at every start, measured in a
 * CPU profile of `images`); a write(2) on a blocking descriptor needs none of them. When the
 * descriptor is non-blocking and full (EAGAIN), the rest of the output goes through Node's
 * stream, which waits for it, and so does everything after it, to keep the order.
 */
import { writeSync } from 'node:fs';

export type ClosedPipeHandler = () => never;

/** What fdWriter writes with: write(2) and Node's stream (tests pass their own to reach EAGAIN). */
export interface FdSinks {
  write: (fd: number, bytes: Buffer, offset: number, length: number) => number;
  stream: () => NodeJS.WritableStream;
}

const realSinks = (fd: 1 | 2): FdSinks => ({
  write: (f, b, o, l) => writeSync(f, b, o, l),
  stream: () => (fd === 1 ? process.stdout : process.stderr),
});

export function fdWriter(fd: 1 | 2, onClosedPipe: ClosedPipeHandler, sinks: FdSinks = realSinks(fd)): (s: string) => void {
  let viaStream = false;
  const stream = (): NodeJS.WritableStream => {
    const st = sinks.stream();
    st.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      onClosedPipe();
    });
    return st;
  };
  let st: NodeJS.WritableStream | undefined;
  return (s: string) => {
    if (viaStream) {
      (st ??= stream()).write(s);
      return;
    }
    const bytes = Buffer.from(s, 'utf8');
    let off = 0;
    while (off < bytes.length) {
      try {
        off += sinks.write(fd, bytes, off, bytes.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') onClosedPipe();
        if (code !== 'EAGAIN') throw e;
        viaStream = true;
        (st ??= stream()).write(bytes.subarray(off));
        return;
      }
    }
  };
}
