/**
 * The hermetic test home. test/setup-hermetic.ts calls installHermeticHome() in every test
 * file (vitest `setupFiles`) before the file is imported, so all code under test, in-process
 * or spawned through test/helpers/cli.ts, sees a private HOME and never the real one.
 *
 * Each variable points where its own default would be under the private HOME (GNUPGHOME is
 * HOME/.gnupg, CHARTAUDIT_DB is HOME/.cache/chartaudit/db, ...), so a code path that reads
 * the variable and one that falls back to os.homedir() land in the same private place.
 */
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative, isAbsolute } from 'node:path';

/** Prefix of every private test home under the OS temp dir. */
export const HERMETIC_PREFIX = 'chartaudit-test-home-';

/** Named in the poisoned "real home" files that test/global-setup.ts plants; never in any output. */
export const POISON_MARKER = 'chartaudit-poisoned-real-home';

/** Where this process's private root and inherited environment are recorded (shared by every copy of this module). */
const STATE_KEY = Symbol.for('chartaudit.test.hermetic');
interface HermeticState { root: string; inherited: Record<string, string | undefined> }

/** Every variable through which the CLI, helm, GnuPG or docker tooling could find a user's files. */
export function hermeticLayout(home: string): Record<string, string> {
  const config = join(home, '.config');
  const cache = join(home, '.cache');
  const data = join(home, '.local', 'share');
  return {
    HOME: home,
    GNUPGHOME: join(home, '.gnupg'),
    XDG_CACHE_HOME: cache,
    XDG_CONFIG_HOME: config,
    XDG_DATA_HOME: data,
    XDG_STATE_HOME: join(home, '.local', 'state'),
    CHARTAUDIT_DB: join(cache, 'chartaudit', 'db'),
    DOCKER_CONFIG: join(home, '.docker'),
    KUBECONFIG: join(home, '.kube', 'config'),
    HELM_CACHE_HOME: join(cache, 'helm'),
    HELM_CONFIG_HOME: join(config, 'helm'),
    HELM_DATA_HOME: join(data, 'helm'),
    HELM_PLUGINS: join(data, 'helm', 'plugins'),
    HELM_REGISTRY_CONFIG: join(config, 'helm', 'registry', 'config.json'),
    HELM_REPOSITORY_CACHE: join(cache, 'helm', 'repository'),
    HELM_REPOSITORY_CONFIG: join(config, 'helm', 'repositories.yaml'),
  };
}

/** The names hermeticLayout sets. */
export const HERMETIC_VARS = Object.keys(hermeticLayout('/'));
/** Dropped before the layout is set, so a developer's shell (HELM_DRIVER, CHARTAUDIT_EXTRA_CA_CERTS...) cannot leak in. */
const DROPPED_PREFIXES = ['HELM_', 'CHARTAUDIT_'];

/** Points every variable of hermeticLayout at a fresh private dir; returns that dir (the root). */
export function installHermeticHome(): string {
  // realpath: on macOS /var is a symlink to /private/var; keep the comparisons in one spelling.
  const root = realpathSync(mkdtempSync(join(tmpdir(), HERMETIC_PREFIX)));
  // a worker that runs several files keeps what it inherited at first, not the last file's home
  const inherited = state()?.inherited ?? Object.fromEntries(HERMETIC_VARS.map((n) => [n, process.env[n]]));
  const layout = hermeticLayout(join(root, 'home'));
  for (const name of Object.keys(process.env)) {
    if (DROPPED_PREFIXES.some((p) => name.startsWith(p))) delete process.env[name];
  }
  Object.assign(process.env, layout);
  mkdirSync(layout.GNUPGHOME!, { recursive: true, mode: 0o700 }); // gpg refuses a group-readable home
  mkdirSync(layout.CHARTAUDIT_DB!, { recursive: true });
  (globalThis as Record<symbol, unknown>)[STATE_KEY] = { root, inherited } satisfies HermeticState;
  return root;
}

function state(): HermeticState | null {
  return ((globalThis as Record<symbol, unknown>)[STATE_KEY] as HermeticState | undefined) ?? null;
}

/** The private root of this process, or null when the hermetic setup did not run. */
export function hermeticRoot(): string | null {
  return state()?.root ?? null;
}

/** The variables as this process found them before the setup replaced them (the "real home"). */
export function inheritedEnv(): Record<string, string | undefined> {
  return { ...state()?.inherited };
}

export function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Throws unless the hermetic setup ran and HOME (and os.homedir()) is this process's private
 * home. With `strict`, every variable must point into it too (what the setup leaves before and
 * after each test); otherwise a test may point one at another temp dir it owns (its own
 * GnuPG home, say) but never at anything the process inherited. The CLI helpers call this,
 * so no test can run the CLI against the real home by accident.
 */
export function assertHermetic(strict = false): string {
  const st = state();
  if (st === null) throw new Error('hermetic test home not installed: run the tests through vitest (vitest.config.ts setupFiles)');
  const { root, inherited } = st;
  const tmp = realpathSync(tmpdir());
  // an inherited path that contains the temp dir itself (HOME=/ or /tmp) cannot be told apart
  const forbidden = Object.values(inherited).filter((v): v is string => !!v && isAbsolute(v) && !isInside(tmp, v));
  for (const name of HERMETIC_VARS) {
    const v = process.env[name];
    // a test may unset a variable it set; the code then falls back to HOME, checked below
    if (v === undefined || isInside(v, root)) continue;
    if (strict || name === 'HOME') throw new Error(`${name}=${v} is outside the test's private home ${root}`);
    if (!isInside(v, tmp)) throw new Error(`${name}=${v} is neither in the test's private home ${root} nor in a temp dir the test made`);
    const leak = forbidden.find((f) => isInside(v, f));
    if (leak !== undefined) throw new Error(`${name}=${v} points into the inherited (real) home ${leak}`);
  }
  if (!isInside(homedir(), root)) throw new Error(`os.homedir() ${homedir()} is outside the test's private home ${root}`);
  return root;
}

/** The isolated variables for a child process: this test's private home, never the real one. */
export function hermeticEnv(): Record<string, string> {
  assertHermetic();
  const env: Record<string, string> = {};
  for (const name of HERMETIC_VARS) {
    const v = process.env[name];
    if (v !== undefined) env[name] = v;
  }
  return env;
}
