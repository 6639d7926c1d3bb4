/**
 * better-sqlite3 with its native addon named outright. The package is bundled into the command
 * that uses it (scripts/build.mjs): its 13 files loaded from node_modules cost a scan ~8 ms (the
 * first files a run requires from disk set up Node's module loader), and the addon lookup of the
 * `bindings` package ~2 ms more (it probes a dozen paths and reads stack traces to find the
 * package, which a bundle would mislead). The addon is where npm builds or downloads it.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let addonPath: string | undefined;

/** Where better-sqlite3's compiled addon is: its build/Release, else where `bindings` finds it. */
function sqliteAddonPath(): string {
  if (addonPath === undefined) {
    // in a bundle, its own require (node:module, a lazy built-in there, stays unloaded)
    const req = typeof require === 'function' ? require : createRequire(import.meta.url);
    const root = dirname(req.resolve('better-sqlite3/package.json'));
    const built = join(root, 'build', 'Release', 'better_sqlite3.node');
    addonPath = existsSync(built)
      ? built
      : (req('bindings') as (o: { bindings: string; module_root: string; path: true }) => string)({ bindings: 'better_sqlite3.node', module_root: root, path: true });
  }
  return addonPath;
}

export type Sqlite = Database.Database;

/** A SQLite database (better-sqlite3's constructor and options). */
export function openDatabase(file: string, options: Omit<Database.Options, 'nativeBinding'> = {}): Sqlite {
  return new Database(file, { ...options, nativeBinding: sqliteAddonPath() });
}
