/** Commander, built from the command spec: help, suggestions and usage errors (exit 2). */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { canonicalChoice, commands, globalOptions, type CommandSpec, type OptionSpec } from './spec.js';
import type { Io, Options } from './commands.js';
import { ExitCode } from './exit.js';
import { VERSION } from '../version.js';

type Run = (spec: CommandSpec, positionals: string[], options: Options) => Promise<number>;

const collect = (v: string, prev: string[] = []) => [...prev, v];

function toOption(s: OptionSpec): Option {
  const o = new Option(s.flags, s.description);
  if (s.choices) {
    // Case-insensitive, with aliases: commander's own choices() compares exactly.
    o.argParser((v: string) => {
      const c = canonicalChoice(s, v);
      if (c === null) throw new InvalidArgumentError(`Allowed choices are ${s.choices!.join(', ')}.`);
      return c;
    });
  }
  if (s.default !== undefined) o.default(s.default);
  // No default shown for lists: an absent repeatable flag is an empty list (cli/commands.ts).
  if (s.repeatable) o.argParser(collect);
  if (s.required) o.makeOptionMandatory();
  return o;
}

export async function runCommander(args: string[], io: Io, run: Run): Promise<number> {
  let code: number = ExitCode.ok;
  const program = new Command('chartaudit')
    .description("Audit a Helm chart's supply chain before you install it: provenance, subcharts, images, known vulnerabilities and the author's mitigation notes.")
    .version(VERSION, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError("(run 'chartaudit --help' for usage)")
    .showSuggestionAfterError(true)
    .addHelpText('after', `
Exit codes: 0 done and nothing failed; 1 a check failed (provenance not verified,
findings at or above --fail-on); 2 could not do the job (bad usage or input).`);
  for (const g of globalOptions) program.addOption(toOption(g));
  const groups = new Map<string, Command>();
  for (const spec of commands) {
    // `db import` is the subcommand `import` of a `db` command group.
    const [first, second] = spec.name.split(' ');
    let parent: Command = program;
    if (second) {
      let group = groups.get(first!);
      if (!group) {
        group = program.command(first!).description(first === 'cache' ? 'the cache of pulled image blobs' : 'the local vulnerability database').exitOverride()
          .showHelpAfterError(`(run 'chartaudit ${first} --help' for usage)`);
        groups.set(first!, group);
      }
      parent = group;
    }
    const cmd = parent.command(second ?? first!).description(spec.description).exitOverride()
      .showHelpAfterError(`(run 'chartaudit ${spec.name} --help' for usage)`);
    for (const a of spec.args) cmd.argument(a.optional ? `[${a.name}]` : `<${a.name}${a.variadic ? '...' : ''}>`, a.description);
    for (const o of spec.options) cmd.addOption(toOption(o));
    cmd.action(async (...xs: unknown[]) => {
      const positionals = (xs.slice(0, spec.args.length) as (string | string[] | undefined)[]).flat().filter((x): x is string => x !== undefined);
      const options = xs[spec.args.length] as Options;
      code = await run(spec, positionals, options);
    });
  }
  try {
    await program.parseAsync(args, { from: 'user' });
    return code;
  } catch (err) {
    // Help and version end with exit 0; every usage error is exit 2 (commander says 1).
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.cannotRun;
    throw err;
  }
}
