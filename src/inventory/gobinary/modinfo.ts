/**
 * The module info text of Go build info (runtime/debug.BuildInfo.String): tab-separated lines
 * `path <main package>`, `mod <path> <version> [<sum>]`, `dep <path> <version> [<sum>]`,
 * `=> <path> <version> [<sum>]` (replaces the module on the line before it) and
 * `build <key>=<value>` (key and value Go-quoted when they hold blanks, quotes or `=`).
 * Unknown or malformed lines are skipped: newer toolchains may add line kinds.
 */

export interface GoModule {
  path: string;
  /** As recorded: `v1.2.3`, a pseudo-version, `(devel)`, or '' (a directory replacement). */
  version: string;
  sum?: string;
  replace?: GoModule;
}

export interface GoModInfo {
  /** Import path of the main package (`command-line-arguments` for `go build file.go`). */
  path?: string;
  main?: GoModule;
  deps: GoModule[];
  settings: { key: string; value: string }[];
}

export function parseModInfo(text: string): GoModInfo {
  const info: GoModInfo = { deps: [], settings: [] };
  let last: GoModule | undefined;
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const kind = line.slice(0, tab);
    const rest = line.slice(tab + 1);
    if (kind === 'path') {
      info.path = rest;
      last = undefined;
    } else if (kind === 'mod' || kind === 'dep') {
      const m = module(rest);
      last = m;
      if (!m) continue;
      if (kind === 'mod') info.main = m;
      else info.deps.push(m);
    } else if (kind === '=>') {
      const r = module(rest);
      if (last && r && !last.replace) last.replace = r;
      last = undefined;
    } else if (kind === 'build') {
      const s = setting(rest);
      if (s) info.settings.push(s);
      last = undefined;
    }
  }
  return info;
}

function module(rest: string): GoModule | undefined {
  const f = rest.split('\t');
  const path = f[0] ?? '';
  if (path === '' || f.length > 3) return undefined;
  const m: GoModule = { path, version: f[1] ?? '' };
  if (f[2]) m.sum = f[2];
  return m;
}

function setting(rest: string): { key: string; value: string } | undefined {
  let key: string;
  let after: string;
  if (rest.startsWith('"')) {
    const q = goQuoted(rest, 0);
    if (!q || rest[q.end] !== '=') return undefined;
    key = q.value;
    after = rest.slice(q.end + 1);
  } else {
    const eq = rest.indexOf('=');
    if (eq <= 0) return undefined;
    key = rest.slice(0, eq);
    after = rest.slice(eq + 1);
  }
  if (after.startsWith('"')) {
    const q = goQuoted(after, 0);
    if (!q || q.end !== after.length) return undefined;
    return { key, value: q.value };
  }
  return { key, value: after };
}

/** A Go double-quoted string literal (strconv.Quote's output) starting at `at`: its value and the index after it. */
export function goQuoted(s: string, at: number): { value: string; end: number } | undefined {
  if (s[at] !== '"') return undefined;
  let out = '';
  const bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length) out += Buffer.from(bytes).toString('utf8');
    bytes.length = 0;
  };
  for (let i = at + 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"') {
      flush();
      return { value: out, end: i + 1 };
    }
    if (c !== '\\') {
      flush();
      out += c;
      continue;
    }
    const e = s[++i];
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };
    if (e !== undefined && e in simple) {
      flush();
      out += simple[e];
    } else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e !== undefined && /^[0-7]{3}$/.test(s.slice(i, i + 3))) {
      bytes.push(parseInt(s.slice(i, i + 3), 8) & 0xff);
      i += 2;
    } else if ((e === 'u' || e === 'U') && new RegExp(`^[0-9a-fA-F]{${e === 'u' ? 4 : 8}}$`).test(s.slice(i + 1, i + (e === 'u' ? 5 : 9)))) {
      const n = e === 'u' ? 4 : 8;
      flush();
      const cp = parseInt(s.slice(i + 1, i + 1 + n), 16);
      if (cp > 0x10ffff) return undefined;
      out += String.fromCodePoint(cp);
      i += n;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Command-line words of an `-ldflags` value, split as a POSIX shell would (single quotes, double
 * quotes with backslash escapes, backslash outside quotes); no expansion. null when a quote is open.
 */
export function shellWords(s: string): string[] | null {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < s.length && '"\\$`\n'.includes(s[i + 1]!)) cur += s[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) return null;
  if (inWord) words.push(cur);
  return words;
}

/** The `-X importpath.name=value` definitions of linker flags (`-X a=b`, `-X=a=b`, `--X a=b`), in order. */
export function linkerDefinitions(words: string[]): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    let def: string | undefined;
    if (w === '-X' || w === '--X') def = words[++i];
    else if (w.startsWith('-X=')) def = w.slice(3);
    else if (w.startsWith('--X=')) def = w.slice(4);
    else if (w.startsWith('-X') && w.length > 2 && w[2] !== '=') def = w.slice(2); // pflag shorthand `-Xkey=value`
    if (def === undefined) continue;
    const eq = def.indexOf('=');
    if (eq <= 0) continue;
    out.push({ key: def.slice(0, eq), value: def.slice(eq + 1) });
  }
  return out;
}
