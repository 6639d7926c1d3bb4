/**
 * The command line's ordinary forms, read as Node's util.parseArgs reads them in strict mode
 * with positionals allowed: `--name value`, `--name=value`, `--flag`, `-x value`, `-x`, `--`
 * and positionals. Anything else (short-option groups, `-xvalue`, a value that looks like an
 * option, an unknown option, a boolean given a value, a missing value) is null, and the caller
 * hands the command line to commander, which explains it. Loading node:util's parseArgs cost a
 * run ~1.1 ms (its modules compiled from source under the CLI's V8 flags); this costs ~0.1.
 * args.test.ts checks that every command line read here reads the same through parseArgs.
 */

export interface ArgOption {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | Array<string | boolean>>;
  positionals: string[];
}

/** A value parseArgs would call ambiguous (it looks like an option): `-` alone is a value. */
function looksLikeOption(s: string): boolean {
  return s.length > 1 && s.startsWith('-');
}

export function parseCommandLine(args: readonly string[], options: Readonly<Record<string, ArgOption>>): ParsedArgs | null {
  const byShort = new Map<string, string>();
  for (const name of Object.keys(options)) {
    const short = options[name]!.short;
    if (short !== undefined) byShort.set(short, name);
  }
  const values: ParsedArgs['values'] = Object.create(null) as ParsedArgs['values'];
  const positionals: string[] = [];
  const set = (name: string, v: string | boolean): void => {
    if (options[name]!.multiple) ((values[name] ??= []) as Array<string | boolean>).push(v);
    else values[name] = v;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      if (eq >= 0) inline = arg.slice(eq + 1);
      if (!Object.hasOwn(options, name)) return null;
    } else {
      if (arg.length !== 2) return null;
      name = byShort.get(arg[1]!);
      if (name === undefined) return null;
    }
    if (options[name]!.type === 'boolean') {
      if (inline !== undefined) return null;
      set(name, true);
      continue;
    }
    if (inline === undefined) {
      const next = args[i + 1];
      if (next === undefined || looksLikeOption(next)) return null;
      inline = next;
      i++;
    }
    set(name, inline);
  }
  return { values, positionals };
}
