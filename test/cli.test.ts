/** The CLI as users meet it: help, version, usage errors (exit 2, a hint, no stack trace). */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, runCli, spawnCli } from './helpers/cli.js';
import { fastParse } from '../src/cli/main.js';

const version = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;

describe('help and version', () => {
  it.each([['--version'], ['-V']])('%s prints the version', async (flag) => {
    const r = await runCli([flag]);
    expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
  it('--help lists every command and the exit codes', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['scan', 'verify', 'sign']) expect(r.stdout).toContain(c);
    expect(r.stdout).toContain('Exit codes');
  });
  it.each([['scan'], ['verify'], ['sign']])('%s --help describes its flags', async (cmd) => {
    const r = await runCli([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: chartaudit ${cmd}`);
    expect(r.stdout).toContain('--keyring');
  });
});

describe('usage errors exit 2 with a hint', () => {
  it.each([
    ['an unknown command', ['scna', 'x.tgz'], /unknown command 'scna'[\s\S]*Did you mean scan\?/],
    ['an unknown flag', ['verify', 'x.tgz', '--keyrng', 'k'], /unknown option '--keyrng'[\s\S]*Did you mean --keyring\?/],
    ['a missing argument', ['verify'], /missing required argument 'chart.tgz'/],
    ['a bad --format', ['scan', 'x.tgz', '--format', 'xml'], /argument 'xml' is invalid. Allowed choices are table, json/],
    ['sign without --key', ['sign', 'x.tgz', '--keyring', 'k'], /required option '--key <name>' not specified/],
    ['a flag that swallowed the next flag', ['verify', 'x.tgz', '--keyring', '--format', 'json'], /error/],
    ['no command at all', [], /Usage: chartaudit/],
  ])('%s', async (_, args, msg) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toMatch(msg);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('the fast path agrees with the spec', () => {
  it.each([
    [['scan', 'c.tgz'], { values: [], format: undefined, color: true }],
    [['scan', 'c.tgz', '--fail-on', 'HIGH', '--format', 'TEXT'], { failOn: 'high', format: 'table' }],
    [['scan', 'c.tgz', '-f', 'a.yaml', '--values', 'b.yaml', '--no-color', '--format', 'json'], { values: ['a.yaml', 'b.yaml'], format: 'json', color: false }],
    [['verify', 'c.tgz', '--keyring', 'k.gpg'], { keyring: 'k.gpg', format: undefined }],
    [['verify', 'c.tgz', '--format', 'text'], { format: 'table' }],
    [['template', 'my-release', 'c.tgz'], { showOnly: [] }],
    [["--debug", "sign", "c.tgz", "--key", "Me", "--keyring", "s.gpg"], { key: "Me", keyring: "s.gpg" }],
  ])('%j', (args, expected) => {
    const r = fastParse(args);
    expect(r).not.toBeNull();
    expect(r).not.toBe('version');
    expect((r as { options: object }).options).toMatchObject(expected);
  });
  it.each([[['verify']], [['verify', 'a', 'b']], [['scan', 'c', '--format', 'xml']], [['sign', 'c']], [['nope']], [['scan', 'c', '--help']]])('hands %j to commander', (args) => {
    expect(fastParse(args)).toBeNull();
  });
});

describe('the built binary', () => {
  it('runs, and errors are one line without a stack trace', () => {
    const r = spawnCli(['verify', join(projectRoot, 'does-not-exist-1.0.0.tgz')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('does-not-exist-1.0.0.tgz: chart does not exist');
  });
  it('--version', () => {
    expect(spawnCli(['--version']).stdout).toBe(`${version}\n`);
  });
});
