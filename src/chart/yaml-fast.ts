/**
 * A fast path for the YAML that charts are made of: block mappings and sequences, plain and
 * single-line quoted scalars, `{}`/`[]`, literal and simple folded block scalars, comments.
 * It produces exactly what the full go-yaml v2 emulation in yaml.ts produces, or gives up
 * (returns undefined) at the first thing it does not handle with certainty: anchors,
 * aliases, tags, merge keys, flow collections, multi-line flow scalars, tabs, CRs,
 * document markers, explicit keys, indentation indicators… The caller then uses the full
 * parser. The `yaml` package tokenises at about 1.5 MB/s; this runs 20–50× faster on
 * typical values.yaml files. A test checks both paths agree on every YAML file of the corpus.
 */
import { resolveScalar, type GoMap, type GoScalar, type GoValue } from './yaml-scalar.js';

class Bail extends Error {}
const BAIL = new Bail();

/** Characters that may not start a plain scalar (or are handled separately). */
const INDICATOR = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};

/**
 * go-yaml's blanks are space and tab (tabs bail): JS trim() would also drop NBSP, U+3000, BOM,
 * \v, \f… which go-yaml keeps as content.
 */
const TRAILING_SPACES = / +$/;
const LEADING_SPACES = /^ +/;

function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === 0x20) i++;
  return i;
}

function isBlankOrComment(line: string): boolean {
  const i = indentOf(line);
  return i === line.length || line.charCodeAt(i) === 0x23;
}

/** A double-quoted scalar starting at s[0] === '"' on one line: [value, index after the closing quote]. */
function doubleQuoted(s: string): [string, number] {
  let out = '';
  let i = 1;
  for (;;) {
    if (i >= s.length) throw BAIL; // multi-line
    const c = s[i]!;
    if (c === '"') return [out, i + 1];
    if (c === '\\') {
      const e = s[i + 1];
      if (e === undefined) throw BAIL;
      const simple = ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        i += 2;
        continue;
      }
      const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (width === 0) throw BAIL;
      const hex = s.slice(i + 2, i + 2 + width);
      if (hex.length !== width || !/^[0-9a-fA-F]+$/.test(hex)) throw BAIL;
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw BAIL;
      out += String.fromCodePoint(cp);
      i += 2 + width;
      continue;
    }
    out += c;
    i++;
  }
}

/** A single-quoted scalar on one line: [value, index after the closing quote]. */
function singleQuoted(s: string): [string, number] {
  let out = '';
  let i = 1;
  for (;;) {
    const j = s.indexOf("'", i);
    if (j < 0) throw BAIL;
    out += s.slice(i, j);
    if (s[j + 1] === "'") {
      out += "'";
      i = j + 2;
      continue;
    }
    return [out, j + 1];
  }
}

/** Whether a line that starts with a single quote also closes it (`''` is an escaped quote). */
function hasClosingSingleQuote(s: string): boolean {
  let i = 1;
  for (;;) {
    const j = s.indexOf("'", i);
    if (j < 0) return false;
    if (s[j + 1] !== "'") return true;
    i = j + 2;
  }
}

/**
 * An indicator that still starts a plain scalar in block context: `-`, `?` or `:` followed by
 * a character other than a space (`value: :8080`, `- -v`), as libyaml scans it.
 */
function startsPlainScalar(s: string): boolean {
  const c = s[0];
  return (c === '-' || c === ':' || c === '?') && s.length > 1 && s[1] !== ' ';
}

/**
 * Where a comment starts on a line of flow content (-1: none). Quoted scalars must close on the
 * line (else BAIL); a quote inside a plain scalar reads as one too, which only bails more often.
 */
function flowCommentAt(t: string): number {
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c === '"') {
      for (i++; ; i++) {
        if (i >= t.length) throw BAIL;
        if (t[i] === '\\') i++;
        else if (t[i] === '"') break;
      }
    } else if (c === "'") {
      for (i++; ; i++) {
        if (i >= t.length) throw BAIL;
        if (t[i] === "'") {
          if (t[i + 1] !== "'") break;
          i++;
        }
      }
    } else if (c === '#' && (i === 0 || t[i - 1] === ' ')) return i;
  }
  return -1;
}

/** After a quoted scalar: only spaces and a comment may follow. */
function assertTrailingComment(s: string, from: number): void {
  let i = from;
  while (i < s.length && s.charCodeAt(i) === 0x20) i++;
  if (i === s.length) return;
  if (s[i] === '#' && i > from) return;
  throw BAIL;
}

/** Plain scalar text up to a comment, trimmed; bails on what would end or break it. */
function plainText(s: string): string {
  const c = s.indexOf(' #');
  const text = (c >= 0 ? s.slice(0, c) : s).replace(TRAILING_SPACES, '');
  if (text.includes(': ') || text.endsWith(':')) throw BAIL;
  return text;
}

class FastParser {
  private i = 0;
  constructor(private readonly lines: string[]) {}

  get line(): number {
    return this.i;
  }

  private skipEmpty(): void {
    while (this.i < this.lines.length && isBlankOrComment(this.lines[this.i]!)) this.i++;
  }

  parseDocument(): GoValue {
    this.skipEmpty();
    if (this.i < this.lines.length && /^---(?: *(?:#.*)?)?$/.test(this.lines[this.i]!)) {
      this.i++;
      this.skipEmpty();
    }
    if (this.i >= this.lines.length) return null;
    // `null` alone: what toYaml writes for nil, read back by fromYaml (ghost); other scalar
    // documents go to the full parser
    if (this.lines[this.i] === 'null' || this.lines[this.i] === '~') {
      this.i++;
      this.skipEmpty();
      if (this.i < this.lines.length) throw BAIL;
      return null;
    }
    const ind = indentOf(this.lines[this.i]!);
    // A document that is only `{}` or `[]`: what toYaml writes for an empty dict or list, read
    // back by fromYaml in many Bitnami helpers.
    const only = this.lines[this.i]!.slice(ind);
    if (only[0] === '{' || only[0] === '[') {
      const t = plainTextFlow(only);
      if (t !== '{}' && t !== '[]') throw BAIL;
      this.i++;
      this.skipEmpty();
      if (this.i < this.lines.length) throw BAIL;
      return t === '{}' ? new Map() : [];
    }
    const v = this.parseBlock(ind);
    this.skipEmpty();
    if (this.i < this.lines.length) throw BAIL;
    return v;
  }

  private isSeqLine(content: string): boolean {
    return content === '-' || content.startsWith('- ');
  }

  private parseBlock(ind: number): GoValue {
    const content = this.lines[this.i]!.slice(ind);
    if (content[0] === '{' || content[0] === '[') {
      // `{}` / `[]` on a line of its own under a key (toYaml of an empty dict in CRDs), or a flow
      // sequence starting there (victoriametrics's scrape configs: `source_labels:` then `[`,
      // its items deeper, `]` back at the `[`); a line after it at this indentation is an error
      // the caller leaves to the full parser
      const t = plainTextFlow(content);
      this.i++;
      if (t === '{}' || t === '[]') return t === '{}' ? new Map() : [];
      if (content[0] !== '[') throw BAIL;
      return flowSequence(this.flowSequenceLines(content, ind));
    }
    return this.isSeqLine(content) ? this.parseSequence(ind) : this.parseMapping(ind);
  }

  /** Splits `key: rest`; null when the line is not a simple key. */
  private splitKey(content: string): [GoScalar, string] | null {
    const c0 = content[0];
    if (c0 === '"' || c0 === "'") {
      const [key, end] = c0 === '"' ? doubleQuoted(content) : singleQuoted(content);
      let j = end;
      while (content.charCodeAt(j) === 0x20) j++;
      if (content[j] !== ':') return null;
      if (j + 1 < content.length && content[j + 1] !== ' ') throw BAIL;
      return [key, content.slice(j + 1)];
    }
    let k = content.indexOf(': ');
    if (k < 0) {
      if (!content.endsWith(':')) return null;
      k = content.length - 1;
    }
    const raw = content.slice(0, k).replace(TRAILING_SPACES, '');
    // `<<` is a merge key to go-yaml's decoder whatever it resolves to (a plain `<<` resolves to
    // a string)
    if (raw === '' || raw === '<<' || INDICATOR.has(raw[0]!) || raw.includes(' #')) throw BAIL;
    const key = resolveScalar('', raw);
    if (key === 'merge') throw BAIL;
    return [key, content.slice(k + 1)];
  }

  private parseMapping(n: number): GoMap {
    const out: GoMap = new Map();
    for (;;) {
      this.skipEmpty();
      if (this.i >= this.lines.length) break;
      const line = this.lines[this.i]!;
      const ind = indentOf(line);
      if (ind < n) break;
      if (ind > n) throw BAIL;
      const content = line.slice(n);
      if (this.isSeqLine(content)) throw BAIL;
      if (content.startsWith('---') || content.startsWith('...')) throw BAIL;
      const kv = this.splitKey(content);
      if (!kv) throw BAIL;
      this.i++;
      out.set(kv[0], this.parseValue(kv[1], n, true));
    }
    return out;
  }

  private parseSequence(m: number): GoValue[] {
    const out: GoValue[] = [];
    for (;;) {
      this.skipEmpty();
      if (this.i >= this.lines.length) break;
      const line = this.lines[this.i]!;
      const ind = indentOf(line);
      if (ind < m) break;
      if (ind > m) throw BAIL;
      const content = line.slice(m);
      if (!this.isSeqLine(content)) break;
      const after = content === '-' ? '' : content.slice(2);
      const lead = indentOf(after);
      const itemIndent = m + 2 + lead;
      const body = after.slice(lead);
      if (body === '' || body[0] === '#') {
        this.i++;
        this.skipEmpty();
        if (this.i < this.lines.length && indentOf(this.lines[this.i]!) > m) {
          out.push(this.parseBlock(indentOf(this.lines[this.i]!)));
        } else out.push(null);
        continue;
      }
      if (this.isSeqLine(body)) throw BAIL; // "- - a"
      if (body[0] === '{') {
        // `- {key: job-name, operator: NotIn, values: [x]}` (redis-cluster's and valkey-cluster's
        // pod disruption budgets), not a compact mapping
        this.i++;
        out.push(this.parseValue(body, m, false));
        continue;
      }
      const kv = body[0] === '"' || body[0] === "'" || body.includes(':') ? this.splitKeyOrNull(body) : null;
      if (kv) {
        // A compact mapping: re-read this line as the first entry of a mapping at itemIndent.
        this.lines[this.i] = ' '.repeat(itemIndent) + body;
        out.push(this.parseMapping(itemIndent));
        continue;
      }
      this.i++;
      out.push(this.parseValue(body, m, false));
    }
    return out;
  }

  private splitKeyOrNull(body: string): [GoScalar, string] | null {
    return this.splitKey(body);
  }

  /**
   * The value after `key:` (or `- `). `n` is the indentation of the owning key or dash;
   * `inMapping` allows a sequence at the same indentation as the key.
   */
  private parseValue(restIn: string, n: number, inMapping: boolean): GoValue {
    const rest = restIn.replace(LEADING_SPACES, '');
    if (rest === '' || rest[0] === '#') {
      this.skipEmpty();
      if (this.i >= this.lines.length) return null;
      const next = this.lines[this.i]!;
      const ind = indentOf(next);
      if (ind > n && (next[ind] === '|' || next[ind] === '>')) {
        // a block scalar's header on the line after its key (prometheus's configuration files):
        // its content still only has to be deeper than the key
        this.i++;
        return this.blockScalar(next.slice(ind), n);
      }
      if (ind > n && (next[ind] === '"' || next[ind] === "'")) {
        // a quoted scalar alone on the line after its key (prometheus's `rules.yaml:` then
        // `'{}'`), when it closes on that line and nothing deeper follows; a quoted key
        // (`"k": v`) starts a mapping as before
        const text = next.slice(ind);
        if (text[0] === "'" && !hasClosingSingleQuote(text)) throw BAIL;
        const [s, end] = text[0] === '"' ? doubleQuoted(text) : singleQuoted(text);
        if (/^(?: *| +#.*)$/.test(text.slice(end))) {
          this.i++;
          this.skipEmpty();
          if (this.i < this.lines.length && indentOf(this.lines[this.i]!) > n) throw BAIL;
          return s;
        }
      }
      if (ind > n) return this.parseBlock(ind);
      if (inMapping && ind === n && this.isSeqLine(next.slice(n))) return this.parseSequence(n);
      return null;
    }
    const c0 = rest[0]!;
    let value: GoValue;
    if (c0 !== '|' && c0 !== '>' && c0 !== '"' && c0 !== "'" && c0 !== '{' && c0 !== '[') {
      if (INDICATOR.has(c0) && !startsPlainScalar(rest)) throw BAIL;
      const r = resolveScalar('', this.plainMultiline(rest, n));
      if (r === 'merge') throw BAIL;
      return r;
    }
    if (c0 === '|' || c0 === '>') return this.blockScalar(rest, n);
    if (c0 === "'" && !hasClosingSingleQuote(rest)) {
      value = this.singleQuotedMultiline(rest, n);
    } else if (c0 === '"' || c0 === "'") {
      const [s, end] = c0 === '"' ? doubleQuoted(rest) : singleQuoted(rest);
      assertTrailingComment(rest, end);
      value = s;
    } else if (c0 === '{' || c0 === '[') {
      const t = plainTextFlow(rest);
      if (t === '{}') value = new Map();
      else if (t === '[]') value = [];
      else if (c0 === '[') value = flowSequence(this.flowSequenceLines(rest, n));
      else value = flowMapping(rest);
    } else {
      if (INDICATOR.has(c0) && !startsPlainScalar(rest)) throw BAIL;
      const text = plainText(rest);
      const r = resolveScalar('', text);
      if (r === 'merge') throw BAIL;
      value = r;
    }
    this.assertNoContinuation(n);
    return value;
  }

  /**
   * A plain scalar and its continuation lines (more indented than `n`): lines folded with a
   * space, empty lines kept as newlines, a comment ends it.
   */
  private plainMultiline(first: string, n: number): string {
    const c = first.indexOf(' #');
    let text = plainText(first);
    if (c >= 0) {
      this.assertNoContinuation(n);
      return text;
    }
    for (;;) {
      let j = this.i;
      let empties = 0;
      while (j < this.lines.length && indentOf(this.lines[j]!) === this.lines[j]!.length) {
        empties++;
        j++;
      }
      if (j >= this.lines.length) break;
      const line = this.lines[j]!;
      const ind = indentOf(line);
      if (ind <= n) break;
      const t = line.slice(ind);
      if (t[0] === '#') {
        // A comment ends the scalar; a deeper line after it would be an error: leave that to the full parser.
        this.assertNoContinuation(n);
        break;
      }
      if (t.startsWith('- ') || t === '-' || t.includes(': ') || t.endsWith(':')) throw BAIL;
      const cut = t.indexOf(' #');
      const part = (cut >= 0 ? t.slice(0, cut) : t).replace(TRAILING_SPACES, '');
      text += empties > 0 ? '\n'.repeat(empties) + part : ' ' + part;
      this.i = j + 1;
      if (cut >= 0) {
        this.assertNoContinuation(n);
        break;
      }
    }
    return text;
  }

  /**
   * A single-quoted scalar over several lines (Kubernetes CRD descriptions), whose first line
   * `first` has no closing quote. Every continuation line must be indented deeper than `n`.
   * Folding as YAML's flow scalars: each line trimmed of its spaces, one line break becomes a
   * space, k empty lines become k line feeds. An empty first or last part, or a line at or left
   * of `n`, is left to the full parser.
   */
  private singleQuotedMultiline(first: string, n: number): string {
    let text = first.slice(1).replace(TRAILING_SPACES, '').replaceAll("''", "'");
    if (text === '') throw BAIL;
    let empties = 0;
    for (;;) {
      if (this.i >= this.lines.length) throw BAIL; // unterminated
      const line = this.lines[this.i]!;
      const ind = indentOf(line);
      this.i++;
      if (ind === line.length) {
        empties++;
        continue;
      }
      if (ind <= n) throw BAIL;
      const t = line.slice(ind);
      const fold = empties > 0 ? '\n'.repeat(empties) : ' ';
      empties = 0;
      if (!hasClosingSingleQuote("'" + t)) {
        text += fold + t.replace(TRAILING_SPACES, '').replaceAll("''", "'");
        continue;
      }
      const [last, end] = singleQuoted("'" + t);
      if (last === '') throw BAIL;
      assertTrailingComment("'" + t, end);
      return text + fold + last;
    }
  }

  /**
   * A flow sequence's text, joined into one line when it goes on over the next lines
   * (`args: [` … `]`): each line trimmed and joined with a space, as YAML folds them; comment
   * lines and trailing comments dropped. A quoted scalar not closed on its line, a blank line,
   * an escaped line break, a line left of `n` (or at `n` unless it closes the sequence) or a
   * comment on the first line is left to the full parser; so is anything flowSequence does not read.
   */
  private flowSequenceLines(first: string, n: number): string {
    if (first.includes(']')) return first;
    if (flowCommentAt(first) >= 0 || first.endsWith('\\')) throw BAIL;
    let joined = first.replace(TRAILING_SPACES, '');
    for (;;) {
      if (this.i >= this.lines.length) throw BAIL;
      const line = this.lines[this.i]!;
      const ind = indentOf(line);
      if (ind === line.length || ind < n) throw BAIL;
      this.i++;
      let t = line.slice(ind);
      if (t[0] === '#') {
        if (ind === n) throw BAIL;
        continue;
      }
      const at = flowCommentAt(t);
      if (at >= 0) t = t.slice(0, at);
      t = t.replace(TRAILING_SPACES, '');
      if (t.endsWith('\\') || (ind === n && t[0] !== ']')) throw BAIL;
      joined += ` ${t}`;
      if (t.includes(']')) return joined;
    }
  }

  /** A more-indented line right after a scalar would continue it (multi-line scalar): not handled. */
  private assertNoContinuation(n: number): void {
    let j = this.i;
    while (j < this.lines.length && isBlankOrComment(this.lines[j]!)) {
      // A blank line does not end a multi-line plain scalar; a comment does, but then the
      // deeper line that follows is an error anyway: leave both to the full parser.
      j++;
    }
    if (j < this.lines.length && indentOf(this.lines[j]!) > n) throw BAIL;
  }

  private blockScalar(header: string, n: number): string {
    const m = /^([|>])([-+]?)(?: +#.*| *)$/.exec(header);
    if (!m) throw BAIL;
    const literal = m[1] === '|';
    const chomp = m[2];
    const body: string[] = [];
    let contentIndent = -1;
    let maxLeadingBlank = 0;
    while (this.i < this.lines.length) {
      const line = this.lines[this.i]!;
      const ind = indentOf(line);
      if (ind === line.length) {
        if (contentIndent < 0) maxLeadingBlank = Math.max(maxLeadingBlank, ind);
        else if (ind > contentIndent) {
          // spaces past the block's indentation are a literal block's content (logstash's and
          // harbor's configs); a folded block's more-indented lines go to the full parser
          if (!literal) throw BAIL;
          body.push(line.slice(contentIndent));
          this.i++;
          continue;
        }
        body.push('');
        this.i++;
        continue;
      }
      if (contentIndent < 0) {
        if (ind <= n) break;
        contentIndent = ind;
        if (maxLeadingBlank > contentIndent) throw BAIL;
      }
      if (ind < contentIndent) break;
      const text = line.slice(contentIndent);
      if (!literal && (text[0] === ' ' || text[0] === '\t')) throw BAIL; // more-indented folded lines
      body.push(text);
      this.i++;
    }
    let trail = 0;
    while (body.length > 0 && body[body.length - 1] === '') {
      body.pop();
      trail++;
    }
    // At the end of a text without a final line break, stripping and clipping (`|-`, `|`: the
    // ways rendered ConfigMaps end) read the same as with one, and so does keeping (`|+`,
    // loki's and mimir's nginx.conf) when the last line has content; with blank lines after
    // it, keeping counts them differently.
    if (this.i >= this.lines.length && !this.endsWithNewline && chomp === '+' && trail > 0) throw BAIL;
    if (body.length === 0) {
      if (chomp === '+') throw BAIL;
      return '';
    }
    let text: string;
    if (literal) text = body.join('\n');
    else {
      text = '';
      let empties = 0;
      let first = true;
      for (const l of body) {
        if (l === '') {
          empties++;
          continue;
        }
        text += first ? '\n'.repeat(empties) + l : empties > 0 ? '\n'.repeat(empties) + l : ' ' + l;
        empties = 0;
        first = false;
      }
    }
    if (chomp === '-') return text;
    if (chomp === '+') return text + '\n' + '\n'.repeat(trail);
    return text + '\n';
  }

  endsWithNewline = true;
}

/**
 * The plain or quoted scalar at `s[i]` inside a flow collection, and where it ends; a plain one
 * runs to the next `,`, bracket or brace (a `#`, an indicator first or a `: ` inside bails).
 */
function flowScalar(s: string, i: number): [GoValue, number] {
  const c = s[i];
  if (c === '"' || c === "'") {
    const [v, end] = c === '"' ? doubleQuoted(s.slice(i)) : singleQuoted(s.slice(i));
    return [v, i + end];
  }
  let j = i;
  while (j < s.length && !',[]{}#'.includes(s[j]!)) j++;
  const text = s.slice(i, j).replace(TRAILING_SPACES, '');
  if (text === '' || INDICATOR.has(text[0]!) || text.includes(': ') || text.endsWith(':') || s[j] === '#') throw BAIL;
  const r = resolveScalar('', text);
  if (r === 'merge') throw BAIL;
  return [r, j];
}

/** A one-line flow sequence of plain or quoted scalars, e.g. `["ALL"]` or `[a, b]`, then an optional comment. */
function flowSequence(s: string): GoValue[] {
  const out: GoValue[] = [];
  let i = 1;
  for (;;) {
    while (s.charCodeAt(i) === 0x20) i++;
    if (s[i] === undefined) throw BAIL;
    const [v, end] = flowScalar(s, i);
    out.push(v);
    i = end;
    while (s.charCodeAt(i) === 0x20) i++;
    if (s[i] === ',') {
      i++;
      while (s.charCodeAt(i) === 0x20) i++;
      if (s[i] === ']' && out.length > 0) {
        // a trailing comma: `[a, b, ]`
        assertTrailingComment(s, i + 1);
        return out;
      }
      continue;
    }
    if (s[i] === ']') {
      assertTrailingComment(s, i + 1);
      return out;
    }
    throw BAIL;
  }
}

/**
 * A one-line flow mapping of plain keys and plain, quoted or one-line flow sequence values, e.g.
 * `{key: job-name, operator: NotIn, values: [x]}`, then an optional comment. Anything else (a
 * nested mapping, a quoted or empty key, a key repeated, a `#` in a value, a trailing comma, a
 * mapping going on over more lines) is left to the full parser.
 */
function flowMapping(s: string): GoMap {
  const out: GoMap = new Map();
  let i = 1;
  for (;;) {
    while (s.charCodeAt(i) === 0x20) i++;
    let j = i;
    while (j < s.length && !',[]{}#:"\''.includes(s[j]!)) j++;
    if (s[j] !== ':' || s[j + 1] !== ' ') throw BAIL;
    const keyText = s.slice(i, j).replace(TRAILING_SPACES, '');
    if (keyText === '' || keyText === '<<' || INDICATOR.has(keyText[0]!)) throw BAIL;
    const key = resolveScalar('', keyText);
    if (key === 'merge' || out.has(key)) throw BAIL;
    i = j + 2;
    while (s.charCodeAt(i) === 0x20) i++;
    if (s[i] === '[') {
      const close = s.indexOf(']', i);
      const seq = close < 0 ? '' : s.slice(i, close + 1);
      if (seq === '' || /["'\[{]/.test(seq.slice(1))) throw BAIL;
      out.set(key, EMPTY_FLOW.test(seq) ? [] : flowSequence(seq));
      i = close + 1;
    } else {
      const [v, end] = flowScalar(s, i);
      out.set(key, v);
      i = end;
    }
    while (s.charCodeAt(i) === 0x20) i++;
    if (s[i] === ',') {
      i++;
      continue;
    }
    if (s[i] === '}') {
      assertTrailingComment(s, i + 1);
      return out;
    }
    throw BAIL;
  }
}

/** `{}` / `[]` (spaces inside allowed: `[ ]`) possibly followed by a comment, as '{}' / '[]'; else the text. */
function plainTextFlow(s: string): string {
  const c = s.indexOf(' #');
  const t = (c >= 0 ? s.slice(0, c) : s).replace(TRAILING_SPACES, '');
  return EMPTY_FLOW.test(t) ? `${t[0]}${t[t.length - 1]}` : t;
}
const EMPTY_FLOW = /^(?:\{ *\}|\[ *\])$/;

/**
 * Parses `text` (first document) on the fast path; undefined when it contains anything the
 * fast path does not handle (the caller then uses the full parser).
 */
export function fastParseGoYaml(text: string): GoValue | undefined {
  // Tabs and CRs are left to the full parser (anchors, aliases and tags bail where they start a node),
  // and so are NEL, LS and PS (line breaks to go-yaml, YAML 1.1) and BOMs (an encoding mark at the
  // start, an error elsewhere).
  if (text.includes('\t') || text.includes('\r') || /[\u0085\u2028\u2029\ufeff]/.test(text)) return undefined;
  const lines = text.split('\n');
  let endsWithNewline = text.endsWith('\n');
  if (endsWithNewline) lines.pop();
  // An empty document after the first (a rendered file that ends in `---`: redis's scripts):
  // go-yaml reads the first document only. A second one with content goes to the full parser.
  let end = lines.length;
  while (end > 0 && isBlankOrComment(lines[end - 1]!)) end--;
  if (end > 1 && /^--- *$/.test(lines[end - 1]!)) {
    lines.length = end - 1;
    endsWithNewline = true;
  }
  const p = new FastParser(lines);
  p.endsWithNewline = endsWithNewline;
  try {
    return p.parseDocument();
  } catch (e) {
    if (e === BAIL) return undefined;
    throw e;
  }
}
