/**
 * Canary: the suite never reads the real home.
 *
 * test/global-setup.ts starts the run with HOME, GNUPGHOME, CHARTAUDIT_DB, XDG_*, DOCKER_CONFIG
 * and HELM_* pointing into a poisoned "real home": a keybox of unrelated keys at
 * ~/.gnupg/pubring.kbx, the empty 32-byte keybox at $GNUPGHOME, garbage databases at
 * $CHARTAUDIT_DB and ~/.cache/chartaudit/db, a docker config and helm repositories files that
 * name POISON_MARKER. test/setup-hermetic.ts replaces all of them in every test file. Here:
 *  1. the worker did start with the poisoned environment (so the setup is what protects us);
 *  2. every variable, and os.homedir(), points into this file's private home afterwards;
 *  3. the poison bites: the demo scan run with the inherited environment does not verify and
 *     names the poisoned files (so a passing 4 is not luck);
 *  4. the same demo scan, with the demo key and database placed in the private home and no
 *     --keyring/--db, verifies and finds what the README's quick start finds, in-process and
 *     as a child process, and nothing it prints names the poisoned home;
 *  5. the CLI helpers refuse to run when a variable points back into the inherited home.
 * Nothing reads DOCKER_CONFIG or KUBECONFIG yet; 1 and 2 cover them for when something does.
 * Last, no test passes because its data or tool is missing: shared data is found from the
 * checkout and its absence fails, and no source names a machine path or skips itself.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRoot, runCli, spawnCli, type CliResult } from './helpers/cli.js';
import { HERMETIC_VARS, POISON_MARKER, hermeticRoot, inheritedEnv, isInside } from './helpers/hermetic.js';
import { sharedPath, sharedRoot } from './helpers/shared.js';

const poisonedHome = inject('poisonedHome');
const poisonedEnv = inject('poisonedEnv');
const demo = join(projectRoot, 'fixtures', 'demo');
const chart = join(demo, 'storefront-5.0.1.tgz');
const scanArgs = ['scan', chart, '--offline', '--format', 'json'];

interface Report { provenance: { status: string }; findings: { id: string }[] }
const report = (r: CliResult): Report => JSON.parse(r.stdout) as Report;
const findingIds = (r: CliResult): string[] => report(r).findings.map((f) => f.id).sort();

describe('the run starts in a poisoned real home', () => {
  it('global setup planted it and this worker inherited it', () => {
    expect(poisonedHome).toMatch(/chartaudit-poisoned-home-/);
    expect(inheritedEnv()).toEqual(Object.fromEntries(HERMETIC_VARS.map((n) => [n, poisonedEnv[n]])));
  });

  it('the poison bites: the demo scan with the inherited environment fails to verify and names the poisoned files', () => {
    // the keybox of unrelated keys under ~/.gnupg, and the garbage database under ~/.cache
    const home = spawnCli(scanArgs, { env: { HOME: poisonedHome, GNUPGHOME: undefined, CHARTAUDIT_DB: undefined, XDG_CACHE_HOME: undefined } });
    expect(`${home.stdout}${home.stderr}`).toContain(poisonedHome);
    expect(home.code !== 0 || report(home).provenance.status !== 'verified').toBe(true);
    // the whole inherited environment: the empty keybox at $GNUPGHOME, the garbage $CHARTAUDIT_DB
    const all = spawnCli(scanArgs, { env: poisonedEnv });
    expect(`${all.stdout}${all.stderr}`).toContain(poisonedHome);
    expect(all.code !== 0 || report(all).provenance.status !== 'verified').toBe(true);
    // helm's repositories file under the poisoned config home
    const repo = spawnCli(['mitigations', 'poisoned/storefront'], { env: poisonedEnv, timeoutMs: 10_000 });
    expect(`${repo.stdout}${repo.stderr}`).toContain(POISON_MARKER);
  });
});

describe('every test runs in a private home', () => {
  it.each(HERMETIC_VARS)('%s points into this file\'s private home, not the poisoned one', (name) => {
    const root = hermeticRoot()!;
    expect(root).not.toBeNull();
    expect(isInside(process.env[name]!, root)).toBe(true);
    expect(isInside(process.env[name]!, poisonedHome)).toBe(false);
  });

  it('os.homedir() follows HOME into it', () => {
    expect(homedir()).toBe(process.env.HOME);
    expect(isInside(homedir(), hermeticRoot()!)).toBe(true);
  });

  it('no HELM_* or CHARTAUDIT_* variable survives from the inherited environment', () => {
    const extra = Object.keys(process.env).filter((n) => /^(HELM_|CHARTAUDIT_)/.test(n) && !HERMETIC_VARS.includes(n));
    expect(extra).toEqual([]);
  });
});

describe('the CLI reads the private home only', () => {
  let expected: string[];
  beforeAll(async () => {
    // The README quick start, everything named explicitly: what a verified demo scan finds.
    const r = await runCli([...scanArgs, '--keyring', join(demo, 'keyring.gpg'), '--db', join(demo, 'db')]);
    expect(r.code).toBe(0);
    expected = findingIds(r);
    expect(expected.length).toBeGreaterThan(0);
    // The private home holds the demo key and database where the defaults look for them.
    cpSync(join(demo, 'keyring.gpg'), join(process.env.GNUPGHOME!, 'pubring.gpg'));
    mkdirSync(process.env.CHARTAUDIT_DB!, { recursive: true });
    cpSync(join(demo, 'db'), process.env.CHARTAUDIT_DB!, { recursive: true });
  });
  afterAll(() => {
    rmSync(join(process.env.GNUPGHOME!, 'pubring.gpg'), { force: true });
  });

  const check = (r: CliResult): void => {
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/pubring|not a usable keyring|not a vulnerability database/); // no default keyring or database was refused
    expect(report(r).provenance.status).toBe('verified');
    expect(findingIds(r)).toEqual(expected);
    expect(`${r.stdout}${r.stderr}`).not.toContain(poisonedHome);
  };

  it('in-process: the demo scan without --keyring or --db verifies and finds the demo vulnerabilities', async () => {
    check(await runCli(scanArgs));
  });

  it('as a child process: the same', () => {
    check(spawnCli(scanArgs));
  });

  it('helm repositories: the private repositories.yaml is the one looked for', async () => {
    for (const r of [await runCli(['mitigations', 'poisoned/storefront']), spawnCli(['mitigations', 'poisoned/storefront'], { timeoutMs: 10_000 })]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(process.env.HELM_REPOSITORY_CONFIG!);
      expect(r.stderr).not.toContain(POISON_MARKER);
    }
  });

  it.each(['HOME', 'GNUPGHOME', 'CHARTAUDIT_DB', 'HELM_REPOSITORY_CONFIG'])('the helpers refuse to run the CLI with %s pointing into the inherited home', async (name) => {
    const prev = process.env[name];
    process.env[name] = poisonedEnv[name];
    try {
      await expect(runCli(['--version'])).rejects.toThrow(name === 'HOME' ? /outside the test's private home/ : /inherited \(real\) home/);
      expect(() => spawnCli(['--version'])).toThrow(name === 'HOME' ? /outside the test's private home/ : /inherited \(real\) home/);
    } finally {
      process.env[name] = prev;
    }
  });
});

describe('no test passes because its data or a tool is missing', () => {
  it('shared data is found beside the checkout, and missing data fails loudly', () => {
    expect(sharedRoot).toBe(join(projectRoot, '..', 'shared'));
    expect(sharedPath('corpus', 'bitnami', 'charts')).toBe(join(sharedRoot, 'corpus', 'bitnami', 'charts'));
    expect(() => sharedPath('osv', 'no-such-dump.zip')).toThrow(/test data missing: .*no-such-dump\.zip/);
  });

  /**
   * Skips that remain, at most this many per file, each waiting on its owner: a TLS server
   * made with the openssl tool, skipped when openssl is missing.
   */
  const REMAINING_SKIPS: Record<string, number> = {};

  it('no source names a machine path, and no test skips itself (it.skip, skipIf, ctx.skip)', () => {
    const machinePath = new RegExp(['/work', '/shared'].join(''));
    const skip = new RegExp(['\\b(it|test|describe)\\.(skip|skipIf|runIf)\\b', '\\bctx\\.skip\\('].join('|'), 'g');
    const self = relative(projectRoot, new URL(import.meta.url).pathname);
    const paths: string[] = [];
    const skips: string[] = [];
    for (const top of ['src', 'test', 'bench', 'scripts', 'fixtures']) {
      for (const rel of readdirSync(join(projectRoot, top), { recursive: true }) as string[]) {
        const file = join(top, rel);
        if (!/\.(ts|mts|mjs|cjs|js|sh)$/.test(file) || file === self) continue;
        const text = readFileSync(join(projectRoot, file), 'utf8');
        if (machinePath.test(text)) paths.push(file);
        const n = [...text.matchAll(skip)].length;
        if (n > (REMAINING_SKIPS[file] ?? 0)) skips.push(`${file}: ${n}`);
      }
    }
    expect(paths).toEqual([]);
    expect(skips).toEqual([]);
  });
});
