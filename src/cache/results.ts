/**
 * Per-layer analysis results, kept so that a rescan of the same images reads no layer again
 * (Trivy's per-layer cache): one JSON file per (layer digest, analyser id, analyser version)
 * under `<cacheDir>/results/`, written atomically. A changed analyser version is a new key, so
 * stale results are never read; old ones are simply not looked at.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { isDigest } from './blobs.js';
import { defaultCacheDir, filesTwoDeep } from './paths.js';

export interface ResultKey {
  layer: string;
  analyser: string;
  version: number | string;
}

export class LayerResultStore {
  readonly dir: string;

  constructor(opts: { cacheDir?: string | undefined; env?: Record<string, string | undefined> } = {}) {
    this.dir = join(opts.cacheDir ?? defaultCacheDir(opts.env), 'results');
  }

  private file(k: ResultKey): string {
    if (!isDigest(k.layer)) throw new Error(`not a layer digest: ${JSON.stringify(k.layer.slice(0, 100))}`);
    const id = createHash('sha256').update(JSON.stringify([k.layer, k.analyser, String(k.version)])).digest('hex');
    return join(this.dir, id.slice(0, 2), `${id}.json`);
  }

  /** The stored value, or undefined when there is none (or the file is damaged). */
  get<T = unknown>(k: ResultKey): T | undefined {
    let text: string;
    try {
      text = readFileSync(this.file(k), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const o = JSON.parse(text) as { layer?: unknown; analyser?: unknown; version?: unknown; value?: T };
      if (o.layer !== k.layer || o.analyser !== k.analyser || o.version !== String(k.version)) return undefined;
      return o.value;
    } catch {
      return undefined;
    }
  }

  put(k: ResultKey, value: unknown): void {
    const f = this.file(k);
    mkdirSync(join(f, '..'), { recursive: true });
    writeFileAtomic(f, `${JSON.stringify({ layer: k.layer, analyser: k.analyser, version: String(k.version), value })}\n`);
  }

  status(): { count: number; bytes: number } {
    const files = filesTwoDeep(this.dir).filter((f) => f.name.endsWith('.json') && !f.name.startsWith('.tmp-'));
    return { count: files.length, bytes: files.reduce((n, f) => n + f.stat.size, 0) };
  }
}
