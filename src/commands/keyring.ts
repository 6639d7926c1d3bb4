/**
 * Which keyring checks a chart's provenance. A keyring the user named must work (else exit 2);
 * a keyring chartaudit found by itself (helm's default path, then GnuPG's pubring.kbx) may be
 * the empty keybox that any `gpg` run leaves behind, or hold only other people's keys: that is
 * no reason to call a chart tampered with, so callers get the reason and decide.
 */
import { InputError } from '../model/errors.js';
import { PgpFormatError } from '../provenance/openpgp/packets.js';
import { readKeyring, type Keyring } from '../provenance/keyring.js';
import { defaultKeyringCandidates } from '../provenance/default-keyring.js';
import { exists, readInput, type Env } from './context.js';

export interface FoundKeyring {
  path: string;
  keyring: Keyring;
  /** Named with --keyring (true), or found at a default path (false). */
  explicit: boolean;
}

export type KeyringLookup =
  | { found: FoundKeyring }
  /** No keyring named and none at the default paths. */
  | { found: null; tried: string[]; unusable: null }
  /** Default keyrings exist but none can be used (empty keybox, no usable key, unreadable). */
  | { found: null; tried: string[]; unusable: string };

/** --keyring, else the first usable default keyring. */
export function lookupKeyring(explicit: string | undefined, e: Env): KeyringLookup {
  if (explicit) return { found: { path: explicit, keyring: parseKeyring(explicit, readInput(explicit, 'keyring')), explicit: true } };
  const tried = defaultKeyringCandidates(e.env, e.home);
  const problems: string[] = [];
  for (const path of tried.filter(exists)) {
    try {
      return { found: { path, keyring: parseKeyring(path, readInput(path, 'keyring')), explicit: false } };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problems.push(err.message);
    }
  }
  return { found: null, tried, unusable: problems.length ? problems.join('; ') : null };
}

function parseKeyring(path: string, data: Buffer): Keyring {
  try {
    return readKeyring(data);
  } catch (err) {
    if (err instanceof PgpFormatError) throw new InputError(`${path}: not a usable keyring: ${err.message}`, path);
    throw err;
  }
}

/** lookupKeyring for commands that cannot go on without a keyring (verify). */
export function requireKeyring(explicit: string | undefined, e: Env): FoundKeyring {
  const r = lookupKeyring(explicit, e);
  if (r.found) return r.found;
  if (r.unusable) throw new InputError(`no usable keyring: ${r.unusable}; pass --keyring FILE`);
  throw new InputError(`no keyring: pass --keyring FILE (looked for ${r.tried.join(', ')})`);
}
