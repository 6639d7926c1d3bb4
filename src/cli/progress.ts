/**
 * Progress of image pulls on a terminal: one line on stderr, rewritten in place at most ten
 * times a second, cleared when the last image is done. Nothing at all when stderr is not a
 * terminal (CI logs and pipes stay clean).
 */
import type { ImageProgress } from '../commands/scan/image-options.js';
import { formatBytes } from '../report/units.js';
import { isTerminal } from './terminal.js';

interface Pull {
  blobs: Map<string, { bytes: number; total: number }>;
  layer: string | null;
}

export function terminalProgress(write: (s: string) => void, given?: { isTTY?: boolean; columns?: number }): ImageProgress | undefined {
  // process.stderr only once stderr is known to be a terminal (creating it on a pipe loads net)
  const stream = given ?? (isTerminal(2) ? process.stderr : undefined);
  if (stream?.isTTY !== true) return undefined;
  const pulls = new Map<string, Pull>();
  let started = 0;
  let finished = 0;
  let current: string | null = null;
  let last = 0;
  let shown = false;
  const draw = (force: boolean): void => {
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    const p = current ? pulls.get(current) : undefined;
    if (!current || !p) return;
    let bytes = 0;
    let total = 0;
    for (const b of p.blobs.values()) {
      bytes += b.bytes;
      total += b.total;
    }
    const what = total > 0 ? `${formatBytes(bytes)} / ${formatBytes(total)}` : (p.layer ?? 'resolving');
    const head = `[${finished + 1}/${Math.max(started, finished + 1)}] `;
    const room = Math.max(10, (stream.columns ?? 80) - head.length - what.length - 3);
    const ref = current.length > room ? `…${current.slice(current.length - room + 1)}` : current;
    write(`\r\x1b[K${head}${ref}  ${what}`);
    shown = true;
  };
  const pull = (ref: string): Pull => {
    let p = pulls.get(ref);
    if (!p) pulls.set(ref, (p = { blobs: new Map(), layer: null }));
    return p;
  };
  return {
    start(ref) {
      started++;
      pull(ref);
      current = ref;
      draw(true);
    },
    bytes(ref, digest, bytes, total) {
      pull(ref).blobs.set(digest, { bytes, total });
      current = ref;
      draw(false);
    },
    layer(ref, index, count) {
      pull(ref).layer = `reading layer ${index + 1}/${count}`;
      current = ref;
      draw(true); // once per layer: rare enough to show each
    },
    done(ref) {
      finished++;
      pulls.delete(ref);
      current = pulls.keys().next().value ?? null;
      if (current) draw(true);
      else if (shown) {
        write('\r\x1b[K');
        shown = false;
      }
    },
  };
}
