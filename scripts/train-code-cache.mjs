// Trains the code cache entries the build ships in dist/v8/ (scripts/compile-cache.cjs): the
// bundled demo chart's commands (it holds Bitnami's postgresql and redis charts, with their
// common library), run as a user runs them (bin/chartaudit.js, with its Node flags) by the Node
// that built dist/, each entry the union of what the runs compiled. A first run after install
// then reads an entry instead of compiling its bundle. The runs get a private HOME and cache
// (removed after); nothing outside dist/v8/ and that directory is written.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'dist', 'v8');
const demo = join(root, 'fixtures', 'demo');
const chart = join(demo, 'storefront-5.0.1.tgz');
const home = mkdtempSync(join(tmpdir(), 'chartaudit-train-'));

/** Each command three times: the template cache notes a text, stores its trees, then reads them. */
const commands = [
  ['images', chart, '--format', 'json'],
  ['template', chart],
  ['scan', chart, '--db', join(demo, 'db'), '--offline', '--skip-image-contents', '--format', 'json'],
  ['scan', chart, '--keyring', join(demo, 'keyring.gpg'), '--db', join(demo, 'db'), '--vex', join(demo, 'vex.openvex.json'),
    '--registry-mirror', `docker.io=oci-layout:${join(demo, 'images')}`, '--offline'],
  ['posture', chart, '--format', 'json'],
].flatMap((c) => [c, c, c]);
commands.push(['verify', chart, '--keyring', join(demo, 'keyring.gpg')]);

try {
  mkdirSync(out, { recursive: true });
  const env = {
    PATH: process.env.PATH ?? '', HOME: home, XDG_CACHE_HOME: join(home, '.cache'), XDG_CONFIG_HOME: join(home, '.config'),
    DOCKER_CONFIG: join(home, '.docker'), GNUPGHOME: join(home, '.gnupg'), CHARTAUDIT_CODE_CACHE_TRAIN: out,
  };
  for (const args of commands) {
    const r = spawnSync(join(root, 'bin', 'chartaudit.js'), args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    // 1: a scan's verdict; anything else means the CLI itself is broken
    if (r.status !== 0 && r.status !== 1) throw new Error(`chartaudit ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
// readable by every user of an installation (the loader's entries are private to their owner)
for (const f of readdirSync(out)) chmodSync(join(out, f), 0o644);
