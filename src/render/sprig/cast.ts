/**
 * spf13/cast v1.7.0 (the version helm v4.1.4 links) conversions that sprig uses:
 * ToInt64, ToInt, ToFloat64 (errors are swallowed to 0 by the non-E variants).
 *
 * Go's type switch matches exact types only: named types (other than time.Month and
 * time.Weekday) fall to the default case and convert to 0. Float to int conversion
 * follows amd64 (truncation; NaN and out-of-range give math.MinInt64).
 */
import { GoScalar, T, type Value } from '../template/index.js';
import { parseFloat64, parseInt0 } from '../template/strconv.js';

const MIN_INT64 = -(1n << 63n);

/** Go's int64(f) on amd64. */
export function floatToInt64(f: number): bigint {
  if (!Number.isFinite(f) || f >= 9223372036854775808 || f < -9223372036854775808) return MIN_INT64;
  return BigInt(Math.trunc(f));
}

/** cast's trimZeroDecimal: "12.000" → "12" (only all-zero decimals). */
export function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    switch (s[i - 1]) {
      case '.':
        if (foundZero) return s.slice(0, i - 1);
        break;
      case '0':
        foundZero = true;
        break;
      default:
        return s;
    }
  }
  return s;
}

/** The Go type name of an exact basic type, or null for named/other types. */
function basicName(v: Value): string | null {
  if (v === undefined || v === null) return 'nil';
  switch (typeof v) {
    case 'bigint': return 'int';
    case 'number': return 'float64';
    case 'string': return 'string';
    case 'boolean': return 'bool';
  }
  if (v instanceof GoScalar) {
    if (v.type.name === 'time.Month' || v.type.name === 'time.Weekday') return 'int';
    if (v.type.named) return null;
    return v.type.name;
  }
  return null;
}

/** cast.ToInt64E; throws on failure with cast's message. */
export function toInt64E(v: Value): bigint {
  const n = basicName(v);
  switch (n) {
    case 'nil': return 0n;
    case 'int': case 'int64': case 'int32': case 'int16': case 'int8':
    case 'uint': case 'uint64': case 'uint32': case 'uint16': case 'uint8': case 'uintptr': {
      const x = typeof v === 'bigint' ? v : ((v as GoScalar).v as bigint);
      return BigInt.asIntN(64, x);
    }
    case 'float64': case 'float32':
      return floatToInt64(typeof v === 'number' ? v : ((v as GoScalar).v as number));
    case 'string': {
      const r = parseInt0(trimZeroDecimal(v as string));
      if (r !== null) return r;
      throw new Error(`unable to cast ${JSON.stringify(v)} of type string to int64`);
    }
    case 'bool': return v === true ? 1n : 0n;
  }
  throw new Error('unable to cast to int64');
}

export function toInt64(v: Value): bigint {
  try { return toInt64E(v); } catch { return 0n; }
}

/** cast.ToInt (Go int is 64-bit here). */
export const toInt = toInt64;

/** cast.ToFloat64E. */
export function toFloat64E(v: Value): number {
  const n = basicName(v);
  switch (n) {
    case 'nil': return 0;
    case 'int': case 'int64': case 'int32': case 'int16': case 'int8':
      return Number(typeof v === 'bigint' ? v : ((v as GoScalar).v as bigint));
    case 'uint': case 'uint64': case 'uint32': case 'uint16': case 'uint8': case 'uintptr':
      return Number(BigInt.asUintN(64, (v as GoScalar).v as bigint));
    case 'float64': return v as number;
    case 'float32': return (v as GoScalar).v as number;
    case 'string': {
      const r = parseFloat64(v as string);
      if (r !== null) return r;
      throw new Error(`unable to cast ${JSON.stringify(v)} of type string to float64`);
    }
    case 'bool': return v === true ? 1 : 0;
  }
  throw new Error('unable to cast to float64');
}

export function toFloat64(v: Value): number {
  try { return toFloat64E(v); } catch { return 0; }
}

export { T };
