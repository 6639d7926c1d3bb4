/**
 * vitest setupFiles: runs in every test file before the file is imported. Gives the file a
 * private home (test/helpers/hermetic.ts) so nothing under test reads the real HOME, GnuPG
 * keyring, database cache, docker or helm configuration; checks around every test that the
 * environment still points there; removes the home when the file is done.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { afterAll, afterEach, beforeEach } from 'vitest';
import { assertHermetic, installHermeticHome } from './helpers/hermetic.js';

const root = installHermeticHome();
const gnupgHome = process.env.GNUPGHOME!;

beforeEach(() => { assertHermetic(true); });
// a test that pointed a variable elsewhere must put it back
afterEach(() => { assertHermetic(true); });

afterAll(() => {
  // A test that ran gpg with the private GNUPGHOME left an agent behind: stop it first.
  if (readdirSync(gnupgHome).length > 0) spawnSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: gnupgHome }, stdio: 'ignore' });
  rmSync(root, { recursive: true, force: true });
});
