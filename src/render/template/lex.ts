/**
 * The template lexer (Go's text/template/parse/lex.go): a state machine that produces
 * one item per call, with trim markers, comments, line tracking and Go's error texts.
 */
import { quote } from './strconv.js';
import { isDigitText, isLetterText } from './unicode.js';

export enum ItemType {
  Error, Bool, Char, CharConstant, Comment, Complex, Assign, Declare, EOF, Field, Identifier,
  LeftDelim, LeftParen, Number, Pipe, RawString, RightDelim, RightParen, Space, String, Text, Variable,
  // keywords after this
  Keyword, Block, Break, Continue, Dot, Define, Else, End, If, Nil, Range, Template, With,
}

const KEY = new Map<string, ItemType>(Object.entries({
  '.': ItemType.Dot,
  block: ItemType.Block,
  break: ItemType.Break,
  continue: ItemType.Continue,
  define: ItemType.Define,
  else: ItemType.Else,
  end: ItemType.End,
  if: ItemType.If,
  range: ItemType.Range,
  nil: ItemType.Nil,
  template: ItemType.Template,
  with: ItemType.With,
}));

export interface Item { typ: ItemType; pos: number; val: string; line: number }

/** Go's item.String(). */
export function itemString(i: Item): string {
  if (i.typ === ItemType.EOF) return 'EOF';
  if (i.typ === ItemType.Error) return i.val;
  if (i.typ > ItemType.Keyword) return `<${i.val}>`;
  if (runes(i.val).length > 10) return quote(runes(i.val).slice(0, 10).join('')) + '...';
  return quote(i.val);
}

function runes(s: string): string[] { return Array.from(s); }

const EOF = -1;
const SPACE_CHARS = ' \t\r\n';

export interface LexOptions {
  emitComment: boolean;
  breakOK: boolean;
  continueOK: boolean;
  /** Only the state machine, without the fast path for common tokens (the reference in tests). */
  reference?: boolean;
}

function isSpace(r: number): boolean { return r === 32 || r === 9 || r === 13 || r === 10; }

export function isAlphaNumeric(r: number): boolean {
  if (r < 128) return r === 95 || (r >= 48 && r <= 57) || (r >= 65 && r <= 90) || (r >= 97 && r <= 122);
  if (r === EOF) return false;
  const ch = String.fromCodePoint(r);
  return isLetterText(ch) || isDigitText(ch);
}

function hasLeftTrimMarker(s: string, i: number): boolean {
  return i + 1 < s.length && s.charCodeAt(i) === 45 && isSpace(s.charCodeAt(i + 1));
}
function hasRightTrimMarker(s: string, i: number): boolean {
  return i + 1 < s.length && isSpace(s.charCodeAt(i)) && s.charCodeAt(i + 1) === 45;
}

/** `%#U` of a rune, as in Go's lexer error messages. */
export function sharpU(r: number): string {
  let s = 'U+' + r.toString(16).toUpperCase().padStart(4, '0');
  if (r >= 0x20 && r !== 0x7f && /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(String.fromCodePoint(r))) s += ` '${String.fromCodePoint(r)}'`;
  return s;
}

type StateFn = ((l: Lexer) => StateFn) | null;

export class Lexer {
  pos = 0;
  start = 0;
  atEOF = false;
  parenDepth = 0;
  line = 1;
  startLine = 1;
  item: Item = { typ: ItemType.EOF, pos: 0, val: 'EOF', line: 1 };
  insideAction = false;

  constructor(
    readonly name: string,
    public input: string,
    readonly leftDelim: string,
    readonly rightDelim: string,
    public options: LexOptions = { emitComment: false, breakOK: true, continueOK: true },
  ) {}

  next(): number {
    if (this.pos >= this.input.length) { this.atEOF = true; return EOF; }
    const c = this.input.charCodeAt(this.pos);
    if (c >= 0xd800 && c <= 0xdbff && this.pos + 1 < this.input.length) {
      const d = this.input.charCodeAt(this.pos + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { this.pos += 2; return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000; }
    }
    this.pos++;
    if (c === 10) this.line++;
    return c;
  }

  peek(): number { const r = this.next(); this.backup(); return r; }

  backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const c = this.input.charCodeAt(this.pos - 1);
      if (c >= 0xdc00 && c <= 0xdfff && this.pos > 1) {
        const h = this.input.charCodeAt(this.pos - 2);
        if (h >= 0xd800 && h <= 0xdbff) { this.pos -= 2; return; }
      }
      this.pos--;
      if (c === 10) this.line--;
    }
  }

  thisItem(t: ItemType): Item {
    const i: Item = { typ: t, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine };
    this.start = this.pos;
    this.startLine = this.line;
    return i;
  }

  emit(t: ItemType): StateFn { return this.emitItem(this.thisItem(t)); }
  emitItem(i: Item): StateFn { this.item = i; return null; }

  ignore(): void {
    this.line += countNL(this.input, this.start, this.pos);
    this.start = this.pos;
    this.startLine = this.line;
  }

  /** Consumes the next rune if it is one of the (ASCII) characters in `valid`. */
  accept(valid: string): boolean {
    const r = this.next();
    if (r >= 0 && r < 128 && valid.indexOf(String.fromCharCode(r)) >= 0) return true;
    this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (r < 0 || r >= 128 || valid.indexOf(String.fromCharCode(r)) < 0) break;
    }
    this.backup();
  }

  errorf(msg: string): StateFn {
    this.item = { typ: ItemType.Error, pos: this.start, val: msg, line: this.startLine };
    this.start = 0;
    this.pos = 0;
    this.input = '';
    return null;
  }

  nextItem(): Item {
    if (this.insideAction && !this.options.reference) {
      const fast = fastActionItem(this);
      if (fast !== null) return fast;
    }
    this.item = { typ: ItemType.EOF, pos: this.pos, val: 'EOF', line: this.startLine };
    let state: StateFn = this.insideAction ? lexInsideAction : lexText;
    while (state) state = state(this);
    return this.item;
  }

  /** 0: not at a right delimiter; 1: at one; 2: at one with a trim marker (" -}}"). */
  atRightDelim(): number {
    const s = this.input;
    const p = this.pos;
    const c = s.charCodeAt(p);
    if ((c === 32 || c === 9 || c === 13 || c === 10) && s.charCodeAt(p + 1) === 45 && s.startsWith(this.rightDelim, p + 2)) return 2;
    if (c === this.rightDelim.charCodeAt(0) && s.startsWith(this.rightDelim, p)) return 1;
    return 0;
  }

  atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    switch (r) {
      case EOF: case 46: case 44: case 124: case 58: case 41: case 40: return true; // . , | : ) (
    }
    return this.input.startsWith(this.rightDelim, this.pos);
  }
}

function countNL(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i !== -1 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function rightTrimLength(s: string, from: number, to: number): number {
  let i = to;
  while (i > from && SPACE_CHARS.includes(s[i - 1]!)) i--;
  return to - i;
}

function leftTrimLength(s: string, from: number): number {
  let i = from;
  while (i < s.length && SPACE_CHARS.includes(s[i]!)) i++;
  return i - from;
}

/**
 * The common tokens inside an action, read with one regular expression each instead of rune
 * by rune: runs of spaces, fields, variables, identifiers and keywords, plain double-quoted
 * strings, pipes, parentheses and assignments. The items are the ones the state machine
 * makes (a test compares both on every template of the corpus); anything else (delimiters,
 * trim markers, numbers, raw strings, characters, non-ASCII names, errors) returns null and
 * goes to the state machine. Cold, this halves the lexer's time: most of a chart's template
 * text is read once, before V8 has optimised anything.
 */
const SPACES = /[ \t\r\n]+/y;
const NAME = /[A-Za-z0-9_]*/y;
const PLAIN_STRING = /"(?:[^"\\\n]|\\[^\n])*"/y;

function fastActionItem(l: Lexer): Item | null {
  const s = l.input;
  const p = l.pos;
  if (p >= s.length || l.atRightDelim() !== 0) return null;
  const c = s.charCodeAt(p);
  let end: number;
  let typ: ItemType;
  switch (c) {
    case 32: case 9: case 13: case 10: {
      SPACES.lastIndex = p;
      SPACES.test(s);
      end = SPACES.lastIndex;
      // a space before a trim marker belongs to the right delimiter
      if (s.charCodeAt(end) === 45 && s.startsWith(l.rightDelim, end + 1)) return null;
      const item: Item = { typ: ItemType.Space, pos: p, val: s.slice(p, end), line: l.startLine };
      l.pos = end;
      l.line += countNL(s, p, end);
      l.start = end;
      l.startLine = l.line;
      return item;
    }
    case 46: { // .
      const d = s.charCodeAt(p + 1);
      if (p + 1 >= s.length || (d >= 48 && d <= 57)) return null; // a number, or an unclosed action
      NAME.lastIndex = p + 1;
      NAME.test(s);
      end = NAME.lastIndex;
      typ = end === p + 1 ? ItemType.Dot : ItemType.Field;
      break;
    }
    case 36: // $
      NAME.lastIndex = p + 1;
      NAME.test(s);
      end = NAME.lastIndex;
      typ = ItemType.Variable;
      break;
    case 34: // "
      PLAIN_STRING.lastIndex = p;
      if (!PLAIN_STRING.test(s)) return null;
      end = PLAIN_STRING.lastIndex;
      return fastItem(l, ItemType.String, end);
    case 124: return fastItem(l, ItemType.Pipe, p + 1); // |
    case 40: // (
      l.parenDepth++;
      return fastItem(l, ItemType.LeftParen, p + 1);
    case 41: // )
      if (l.parenDepth === 0) return null;
      l.parenDepth--;
      return fastItem(l, ItemType.RightParen, p + 1);
    case 61: return fastItem(l, ItemType.Assign, p + 1); // =
    case 58: // :
      if (s.charCodeAt(p + 1) !== 61) return null;
      return fastItem(l, ItemType.Declare, p + 2);
    default: {
      if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return null;
      NAME.lastIndex = p;
      NAME.test(s);
      end = NAME.lastIndex;
      typ = ItemType.Identifier;
    }
  }
  // The name must end where the state machine would end it: at a terminator.
  const t = s.charCodeAt(end);
  if (!(end >= s.length || t === 32 || t === 9 || t === 13 || t === 10 || t === 46 || t === 44 || t === 124 || t === 58 || t === 41 || t === 40 || s.startsWith(l.rightDelim, end))) return null;
  if (typ === ItemType.Identifier) {
    const word = s.slice(p, end);
    const k = KEY.get(word);
    if (k !== undefined && k > ItemType.Keyword) {
      if (!((k === ItemType.Break && !l.options.breakOK) || (k === ItemType.Continue && !l.options.continueOK))) typ = k;
    } else if (word === 'true' || word === 'false') {
      typ = ItemType.Bool;
    }
  }
  return fastItem(l, typ, end);
}

function fastItem(l: Lexer, typ: ItemType, end: number): Item {
  const item: Item = { typ, pos: l.pos, val: l.input.slice(l.pos, end), line: l.startLine };
  l.pos = end;
  l.start = end;
  return item;
}

function lexText(l: Lexer): StateFn {
  const x = l.input.indexOf(l.leftDelim, l.pos);
  if (x >= 0) {
    if (x > l.pos) {
      l.pos = x;
      let trimLength = 0;
      const delimEnd = l.pos + l.leftDelim.length;
      if (hasLeftTrimMarker(l.input, delimEnd)) trimLength = rightTrimLength(l.input, l.start, l.pos);
      l.pos -= trimLength;
      l.line += countNL(l.input, l.start, l.pos);
      const i = l.thisItem(ItemType.Text);
      l.pos += trimLength;
      l.ignore();
      if (i.val.length > 0) return l.emitItem(i);
    }
    return lexLeftDelim;
  }
  l.pos = l.input.length;
  if (l.pos > l.start) {
    l.line += countNL(l.input, l.start, l.pos);
    return l.emit(ItemType.Text);
  }
  return l.emit(ItemType.EOF);
}

function lexLeftDelim(l: Lexer): StateFn {
  l.pos += l.leftDelim.length;
  const trimSpace = hasLeftTrimMarker(l.input, l.pos);
  const afterMarker = trimSpace ? 2 : 0;
  if (l.input.startsWith('/*', l.pos + afterMarker)) {
    l.pos += afterMarker;
    l.ignore();
    return lexComment;
  }
  const i = l.thisItem(ItemType.LeftDelim);
  l.insideAction = true;
  l.pos += afterMarker;
  l.ignore();
  l.parenDepth = 0;
  return l.emitItem(i);
}

function lexComment(l: Lexer): StateFn {
  l.pos += 2;
  const x = l.input.indexOf('*/', l.pos);
  if (x < 0) return l.errorf('unclosed comment');
  l.pos = x + 2;
  const at = l.atRightDelim();
  const trimSpace = at === 2;
  if (at === 0) return l.errorf('comment ends before closing delimiter');
  l.line += countNL(l.input, l.start, l.pos);
  const i = l.thisItem(ItemType.Comment);
  if (trimSpace) l.pos += 2;
  l.pos += l.rightDelim.length;
  if (trimSpace) l.pos += leftTrimLength(l.input, l.pos);
  l.ignore();
  if (l.options.emitComment) return l.emitItem(i);
  return lexText;
}

function lexRightDelim(l: Lexer): StateFn {
  const trimSpace = l.atRightDelim() === 2;
  if (trimSpace) {
    l.pos += 2;
    l.ignore();
  }
  l.pos += l.rightDelim.length;
  const i = l.thisItem(ItemType.RightDelim);
  if (trimSpace) {
    l.pos += leftTrimLength(l.input, l.pos);
    l.ignore();
  }
  l.insideAction = false;
  return l.emitItem(i);
}

function lexInsideAction(l: Lexer): StateFn {
  if (l.atRightDelim() !== 0) {
    if (l.parenDepth === 0) return lexRightDelim;
    return l.errorf('unclosed left paren');
  }
  const r = l.next();
  switch (r) {
    case EOF: return l.errorf('unclosed action');
    case 61: return l.emit(ItemType.Assign); // =
    case 58: // :
      if (l.next() !== 61) return l.errorf('expected :=');
      return l.emit(ItemType.Declare);
    case 124: return l.emit(ItemType.Pipe);
    case 34: return lexQuote;
    case 96: return lexRawQuote;
    case 36: return lexVariable;
    case 39: return lexChar;
    case 40:
      l.parenDepth++;
      return l.emit(ItemType.LeftParen);
    case 41:
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf('unexpected right paren');
      return l.emit(ItemType.RightParen);
  }
  if (isSpace(r)) {
    l.backup();
    return lexSpace;
  }
  if (r === 46) { // .
    if (l.pos < l.input.length) {
      const c = l.input.charCodeAt(l.pos);
      if (c < 48 || c > 57) return lexField;
    }
    l.backup();
    return lexNumber;
  }
  if (r === 43 || r === 45 || (r >= 48 && r <= 57)) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup();
    return lexIdentifier;
  }
  if (r <= 0x7f && r >= 0x20 && r !== 0x7f) return l.emit(ItemType.Char);
  return l.errorf(`unrecognized character in action: ${sharpU(r)}`);
}

function lexSpace(l: Lexer): StateFn {
  let numSpaces = 0;
  const s = l.input;
  for (;;) {
    const c = s.charCodeAt(l.pos);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) break;
    l.pos++;
    if (c === 10) l.line++;
    numSpaces++;
  }
  if (hasRightTrimMarker(s, l.pos - 1) && s.startsWith(l.rightDelim, l.pos - 1 + 2)) {
    l.backup();
    if (numSpaces === 1) return lexRightDelim;
  }
  return l.emit(ItemType.Space);
}

function lexIdentifier(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup();
    const word = l.input.slice(l.start, l.pos);
    if (!l.atTerminator()) return l.errorf(`bad character ${sharpU(r)}`);
    const k = KEY.get(word);
    if (k !== undefined && k > ItemType.Keyword) {
      if ((k === ItemType.Break && !l.options.breakOK) || (k === ItemType.Continue && !l.options.continueOK)) {
        return l.emit(ItemType.Identifier);
      }
      return l.emit(k);
    }
    if (word[0] === '.') return l.emit(ItemType.Field);
    if (word === 'true' || word === 'false') return l.emit(ItemType.Bool);
    return l.emit(ItemType.Identifier);
  }
}

function lexField(l: Lexer): StateFn { return lexFieldOrVariable(l, ItemType.Field); }

function lexVariable(l: Lexer): StateFn {
  if (l.atTerminator()) return l.emit(ItemType.Variable);
  return lexFieldOrVariable(l, ItemType.Variable);
}

function lexFieldOrVariable(l: Lexer, typ: ItemType): StateFn {
  if (l.atTerminator()) return l.emit(typ === ItemType.Variable ? ItemType.Variable : ItemType.Dot);
  let r: number;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) { l.backup(); break; }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${sharpU(r)}`);
  return l.emit(typ);
}

function lexChar(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (r === 92) { // backslash
      const e = l.next();
      if (e !== EOF && e !== 10) continue;
      return l.errorf('unterminated character constant');
    }
    if (r === EOF || r === 10) return l.errorf('unterminated character constant');
    if (r === 39) break;
  }
  return l.emit(ItemType.CharConstant);
}

function lexNumber(l: Lexer): StateFn {
  if (!scanNumber(l)) return l.errorf(`bad number syntax: ${quote(l.input.slice(l.start, l.pos))}`);
  const sign = l.peek();
  if (sign === 43 || sign === 45) {
    if (!scanNumber(l) || l.input.charCodeAt(l.pos - 1) !== 105) {
      return l.errorf(`bad number syntax: ${quote(l.input.slice(l.start, l.pos))}`);
    }
    return l.emit(ItemType.Complex);
  }
  return l.emit(ItemType.Number);
}

function scanNumber(l: Lexer): boolean {
  l.accept('+-');
  let digits = '0123456789_';
  if (l.accept('0')) {
    if (l.accept('xX')) digits = '0123456789abcdefABCDEF_';
    else if (l.accept('oO')) digits = '01234567_';
    else if (l.accept('bB')) digits = '01_';
  }
  l.acceptRun(digits);
  if (l.accept('.')) l.acceptRun(digits);
  if (digits.length === 10 + 1 && l.accept('eE')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  if (digits.length === 16 + 6 + 1 && l.accept('pP')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  l.accept('i');
  if (isAlphaNumeric(l.peek())) {
    l.next();
    return false;
  }
  return true;
}

function lexQuote(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (r === 92) {
      const e = l.next();
      if (e !== EOF && e !== 10) continue;
      return l.errorf('unterminated quoted string');
    }
    if (r === EOF || r === 10) return l.errorf('unterminated quoted string');
    if (r === 34) break;
  }
  return l.emit(ItemType.String);
}

function lexRawQuote(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (r === EOF) return l.errorf('unterminated raw quoted string');
    if (r === 96) break;
  }
  return l.emit(ItemType.RawString);
}
