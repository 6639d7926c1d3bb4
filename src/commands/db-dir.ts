/** Where the vulnerability database lives, for every command that reads or writes it. */
import { statSync } from 'node:fs';
import { UsageError } from '../model/errors.js';
import { defaultDbDir } from '../vuln/db/store.js';
import type { Env } from './context.js';

/** --db DIR, else $CHARTAUDIT_DB, else the user cache dir. A file there is a mistake, not a database. */
export function dbDirOf(explicit: string | undefined, e: Env): string {
  const dir = explicit ?? defaultDbDir(e.env, e.home);
  let st;
  try {
    st = statSync(dir);
  } catch {
    return dir;
  }
  if (!st.isDirectory()) {
    const named = explicit ? '--db' : e.env.CHARTAUDIT_DB ? '$CHARTAUDIT_DB' : 'the default database path';
    throw new UsageError(`${dir}: not a directory (${named} takes the directory that holds the database, e.g. ~/.cache/chartaudit/db)`);
  }
  return dir;
}

