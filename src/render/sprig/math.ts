/**
 * sprig's numeric.go and the arithmetic of functions.go: integer ops over cast.ToInt64
 * (int64 results, Go's wraparound and divide-by-zero panics), float ops through
 * shopspring/decimal v1.4.0 (addf, subf, mulf, divf: exact decimal arithmetic on the
 * shortest decimal of each float64, division rounded to 16 places), max/min, floor,
 * ceil, round, seq, until/untilStep (in lists.ts), randInt.
 */
import { GoError, formatFloat, formatValue, type FuncMap, type Value } from '../template/index.js';
import { toFloat64, toInt64 } from './cast.js';
import { untilStep } from './lists.js';
import { fn, wrap64 } from './util.js';
import { noteRandomDraw } from './effects.js';

// ---------------------------------------------------------------------------
// shopspring/decimal (just what execDecimalOp needs)

interface Dec { c: bigint; e: number } // value = c × 10^e

function decFromFloat(f: number): Dec {
  if (!Number.isFinite(f)) throw new GoError(`Cannot create a Decimal from ${formatFloat(f, 'g', -1, 64)}`);
  if (f === 0) return { c: 0n, e: 0 };
  // The shortest decimal that round-trips (what decimal.NewFromFloat computes).
  const s = formatFloat(f, 'e', -1, 64); // d.ddddde±XX
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s)!;
  const digits = m[2]! + (m[3] ?? '');
  return { c: BigInt(m[1] + digits), e: Number(m[4]) - (digits.length - 1) };
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.c * pow10(a.e - e), b.c * pow10(b.e - e), e];
}

const decAdd = (a: Dec, b: Dec): Dec => { const [x, y, e] = align(a, b); return { c: x + y, e }; };
const decSub = (a: Dec, b: Dec): Dec => { const [x, y, e] = align(a, b); return { c: x - y, e }; };
const decMul = (a: Dec, b: Dec): Dec => ({ c: a.c * b.c, e: a.e + b.e });

const DIVISION_PRECISION = 16;

function decDiv(a: Dec, b: Dec): Dec {
  if (b.c === 0n) throw new GoError('decimal division by 0');
  let n = a.c;
  let d = b.c;
  const shift = a.e - b.e + DIVISION_PRECISION;
  if (shift >= 0) n *= pow10(shift); else d *= pow10(-shift);
  let q = n / d;
  const r = n - q * d;
  const abs = (x: bigint): bigint => (x < 0n ? -x : x);
  if (2n * abs(r) >= abs(d)) q += (n < 0n) !== (d < 0n) ? -1n : 1n;
  return { c: q, e: -DIVISION_PRECISION };
}

/** decimal.Float64(): the float64 nearest the exact value. */
const decToFloat = (d: Dec): number => Number(`${d.c}e${d.e}`);

type DecOp = (a: Dec, b: Dec) => Dec;

export function execDecimalOp(a: Value, b: readonly Value[], f: DecOp): number {
  let prt = decFromFloat(toFloat64(a));
  for (const x of b) prt = f(prt, decFromFloat(toFloat64(x)));
  return decToFloat(prt);
}

// ---------------------------------------------------------------------------

/** sprig's round. */
export function round(a: Value, p: bigint, rOpt: number[]): number {
  const roundOn = rOpt.length > 0 ? rOpt[0]! : 0.5;
  const val = toFloat64(a);
  const pow = Math.pow(10, Number(p));
  const digit = pow * val;
  const div = Number.isFinite(digit) ? digit - Math.trunc(digit) : Number.isNaN(digit) ? NaN : 0;
  const r = div >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

/** sprig's seq. */
export function seq(params: bigint[]): string {
  const show = (l: bigint[]): string => l.map(String).join(' ');
  switch (params.length) {
    case 0: return '';
    case 1: {
      const start = 1n;
      const end = params[0]!;
      const inc = end < start ? -1n : 1n;
      return show(untilStep(start, end + inc, inc));
    }
    case 3: {
      const [start, step, end] = params as [bigint, bigint, bigint];
      let inc = 1n;
      if (end < start) {
        inc = -1n;
        if (step > 0n) return '';
      }
      return show(untilStep(start, end + inc, step));
    }
    case 2: {
      const [start, end] = params as [bigint, bigint];
      const step = end < start ? -1n : 1n;
      return show(untilStep(start, end + step, step));
    }
    default: return '';
  }
}

/** strconv.ParseInt(fmt.Sprint(v), 8, 64), 0 on error. */
export function toDecimal(v: Value): bigint {
  const s = formatValue(v === undefined ? null : v);
  const m = /^([+-]?)([0-7]+)$/.exec(s);
  if (!m) return 0n;
  const n = BigInt('0o' + m[2]) * (m[1] === '-' ? -1n : 1n);
  if (n > 0x7fffffffffffffffn || n < -0x8000000000000000n) return 0n;
  return n;
}

/** strconv.Atoi, keeping the clamped value on range errors like sprig does. */
export function atoi(s: string): bigint {
  const m = /^([+-]?)([0-9]+)$/.exec(s);
  if (!m) return 0n;
  const n = BigInt(m[2]!) * (m[1] === '-' ? -1n : 1n);
  if (n > 0x7fffffffffffffffn) return 0x7fffffffffffffffn;
  if (n < -0x8000000000000000n) return -0x8000000000000000n;
  return n;
}

const IF = 'interface {}';

export function mathFuncs(): FuncMap {
  const div0 = (b: bigint): bigint => { if (b === 0n) throw new GoError('runtime error: integer divide by zero'); return b; };
  const dec = (f: DecOp) => (a: Value, ...v: Value[]) => execDecimalOp(a, v, f);
  return {
    add1: fn(`func(${IF}) int64`, (i: Value) => wrap64(toInt64(i) + 1n)),
    add: fn(`func(...${IF}) int64`, (...i: Value[]) => i.reduce<bigint>((a, b) => wrap64(a + toInt64(b)), 0n)),
    sub: fn(`func(${IF}, ${IF}) int64`, (a: Value, b: Value) => wrap64(toInt64(a) - toInt64(b))),
    div: fn(`func(${IF}, ${IF}) int64`, (a: Value, b: Value) => wrap64(toInt64(a) / div0(toInt64(b)))),
    mod: fn(`func(${IF}, ${IF}) int64`, (a: Value, b: Value) => wrap64(toInt64(a) % div0(toInt64(b)))),
    mul: fn(`func(${IF}, ...${IF}) int64`, (a: Value, ...v: Value[]) => v.reduce<bigint>((x, b) => wrap64(x * toInt64(b)), toInt64(a))),
    randInt: fn('func(int, int) int', (min: bigint, max: bigint) => {
      const n = max - min;
      if (n <= 0n) throw new GoError('invalid argument to Intn');
      noteRandomDraw();
      return BigInt(Math.floor(Math.random() * Number(n))) + min;
    }),
    add1f: fn(`func(${IF}) float64`, (i: Value) => execDecimalOp(i, [1n], decAdd)),
    addf: fn(`func(...${IF}) float64`, (...i: Value[]) => execDecimalOp(0, i, decAdd)),
    subf: fn(`func(${IF}, ...${IF}) float64`, dec(decSub)),
    divf: fn(`func(${IF}, ...${IF}) float64`, dec(decDiv)),
    mulf: fn(`func(${IF}, ...${IF}) float64`, dec(decMul)),
    biggest: fn(`func(${IF}, ...${IF}) int64`, (a: Value, ...i: Value[]) => i.reduce<bigint>((x, b) => { const y = toInt64(b); return y > x ? y : x; }, toInt64(a))),
    max: fn(`func(${IF}, ...${IF}) int64`, (a: Value, ...i: Value[]) => i.reduce<bigint>((x, b) => { const y = toInt64(b); return y > x ? y : x; }, toInt64(a))),
    min: fn(`func(${IF}, ...${IF}) int64`, (a: Value, ...i: Value[]) => i.reduce<bigint>((x, b) => { const y = toInt64(b); return y < x ? y : x; }, toInt64(a))),
    maxf: fn(`func(${IF}, ...${IF}) float64`, (a: Value, ...i: Value[]) => i.reduce<number>((x, b) => Math.max(x, toFloat64(b)), toFloat64(a))),
    minf: fn(`func(${IF}, ...${IF}) float64`, (a: Value, ...i: Value[]) => i.reduce<number>((x, b) => Math.min(x, toFloat64(b)), toFloat64(a))),
    ceil: fn(`func(${IF}) float64`, (a: Value) => Math.ceil(toFloat64(a))),
    floor: fn(`func(${IF}) float64`, (a: Value) => Math.floor(toFloat64(a))),
    round: fn(`func(${IF}, int, ...float64) float64`, (a: Value, p: bigint, ...r: number[]) => round(a, p, r)),
    seq: fn('func(...int) string', (...p: bigint[]) => seq(p)),
  };
}

export function conversionFuncs(): FuncMap {
  return {
    atoi: fn('func(string) int', atoi),
    int64: fn(`func(${IF}) int64`, (v: Value) => toInt64(v)),
    int: fn(`func(${IF}) int`, (v: Value) => toInt64(v)),
    float64: fn(`func(${IF}) float64`, (v: Value) => toFloat64(v)),
    toDecimal: fn(`func(${IF}) int64`, toDecimal),
  };
}
