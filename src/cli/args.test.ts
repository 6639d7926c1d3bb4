/**
 * parseCommandLine against Node's util.parseArgs (strict, positionals allowed) with each
 * command's real options: every command line it reads, parseArgs reads the same; the ones it
 * leaves to commander are the unusual forms, and the ones parseArgs refuses.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from 'node:util';
import { commands, globalOptions, parseFlags } from './spec.js';
import { parseCommandLine, type ArgOption } from './args.js';

function configOf(name: string): Record<string, ArgOption> {
  const command = commands.find((c) => c.name === name)!;
  const config: Record<string, ArgOption> = {};
  for (const s of [...command.options, ...globalOptions]) {
    const f = parseFlags(s.flags);
    config[f.long] = { type: f.takesValue ? 'string' : 'boolean', ...(f.short ? { short: f.short } : {}), ...(s.repeatable ? { multiple: true } : {}) };
  }
  return config;
}

function viaNode(args: string[], options: Record<string, ArgOption>): { values: object; positionals: string[] } | null {
  try {
    const r = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: { ...r.values }, positionals: r.positionals };
  } catch {
    return null;
  }
}

const scan = configOf('scan');

describe('parseCommandLine', () => {
  // [command line, read here]
  const cases: Array<[string[], boolean]> = [
    [['c.tgz'], true],
    [['c.tgz', '--release-name', 'r', '--db', 'd', '--offline', '--skip-image-contents', '--format', 'json'], true],
    [['--format=json', 'c.tgz', '-f', 'a.yaml', '--values', 'b.yaml', '-f', 'c.yaml'], true],
    [['c.tgz', '--no-color'], true],
    [['c.tgz', '--keyring='], true],
    [['c.tgz', '--values', '-'], true],
    [['c.tgz', '-'], true],
    [['--', '--format', 'json'], true],
    [['c.tgz', '--db=-x'], true],
    [['c.tgz', '--', '-f'], true],
    [['a=b', 'c.tgz'], true],
    // left to commander
    [['c.tgz', '--format'], false],
    [['c.tgz', '--format', '--offline'], false],
    [['c.tgz', '--format', '-'], true],
    [['c.tgz', '--offline=true'], false],
    [['c.tgz', '--offline='], false],
    [['c.tgz', '--nope'], false],
    [['c.tgz', '-z'], false],
    [['c.tgz', '-fa.yaml'], false],
    [['c.tgz', '-f=a.yaml'], false],
    [['c.tgz', '--__proto__', 'x'], false],
    [['c.tgz', '--constructor'], false],
    [['c.tgz', '--=x'], false],
    [['c.tgz', '-5'], false],
    [['c.tgz', '---format', 'json'], false],
  ];
  it.each(cases)('%j', (args, readHere) => {
    const ours = parseCommandLine(args, scan);
    expect(ours !== null, 'read here').toBe(readHere);
    if (ours !== null) expect({ values: { ...ours.values }, positionals: ours.positionals }).toEqual(viaNode(args, scan));
  });

  it('reads 20,000 generated command lines of every command as parseArgs does, or leaves them', () => {
    // a small linear congruential generator: the same lines every run
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let read = 0;
    for (const command of commands) {
      const config = configOf(command.name);
      const pool = [
        ...Object.keys(config).flatMap((long) => [`--${long}`, `--${long}=v`, `--${long}=`]),
        ...Object.values(config).flatMap((o) => (o.short ? [`-${o.short}`] : [])),
        'c.tgz', 'json', '-', '--', '-x', '--nope', 'a=b', '-fa', '', ' ',
      ];
      for (let i = 0; i < 20_000 / commands.length; i++) {
        const args = Array.from({ length: next(7) }, () => pool[next(pool.length)]!);
        const ours = parseCommandLine(args, config);
        const theirs = viaNode(args, config);
        if (ours === null) continue;
        read++;
        expect({ values: { ...ours.values }, positionals: ours.positionals }, JSON.stringify(args)).toEqual(theirs);
      }
    }
    expect(read).toBeGreaterThan(2_000);
  });
});
