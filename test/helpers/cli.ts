/** Runs the CLI in-process (fast) or as a real process (exit codes, no stack traces). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { validateAgainstSingleSchema } from '../../src/render/schema.js';
import { assertHermetic, hermeticEnv } from './hermetic.js';
import { assertValidExport } from './report-schemas.js';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliResult { code: number; stdout: string; stderr: string }

const reportSchema = readFileSync(join(projectRoot, 'schema', 'report.schema.json'), 'utf8');
const defSchema = (def: string): string => JSON.stringify({ ...JSON.parse(reportSchema), $ref: `#/$defs/${def}`, required: undefined, properties: undefined, additionalProperties: undefined, type: undefined });
const imagesSchema = defSchema('imagesList');
const imageSchema = defSchema('imageReport');

/** Every JSON report a test produces must follow the committed JSON Schema. */
export function assertValidReport(json: string, kind: 'scan' | 'images' | 'image'): void {
  const err = validateAgainstSingleSchema(JSON.parse(json) as Record<string, unknown>, kind === 'scan' ? reportSchema : kind === 'images' ? imagesSchema : imageSchema);
  if (err !== null) throw new Error(`${kind} report does not follow schema/report.schema.json:\n${err}`);
}

/** Runs main() in this process, whose environment the hermetic setup made private. */
export async function runCli(args: string[]): Promise<CliResult> {
  assertHermetic();
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'chartaudit', ...args], {
    stdout: (s) => { stdout += s; },
    stderr: (s) => { stderr += s; },
  });
  const format = (args.includes('--format') ? args[args.indexOf('--format') + 1] : args.find((a) => a.startsWith('--format='))?.slice(9))?.toLowerCase();
  const json = format === 'json';
  // Every SARIF and CycloneDX report a scan writes follows the published schema, on stdout or in a file.
  if (args[0] === 'scan' && (code === 0 || code === 1)) {
    const outputs = args.flatMap((a, i) => (a === '-o' || a === '--output' ? [args[i + 1] ?? ''] : a.startsWith('--output=') ? [a.slice(9)] : []));
    const named = outputs.find((v) => !/^(table|text|json|sarif|cyclonedx|html|markdown)=/i.test(v));
    // helm's `-o sarif` names the format; anything else is the file the main report goes to
    const asFormat = named !== undefined && /^(sarif|cyclonedx)$/i.test(named) ? named.toLowerCase() : undefined;
    const plain = asFormat === undefined && named !== undefined && !/^(table|text|json|html|markdown)$/i.test(named) ? named : undefined;
    const main = format ?? asFormat;
    if ((main === 'sarif' || main === 'cyclonedx') && plain === undefined) assertValidExport(stdout, main);
    if ((main === 'sarif' || main === 'cyclonedx') && plain !== undefined) assertValidExport(readFileSync(plain, 'utf8'), main, plain);
    for (const v of outputs) {
      const m = /^(sarif|cyclonedx)=(.+)$/i.exec(v);
      if (m) assertValidExport(readFileSync(m[2]!, 'utf8'), m[1]!.toLowerCase() as 'sarif' | 'cyclonedx', m[2]);
    }
  }
  if (json && (code === 0 || code === 1) && !args.includes('--output') && !args.includes('-o')) {
    if (args[0] === 'scan') assertValidReport(stdout, 'scan');
    // a list with one entry per chart, however many were named
    if (args[0] === 'images') assertValidReport(stdout, 'images');
    if (args[0] === 'image' && code === 0) assertValidReport(stdout, 'image');
  }
  return { code, stdout, stderr };
}

/**
 * Spawns bin/chartaudit.js (the built CLI); used where the process matters. Reports wall
 * time and peak resident memory (`maxRssMiB`, measured inside the child at exit). The child
 * gets PATH and the test's private home (hermeticEnv), never the real HOME; `opts.env` adds to it
 * (a variable set to undefined is left out).
 */
export function spawnCli(args: string[], opts: { env?: Record<string, string | undefined>; input?: string; cwd?: string; timeoutMs?: number } = {}): CliResult & { ms: number; maxRssMiB: number } {
  const rssDir = mkdtempSync(join(tmpdir(), 'chartaudit-rss-'));
  const rssFile = join(rssDir, 'rss');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ PATH: process.env.PATH ?? '', ...hermeticEnv(), CHARTAUDIT_RSS_FILE: rssFile, ...opts.env })) if (v !== undefined) env[k] = v;
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--require', join(projectRoot, 'test', 'helpers', 'rss-report.cjs'), join(projectRoot, 'bin', 'chartaudit.js'), ...args], {
    encoding: 'utf8',
    env,
    input: opts.input,
    cwd: opts.cwd,
    timeout: opts.timeoutMs ?? 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Date.now() - t0;
  let maxRssMiB = Number.NaN;
  try {
    maxRssMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
  } catch {
    // the process died before exit handlers ran: the caller sees its exit code
  }
  rmSync(rssDir, { recursive: true, force: true });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, ms, maxRssMiB };
}
