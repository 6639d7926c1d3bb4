/**
 * Parsed chart templates kept between runs: one file per template text under
 * `<cacheDir>/templates/`, named by the SHA-256 of the text and of what else decides its parse
 * (delimiters, function names, parser build), holding the trees as tree-codec JSON. Parsing is
 * most of a small chart's render in a fresh process (cold code); reading the trees back takes a
 * fraction of it, and every chart with the same file shares the entry (each subchart's copy of
 * Bitnami's common library). Only texts that parsed cleanly are stored, so errors always come
 * from the parser. An entry that cannot be read or decoded is parsed afresh; one that cannot be
 * written is skipped. Entries are written whole under a temporary name and renamed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedTreeStore } from '../render/template/exec.js';
import { filesTwoDeep } from './paths.js';

/** Texts shorter than this parse faster than a file is found and read. */
const MIN_TEXT = 256;
/** An entry larger than this is not read (a stored tree is a few times its text). */
const MAX_ENTRY = 16 * 1024 * 1024;
/** `cache prune` removes entries written longer ago than this (a render writes them again). */
const PRUNE_AGE_MS = 30 * 24 * 3600_000;

export class TemplateTreeCache implements ParsedTreeStore {
  readonly dir: string;

  constructor(cacheDir: string) {
    this.dir = join(cacheDir, 'templates');
  }

  /** Where the entry for this text is (or would be). */
  file(identity: string, text: string): string {
    const id = createHash('sha256').update(identity).update('\0').update(text).digest('hex');
    return join(this.dir, id.slice(0, 2), `${id}.json`);
  }

  get(identity: string, text: string): string | undefined {
    if (text.length < MIN_TEXT) return undefined;
    try {
      const bytes = readFileSync(this.file(identity, text));
      return bytes.length <= MAX_ENTRY ? bytes.toString('utf8') : undefined;
    } catch {
      return undefined;
    }
  }

  put(identity: string, text: string, json: string): void {
    if (text.length < MIN_TEXT) return;
    const file = this.file(identity, text);
    const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
      // No fsync: a torn entry fails to decode and is parsed afresh.
      writeFileSync(tmp, json, { mode: 0o600, flag: 'wx' });
      renameSync(tmp, file);
    } catch {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // no directory to leave it in
      }
    }
  }

  /** How many entries (and temp files of killed writers) there are and their size. */
  status(): { count: number; bytes: number } {
    const all = filesTwoDeep(this.dir);
    return { count: all.length, bytes: all.reduce((n, f) => n + f.stat.size, 0) };
  }

  /**
   * Removes entries written more than 30 days ago, or all of them (`everything`, for
   * `cache prune --max-size 0`). Each is only a parse saved: the next render writes it again.
   */
  prune(everything: boolean, now = Date.now()): { removed: number; freedBytes: number } {
    let removed = 0;
    let freedBytes = 0;
    for (const f of filesTwoDeep(this.dir)) {
      if (!everything && now - f.stat.mtimeMs <= PRUNE_AGE_MS) continue;
      rmSync(f.path, { force: true });
      removed++;
      freedBytes += f.stat.size;
    }
    return { removed, freedBytes };
  }
}
