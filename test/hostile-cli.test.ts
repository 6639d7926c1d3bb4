/**
 * Hostile archives through the real CLI process: every one ends in exit 2 with a short
 * error naming the file (or, where helm loads it safely, exit 0), within 10 s and 512 MiB,
 * with no stack trace and nothing written anywhere (not in the working directory, not in
 * TMPDIR, not beside the archive).
 */
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_CASES } from '../fixtures/hostile/generate.js';
import { assertValidReport, spawnCli } from './helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'chartaudit-hostile-cli-'));
const inputs = join(root, 'inputs');
const paths: Record<string, string> = {};

beforeAll(async () => {
  mkdirSync(inputs);
  for (const [name, c] of Object.entries(HOSTILE_CASES)) {
    const dir = join(inputs, name);
    mkdirSync(dir);
    paths[name] = join(dir, c.file);
    await c.make(paths[name]);
  }
}, 300_000);

describe('hostile archives through `chartaudit scan`', () => {
  it.each(Object.keys(HOSTILE_CASES))('%s', (name) => {
    const cwd = mkdtempSync(join(root, 'cwd-'));
    const tmp = mkdtempSync(join(root, 'tmp-'));
    const r = spawnCli(['scan', paths[name]!, '--format', 'json', '--offline'], { cwd, env: { TMPDIR: tmp }, timeoutMs: 20_000 });
    expect(r.ms).toBeLessThan(10_000);
    expect(r.maxRssMiB).toBeLessThan(512);
    expect([0, 2]).toContain(r.code);
    expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/); // no stack trace
    if (r.code === 2) {
      const lines = r.stderr.trim().split('\n');
      expect(lines.length).toBeLessThanOrEqual(2);
      expect(r.stderr).toContain(basename(paths[name]!));
    } else {
      const report = JSON.parse(r.stdout) as { schemaVersion: number };
      expect(report.schemaVersion).toBe(1);
      assertValidReport(r.stdout, 'scan');
    }
    // nothing written: not in the working directory, not in TMPDIR, not beside the input
    expect(readdirSync(cwd)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
    expect(readdirSync(join(inputs, name))).toEqual([HOSTILE_CASES[name]!.file]);
  });
});
