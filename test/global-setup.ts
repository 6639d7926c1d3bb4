/**
 * Runs once in the main vitest process before any worker starts.
 *
 * 1. Extracts the reference helm, so the workers never race for it.
 * 2. Plants a poisoned "real home" and starts the run with HOME and every other variable of
 *    test/helpers/hermetic.ts pointing into it, as on a workstation where gpg, docker and helm
 *    have been used (and a shell that exports GNUPGHOME, CHARTAUDIT_DB, HELM_*). Each poisoned
 *    file is one that breaks the demo scan if read: a GnuPG keybox of unrelated keys at
 *    ~/.gnupg/pubring.kbx (the demo would not verify), the empty 32-byte keybox at $GNUPGHOME
 *    (the same), a garbage vulnerability database at $CHARTAUDIT_DB and at the default
 *    ~/.cache/chartaudit/db (the scan would fail or report a broken database), and a docker
 *    config.json and helm repositories.yaml naming POISON_MARKER. The setupFiles module must
 *    replace all of them in every test file; test/hermetic.test.ts checks that it does and that
 *    the poison bites when it does not (so a pass means something).
 */
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { helmPath } from './helpers/helm.js';
import { HERMETIC_VARS, hermeticLayout, POISON_MARKER } from './helpers/hermetic.js';
import { projectRoot } from './helpers/shared.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The poisoned "real home" the run started with (HOME of the main process). */
    poisonedHome: string;
    /** Every variable of the poisoned environment, as the run started with it. */
    poisonedEnv: Record<string, string>;
  }
}

export default function setup(project: TestProject): () => void {
  helmPath();
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'chartaudit-poisoned-home-')));
  const env = plantPoisonedHome(join(root, 'home'));
  const saved = new Map(HERMETIC_VARS.map((n) => [n, process.env[n]]));
  Object.assign(process.env, env); // inherited by every worker
  project.provide('poisonedHome', env.HOME!);
  project.provide('poisonedEnv', env);
  return () => {
    for (const [n, v] of saved) if (v === undefined) delete process.env[n]; else process.env[n] = v;
    rmSync(root, { recursive: true, force: true });
  };
}

/** Writes the poisoned files under `home`; returns the environment that points at them. */
function plantPoisonedHome(home: string): Record<string, string> {
  const gnupgHome = join(home, '.gnupg-empty');
  const dbDir = join(home, 'chartaudit-db');
  const env: Record<string, string> = { ...hermeticLayout(home), GNUPGHOME: gnupgHome, CHARTAUDIT_DB: dbDir };
  const put = (file: string, data: string | Buffer): void => {
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(file, data);
  };
  const fixtures = join(projectRoot, 'fixtures', 'poisoned-home');
  mkdirSync(join(home, '.gnupg'), { recursive: true, mode: 0o700 });
  copyFileSync(join(fixtures, 'unrelated.kbx'), join(home, '.gnupg', 'pubring.kbx'));
  mkdirSync(gnupgHome, { recursive: true, mode: 0o700 });
  copyFileSync(join(fixtures, 'empty.kbx'), join(gnupgHome, 'pubring.kbx'));
  const garbageDb = Buffer.concat([Buffer.from(`${POISON_MARKER}: not an SQLite database\n`), Buffer.alloc(4096, 0xa5)]);
  put(join(dbDir, 'vulndb.sqlite'), garbageDb);
  put(join(home, '.cache', 'chartaudit', 'db', 'vulndb.sqlite'), garbageDb);
  put(join(env.DOCKER_CONFIG!, 'config.json'), JSON.stringify({ auths: { 'registry-1.docker.io': { auth: Buffer.from(`${POISON_MARKER}:secret`).toString('base64') } } }));
  const repos = `apiVersion: ""\ngenerated: "0001-01-01T00:00:00Z"\nrepositories:\n- name: poisoned\n  url: http://127.0.0.1:9/${POISON_MARKER}\n  username: ${POISON_MARKER}\n  password: secret\n`;
  put(env.HELM_REPOSITORY_CONFIG!, repos);
  put(join(home, '.config', 'helm', 'repositories.yaml'), repos);
  put(env.KUBECONFIG!, `# ${POISON_MARKER}\n`);
  return env;
}
