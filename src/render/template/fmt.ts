/**
 * Go's fmt.Sprint / Sprintf / Sprintln over the value model (value.ts), following
 * src/fmt/print.go and format.go: verbs %v %+v %#v %T %t %d %b %o %O %x %X %c %q %U
 * %e %E %f %F %g %G %s %p, flags `+-# 0`, width/precision (also `*` and `[n]` argument
 * indexes), and the error forms %!d(string=x), %!v(MISSING), %!(EXTRA ...),
 * %!(NOVERB), %!(BADWIDTH), %!(BADPREC), %!d(BADINDEX).
 */
import {
  GoComplex, GoScalar, GoStruct, T, type GoMap, type GoType, type GoValue, type Value,
  fieldsOf, isGoFunc, isGoMap, isIntKind, isUintKind, sortedKeys, typeOf,
} from './value.js';
import { canBackquote, codePoints, formatFloat, isPrint, quote, quoteRune, quoteToASCII, runeCount } from './strconv.js';

const LDIGITS = '0123456789abcdefx';
const UDIGITS = '0123456789ABCDEFX';

/** Fake address printed for %p and pointer-like values (Go prints a real address). */
const FAKE_POINTER = 0xc000010000n;

class Printer {
  buf = '';
  // flags
  widPresent = false;
  precPresent = false;
  minus = false;
  plus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  wid = 0;
  prec = 0;
  // current operand, for badVerb
  arg: Value = undefined;
  argIsTop = false;
  erroring = false;
  reordered = false;
  goodArgNum = true;
  depthGuard = 0;

  clearflags(): void {
    this.widPresent = this.precPresent = this.minus = this.plus = this.sharp = this.space = this.zero = false;
    this.plusV = this.sharpV = false;
    this.wid = this.prec = 0;
  }

  writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.zero && !this.minus ? '0' : ' ').repeat(n);
  }

  pad(s: string): void {
    if (!this.widPresent || this.wid === 0) { this.buf += s; return; }
    const width = this.wid - runeCount(s);
    if (!this.minus) { this.writePadding(width); this.buf += s; } else { this.buf += s; this.writePadding(width); }
  }

  // --- basic formatters (format.go)

  fmtBoolean(v: boolean): void { this.pad(v ? 'true' : 'false'); }

  fmtUnicode(u: bigint): void {
    let prec = 4;
    if (this.precPresent && this.prec > 4) prec = this.prec;
    let s = u.toString(16).toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    s = 'U+' + s;
    if (this.sharp && u <= 0x10ffffn && isPrint(Number(u))) s += " '" + String.fromCodePoint(Number(u)) + "'";
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  fmtIntegerRaw(v: bigint, base: number, isSigned: boolean, verb: string, digits: string): void {
    const negative = isSigned && v < 0n;
    let u = negative ? -v : v;
    if (!isSigned && u < 0n) u = BigInt.asUintN(64, u);
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = oldZero;
        return;
      }
    } else if (this.zero && !this.minus && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    let s = u.toString(base);
    if (digits === UDIGITS) s = s.toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    if (this.sharp) {
      if (base === 2) s = '0b' + s;
      else if (base === 8) { if (s[0] !== '0') s = '0' + s; }
      else if (base === 16) s = '0' + digits[16] + s;
    }
    if (verb === 'O') s = '0o' + s;
    if (negative) s = '-' + s;
    else if (this.plus) s = '+' + s;
    else if (this.space) s = ' ' + s;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  truncateString(s: string): string {
    if (this.precPresent) {
      let n = this.prec;
      let i = 0;
      for (const r of codePoints(s)) {
        n--;
        if (n < 0) return s.slice(0, i);
        i += r > 0xffff ? 2 : 1;
      }
    }
    return s;
  }

  fmtS(s: string): void { this.pad(this.truncateString(s)); }

  fmtSbx(bytes: Uint8Array, digits: string): void {
    let length = bytes.length;
    if (this.precPresent && this.prec < length) length = this.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.space) {
        if (this.sharp) width *= 2;
        width += length - 1;
      } else if (this.sharp) width += 2;
    } else {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width);
    let out = '';
    if (this.sharp) out += '0' + digits[16];
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) {
        out += ' ';
        if (this.sharp) out += '0' + digits[16];
      }
      const c = bytes[i]!;
      out += digits[c >> 4]! + digits[c & 15]!;
    }
    this.buf += out;
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width);
  }

  fmtQ(s0: string): void {
    const s = this.truncateString(s0);
    if (this.sharp && canBackquote(s)) { this.padString('`' + s + '`'); return; }
    this.pad(this.plus ? quoteToASCII(s) : quote(s));
  }

  padString(s: string): void { this.pad(s); }

  fmtC(c: bigint): void {
    const u = BigInt.asUintN(64, c);
    let r = u > 0x10ffffn ? 0xfffd : Number(u);
    if (r >= 0xd800 && r <= 0xdfff) r = 0xfffd;
    this.pad(String.fromCodePoint(r));
  }

  fmtQc(c: bigint): void {
    const u = BigInt.asUintN(64, c);
    const r = u > 0x10ffffn ? 0xfffd : Number(u);
    this.pad(quoteRune(r, this.plus));
  }

  fmtFloatRaw(v: number, size: 32 | 64, verb: string, prec0: number): void {
    let prec = prec0;
    if (this.precPresent) prec = this.prec;
    let num = formatFloat(v, verb, prec, size);
    if (num[0] === '-' || num[0] === '+') { /* keep */ } else num = '+' + num;
    if (this.space && num[0] === '+' && !this.plus) num = ' ' + num.slice(1);
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = this.zero;
      this.zero = false;
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1);
      this.pad(num);
      this.zero = oldZero;
      return;
    }
    if (this.sharp && verb !== 'b') {
      let digits = 0;
      if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') {
        digits = prec;
        if (digits === -1) digits = 6;
      }
      let tail = '';
      let hasDecimalPoint = false;
      let sawNonzeroDigit = false;
      for (let i = 1; i < num.length; i++) {
        const ch = num[i]!;
        if (ch === '.') { hasDecimalPoint = true; continue; }
        if (ch === 'p' || ch === 'P') { tail = num.slice(i); num = num.slice(0, i); break; }
        if ((ch === 'e' || ch === 'E') && verb !== 'x' && verb !== 'X') { tail = num.slice(i); num = num.slice(0, i); break; }
        if (ch !== '0') sawNonzeroDigit = true;
        if (sawNonzeroDigit) digits--;
      }
      if (!hasDecimalPoint) {
        if (num.length === 2 && num[1] === '0') digits--;
        num += '.';
      }
      while (digits > 0) { num += '0'; digits--; }
      num += tail;
    }
    if (this.plus || num[0] !== '+') {
      if (this.zero && !this.minus && this.widPresent && this.wid > num.length) {
        this.buf += num[0];
        this.writePadding(this.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  // --- print.go

  badVerb(verb: string): void {
    this.erroring = true;
    this.buf += '%!' + verb + '(';
    const a = this.arg;
    if (a !== undefined && a !== null) {
      this.buf += typeOf(a).name + '=';
      if (this.argIsTop) this.printArg(a, 'v');
      else this.printValue(a, 'v', 0);
    } else {
      this.buf += '<nil>';
    }
    this.buf += ')';
    this.erroring = false;
  }

  fmtBool(v: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.fmtBoolean(v);
    else this.badVerb(verb);
  }

  fmt0x64(v: bigint, leading0x: boolean): void {
    const sharp = this.sharp;
    this.sharp = leading0x;
    this.fmtIntegerRaw(v, 16, false, 'v', LDIGITS);
    this.sharp = sharp;
  }

  fmtInteger(v: bigint, isSigned: boolean, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV && !isSigned) this.fmt0x64(v, true);
        else this.fmtIntegerRaw(v, 10, isSigned, verb, LDIGITS);
        return;
      case 'd': this.fmtIntegerRaw(v, 10, isSigned, verb, LDIGITS); return;
      case 'b': this.fmtIntegerRaw(v, 2, isSigned, verb, LDIGITS); return;
      case 'o': case 'O': this.fmtIntegerRaw(v, 8, isSigned, verb, LDIGITS); return;
      case 'x': this.fmtIntegerRaw(v, 16, isSigned, verb, LDIGITS); return;
      case 'X': this.fmtIntegerRaw(v, 16, isSigned, verb, UDIGITS); return;
      case 'c': this.fmtC(v); return;
      case 'q': this.fmtQc(v); return;
      case 'U': this.fmtUnicode(BigInt.asUintN(64, v)); return;
      default: this.badVerb(verb);
    }
  }

  fmtFloat(v: number, size: 32 | 64, verb: string): void {
    switch (verb) {
      case 'v': this.fmtFloatRaw(v, size, 'g', -1); return;
      case 'b': case 'g': case 'G': case 'x': case 'X': this.fmtFloatRaw(v, size, verb, -1); return;
      case 'f': case 'e': case 'E': this.fmtFloatRaw(v, size, verb, 6); return;
      case 'F': this.fmtFloatRaw(v, size, 'f', 6); return;
      default: this.badVerb(verb);
    }
  }

  fmtComplex(v: GoComplex, verb: string): void {
    const size = v.type === T.complex64 ? 32 : 64;
    switch (verb) {
      case 'v': case 'b': case 'g': case 'G': case 'x': case 'X': case 'f': case 'F': case 'e': case 'E': {
        const oldPlus = this.plus;
        this.buf += '(';
        this.fmtFloat(v.re, size, verb);
        this.plus = true;
        this.fmtFloat(v.im, size, verb);
        this.buf += 'i)';
        this.plus = oldPlus;
        return;
      }
      default: this.badVerb(verb);
    }
  }

  fmtString(v: string, verb: string): void {
    switch (verb) {
      case 'v': if (this.sharpV) this.fmtQ(v); else this.fmtS(v); return;
      case 's': this.fmtS(v); return;
      case 'x': this.fmtSbx(Buffer.from(v, 'utf8'), LDIGITS); return;
      case 'X': this.fmtSbx(Buffer.from(v, 'utf8'), UDIGITS); return;
      case 'q': this.fmtQ(v); return;
      default: this.badVerb(verb);
    }
  }

  /** No width, precision or flags that change how an integer prints. */
  plainFlags(): boolean {
    return !this.widPresent && !this.precPresent && !this.plus && !this.sharp && !this.space && !this.zero && !this.sharpV && !this.plusV && !this.minus;
  }

  fmtBytes(v: Uint8Array, verb: string, typeString: string): void {
    switch (verb) {
      case 'v': case 'd':
        if (this.sharpV) {
          this.buf += typeString + '{';
          v.forEach((c, i) => { if (i > 0) this.buf += ', '; this.fmt0x64(BigInt(c), true); });
          this.buf += '}';
        } else if (this.plainFlags()) {
          this.buf += decimalByteList(v);
        } else {
          this.buf += '[';
          v.forEach((c, i) => { if (i > 0) this.buf += ' '; this.fmtIntegerRaw(BigInt(c), 10, false, verb, LDIGITS); });
          this.buf += ']';
        }
        return;
      case 's': this.fmtS(Buffer.from(v).toString('utf8')); return;
      case 'x': this.fmtSbx(v, LDIGITS); return;
      case 'X': this.fmtSbx(v, UDIGITS); return;
      case 'q': this.fmtQ(Buffer.from(v).toString('utf8')); return;
      default: {
        // Print as a slice of uint8 with the verb.
        this.buf += '[';
        v.forEach((c, i) => { if (i > 0) this.buf += ' '; this.arg = new GoScalar(T.uint8, BigInt(c)); this.argIsTop = false; this.fmtInteger(BigInt(c), false, verb); });
        this.buf += ']';
      }
    }
  }

  fmtPointer(value: GoValue, verb: string): void {
    const t = typeOf(value);
    let u: bigint;
    switch (t.kind) {
      case 'chan': case 'func': case 'map': case 'ptr': case 'slice':
        u = value instanceof GoStruct && value.nil ? 0n : FAKE_POINTER;
        break;
      default:
        this.badVerb(verb);
        return;
    }
    switch (verb) {
      case 'v':
        if (this.sharpV) {
          this.buf += '(' + t.name + ')(';
          if (u === 0n) this.buf += 'nil'; else this.fmt0x64(u, true);
          this.buf += ')';
        } else if (u === 0n) this.padString('<nil>');
        else this.fmt0x64(u, !this.sharp);
        return;
      case 'p': this.fmt0x64(u, !this.sharp); return;
      case 'b': case 'o': case 'd': case 'x': case 'X': this.fmtInteger(u, false, verb); return;
      default: this.badVerb(verb);
    }
  }

  handleMethods(verb: string): boolean {
    if (this.erroring) return false;
    const a = this.arg;
    if (a === undefined || a === null) return false;
    const t = typeOf(a);
    if (t.methods.size === 0) return false;
    if (a instanceof GoStruct && a.nil && !a.pointer) return false;
    const call = (name: string): string | undefined => {
      const m = t.methods.get(name);
      if (!m || m.type.sig?.params.length !== 0 || m.type.sig?.variadic) return undefined;
      const r = m.impl(a);
      return typeof r === 'string' ? r : r instanceof GoScalar ? String(r.v) : String(r);
    };
    const guard = (name: string, f: () => void): void => {
      try { f(); } catch (e) {
        if (a instanceof GoStruct && a.pointer && a.nil) { this.buf += '<nil>'; return; }
        this.buf += '%!' + verb + '(PANIC=' + name + ' method: ' + (e instanceof Error ? e.message : String(e)) + ')';
      }
    };
    if (this.sharpV) {
      if (t.methods.has('GoString')) {
        guard('GoString', () => { const s = call('GoString'); if (s !== undefined) this.fmtS(s); });
        return true;
      }
      return false;
    }
    if (verb === 'v' || verb === 's' || verb === 'x' || verb === 'X' || verb === 'q') {
      for (const name of ['Error', 'String']) {
        if (!t.methods.has(name)) continue;
        guard(name, () => { const s = call(name); if (s !== undefined) this.fmtString(s, verb); });
        return true;
      }
    }
    return false;
  }

  printArg(arg: Value, verb: string): void {
    this.arg = arg;
    this.argIsTop = true;
    if (arg === undefined || arg === null) {
      if (verb === 'T' || verb === 'v') this.padString('<nil>');
      else this.badVerb(verb);
      return;
    }
    if (verb === 'T') { this.fmtS(typeOf(arg).name); return; }
    if (verb === 'p') { this.fmtPointer(arg, 'p'); return; }
    switch (typeof arg) {
      case 'boolean': this.fmtBool(arg, verb); return;
      case 'number': this.fmtFloat(arg, 64, verb); return;
      case 'bigint': this.fmtInteger(arg, true, verb); return;
      case 'string': this.fmtString(arg, verb); return;
    }
    if (arg instanceof Uint8Array) { this.fmtBytes(arg, verb, '[]byte'); return; }
    if (arg instanceof GoScalar && !arg.type.named) { this.printBasic(arg, verb); return; }
    if (arg instanceof GoComplex && !arg.type.named) { this.fmtComplex(arg, verb); return; }
    if (!this.handleMethods(verb)) this.printValue(arg, verb, 0);
  }

  printBasic(v: GoScalar, verb: string): void {
    const k = v.type.kind;
    if (isIntKind(k)) this.fmtInteger(v.v as bigint, true, verb);
    else if (isUintKind(k)) this.fmtInteger(v.v as bigint, false, verb);
    else if (k === 'float32') this.fmtFloat(v.v as number, 32, verb);
    else if (k === 'float64') this.fmtFloat(v.v as number, 64, verb);
    else if (k === 'string') this.fmtString(v.v as string, verb);
    else if (k === 'bool') this.fmtBool(v.v as boolean, verb);
    else this.badVerb(verb);
  }

  printValue(value: Value, verb: string, depth: number): void {
    if (depth > 0 && value !== undefined && value !== null) {
      this.arg = value;
      this.argIsTop = false;
      if (this.handleMethods(verb)) return;
    }
    this.arg = value;
    this.argIsTop = false;
    if (++this.depthGuard > 2000) throw new RangeError('fmt: value nested too deeply');
    try {
      this.printValueInner(value, verb, depth);
    } finally {
      this.depthGuard--;
    }
  }

  private printValueInner(value: Value, verb: string, depth: number): void {
    if (value === undefined) {
      if (depth === 0) this.buf += '<invalid reflect.Value>';
      else if (verb === 'v') this.buf += '<nil>';
      else this.badVerb(verb);
      return;
    }
    if (value === null) { // a nil interface inside a container
      if (this.sharpV) this.buf += 'interface {}(nil)';
      else this.buf += '<nil>';
      return;
    }
    switch (typeof value) {
      case 'boolean': this.fmtBool(value, verb); return;
      case 'number': this.fmtFloat(value, 64, verb); return;
      case 'bigint': this.fmtInteger(value, true, verb); return;
      case 'string': this.fmtString(value, verb); return;
    }
    if (value instanceof GoScalar) { this.printBasic(value, verb); return; }
    if (value instanceof GoComplex) { this.fmtComplex(value, verb); return; }
    if (value instanceof Uint8Array) {
      if (verb === 's' || verb === 'q' || verb === 'x' || verb === 'X') { this.fmtBytes(value, verb, '[]uint8'); return; }
      if ((verb === 'v' || verb === 'd') && this.plainFlags()) {
        // Common and large (helm's .Files printed with %v): same text as printList, without
        // boxing every byte.
        this.buf += decimalByteList(value);
        return;
      }
      this.printList(Array.from(value, (c) => new GoScalar(T.uint8, BigInt(c))), typeOf(value), verb, depth);
      return;
    }
    if (Array.isArray(value)) {
      const t = typeOf(value);
      if ((verb === 's' || verb === 'q' || verb === 'x' || verb === 'X') && t.elem?.kind === 'uint8') {
        this.fmtBytes(Uint8Array.from(value, (c) => Number((c as GoScalar).v)), verb, t.name);
        return;
      }
      this.printList(value, t, verb, depth);
      return;
    }
    if (value instanceof GoStruct) {
      if (value.pointer) {
        if (depth === 0 && !value.nil) {
          this.buf += '&';
          this.printStruct(value, verb, depth + 1);
          return;
        }
        this.fmtPointer(value, verb);
        return;
      }
      this.printStruct(value, verb, depth);
      return;
    }
    if (isGoFunc(value)) { this.fmtPointer(value, verb); return; }
    if (isGoMap(value)) {
      const m: GoMap = value;
      const t = typeOf(m);
      if (this.sharpV) this.buf += t.name + '{';
      else this.buf += 'map[';
      let i = 0;
      for (const k of sortedKeys(m)) {
        if (i++ > 0) this.buf += this.sharpV ? ', ' : ' ';
        this.printValue(t.key && t.key !== T.string ? new GoScalar(t.key, k) : k, verb, depth + 1);
        this.buf += ':';
        this.printValue(m[k], verb, depth + 1);
      }
      this.buf += this.sharpV ? '}' : ']';
      return;
    }
    this.buf += '?' + String(value) + '?';
  }

  printList(items: readonly GoValue[], t: GoType, verb: string, depth: number): void {
    if (this.sharpV) {
      this.buf += t.name + '{';
      items.forEach((it, i) => { if (i > 0) this.buf += ', '; this.printValue(it, verb, depth + 1); });
      this.buf += '}';
    } else {
      this.buf += '[';
      items.forEach((it, i) => { if (i > 0) this.buf += ' '; this.printValue(it, verb, depth + 1); });
      this.buf += ']';
    }
  }

  printStruct(s: GoStruct, verb: string, depth: number): void {
    if (this.sharpV) this.buf += s.structType.name;
    this.buf += '{';
    const decl = fieldsOf(s.structType);
    const names = decl.length ? decl.map(([n]) => n) : Object.keys(s.fields);
    names.forEach((name, i) => {
      if (i > 0) this.buf += this.sharpV ? ', ' : ' ';
      if (this.plusV || this.sharpV) this.buf += name + ':';
      this.printValue(s.fields[name] ?? null, verb, depth + 1);
    });
    this.buf += '}';
  }

  // --- Printf driver

  doPrintf(format: string, a: readonly Value[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    this.reordered = false;
    let i = 0;
    formatLoop: while (i < end) {
      this.goodArgNum = true;
      const lasti = i;
      while (i < end && format.charCodeAt(i) !== 37) i++;
      if (i > lasti) this.buf += format.slice(lasti, i);
      if (i >= end) break;
      i++;
      this.clearflags();
      simple: for (; i < end; i++) {
        const c = format[i]!;
        switch (c) {
          case '#': this.sharp = true; break;
          case '0': this.zero = true; break;
          case '+': this.plus = true; break;
          case '-': this.minus = true; break;
          case ' ': this.space = true; break;
          default:
            if (c >= 'a' && c <= 'z' && argNum < a.length) {
              if (c === 'v' || c === 'w') {
                this.sharpV = this.sharp; this.sharp = false;
                this.plusV = this.plus; this.plus = false;
              }
              this.printArg(a[argNum], c);
              argNum++;
              i++;
              continue formatLoop;
            }
            break simple;
        }
      }
      [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
      if (i < end && format[i] === '*') {
        i++;
        let ok: boolean;
        [this.wid, ok, argNum] = intFromArg(a, argNum);
        this.widPresent = ok;
        if (!ok) this.buf += '%!(BADWIDTH)';
        if (this.wid < 0) { this.wid = -this.wid; this.minus = true; this.zero = false; }
        afterIndex = false;
      } else {
        [this.wid, this.widPresent, i] = parsenum(format, i, end);
        if (afterIndex && this.widPresent) this.goodArgNum = false;
      }
      if (i + 1 < end && format[i] === '.') {
        i++;
        if (afterIndex) this.goodArgNum = false;
        [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
        if (i < end && format[i] === '*') {
          i++;
          let ok: boolean;
          [this.prec, ok, argNum] = intFromArg(a, argNum);
          this.precPresent = ok;
          if (this.prec < 0) { this.prec = 0; this.precPresent = false; }
          if (!this.precPresent) this.buf += '%!(BADPREC)';
          afterIndex = false;
        } else {
          [this.prec, this.precPresent, i] = parsenum(format, i, end);
          if (!this.precPresent) { this.prec = 0; this.precPresent = true; }
        }
      }
      if (!afterIndex) [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
      if (i >= end) { this.buf += '%!(NOVERB)'; break; }
      const cp = format.codePointAt(i)!;
      const verb = String.fromCodePoint(cp);
      i += cp > 0xffff ? 2 : 1;
      if (verb === '%') { this.buf += '%'; continue; }
      if (!this.goodArgNum) { this.buf += '%!' + verb + '(BADINDEX)'; continue; }
      if (argNum >= a.length) { this.buf += '%!' + verb + '(MISSING)'; continue; }
      if (verb === 'v' || verb === 'w') {
        this.sharpV = this.sharp; this.sharp = false;
        this.plusV = this.plus; this.plus = false;
      }
      this.printArg(a[argNum], verb);
      argNum++;
    }
    if (!this.reordered && argNum < a.length) {
      this.clearflags();
      this.buf += '%!(EXTRA ';
      for (let k = argNum; k < a.length; k++) {
        if (k > argNum) this.buf += ', ';
        const arg = a[k];
        if (arg === undefined || arg === null) this.buf += '<nil>';
        else {
          this.buf += typeOf(arg).name + '=';
          this.printArg(arg, 'v');
        }
      }
      this.buf += ')';
    }
  }

  argNumber(argNum: number, format: string, i: number, numArgs: number): [number, number, boolean] {
    if (format.length <= i || format[i] !== '[') return [argNum, i, false];
    this.reordered = true;
    const [index, wid, ok] = parseArgNumber(format.slice(i));
    if (ok && index >= 0 && index < numArgs) return [index, i + wid, true];
    this.goodArgNum = false;
    return [argNum, i + wid, ok];
  }
}

function tooLarge(x: number): boolean { return x > 1e6 || x < -1e6; }

function parsenum(s: string, start: number, end: number): [number, boolean, number] {
  if (start >= end) return [0, false, end];
  let num = 0;
  let isnum = false;
  let i = start;
  for (; i < end && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++) {
    if (tooLarge(num)) return [0, false, end];
    num = num * 10 + (s.charCodeAt(i) - 48);
    isnum = true;
  }
  return [num, isnum, i];
}

function parseArgNumber(format: string): [number, number, boolean] {
  if (format.length < 3) return [0, 1, false];
  for (let i = 1; i < format.length; i++) {
    if (format[i] === ']') {
      const [width, ok, newi] = parsenum(format, 1, i);
      if (!ok || newi !== i) return [0, i + 1, false];
      return [width - 1, i + 1, true];
    }
  }
  return [0, 1, false];
}

function intFromArg(a: readonly Value[], argNum: number): [number, boolean, number] {
  let num = 0;
  let isInt = false;
  let newArgNum = argNum;
  if (argNum < a.length) {
    const v = a[argNum];
    if (v !== undefined && v !== null) {
      const k = typeOf(v).kind;
      if (isIntKind(k) || isUintKind(k)) {
        const n = typeof v === 'bigint' ? v : (v as GoScalar).v as bigint;
        if (n >= -(2n ** 63n) && n < 2n ** 63n) { num = Number(n); isInt = true; }
      }
    }
    newArgNum = argNum + 1;
    if (tooLarge(num)) { num = 0; isInt = false; }
  }
  return [num, isInt, newArgNum];
}

function isStringArg(v: Value): boolean {
  if (typeof v === 'string') return true;
  if (v === undefined || v === null || typeof v !== 'object') return false;
  return typeOf(v).kind === 'string';
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: readonly Value[]): string {
  const p = new Printer();
  let prevString = false;
  args.forEach((arg, n) => {
    const isString = isStringArg(arg);
    if (n > 0 && !isString && !prevString) p.buf += ' ';
    p.printArg(arg, 'v');
    prevString = isString;
  });
  return p.buf;
}

/** fmt.Sprintln: spaces always, newline at the end. */
export function sprintln(args: readonly Value[]): string {
  const p = new Printer();
  args.forEach((arg, n) => {
    if (n > 0) p.buf += ' ';
    p.printArg(arg, 'v');
  });
  return p.buf + '\n';
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly Value[]): string {
  const p = new Printer();
  p.doPrintf(format, args);
  return p.buf;
}

/** `%v` of one value (fast path for the common scalar cases). */
export function formatValue(v: Value): string {
  switch (typeof v) {
    case 'string': return v;
    case 'bigint': return v.toString();
    case 'boolean': return v ? 'true' : 'false';
    case 'number': return formatFloat(v, 'g', -1, 64);
  }
  return sprint([v]);
}

/**
 * Texts already made, by array: a chart's `.Files` are printed whole each time a template
 * prints the root context (`dict "k" $` makes a key of it), 3.8 MB of files many times over
 * in envoy-gateway. Nothing in a template can change the bytes of an array it was given.
 */
const decimalByteLists = new WeakMap<Uint8Array, string>();

/** `[1 2 3]`: how %v prints a []byte with no flags. */
function decimalByteList(v: Uint8Array): string {
  if (v.length === 0) return '[]';
  const known = decimalByteLists.get(v);
  if (known !== undefined) return known;
  const out = Buffer.allocUnsafe(v.length * 4 + 1);
  let o = 0;
  out[o++] = 0x5b; // [
  for (let i = 0; i < v.length; i++) {
    const b = v[i]!;
    if (i > 0) out[o++] = 0x20;
    if (b >= 100) {
      out[o++] = 48 + ((b / 100) | 0);
      out[o++] = 48 + (((b / 10) | 0) % 10);
    } else if (b >= 10) {
      out[o++] = 48 + ((b / 10) | 0);
    }
    out[o++] = 48 + (b % 10);
  }
  out[o++] = 0x5d; // ]
  const text = out.toString('latin1', 0, o);
  if (v.length >= 256) decimalByteLists.set(v, text);
  return text;
}
