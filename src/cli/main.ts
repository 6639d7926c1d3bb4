/**
 * The command line: flags → options → a handler → exit code. Ordinary invocations are
 * parsed by args.ts (util.parseArgs's reading of them); help, version-less errors and anything the
 * fast path does not accept go to commander, built from the same spec, which prints help,
 * suggestions and usage errors. (Loading commander costs more than helm's whole `verify`.)
 */
import { canonicalChoice, commands, globalOptions, parseFlags, type CommandSpec, type OptionSpec } from './spec.js';
import { handlers, type Io, type Options } from './commands.js';
import { describeError, exitCodeFor, ExitCode } from './exit.js';
import { VERSION } from '../version.js';
import { fdWriter } from './stdio.js';
import { parseCommandLine, type ArgOption } from './args.js';

/**
 * `chartaudit template big.tgz | head -1`: the reader went away, which is no error of ours.
 * End quietly, with the exit code the command reached if it has one.
 */
function endQuietly(): never {
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok);
}

const defaultIo: Io = {
  stdout: fdWriter(1, endQuietly),
  stderr: fdWriter(2, endQuietly),
};

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const args = argv.slice(2);
  const debug = args.includes('--debug');
  try {
    const fast = fastParse(args);
    if (fast === 'version') {
      io.stdout(`${VERSION}\n`);
      return ExitCode.ok;
    }
    if (fast) return await handlers[fast.command.name]!(fast.positionals, fast.options, io);
    const { runCommander } = await import('./program.js');
    return await runCommander(args, io, (spec, positionals, options) => handlers[spec.name]!(positionals, options, io));
  } catch (err) {
    io.stderr(`chartaudit: ${describeError(err, debug)}\n`);
    return exitCodeFor(err);
  }
}

interface FastParse {
  command: CommandSpec;
  positionals: string[];
  options: Options;
}

/** Parses a well-formed invocation; null for anything commander should explain. */
export function fastParse(args: string[]): FastParse | 'version' | null {
  const rest = args.filter((a) => a !== '--debug');
  if (rest.length === 1 && (rest[0] === '--version' || rest[0] === '-V')) return 'version';
  if (rest.some((a) => a === '-h' || a === '--help')) return null;
  const command = commands.find((c) => c.name === rest[0]) ?? commands.find((c) => c.name === `${rest[0]} ${rest[1]}`);
  if (!command) return null;
  const words = command.name.split(' ').length;
  const specs = [...command.options, ...globalOptions];
  const flags = specs.map((s) => parseFlags(s.flags));
  const config: Record<string, ArgOption> = {};
  for (let i = 0; i < specs.length; i++) {
    const s = specs[i]!;
    const f = flags[i]!;
    config[f.long] = { type: f.takesValue ? 'string' : 'boolean', ...(f.short ? { short: f.short } : {}), ...(s.repeatable ? { multiple: true } : {}) };
  }
  const parsed = parseCommandLine(rest.slice(words), config);
  if (parsed === null) return null;
  const last = command.args[command.args.length - 1];
  const n = parsed.positionals.length;
  const required = command.args.filter((a) => !a.optional).length;
  if (n < required || (!last?.variadic && n > command.args.length)) return null;
  const options: Options = {};
  for (let i = 0; i < specs.length; i++) {
    const s = specs[i]!;
    const f = flags[i]!;
    let v = parsed.values[f.long] as string | string[] | boolean | undefined;
    if (!valid(s, v)) return null;
    if (s.choices && typeof v === 'string') v = canonicalChoice(s, v)!;
    if (f.negated) options[f.key] = v !== true;
    else if (s.repeatable) options[f.key] = (v as string[] | undefined) ?? [];
    else options[f.key] = v ?? s.default;
  }
  return { command, positionals: parsed.positionals, options };
}

function valid(s: OptionSpec, v: unknown): boolean {
  if (s.required && v === undefined) return false;
  if (s.choices && typeof v === 'string' && canonicalChoice(s, v) === null) return false;
  // `--keyring --format` would take the next flag as a value: let commander complain.
  if (typeof v === 'string' && v.startsWith('-') && v !== '-') return false;
  return true;
}
