/**
 * The libyaml emitter as ported in go-yaml (emitterc.go), for the documents the encoders
 * here produce: block mappings and sequences, flow style for empty ones, scalars in plain,
 * single-quoted, double-quoted or literal style. No anchors, tags, comments or directives.
 *
 * `v3` switches on the differences of go.yaml.in/yaml/v3's emitter that show in such
 * documents (regular indentation under sequences, `best_indent` from SetIndent).
 *
 * Scalars are handled as arrays of code points; `column` counts characters, like go-yaml.
 */

import { runes } from '../runes.js';

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

export type YNode =
  | { readonly t: 'scalar'; readonly value: string; readonly style: ScalarStyle }
  | { readonly t: 'seq'; readonly items: readonly YNode[] }
  | { readonly t: 'map'; readonly pairs: ReadonlyArray<readonly [YNode, YNode]> };

export interface EmitterOptions {
  /** go.yaml.in/yaml/v3 behaviour. */
  v3?: boolean;
  /** best_indent (2 unless set; v3's SetIndent). */
  indent?: number;
  /** best_width (80). */
  width?: number;
}

const SP = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

const isBreak = (c: number | undefined): boolean => c === LF || c === CR || c === 0x85 || c === 0x2028 || c === 0x2029;
const isSpace = (c: number | undefined): boolean => c === SP;
const isBlank = (c: number | undefined): boolean => c === SP || c === TAB;
/** is_blankz: blank, break, or NUL (also past the end). */
const isBlankz = (c: number | undefined): boolean => c === undefined || c === 0 || isBlank(c) || isBreak(c);
/** go-yaml's is_printable (4-byte UTF-8 sequences are not printable there). */
const isPrintable = (c: number): boolean =>
  c === LF || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);

/** Characters writePlain treats one by one: line breaks (LF, CR, NEL, LS, PS) and surrogates. */
const PLAIN_SLOW = /[\n\r\u0085\u2028\u2029\ud800-\udfff]/;
const SURROGATE = /[\ud800-\udfff]/;

const toCodePoints = runes;

function utf8Len(cps: readonly number[]): number {
  let n = 0;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

export interface ScalarAnalysis {
  /** The scalar's code points (computed once: a mapping key was converted three times). */
  codePoints: readonly number[];
  multiline: boolean;
  flowPlainAllowed: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

/**
 * Scalars the analysis below finds nothing in: no indicator (first character a letter, digit or
 * `_`; no `#`, `:`, `,`, `?`, brackets or braces anywhere), no space at either end, no tab, line
 * break or character outside printable ASCII. Most keys and many values of a chart are such;
 * testing them here skips the character-by-character walk (~1 ms of a postgresql render).
 */
const NOTHING_TO_ANALYSE = /^[A-Za-z0-9_](?:[A-Za-z0-9_./=+ -]*[A-Za-z0-9_./=+-])?$/;

/** @internal yaml_emitter_analyze_scalar of `text`, whose code points are `value`. */
export function analyzeScalar(value: readonly number[], v3: boolean, text: string): ScalarAnalysis {
  if (NOTHING_TO_ANALYSE.test(text)) {
    return { codePoints: value, multiline: false, flowPlainAllowed: true, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  }
  return analyzeEach(value, v3);
}

/** @internal yaml_emitter_analyze_scalar, character by character. */
export function analyzeEach(value: readonly number[], v3: boolean): ScalarAnalysis {
  if (value.length === 0) {
    return { codePoints: value, multiline: false, flowPlainAllowed: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let tabCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;

  if (value.length >= 3 && ((value[0] === 0x2d && value[1] === 0x2d && value[2] === 0x2d) || (value[0] === 0x2e && value[1] === 0x2e && value[2] === 0x2e))) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const c = value[i]!;
    const followedByWhitespace = i + 1 >= n || isBlank(value[i + 1]);
    if (i === 0) {
      switch (c) {
        case 0x23: case 0x2c: case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x26: case 0x2a: case 0x21:
        case 0x7c: case 0x3e: case 0x27: case 0x22: case 0x25: case 0x40: case 0x60:
          flowIndicators = true;
          blockIndicators = true;
          break;
        case 0x3f: case 0x3a:
          flowIndicators = true;
          if (followedByWhitespace) blockIndicators = true;
          break;
        case 0x2d:
          if (followedByWhitespace) {
            flowIndicators = true;
            blockIndicators = true;
          }
          break;
      }
    } else {
      switch (c) {
        case 0x2c: case 0x3f: case 0x5b: case 0x5d: case 0x7b: case 0x7d:
          flowIndicators = true;
          break;
        case 0x3a:
          flowIndicators = true;
          if (followedByWhitespace) blockIndicators = true;
          break;
        case 0x23:
          if (precededByWhitespace) {
            flowIndicators = true;
            blockIndicators = true;
          }
          break;
      }
    }
    if (v3 && c === TAB) tabCharacters = true;
    else if (!isPrintable(c)) specialCharacters = true;
    if (isSpace(c)) {
      if (i === 0) leadingSpace = true;
      if (i === n - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === n - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankz(c);
  }
  const a: ScalarAnalysis = {
    codePoints: value, multiline: lineBreaks, flowPlainAllowed: true, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true,
  };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || tabCharacters || specialCharacters) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) a.blockAllowed = false;
  if (lineBreaks) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (flowIndicators) a.flowPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

type State = 'other' | 'blockSequenceItem';

class Emitter {
  private readonly out: string[] = [];
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent = -1;
  private readonly indents: number[] = [];
  private flowLevel = 0;
  private mappingContext = false;
  private simpleKeyContext = false;
  private readonly bestIndent: number;
  private readonly bestWidth: number;
  private readonly v3: boolean;
  /** v3: the state pushed by the caller of the node being emitted (top of emitter.states). */
  private parentState: State = 'other';

  constructor(opts: EmitterOptions) {
    this.v3 = opts.v3 ?? false;
    let bi = opts.indent ?? 2;
    if (bi < 2 || bi > 9) bi = 2;
    this.bestIndent = bi;
    let bw = opts.width ?? 80;
    if (bw >= 0 && bw <= bi * 2) bw = 80;
    if (bw < 0) bw = 2 ** 31 - 1;
    this.bestWidth = bw;
  }

  result(): string {
    return this.out.join('');
  }

  // --- low-level writers -----------------------------------------------------------------

  private put(c: string): void {
    this.out.push(c);
    this.column++;
  }

  private putBreak(): void {
    this.out.push('\n');
    this.column = 0;
    if (this.v3) this.indention = true;
  }

  private writeCp(c: number): void {
    this.out.push(String.fromCodePoint(c));
    this.column++;
  }

  private writeBreakCp(c: number): void {
    if (c === LF) {
      this.putBreak();
    } else {
      this.writeCp(c);
      this.column = 0;
      if (this.v3) this.indention = true;
    }
  }

  private writeIndent(): void {
    const indent = this.indent < 0 ? 0 : this.indent;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    if (this.column < indent) {
      this.out.push(' '.repeat(indent - this.column));
      this.column = indent;
    }
    this.whitespace = true;
    if (!this.v3) this.indention = true; // v3: only put_break sets it
  }

  private writeIndicator(ind: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    for (const ch of ind) this.put(ch);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private increaseIndent(flow: boolean, indentless: boolean, compactSeq = false): void {
    this.indents.push(this.indent);
    if (this.indent < 0) {
      this.indent = flow ? this.bestIndent : 0;
    } else if (!indentless) {
      if (!this.v3) {
        this.indent += this.bestIndent;
      } else if (this.parentState === 'blockSequenceItem') {
        this.indent += 2;
      } else {
        this.indent = this.bestIndent * Math.trunc((this.indent + this.bestIndent) / this.bestIndent);
        if (compactSeq) this.indent -= 2;
      }
    }
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  // --- nodes -----------------------------------------------------------------------------

  emitDocument(root: YNode): void {
    this.parentState = 'other';
    this.emitNode(root, true, false, false, false);
    // DOCUMENT-END (implicit)
    this.writeIndent();
  }

  private emitNode(node: YNode, _root: boolean, _sequence: boolean, mapping: boolean, simpleKey: boolean, analysis?: ScalarAnalysis): void {
    this.mappingContext = mapping;
    this.simpleKeyContext = simpleKey;
    switch (node.t) {
      case 'scalar': this.emitScalar(node, analysis); return;
      case 'seq':
        if (this.flowLevel > 0 || node.items.length === 0) this.emitFlowSequence(node.items);
        else this.emitBlockSequence(node.items);
        return;
      case 'map':
        if (this.flowLevel > 0 || node.pairs.length === 0) this.emitFlowMapping(node.pairs);
        else this.emitBlockMapping(node.pairs);
        return;
    }
  }

  private emitFlowSequence(items: readonly YNode[]): void {
    this.writeIndicator('[', true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
    items.forEach((item, i) => {
      if (i > 0) this.writeIndicator(',', false, false, false);
      if (this.column > this.bestWidth) this.writeIndent();
      this.parentState = 'other';
      this.emitNode(item, false, true, false, false);
    });
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator(']', false, false, false);
  }

  private emitFlowMapping(pairs: ReadonlyArray<readonly [YNode, YNode]>): void {
    this.writeIndicator('{', true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
    pairs.forEach(([k, v], i) => {
      if (i > 0) this.writeIndicator(',', false, false, false);
      if (this.column > this.bestWidth) this.writeIndent();
      const ka = k.t === 'scalar' ? analyzeScalar(toCodePoints(k.value), this.v3, k.value) : undefined;
      this.parentState = 'other';
      if (this.checkSimpleKey(k, ka)) {
        this.emitNode(k, false, false, true, true, ka);
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, false);
        this.emitNode(k, false, false, true, false, ka);
        if (this.column > this.bestWidth) this.writeIndent();
        this.writeIndicator(':', true, false, false);
      }
      this.parentState = 'other';
      this.emitNode(v, false, false, true, false);
    });
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator('}', false, false, false);
  }

  private emitBlockSequence(items: readonly YNode[]): void {
    if (this.v3) {
      this.increaseIndent(false, false, false);
    } else {
      this.increaseIndent(false, this.mappingContext && !this.indention);
    }
    for (let i = 0; i < items.length; i++) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.parentState = 'blockSequenceItem';
      this.emitNode(items[i]!, false, true, false, false);
    }
    this.popIndent();
  }

  private emitBlockMapping(pairs: ReadonlyArray<readonly [YNode, YNode]>): void {
    this.increaseIndent(false, false);
    // indexed, no destructuring: unoptimised for-of allocates per step (see runes.ts)
    for (let i = 0; i < pairs.length; i++) {
      const k = pairs[i]![0];
      const v = pairs[i]![1];
      this.writeIndent();
      const ka = k.t === 'scalar' ? analyzeScalar(toCodePoints(k.value), this.v3, k.value) : undefined;
      if (this.checkSimpleKey(k, ka)) {
        this.parentState = 'other';
        this.emitNode(k, false, false, true, true, ka);
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.parentState = 'other';
        this.emitNode(k, false, false, true, false, ka);
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.parentState = 'other';
      this.emitNode(v, false, false, true, false);
    }
    this.popIndent();
  }

  /** yaml_emitter_check_simple_key. */
  private checkSimpleKey(k: YNode, a: ScalarAnalysis | undefined): boolean {
    switch (k.t) {
      case 'scalar':
        if (a!.multiline) return false;
        return utf8Len(a!.codePoints) <= 128;
      case 'seq': return k.items.length === 0;
      case 'map': return k.pairs.length === 0;
    }
  }

  private emitScalar(node: { value: string; style: ScalarStyle }, analysis?: ScalarAnalysis): void {
    const a = analysis ?? analyzeScalar(toCodePoints(node.value), this.v3, node.value);
    const value = a.codePoints;
    const style = this.selectScalarStyle(node.style, value, a);
    this.increaseIndent(true, false);
    switch (style) {
      case 'plain': this.writePlain(value, !this.simpleKeyContext, node.value); break;
      case 'single': this.writeSingleQuoted(value, !this.simpleKeyContext); break;
      case 'double': this.writeDoubleQuoted(value, !this.simpleKeyContext); break;
      case 'literal': this.writeLiteral(value, node.value); break;
      case 'folded': this.writeFolded(value); break;
    }
    this.popIndent();
  }

  /** yaml_emitter_select_scalar_style (implicit, untagged scalars). */
  private selectScalarStyle(requested: ScalarStyle, value: readonly number[], a: ScalarAnalysis): ScalarStyle {
    let style = requested;
    if (this.simpleKeyContext && a.multiline) style = 'double';
    if (style === 'plain') {
      if ((this.flowLevel > 0 && !a.flowPlainAllowed) || (this.flowLevel === 0 && !a.blockPlainAllowed)) style = 'single';
      if (value.length === 0 && (this.flowLevel > 0 || this.simpleKeyContext)) style = 'single';
    }
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
    if (style === 'literal' || style === 'folded') {
      if (!a.blockAllowed || this.flowLevel > 0 || this.simpleKeyContext) style = 'double';
    }
    return style;
  }

  // --- scalar writers --------------------------------------------------------------------

  private writePlain(value: readonly number[], allowBreaks: boolean, text: string): void {
    if ((!this.v3 || value.length > 0) && !this.whitespace) this.put(' ');
    // Most scalars are written character by character to the same text: no line breaks, no
    // lone surrogates (their code points are not the text's), and no space where the line
    // could fold (none at all, or the whole scalar ends within the width).
    if (value.length === text.length && !PLAIN_SLOW.test(text) && (!allowBreaks || !text.includes(' ') || this.column + value.length <= this.bestWidth)) {
      this.out.push(text);
      this.column += value.length;
      if (value.length > 0) {
        this.indention = false;
        this.whitespace = false;
      } else if (!this.v3) {
        this.whitespace = false;
      }
      this.indention = false;
      return;
    }
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > this.bestWidth && !isSpace(value[i + 1])) {
          this.writeIndent();
        } else {
          this.writeCp(c);
        }
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === LF) this.putBreak();
        this.writeBreakCp(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.writeCp(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    if (!this.v3 || value.length > 0) this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuoted(value: readonly number[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i > 0 && i < value.length - 1 && !isSpace(value[i + 1])) {
          this.writeIndent();
        } else {
          this.writeCp(c);
        }
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === LF) this.putBreak();
        this.writeBreakCp(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) this.put("'");
        this.writeCp(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(value: readonly number[], allowBreaks: boolean): void {
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    const bom = value[0] === 0xfeff;
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (!isPrintable(c) || bom || isBreak(c) || c === 0x22 || c === 0x5c) {
        this.put('\\');
        let esc: string | undefined;
        switch (c) {
          case 0x00: esc = '0'; break;
          case 0x07: esc = 'a'; break;
          case 0x08: esc = 'b'; break;
          case 0x09: esc = 't'; break;
          case 0x0a: esc = 'n'; break;
          case 0x0b: esc = 'v'; break;
          case 0x0c: esc = 'f'; break;
          case 0x0d: esc = 'r'; break;
          case 0x1b: esc = 'e'; break;
          case 0x22: esc = '"'; break;
          case 0x5c: esc = '\\'; break;
          case 0x85: esc = 'N'; break;
          case 0xa0: esc = '_'; break;
          case 0x2028: esc = 'L'; break;
          case 0x2029: esc = 'P'; break;
        }
        if (esc !== undefined) {
          this.put(esc);
        } else {
          let w: number;
          if (c <= 0xff) { this.put('x'); w = 2; }
          else if (c <= 0xffff) { this.put('u'); w = 4; }
          else { this.put('U'); w = 8; }
          for (const ch of c.toString(16).toUpperCase().padStart(w, '0')) this.put(ch);
        }
        spaces = false;
      } else if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i > 0 && i < value.length - 1) {
          this.writeIndent();
          if (isSpace(value[i + 1])) this.put('\\');
        } else {
          this.writeCp(c);
        }
        spaces = true;
      } else {
        this.writeCp(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeBlockScalarHints(value: readonly number[]): void {
    if (isSpace(value[0]) || isBreak(value[0])) {
      this.writeIndicator(String(this.bestIndent), false, false, false);
    }
    let chomp = '';
    if (value.length === 0) {
      chomp = '-';
    } else {
      const i = value.length - 1;
      if (!isBreak(value[i])) chomp = '-';
      else if (i === 0) chomp = '+';
      else if (isBreak(value[i - 1])) chomp = '+';
    }
    if (chomp !== '') this.writeIndicator(chomp, false, false, false);
  }

  private writeLiteral(value: readonly number[], text: string): void {
    this.writeIndicator('|', true, false, false);
    this.writeBlockScalarHints(value);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    // Each line's characters are the text's own (no surrogates: one code point per unit, and
    // none replaced): written as one slice of it, not code point by code point (config files
    // in values run to tens of KB).
    const sliced = value.length === text.length && !SURROGATE.test(text);
    for (let i = 0; i < value.length;) {
      const c = value[i]!;
      if (isBreak(c)) {
        this.writeBreakCp(c);
        this.indention = true;
        breaks = true;
        i++;
      } else {
        if (breaks) this.writeIndent();
        if (sliced) {
          let end = i + 1;
          while (end < value.length && !isBreak(value[end])) end++;
          this.out.push(text.slice(i, end));
          this.column += end - i;
          i = end;
        } else {
          this.writeCp(c);
          i++;
        }
        this.indention = false;
        breaks = false;
      }
    }
  }

  private writeFolded(value: readonly number[]): void {
    this.writeIndicator('>', true, false, false);
    this.writeBlockScalarHints(value);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    let leadingSpaces = true;
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (isBreak(c)) {
        if (!breaks && !leadingSpaces && c === LF) {
          let k = 0;
          while (isBreak(value[k])) k++;
          if (!isBlankz(value[k])) this.putBreak();
        }
        this.writeBreakCp(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) {
          this.writeIndent();
          leadingSpaces = isBlank(c);
        }
        if (!breaks && isSpace(c) && !isSpace(value[i + 1]) && this.column > this.bestWidth) {
          this.writeIndent();
        } else {
          this.writeCp(c);
        }
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/** Emits one document (stream start, implicit document start/end, stream end). */
export function emitYaml(root: YNode, opts: EmitterOptions = {}): string {
  const e = new Emitter(opts);
  e.emitDocument(root);
  return e.result();
}
