/**
 * helm's `fromToml`: github.com/BurntSushi/toml v1.6.0 `Unmarshal` into
 * map[string]interface{}, ported from its lexer (a state machine run lazily by the parser, so
 * the first error in document order wins) and parser (lex.go, parse.go), with its error
 * messages. Values: int64 (GoScalar), float64, string, bool, time.Time, []interface{},
 * map[string]interface{}; arrays of tables are `[]map[string]interface {}`.
 */
import { GoScalar, T, withType, type GoMap, type GoValue } from '../template/value.js';
import { parseFloat64, parseInt0, quote, quoteRune } from '../template/strconv.js';
import { isLetter } from '../template/unicode.js';
import { makeTime, type TimeInfo, type TimeKind } from './time.js';

const EOF = -1;
const RUNE_ERROR = 0xfffd;

type ItemType =
  | 'error' | 'eof' | 'text' | 'string' | 'stringEsc' | 'rawString' | 'multilineString' | 'rawMultilineString'
  | 'bool' | 'integer' | 'float' | 'datetime' | 'array' | 'arrayEnd' | 'tableStart' | 'tableEnd'
  | 'arrayTableStart' | 'arrayTableEnd' | 'keyStart' | 'keyEnd' | 'commentStart' | 'inlineTableStart' | 'inlineTableEnd';

interface Item { typ: ItemType; val: string; line: number; err?: string }

type StateFn = ((lx: Lexer) => StateFn) | null;

const isWhitespace = (r: number): boolean => r === 0x09 || r === 0x20;
const isNL = (r: number): boolean => r === 0x0a || r === 0x0d;
const isControl = (r: number): boolean => r !== 0x09 && r !== 0x0a && r !== 0x0d && ((r >= 0 && r <= 0x1f) || r === 0x7f);
const isDigit = (r: number): boolean => r >= 0x30 && r <= 0x39;
const isBinary = (r: number): boolean => r === 0x30 || r === 0x31;
const isOctal = (r: number): boolean => r >= 0x30 && r <= 0x37;
const isHex = (r: number): boolean => (r >= 0x30 && r <= 0x39) || ((r | 0x20) >= 0x61 && (r | 0x20) <= 0x66);
const isBareKeyChar = (r: number): boolean =>
  (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a) || (r >= 0x30 && r <= 0x39) || r === 0x5f || r === 0x2d;

/** Go's %q of a rune. */
const qr = (r: number): string => quoteRune(r === EOF ? 0 : r);

class Lexer {
  start = 0;
  pos = 0;
  line = 1;
  state: StateFn = lexTop;
  readonly items: Item[] = [];
  esc = false;
  private prevWidths = [0, 0, 0, 0];
  private nprev = 0;
  atEOF = false;
  private readonly stack: StateFn[] = [];

  constructor(readonly input: string) {}

  nextItem(): Item {
    for (;;) {
      const it = this.items.shift();
      if (it) return it;
      if (!this.state) return { typ: 'eof', val: '', line: this.line };
      this.state = this.state(this);
    }
  }

  push(s: StateFn): void { this.stack.push(s); }
  pop(): StateFn { return this.stack.pop() ?? null; }
  current(): string { return this.input.slice(this.start, this.pos); }

  emit(typ: ItemType): void {
    this.items.push({ typ, line: this.line, val: this.current() });
    this.start = this.pos;
  }

  emitTrim(typ: ItemType): void {
    this.items.push({ typ, line: this.line, val: this.current().trim() });
    this.start = this.pos;
  }

  next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    if (this.input.charCodeAt(this.pos) === 0x0a) this.line++;
    this.prevWidths[3] = this.prevWidths[2]!;
    this.prevWidths[2] = this.prevWidths[1]!;
    this.prevWidths[1] = this.prevWidths[0]!;
    if (this.nprev < 4) this.nprev++;
    let r = this.input.codePointAt(this.pos)!;
    const w = r > 0xffff ? 2 : 1;
    if (r >= 0xd800 && r <= 0xdfff) r = RUNE_ERROR;
    if (isControl(r) || (r === 0x0d && (this.input.length - 1 === this.pos || this.input.charCodeAt(this.pos + 1) !== 0x0a))) {
      this.items.push({ typ: 'error', val: '', line: this.line, err: `TOML files cannot contain control characters: '0x${r.toString(16).padStart(2, '0')}'` });
      return RUNE_ERROR;
    }
    this.prevWidths[0] = w;
    this.pos += w;
    return r;
  }

  ignore(): void { this.start = this.pos; }

  backup(): void {
    if (this.atEOF) {
      this.atEOF = false;
      return;
    }
    const w = this.prevWidths[0]!;
    this.prevWidths[0] = this.prevWidths[1]!;
    this.prevWidths[1] = this.prevWidths[2]!;
    this.prevWidths[2] = this.prevWidths[3]!;
    this.nprev--;
    this.pos -= w;
    if (this.pos < this.input.length && this.input.charCodeAt(this.pos) === 0x0a) this.line--;
  }

  accept(valid: number): boolean {
    if (this.next() === valid) return true;
    this.backup();
    return false;
  }

  peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  skip(pred: (r: number) => boolean): void {
    for (;;) {
      const r = this.next();
      if (pred(r)) continue;
      this.backup();
      this.ignore();
      return;
    }
  }

  error(msg: string): StateFn {
    if (this.atEOF) return this.errorPrevLine(msg);
    this.items.push({ typ: 'error', val: '', line: this.line, err: msg });
    return null;
  }

  errorPrevLine(msg: string): StateFn {
    this.items.push({ typ: 'error', val: '', line: this.line - 1, err: msg });
    return null;
  }

  errorf(msg: string): StateFn {
    if (this.atEOF) {
      let line = this.line;
      if (this.pos >= 1 && this.input.charCodeAt(this.pos - 1) === 0x0a) line--;
      this.items.push({ typ: 'error', val: '', line, err: msg });
      return null;
    }
    this.items.push({ typ: 'error', val: '', line: this.line, err: msg });
    return null;
  }
}

function lexSkip(lx: Lexer, next: StateFn): StateFn {
  lx.ignore();
  return next;
}

function lexTop(lx: Lexer): StateFn {
  const r = lx.next();
  if (isWhitespace(r) || isNL(r)) return lexSkip(lx, lexTop);
  switch (r) {
    case 0x23: lx.push(lexTop); return lexCommentStart;
    case 0x5b: return lexTableStart;
    case EOF:
      if (lx.pos > lx.start) return lx.errorf('unexpected EOF');
      lx.emit('eof');
      return null;
  }
  lx.backup();
  lx.push(lexTopEnd);
  return lexKeyStart;
}

function lexTopEnd(lx: Lexer): StateFn {
  const r = lx.next();
  if (r === 0x23) { lx.push(lexTop); return lexCommentStart; }
  if (isWhitespace(r)) return lexTopEnd;
  if (isNL(r)) { lx.ignore(); return lexTop; }
  if (r === EOF) { lx.emit('eof'); return null; }
  return lx.errorf(`expected a top-level item to end with a newline, comment, or EOF, but got ${qr(r)} instead`);
}

function lexTableStart(lx: Lexer): StateFn {
  if (lx.peek() === 0x5b) {
    lx.next();
    lx.emit('arrayTableStart');
    lx.push(lexArrayTableEnd);
  } else {
    lx.emit('tableStart');
    lx.push(lexTableEnd);
  }
  return lexTableNameStart;
}

function lexTableEnd(lx: Lexer): StateFn {
  lx.emit('tableEnd');
  return lexTopEnd;
}

function lexArrayTableEnd(lx: Lexer): StateFn {
  const r = lx.next();
  if (r !== 0x5d) return lx.errorf(`expected end of table array name delimiter ']', but got ${qr(r)} instead`);
  lx.emit('arrayTableEnd');
  return lexTopEnd;
}

function lexTableNameStart(lx: Lexer): StateFn {
  lx.skip(isWhitespace);
  const r = lx.peek();
  if (r === 0x5d || r === EOF) return lx.errorf('unexpected end of table name (table names cannot be empty)');
  if (r === 0x2e) return lx.errorf('unexpected table separator (table names cannot be empty)');
  if (r === 0x22 || r === 0x27) {
    lx.ignore();
    lx.push(lexTableNameEnd);
    return lexQuotedName;
  }
  lx.push(lexTableNameEnd);
  return lexBareName;
}

function lexTableNameEnd(lx: Lexer): StateFn {
  lx.skip(isWhitespace);
  const r = lx.next();
  if (r === 0x2e) { lx.ignore(); return lexTableNameStart; }
  if (r === 0x5d) return lx.pop();
  return lx.errorf(`expected '.' or ']' to end table name, but got ${qr(r)} instead`);
}

function lexBareName(lx: Lexer): StateFn {
  const r = lx.next();
  if (isBareKeyChar(r)) return lexBareName;
  lx.backup();
  lx.emit('text');
  return lx.pop();
}

function lexQuotedName(lx: Lexer): StateFn {
  const r = lx.next();
  if (r === 0x22) { lx.ignore(); return lexString; }
  if (r === 0x27) { lx.ignore(); return lexRawString; }
  if (isWhitespace(r)) return lexSkip(lx, lexValue);
  if (r === EOF) return lx.errorf('unexpected EOF; expected value');
  return lx.errorf(`expected value but found ${qr(r)} instead`);
}

function lexKeyStart(lx: Lexer): StateFn {
  lx.skip(isWhitespace);
  const r = lx.peek();
  if (r === 0x3d || r === EOF) return lx.errorf("unexpected '=': key name appears blank");
  if (r === 0x2e) return lx.errorf("unexpected '.': keys cannot start with a '.'");
  if (r === 0x22 || r === 0x27) lx.ignore();
  lx.emit('keyStart');
  return lexKeyNameStart;
}

function lexKeyNameStart(lx: Lexer): StateFn {
  lx.skip(isWhitespace);
  const r = lx.peek();
  if (r === 0x22 || r === 0x27) {
    lx.ignore();
    lx.push(lexKeyEnd);
    return lexQuotedName;
  }
  if (r === 0x3d || r === EOF) return lx.errorf("unexpected '='");
  if (r === 0x2e) return lx.errorf("unexpected '.'");
  lx.push(lexKeyEnd);
  return lexBareName;
}

function lexKeyEnd(lx: Lexer): StateFn {
  lx.skip(isWhitespace);
  const r = lx.next();
  if (isWhitespace(r)) return lexSkip(lx, lexKeyEnd);
  if (r === EOF) return lx.errorf("unexpected EOF; expected key separator '='");
  if (r === 0x2e) { lx.ignore(); return lexKeyNameStart; }
  if (r === 0x3d) { lx.emit('keyEnd'); return lexSkip(lx, lexValue); }
  if (r === 0x0a) return lx.errorPrevLine(`expected '.' or '=', but got ${qr(r)} instead`);
  return lx.errorf(`expected '.' or '=', but got ${qr(r)} instead`);
}

function lexValue(lx: Lexer): StateFn {
  const r = lx.next();
  if (isWhitespace(r)) return lexSkip(lx, lexValue);
  if (isDigit(r)) { lx.backup(); return lexNumberOrDateStart; }
  switch (r) {
    case 0x5b: lx.ignore(); lx.emit('array'); return lexArrayValue;
    case 0x7b: lx.ignore(); lx.emit('inlineTableStart'); return lexInlineTableValue;
    case 0x22:
      if (lx.accept(0x22)) {
        if (lx.accept(0x22)) { lx.ignore(); return lexMultilineString; }
        lx.backup();
      }
      lx.ignore();
      return lexString;
    case 0x27:
      if (lx.accept(0x27)) {
        if (lx.accept(0x27)) { lx.ignore(); return lexMultilineRawString; }
        lx.backup();
      }
      lx.ignore();
      return lexRawString;
    case 0x2e: return lx.errorf("floats must start with a digit, not '.'");
    case 0x69: case 0x6e:
      if ((lx.accept(0x6e) && lx.accept(0x66)) || (lx.accept(0x61) && lx.accept(0x6e))) {
        lx.emit('float');
        return lx.pop();
      }
      break;
    case 0x2d: case 0x2b: return lexDecimalNumberStart;
  }
  if (isLetter(r)) { lx.backup(); return lexBool; }
  if (r === EOF) return lx.errorf('unexpected EOF; expected value');
  if (r === 0x0a) return lx.errorPrevLine(`expected value but found ${qr(r)} instead`);
  return lx.errorf(`expected value but found ${qr(r)} instead`);
}

function lexArrayValue(lx: Lexer): StateFn {
  const r = lx.next();
  if (isWhitespace(r) || isNL(r)) return lexSkip(lx, lexArrayValue);
  if (r === 0x23) { lx.push(lexArrayValue); return lexCommentStart; }
  if (r === 0x2c) return lx.errorf('unexpected comma');
  if (r === 0x5d) return lexArrayEnd;
  lx.backup();
  lx.push(lexArrayValueEnd);
  return lexValue;
}

const runeOrEOF = (r: number): string => (r === EOF ? 'end of file' : `'${String.fromCodePoint(r)}'`);

function lexArrayValueEnd(lx: Lexer): StateFn {
  const r = lx.next();
  if (isWhitespace(r) || isNL(r)) return lexSkip(lx, lexArrayValueEnd);
  if (r === 0x23) { lx.push(lexArrayValueEnd); return lexCommentStart; }
  if (r === 0x2c) { lx.ignore(); return lexArrayValue; }
  if (r === 0x5d) return lexArrayEnd;
  return lx.errorf(`expected a comma (',') or array terminator (']'), but got ${runeOrEOF(r)}`);
}

function lexArrayEnd(lx: Lexer): StateFn {
  lx.ignore();
  lx.emit('arrayEnd');
  return lx.pop();
}

function lexInlineTableValue(lx: Lexer): StateFn {
  const r = lx.next();
  if (isWhitespace(r) || isNL(r)) return lexSkip(lx, lexInlineTableValue);
  if (r === 0x23) { lx.push(lexInlineTableValue); return lexCommentStart; }
  if (r === 0x2c) return lx.errorf('unexpected comma');
  if (r === 0x7d) return lexInlineTableEnd;
  lx.backup();
  lx.push(lexInlineTableValueEnd);
  return lexKeyStart;
}

function lexInlineTableValueEnd(lx: Lexer): StateFn {
  const r = lx.next();
  if (isWhitespace(r) || isNL(r)) return lexSkip(lx, lexInlineTableValueEnd);
  if (r === 0x23) { lx.push(lexInlineTableValueEnd); return lexCommentStart; }
  if (r === 0x2c) {
    lx.ignore();
    lx.skip(isWhitespace);
    if (lx.peek() === 0x7d) return lexInlineTableValueEnd;
    return lexInlineTableValue;
  }
  if (r === 0x7d) return lexInlineTableEnd;
  return lx.errorf(`expected a comma or an inline table terminator '}', but got ${runeOrEOF(r)} instead`);
}

function lexInlineTableEnd(lx: Lexer): StateFn {
  lx.ignore();
  lx.emit('inlineTableEnd');
  return lx.pop();
}

function lexString(lx: Lexer): StateFn {
  const r = lx.next();
  if (r === EOF) return lx.errorf(`unexpected EOF; expected '"'`);
  if (isNL(r)) return lx.errorPrevLine('strings cannot contain newlines');
  if (r === 0x5c) { lx.push(lexString); return lexStringEscape; }
  if (r === 0x22) {
    lx.backup();
    if (lx.esc) {
      lx.esc = false;
      lx.emit('stringEsc');
    } else {
      lx.emit('string');
    }
    lx.next();
    lx.ignore();
    return lx.pop();
  }
  return lexString;
}

function lexMultilineString(lx: Lexer): StateFn {
  const r = lx.next();
  if (r === EOF) return lx.errorf(`unexpected EOF; expected '"""'`);
  if (r === 0x5c) return lexMultilineStringEscape;
  if (r === 0x22) {
    if (lx.accept(0x22)) {
      if (lx.accept(0x22)) {
        if (lx.peek() === 0x22) {
          const cur = lx.current();
          if (cur.endsWith('"""""') && !cur.endsWith('\\"""""')) return lx.errorf(`unexpected '""""""'`);
          lx.backup();
          lx.backup();
          return lexMultilineString;
        }
        lx.backup();
        lx.backup();
        lx.backup();
        lx.esc = false;
        lx.emit('multilineString');
        lx.next();
        lx.next();
        lx.next();
        lx.ignore();
        return lx.pop();
      }
      lx.backup();
    }
  }
  return lexMultilineString;
}

function lexRawString(lx: Lexer): StateFn {
  const r = lx.next();
  if (r === EOF) return lx.errorf(`unexpected EOF; expected "'"`);
  if (isNL(r)) return lx.errorPrevLine('strings cannot contain newlines');
  if (r === 0x27) {
    lx.backup();
    lx.emit('rawString');
    lx.next();
    lx.ignore();
    return lx.pop();
  }
  return lexRawString;
}

function lexMultilineRawString(lx: Lexer): StateFn {
  const r = lx.next();
  if (r === EOF) return lx.errorf(`unexpected EOF; expected "'''"`);
  if (r === 0x27) {
    if (lx.accept(0x27)) {
      if (lx.accept(0x27)) {
        if (lx.peek() === 0x27) {
          if (lx.current().endsWith("'''''")) return lx.errorf(`unexpected "''''''"`);
          lx.backup();
          lx.backup();
          return lexMultilineRawString;
        }
        lx.backup();
        lx.backup();
        lx.backup();
        lx.emit('rawMultilineString');
        lx.next();
        lx.next();
        lx.next();
        lx.ignore();
        return lx.pop();
      }
      lx.backup();
    }
  }
  return lexMultilineRawString;
}

function lexMultilineStringEscape(lx: Lexer): StateFn {
  if (isNL(lx.next())) return lexMultilineString;
  lx.backup();
  lx.push(lexMultilineString);
  return lexStringEscape(lx);
}

function lexStringEscape(lx: Lexer): StateFn {
  lx.esc = true;
  const r = lx.next();
  switch (r) {
    case 0x65: case 0x62: case 0x74: case 0x6e: case 0x66: case 0x72: case 0x22: case 0x20: case 0x09: case 0x5c:
      return lx.pop();
    case 0x78: return lexHexEscape;
    case 0x75: return lexShortUnicodeEscape;
    case 0x55: return lexLongUnicodeEscape;
  }
  return lx.error(`invalid escape in string '\\${r === EOF ? '\0' : String.fromCodePoint(r)}'`);
}

function hexEscape(n: number, name: string, what: string): StateFn {
  return (lx: Lexer): StateFn => {
    for (let i = 0; i < n; i++) {
      const r = lx.next();
      if (!isHex(r)) return lx.errorf(`expected ${what} hexadecimal digits after '\\${name}', but got ${quote(lx.current())} instead`);
    }
    return lx.pop();
  };
}
const lexHexEscape = hexEscape(2, 'x', 'two');
const lexShortUnicodeEscape = hexEscape(4, 'u', 'four');
const lexLongUnicodeEscape = hexEscape(8, 'U', 'eight');

function lexNumberOrDateStart(lx: Lexer): StateFn {
  if (lx.next() === 0x30) return lexBaseNumberOrDate;
  return lexNumberOrDate;
}

function lexNumberOrDate(lx: Lexer): StateFn {
  const r = lx.next();
  if (isDigit(r)) return lexNumberOrDate;
  switch (r) {
    case 0x2d: case 0x3a: return lexDatetime;
    case 0x5f: return lexDecimalNumber;
    case 0x2e: case 0x65: case 0x45: return lexFloat;
  }
  lx.backup();
  lx.emit('integer');
  return lx.pop();
}

function lexDatetime(lx: Lexer): StateFn {
  const r = lx.next();
  if (isDigit(r)) return lexDatetime;
  switch (r) {
    case 0x2d: case 0x3a: case 0x54: case 0x74: case 0x20: case 0x2e: case 0x5a: case 0x7a: case 0x2b:
      return lexDatetime;
  }
  lx.backup();
  lx.emitTrim('datetime');
  return lx.pop();
}

function lexDigits(pred: (r: number) => boolean): (lx: Lexer) => StateFn {
  const f = (lx: Lexer): StateFn => {
    const r = lx.next();
    if (pred(r) || r === 0x5f) return f;
    lx.backup();
    lx.emit('integer');
    return lx.pop();
  };
  return f;
}
const lexHexInteger = lexDigits(isHex);
const lexOctalInteger = lexDigits(isOctal);
const lexBinaryInteger = lexDigits(isBinary);

function lexDecimalNumber(lx: Lexer): StateFn {
  const r = lx.next();
  if (isDigit(r)) return lexDecimalNumber;
  switch (r) {
    case 0x2e: case 0x65: case 0x45: return lexFloat;
    case 0x5f: return lexDecimalNumber;
  }
  lx.backup();
  lx.emit('integer');
  return lx.pop();
}

function lexDecimalNumberStart(lx: Lexer): StateFn {
  const r = lx.next();
  switch (r) {
    case 0x69:
      if (!lx.accept(0x6e) || !lx.accept(0x66)) return lx.errorf(`invalid float: '${lx.current()}'`);
      lx.emit('float');
      return lx.pop();
    case 0x6e:
      if (!lx.accept(0x61) || !lx.accept(0x6e)) return lx.errorf(`invalid float: '${lx.current()}'`);
      lx.emit('float');
      return lx.pop();
    case 0x30: {
      const p = lx.peek();
      if (p === 0x62 || p === 0x6f || p === 0x78) {
        return lx.errorf(`cannot use sign with non-decimal numbers: '${lx.current()}${String.fromCodePoint(p)}'`);
      }
      break;
    }
    case 0x2e: return lx.errorf("floats must start with a digit, not '.'");
  }
  if (isDigit(r)) return lexDecimalNumber;
  return lx.errorf(`expected a digit but got ${qr(r)}`);
}

function lexBaseNumberOrDate(lx: Lexer): StateFn {
  let r = lx.next();
  if (isDigit(r)) return lexNumberOrDate;
  const ch = (x: number): string => (x === EOF ? '\0' : String.fromCodePoint(x));
  switch (r) {
    case 0x5f: return lexDecimalNumber;
    case 0x2e: case 0x65: case 0x45: return lexFloat;
    case 0x62:
      r = lx.peek();
      if (!isBinary(r)) lx.errorf(`not a binary number: '${lx.current()}${ch(r)}'`);
      return lexBinaryInteger;
    case 0x6f:
      r = lx.peek();
      if (!isOctal(r)) lx.errorf(`not an octal number: '${lx.current()}${ch(r)}'`);
      return lexOctalInteger;
    case 0x78:
      r = lx.peek();
      if (!isHex(r)) lx.errorf(`not a hexadecimal number: '${lx.current()}${ch(r)}'`);
      return lexHexInteger;
  }
  lx.backup();
  lx.emit('integer');
  return lx.pop();
}

function lexFloat(lx: Lexer): StateFn {
  const r = lx.next();
  if (isDigit(r)) return lexFloat;
  switch (r) {
    case 0x5f: case 0x2e: case 0x2d: case 0x2b: case 0x65: case 0x45: return lexFloat;
  }
  lx.backup();
  lx.emit('float');
  return lx.pop();
}

function lexBool(lx: Lexer): StateFn {
  let s = '';
  for (;;) {
    const r = lx.next();
    if (!isLetter(r)) {
      lx.backup();
      break;
    }
    s += String.fromCodePoint(r);
  }
  if (s === 'true' || s === 'false') {
    lx.emit('bool');
    return lx.pop();
  }
  return lx.errorf(`expected value but found ${quote(s)} instead`);
}

function lexCommentStart(lx: Lexer): StateFn {
  lx.ignore();
  lx.emit('commentStart');
  return lexComment;
}

function lexComment(lx: Lexer): StateFn {
  const r = lx.next();
  if (isNL(r) || r === EOF) {
    lx.backup();
    lx.emit('text');
    return lx.pop();
  }
  return lexComment;
}

// ---------------------------------------------------------------------------------------
// Parser

class ParseError extends Error {}

type Raw = GoValue | RawArrayTables | RawMap;
interface RawMap { [k: string]: Raw }
/** `[]map[string]any` of an array of tables. */
class RawArrayTables { constructor(readonly tables: RawMap[]) {} }

type TomlType = 'Integer' | 'Float' | 'String' | 'Bool' | 'Datetime' | 'Array' | 'Hash' | 'ArrayHash';

const isRawMap = (v: unknown): v is RawMap =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === null;

function newMap(): RawMap {
  return Object.create(null) as RawMap;
}

function keyPart(k: string): string {
  if (k === '') return '""';
  if (/^[A-Za-z0-9_-]+$/.test(k)) return k;
  return '"' + k.replace(/["\\\x00-\x1f\x7f]/g, (c) => {
    switch (c) {
      case '"': return '\\"';
      case '\\': return '\\\\';
      case '\b': return '\\b';
      case '\t': return '\\t';
      case '\n': return '\\n';
      case '\f': return '\\f';
      case '\r': return '\\r';
      default: return '\\u00' + c.charCodeAt(0).toString(16).padStart(2, '0');
    }
  }) + '"';
}
const keyStr = (k: readonly string[]): string => k.map(keyPart).join('.');

class Parser {
  private readonly lx: Lexer;
  private context: string[] = [];
  private currentKey = '';
  private posLine = 0;
  private readonly keyInfo = new Map<string, TomlType>();
  readonly mapping: RawMap = newMap();
  private readonly implicits = new Set<string>();

  constructor(data: string) {
    this.lx = new Lexer(data);
  }

  parse(): void {
    for (;;) {
      const it = this.next();
      if (it.typ === 'eof') break;
      this.topLevel(it);
    }
  }

  private current(): string {
    if (this.currentKey.length === 0) return keyStr(this.context);
    if (this.context.length === 0) return this.currentKey;
    return `${keyStr(this.context)}.${this.currentKey}`;
  }

  private fail(line: number, msg: string): never {
    const last = this.current();
    throw new ParseError(last === '' ? `toml: line ${line}: ${msg}` : `toml: line ${line} (last key ${quote(last)}): ${msg}`);
  }

  private panicf(msg: string): never { return this.fail(this.posLine, msg); }

  private next(): Item {
    const it = this.lx.nextItem();
    if (it.typ === 'error') this.fail(it.line, it.err ?? it.val);
    return it;
  }

  private nextPos(): Item {
    const it = this.next();
    this.posLine = it.line;
    return it;
  }

  private topLevel(item: Item): void {
    switch (item.typ) {
      case 'commentStart': this.next(); return;
      case 'tableStart': case 'arrayTableStart': {
        const end = item.typ === 'tableStart' ? 'tableEnd' : 'arrayTableEnd';
        let name = this.nextPos();
        const key: string[] = [];
        for (; name.typ !== end && name.typ !== 'eof'; name = this.next()) key.push(this.keyString(name));
        this.addContext(key, item.typ === 'arrayTableStart');
        this.setType('', item.typ === 'tableStart' ? 'Hash' : 'ArrayHash');
        return;
      }
      case 'keyStart': {
        const outer = this.context;
        let k = this.nextPos();
        const key: string[] = [];
        for (; k.typ !== 'keyEnd' && k.typ !== 'eof'; k = this.next()) key.push(this.keyString(k));
        this.currentKey = key[key.length - 1]!;
        const ctx = key.slice(0, -1);
        for (let i = 0; i < ctx.length; i++) this.addImplicitContext([...this.context, ctx[i]!]);
        const vItem = this.next();
        const [val, typ] = this.value(vItem, false);
        this.setValue(this.currentKey, val);
        this.setType(this.currentKey, typ);
        this.context = outer;
        this.currentKey = '';
        return;
      }
    }
  }

  private keyString(it: Item): string {
    if (it.typ === 'text') return it.val;
    return this.value(it, false)[0] as string;
  }

  private value(it: Item, parentIsArray: boolean): [Raw, TomlType] {
    switch (it.typ) {
      case 'string': case 'rawString': return [it.val, 'String'];
      case 'stringEsc': return [this.replaceEscapes(it, it.val), 'String'];
      case 'multilineString': return [this.replaceEscapes(it, stripEscapedNewlines(stripFirstNewline(it.val))), 'String'];
      case 'rawMultilineString': return [stripFirstNewline(it.val), 'String'];
      case 'integer': return this.valueInteger(it);
      case 'float': return this.valueFloat(it);
      case 'bool': return [it.val === 'true', 'Bool'];
      case 'datetime': return this.valueDatetime(it);
      case 'array': return this.valueArray(it);
      case 'inlineTableStart': return this.valueInlineTable(parentIsArray);
    }
    throw new ParseError(`toml: BUG: unexpected value type ${it.typ}`);
  }

  private valueInteger(it: Item): [Raw, TomlType] {
    if (!numUnderscoresOK(it.val)) this.fail(it.line, `Invalid integer ${quote(it.val)}: underscores must be surrounded by digits`);
    if (numHasLeadingZero(it.val)) this.fail(it.line, `Invalid integer ${quote(it.val)}: cannot have leading zeroes`);
    const n = parseInt0(it.val);
    if (n === null) {
      if (/^[+-]?(?:0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9_]+)$/.test(it.val)) this.fail(it.line, `${it.val} is out of range for int64`);
      throw new ParseError(`toml: BUG: Expected integer value, but got '${it.val}'.`);
    }
    return [new GoScalar(T.int64, n), 'Integer'];
  }

  private valueFloat(it: Item): [Raw, TomlType] {
    const parts = it.val.split(/[.eE]/).filter((p) => p !== '');
    for (const part of parts) {
      if (!numUnderscoresOK(part)) this.fail(it.line, `Invalid float ${quote(it.val)}: underscores must be surrounded by digits`);
    }
    if (parts.length > 0 && numHasLeadingZero(parts[0]!)) this.fail(it.line, `Invalid float ${quote(it.val)}: cannot have leading zeroes`);
    if (!numPeriodsOK(it.val)) this.fail(it.line, `Invalid float ${quote(it.val)}: '.' must be followed by one or more digits`);
    let val = it.val.split('_').join('');
    let signbit = false;
    if (val === '+nan' || val === '-nan') {
      signbit = val === '-nan';
      val = 'nan';
    }
    let num = parseFloat64(val);
    if (num === null) {
      if (/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(val)) this.fail(it.line, `${it.val} is out of range for float64`);
      this.fail(it.line, `Invalid float value: ${quote(it.val)}`);
    }
    if (signbit) num = -Math.abs(num);
    return [num, 'Float'];
  }

  private valueDatetime(it: Item): [Raw, TomlType] {
    const v = it.val.replace(/[zt ]/g, (c) => (c === 'z' ? 'Z' : 'T'));
    for (const layout of DT_LAYOUTS) {
      const t = parseTomlTime(layout, v);
      if (t) {
        if (missingLeadingZero(v, layout.fmt)) this.fail(it.line, `invalid datetime: ${quote(v)}`);
        return [makeTime(t), 'Datetime'];
      }
    }
    return this.fail(it.line, `invalid datetime: ${quote(v)}`);
  }

  private valueArray(it0: Item): [Raw, TomlType] {
    this.setType(this.currentKey, 'Array');
    const arr: Raw[] = [];
    for (let it = this.next(); it.typ !== 'arrayEnd'; it = this.next()) {
      if (it.typ === 'commentStart') { this.next(); continue; }
      arr.push(this.value(it, true)[0]);
    }
    void it0;
    return [arr as GoValue[], 'Array'];
  }

  private valueInlineTable(parentIsArray: boolean): [Raw, TomlType] {
    const top = newMap();
    const outerContext = this.context;
    const outerKey = this.currentKey;
    this.context = [...this.context, this.currentKey];
    const prevContext = this.context;
    this.currentKey = '';
    this.addImplicit(this.context);
    this.addContext(this.context, parentIsArray);
    for (let it = this.next(); it.typ !== 'inlineTableEnd'; it = this.next()) {
      if (it.typ === 'commentStart') { this.next(); continue; }
      let k = this.nextPos();
      const key: string[] = [];
      for (; k.typ !== 'keyEnd' && k.typ !== 'eof'; k = this.next()) key.push(this.keyString(k));
      this.currentKey = key[key.length - 1]!;
      const ctx = key.slice(0, -1);
      for (let i = 0; i < ctx.length; i++) this.addImplicitContext([...this.context, ctx[i]!]);
      const [val, typ] = this.value(this.next(), false);
      this.setValue(this.currentKey, val);
      this.setType(this.currentKey, typ);
      let hash = top;
      for (const c of ctx) {
        let h = hash[c];
        if (h === undefined) {
          h = newMap();
          hash[c] = h;
        }
        if (!isRawMap(h)) this.panicf(`${quote(keyStr(this.context))} is not a table`);
        hash = h;
      }
      hash[this.currentKey] = val;
      this.context = prevContext;
    }
    this.context = outerContext;
    this.currentKey = outerKey;
    return [top, 'Hash'];
  }

  private addContext(key: readonly string[], array: boolean): void {
    let hash = this.mapping;
    const keyContext: string[] = [];
    for (const k of key.slice(0, -1)) {
      const has = Object.prototype.hasOwnProperty.call(hash, k);
      keyContext.push(k);
      if (!has) {
        this.addImplicit(keyContext);
        hash[k] = newMap();
      }
      const t = hash[k];
      if (t instanceof RawArrayTables) hash = t.tables[t.tables.length - 1]!;
      else if (isRawMap(t)) hash = t;
      else this.panicf(`Key '${keyStr(keyContext)}' was already created as a hash.`);
    }
    this.context = keyContext;
    const last = key[key.length - 1]!;
    if (array) {
      if (!Object.prototype.hasOwnProperty.call(hash, last)) hash[last] = new RawArrayTables([]);
      const h = hash[last];
      if (h instanceof RawArrayTables) h.tables.push(newMap());
      else this.panicf(`Key '${keyStr(key)}' was already created and cannot be used as an array.`);
    } else {
      this.setValue(last, newMap());
    }
    this.context = [...this.context, last];
  }

  private setValue(key: string, value: Raw): void {
    let hash = this.mapping;
    const keyContext: string[] = [];
    for (const k of this.context) {
      keyContext.push(k);
      if (!Object.prototype.hasOwnProperty.call(hash, k)) throw new ParseError(`toml: BUG: Context for key '${keyStr(keyContext)}' has not been established.`);
      const t = hash[k];
      if (t instanceof RawArrayTables) hash = t.tables[t.tables.length - 1]!;
      else if (isRawMap(t)) hash = t;
      else this.panicf(`Key '${keyStr(keyContext)}' has already been defined.`);
    }
    keyContext.push(key);
    if (Object.prototype.hasOwnProperty.call(hash, key)) {
      if (this.keyInfo.get(keyStr(keyContext)) === 'Array') {
        if (!this.implicits.has(keyStr(keyContext))) this.panicf(`Key '${keyStr(keyContext)}' has already been defined.`);
        this.implicits.delete(keyStr(keyContext));
        hash[key] = value;
        return;
      }
      if (this.implicits.has(keyStr(keyContext))) {
        this.implicits.delete(keyStr(keyContext));
        return;
      }
      this.panicf(`Key '${keyStr(keyContext)}' has already been defined.`);
    }
    hash[key] = value;
  }

  private setType(key: string, typ: TomlType): void {
    const kc = [...this.context];
    if (key.length > 0) kc.push(key);
    this.keyInfo.set(kc.length === 0 ? '""' : keyStr(kc), typ);
  }

  private addImplicit(key: readonly string[]): void { this.implicits.add(keyStr(key)); }

  private addImplicitContext(key: readonly string[]): void {
    this.addImplicit(key);
    this.addContext(key, false);
  }

  private replaceEscapes(it: Item, str: string): string {
    let out = '';
    for (let i = 0; i < str.length; i++) {
      const c = str[i]!;
      if (c !== '\\') { out += c; continue; }
      const e = str[i + 1]!;
      switch (e) {
        case ' ': case '\t': this.fail(it.line, `invalid escape: '\\${e}'`); break;
        case 'b': out += '\b'; i++; break;
        case 't': out += '\t'; i++; break;
        case 'n': out += '\n'; i++; break;
        case 'f': out += '\f'; i++; break;
        case 'r': out += '\r'; i++; break;
        case 'e': out += '\x1b'; i++; break;
        case '"': out += '"'; i++; break;
        case '\\': out += '\\'; i++; break;
        case 'x': case 'u': case 'U': {
          const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          const hex = str.slice(i + 2, i + 2 + n);
          const cp = parseInt(hex, 16);
          if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
            this.fail(it.line, `Escaped character '\\u${hex}' is not valid UTF-8.`);
          }
          out += String.fromCodePoint(cp);
          i += 1 + n;
          break;
        }
        default: throw new ParseError(`toml: BUG: Expected valid escape code after \\, but got '${e}'.`);
      }
    }
    return out;
  }
}

function numHasLeadingZero(s: string): boolean {
  if (s.length > 1 && s[0] === '0' && !(s[1] === 'b' || s[1] === 'o' || s[1] === 'x')) return true;
  if (s.length > 2 && (s[0] === '-' || s[0] === '+') && s[1] === '0') return true;
  return false;
}

function numUnderscoresOK(s: string): boolean {
  if (['nan', '+nan', '-nan', 'inf', '-inf', '+inf'].includes(s)) return true;
  let accept = false;
  for (const ch of s) {
    if (ch === '_' && !accept) return false;
    accept = isHex(ch.codePointAt(0)!);
  }
  return accept;
}

function numPeriodsOK(s: string): boolean {
  let period = false;
  for (const ch of s) {
    if (period && !isDigit(ch.codePointAt(0)!)) return false;
    period = ch === '.';
  }
  return !period;
}

function stripFirstNewline(s: string): string {
  if (s.startsWith('\n')) return s.slice(1);
  if (s.startsWith('\r\n')) return s.slice(2);
  return s;
}

function stripEscapedNewlines(s0: string): string {
  let s = s0;
  let out = '';
  let i = 0;
  for (;;) {
    const ix = s.indexOf('\\', i);
    if (ix < 0) return out + s;
    i = ix;
    if (s.length > i + 1 && s[i + 1] === '\\') { i += 2; continue; }
    let j = i + 1;
    while (j < s.length && ' \t\r\n'.includes(s[j]!)) j++;
    if (j === i + 1) { i++; continue; }
    if (!s.slice(i, j).includes('\n')) { i++; continue; }
    out += s.slice(0, i);
    s = s.slice(j);
    i = 0;
  }
}

// ---------------------------------------------------------------------------------------
// Datetimes (time.ParseInLocation with BurntSushi's layouts; Local is UTC here)

interface DtLayout { fmt: string; parts: string[]; kind: TimeKind }
const DT_LAYOUTS: DtLayout[] = [
  { fmt: '2006-01-02T15:04:05.999999999Z07:00', parts: ['date', 'T', 'hms', 'frac', 'tz'], kind: 'offset' },
  { fmt: '2006-01-02T15:04:05.999999999', parts: ['date', 'T', 'hms', 'frac'], kind: 'local-datetime' },
  { fmt: '2006-01-02', parts: ['date'], kind: 'local-date' },
  { fmt: '15:04:05.999999999', parts: ['hms', 'frac'], kind: 'local-time' },
  { fmt: '2006-01-02T15:04Z07:00', parts: ['date', 'T', 'hm', 'tz'], kind: 'offset' },
  { fmt: '2006-01-02T15:04', parts: ['date', 'T', 'hm'], kind: 'local-datetime' },
  { fmt: '15:04', parts: ['hm'], kind: 'local-time' },
];

const ZONES: Record<TimeKind, string> = {
  'offset': '', 'local-datetime': 'datetime-local', 'local-date': 'date-local', 'local-time': 'time-local',
};

function twoDigits(s: string, i: number): number | null {
  return /^[0-9]{2}$/.test(s.slice(i, i + 2)) ? Number(s.slice(i, i + 2)) : null;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

function parseTomlTime(layout: DtLayout, v: string): TimeInfo | null {
  let s = v;
  const t: TimeInfo = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, nsec: 0, offset: 0, zone: ZONES[layout.kind], kind: layout.kind };
  // Go's "15" (hour) takes one or two digits; the others are fixed two-digit fields.
  const hour = (): boolean => {
    if (!/^[0-9]/.test(s)) return false;
    const n = /^[0-9]{2}/.test(s) ? 2 : 1;
    t.hour = Number(s.slice(0, n));
    s = s.slice(n);
    return t.hour < 24;
  };
  for (const p of layout.parts) {
    switch (p) {
      case 'date': {
        if (!/^[0-9]{4}-/.test(s)) return null;
        t.year = Number(s.slice(0, 4));
        const m = twoDigits(s, 5);
        if (m === null || s[7] !== '-' || m < 1 || m > 12) return null;
        const d = twoDigits(s, 8);
        if (d === null) return null;
        t.month = m;
        t.day = d;
        s = s.slice(10);
        break;
      }
      case 'T':
        if (s[0] !== 'T') return null;
        s = s.slice(1);
        break;
      case 'hms': case 'hm': {
        if (!hour() || s[0] !== ':') return null;
        const mi = twoDigits(s, 1);
        if (mi === null || mi >= 60) return null;
        t.minute = mi;
        s = s.slice(3);
        if (p === 'hms') {
          if (s[0] !== ':') return null;
          const se = twoDigits(s, 1);
          if (se === null || se >= 60) return null;
          t.second = se;
          s = s.slice(3);
        }
        // A fraction the layout does not ask for is still accepted after seconds.
        if (p === 'hms' && !layout.parts.includes('frac')) {
          const m = /^[.,][0-9]+/.exec(s);
          if (m) s = s.slice(m[0].length);
        }
        break;
      }
      case 'frac': {
        const m = /^[.,]([0-9]+)/.exec(s);
        if (m) {
          t.nsec = Number(m[1]!.slice(0, 9).padEnd(9, '0'));
          s = s.slice(m[0].length);
        }
        break;
      }
      case 'tz': {
        if (s[0] === 'Z') { s = s.slice(1); t.zone = 'UTC'; break; }
        if (s.length < 6 || s[3] !== ':') return null;
        const sign = s[0];
        const hh = twoDigits(s, 1);
        const mm = twoDigits(s, 4);
        if (hh === null || mm === null || hh > 24 || mm > 60) return null;
        if (sign !== '+' && sign !== '-') return null;
        t.offset = (sign === '-' ? -1 : 1) * (hh * 3600 + mm * 60);
        t.zone = t.offset === 0 ? 'UTC' : '';
        s = s.slice(6);
        break;
      }
    }
  }
  if (s.length > 0) return null;
  if (layout.parts.includes('date') && (t.day < 1 || t.day > daysIn(t.month, t.year))) return null;
  if (layout.kind === 'offset' && t.offset !== 0) {
    // Go keeps the wall clock and the offset; nothing to adjust.
  }
  return t;
}

function missingLeadingZero(d: string, l: string): boolean {
  for (let i = 0; i < l.length; i++) {
    const c = l[i]!;
    if (c === '.' || c === 'Z') return false;
    if ((c < '0' || c > '9') && d[i] !== c) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------

function toGo(v: Raw): GoValue {
  if (v instanceof RawArrayTables) return withType(v.tables.map((m) => toGo(m)), '[]map[string]interface {}');
  if (Array.isArray(v)) return v.map((x) => toGo(x as Raw));
  if (isRawMap(v)) {
    const out: GoMap = {};
    for (const k of Object.keys(v)) {
      Object.defineProperty(out, k, { value: toGo(v[k]!), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v as GoValue;
}

/** toml.Unmarshal(data, &m): the map, or BurntSushi's error text. */
export function tomlUnmarshal(text: string): { value: GoMap; error: string | null } {
  let data = text;
  if (data.startsWith('\ufeff')) data = data.slice(1);
  const head = data.slice(0, 6);
  if (head.includes('\0')) {
    return { value: {}, error: 'toml: line 1: files cannot contain NULL bytes; probably using UTF-16; TOML files must be UTF-8' };
  }
  const p = new Parser(data);
  try {
    p.parse();
  } catch (e) {
    if (e instanceof ParseError) return { value: {}, error: e.message };
    throw e;
  }
  return { value: toGo(p.mapping) as GoMap, error: null };
}

/** helm's `fromToml`: on error an empty map with an `Error` key. */
export function fromToml(str: string): GoMap {
  const r = tomlUnmarshal(str);
  if (r.error !== null) return { Error: r.error };
  return r.value;
}
