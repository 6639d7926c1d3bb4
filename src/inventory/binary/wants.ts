/**
 * Which layer entries the binary analysers (Go build info, cargo-auditable) read. Called for every
 * regular file of every layer, so it looks only at the mode, the size and the path's text: an
 * executable bit (or a `.exe` name), at least MIN_EXECUTABLE_BYTES, and neither in a directory
 * that holds no programs nor named like a script, document or archive. Scripts that slip through
 * are cheap: their first bytes rule them out.
 */
import type { EntryInfo } from '../../model/stages.js';

/** Smaller than any ELF/PE/Mach-O with a data section (a static Go "hello" is over 1 MB, a Rust one over 300 KB). */
export const MIN_EXECUTABLE_BYTES = 4096;

/** Largest binary read whole: 256 MiB, above the biggest Go programs shipped in images (100-200 MB); bigger ones are a gap. */
export const MAX_EXECUTABLE_BYTES = 256 << 20;

const NOT_PROGRAM_DIRS = ['/usr/share/', '/usr/include/', '/etc/', '/var/lib/dpkg/', '/var/lib/rpm/', '/lib/apk/', '/var/cache/', '/var/log/'];

const NOT_PROGRAM_EXT =
  /\.(?:sh|bash|zsh|ksh|csh|fish|py|pyc|pyo|pl|pm|rb|js|cjs|mjs|ts|php|lua|tcl|awk|sed|ps1|bat|cmd|txt|md|rst|html?|css|xml|json|ya?ml|toml|ini|conf|cfg|h|hpp|c|cc|cpp|go|rs|java|class|jar|war|ear|zip|tar|gz|tgz|bz2|xz|zst|png|jpe?g|gif|svg|ico|pdf)$/i;

export function wantsExecutable(path: string, entry: EntryInfo): boolean {
  const exe = path.length > 4 && path.slice(-4).toLowerCase() === '.exe';
  if ((entry.mode & 0o111) === 0 && !exe) return false;
  if (entry.size < MIN_EXECUTABLE_BYTES) return false;
  for (const d of NOT_PROGRAM_DIRS) if (path.startsWith(d)) return false;
  return !NOT_PROGRAM_EXT.test(path);
}
