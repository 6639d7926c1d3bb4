/**
 * sprig's date.go over a port of the parts of Go's time package it needs: time.Time as a
 * template value (with String, Format, Unix, Year, ... methods), Format and
 * ParseInLocation with Go's reference-time layouts ("2006-01-02T15:04:05Z07:00"),
 * Duration (String, ParseDuration), time zones (zoneinfo.ts), and the functions now,
 * date, dateInZone, htmlDate, htmlDateInZone, dateModify, toDate, unixEpoch, ago,
 * duration, durationRound and their aliases / must variants.
 */
import {
  GoError, GoScalar, GoStruct, T, namedType, structType, typeOf,
  type FuncMap, type GoMethod, type GoType, type GoValue, type Value,
} from '../template/index.js';
import { jsonMarshalers, jsonString } from './json.js';
import { fn, registerType, structEquals } from './util.js';
import { DAYS_BEFORE, Location, UTC, civilFromDays, daysFromCivil, daysIn, fixedZone, isLeap, loadLocation, local } from './zoneinfo.js';
import { ambientReads } from './ambient.js';

// ---------------------------------------------------------------------------
// Time values

export interface GoTime {
  /** Seconds since the Unix epoch. */
  sec: number;
  /** Nanoseconds within the second, 0..999999999. */
  nsec: number;
  loc: Location;
  /** Monotonic clock reading in ns (only from `now`), or null. */
  mono: bigint | null;
}

const timeData = new WeakMap<object, GoTime>();

const methods: Record<string, GoMethod> = {};
export const timeType: GoType = structType('time.Time', [['wall', T.uint64], ['ext', T.int64], ['loc', T.iface]], methods);
export const durationType: GoType = namedType('time.Duration', T.int64);
export const monthType: GoType = namedType('time.Month', T.int);
export const weekdayType: GoType = namedType('time.Weekday', T.int);
registerType('time.Time', timeType);
registerType('time.Duration', durationType);
registerType('time.Month', monthType);
registerType('time.Weekday', weekdayType);

export function timeValue(t: GoTime): GoStruct {
  const fields = {};
  timeData.set(fields, t);
  return new GoStruct(timeType, fields);
}

export function timeOf(v: GoValue): GoTime | null {
  if (v instanceof GoStruct && v.structType === timeType) {
    return timeData.get(v.fields) ?? { sec: -62135596800, nsec: 0, loc: UTC, mono: null };
  }
  return null;
}

structEquals.set(timeType, (a, b) => {
  const x = timeOf(a)!;
  const y = timeOf(b)!;
  return x.sec === y.sec && x.nsec === y.nsec && x.loc === y.loc && x.mono === y.mono;
});

const ZERO_SEC = -62135596800;
const processStart = process.hrtime.bigint();

export function now(): GoTime {
  ambientReads.count++;
  const ns = BigInt(Date.now()) * 1000000n + (process.hrtime.bigint() % 1000000n);
  return { sec: Number(ns / 1000000000n), nsec: Number(ns % 1000000000n), loc: local(), mono: process.hrtime.bigint() - processStart + 1n };
}

// ---------------------------------------------------------------------------
// Calendar

interface Civil { year: number; month: number; day: number; hour: number; min: number; sec: number; yday: number; wday: number; zone: string; offset: number }

export function civil(t: GoTime): Civil {
  const z = t.loc.lookup(t.sec);
  const local = t.sec + z.offset;
  const days = Math.floor(local / 86400);
  const rem = local - days * 86400;
  const [year, month, day] = civilFromDays(days);
  return {
    year, month, day,
    hour: Math.floor(rem / 3600), min: Math.floor((rem % 3600) / 60), sec: rem % 60,
    yday: days - daysFromCivil(year, 1, 1) + 1,
    wday: (((days + 4) % 7) + 7) % 7,
    zone: z.name, offset: z.offset,
  };
}

/** time.Date with Go's normalisation. */
export function date(year0: number, month0: number, day: number, hour: number, min: number, sec0: number, nsec0: number, loc: Location): GoTime {
  let m = month0 - 1;
  let year = year0 + Math.floor(m / 12);
  m = ((m % 12) + 12) % 12;
  let sec = sec0 + Math.floor(nsec0 / 1e9);
  const nsec = ((nsec0 % 1e9) + 1e9) % 1e9;
  void year;
  const days = daysFromCivil(year, m + 1, 1) + day - 1;
  let unix = days * 86400 + hour * 3600 + min * 60 + sec;
  const z = loc.lookup(unix);
  if (z.offset !== 0) {
    const utc = unix - z.offset;
    let off = z.offset;
    if (utc < z.start || utc >= z.end) off = loc.lookup(utc).offset;
    unix -= off;
  }
  year = 0;
  sec = 0;
  return { sec: unix, nsec, loc, mono: null };
}

// ---------------------------------------------------------------------------
// Format

const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const SHORT_DAYS = LONG_DAYS.map((d) => d.slice(0, 3));
const SHORT_MONTHS = LONG_MONTHS.map((m) => m.slice(0, 3));

type Std =
  | 'none' | 'LongMonth' | 'Month' | 'NumMonth' | 'ZeroMonth' | 'LongWeekDay' | 'WeekDay' | 'Day' | 'UnderDay' | 'ZeroDay'
  | 'UnderYearDay' | 'ZeroYearDay' | 'Hour' | 'Hour12' | 'ZeroHour12' | 'Minute' | 'ZeroMinute' | 'Second' | 'ZeroSecond'
  | 'LongYear' | 'Year' | 'PM' | 'pm' | 'TZ' | 'ISO8601TZ' | 'ISO8601SecondsTZ' | 'ISO8601ShortTZ' | 'ISO8601ColonTZ'
  | 'ISO8601ColonSecondsTZ' | 'NumTZ' | 'NumSecondsTz' | 'NumShortTZ' | 'NumColonTZ' | 'NumColonSecondsTZ'
  | 'FracSecond0' | 'FracSecond9';

interface Chunk { prefix: string; std: Std; digits: number; sep: string; suffix: string }

const isDigitAt = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

function nextStdChunk(layout: string): Chunk {
  const r = (i: number, std: Std, len: number, extra: Partial<Chunk> = {}): Chunk =>
    ({ prefix: layout.slice(0, i), std, digits: 0, sep: '', suffix: layout.slice(i + len), ...extra });
  const at = (i: number, s: string): boolean => layout.startsWith(s, i);
  const lowerAt = (i: number): boolean => i < layout.length && layout.charCodeAt(i) >= 97 && layout.charCodeAt(i) <= 122;
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i]!;
    switch (c) {
      case 'J':
        if (at(i, 'Jan')) {
          if (at(i, 'January')) return r(i, 'LongMonth', 7);
          if (!lowerAt(i + 3)) return r(i, 'Month', 3);
        }
        break;
      case 'M':
        if (at(i, 'Mon')) {
          if (at(i, 'Monday')) return r(i, 'LongWeekDay', 6);
          if (!lowerAt(i + 3)) return r(i, 'WeekDay', 3);
        }
        if (at(i, 'MST')) return r(i, 'TZ', 3);
        break;
      case '0': {
        const n = layout[i + 1];
        if (n !== undefined && n >= '1' && n <= '6') {
          return r(i, (['ZeroMonth', 'ZeroDay', 'ZeroHour12', 'ZeroMinute', 'ZeroSecond', 'Year'] as Std[])[Number(n) - 1]!, 2);
        }
        if (at(i, '002')) return r(i, 'ZeroYearDay', 3);
        break;
      }
      case '1':
        if (layout[i + 1] === '5') return r(i, 'Hour', 2);
        return r(i, 'NumMonth', 1);
      case '2':
        if (at(i, '2006')) return r(i, 'LongYear', 4);
        return r(i, 'Day', 1);
      case '_':
        if (layout[i + 1] === '2') {
          if (at(i + 1, '2006')) return { prefix: layout.slice(0, i + 1), std: 'LongYear', digits: 0, sep: '', suffix: layout.slice(i + 5) };
          return r(i, 'UnderDay', 2);
        }
        if (at(i, '__2')) return r(i, 'UnderYearDay', 3);
        break;
      case '3': return r(i, 'Hour12', 1);
      case '4': return r(i, 'Minute', 1);
      case '5': return r(i, 'Second', 1);
      case 'P': if (layout[i + 1] === 'M') return r(i, 'PM', 2); break;
      case 'p': if (layout[i + 1] === 'm') return r(i, 'pm', 2); break;
      case '-':
        if (at(i, '-070000')) return r(i, 'NumSecondsTz', 7);
        if (at(i, '-07:00:00')) return r(i, 'NumColonSecondsTZ', 9);
        if (at(i, '-0700')) return r(i, 'NumTZ', 5);
        if (at(i, '-07:00')) return r(i, 'NumColonTZ', 6);
        if (at(i, '-07')) return r(i, 'NumShortTZ', 3);
        break;
      case 'Z':
        if (at(i, 'Z070000')) return r(i, 'ISO8601SecondsTZ', 7);
        if (at(i, 'Z07:00:00')) return r(i, 'ISO8601ColonSecondsTZ', 9);
        if (at(i, 'Z0700')) return r(i, 'ISO8601TZ', 5);
        if (at(i, 'Z07:00')) return r(i, 'ISO8601ColonTZ', 6);
        if (at(i, 'Z07')) return r(i, 'ISO8601ShortTZ', 3);
        break;
      case '.': case ',': {
        const ch = layout[i + 1];
        if (ch === '0' || ch === '9') {
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          if (!isDigitAt(layout, j)) {
            return { prefix: layout.slice(0, i), std: ch === '0' ? 'FracSecond0' : 'FracSecond9', digits: j - (i + 1), sep: c, suffix: layout.slice(j) };
          }
        }
        break;
      }
    }
  }
  return { prefix: layout, std: 'none', digits: 0, sep: '', suffix: '' };
}

function pad(x: number, width: number): string {
  const neg = x < 0;
  const s = String(Math.abs(x)).padStart(width, '0');
  return neg ? '-' + s : s;
}

function appendNano(nsec: number, c: Chunk): string {
  const trim = c.std === 'FracSecond9';
  const n = c.digits;
  if (trim && (n === 0 || nsec === 0)) return '';
  let b = c.sep + pad(nsec, 9);
  if (n < 9) b = b.slice(0, b.length - 9 + n);
  if (trim) {
    b = b.replace(/0+$/, '');
    if (b === c.sep) b = '';
  }
  return b;
}

/** Time.Format. */
export function format(t: GoTime, layout0: string): string {
  const cv = civil(t);
  let layout = layout0;
  let out = '';
  for (;;) {
    const c = nextStdChunk(layout);
    out += c.prefix;
    if (c.std === 'none') break;
    layout = c.suffix;
    switch (c.std) {
      case 'Year': out += pad(Math.abs(cv.year) % 100, 2); break;
      case 'LongYear': out += pad(cv.year, 4); break;
      case 'Month': out += SHORT_MONTHS[cv.month - 1]; break;
      case 'LongMonth': out += LONG_MONTHS[cv.month - 1]; break;
      case 'NumMonth': out += cv.month; break;
      case 'ZeroMonth': out += pad(cv.month, 2); break;
      case 'WeekDay': out += SHORT_DAYS[cv.wday]; break;
      case 'LongWeekDay': out += LONG_DAYS[cv.wday]; break;
      case 'Day': out += cv.day; break;
      case 'UnderDay': out += (cv.day < 10 ? ' ' : '') + cv.day; break;
      case 'ZeroDay': out += pad(cv.day, 2); break;
      case 'UnderYearDay': out += (cv.yday < 100 ? (cv.yday < 10 ? '  ' : ' ') : '') + cv.yday; break;
      case 'ZeroYearDay': out += pad(cv.yday, 3); break;
      case 'Hour': out += pad(cv.hour, 2); break;
      case 'Hour12': out += cv.hour % 12 === 0 ? 12 : cv.hour % 12; break;
      case 'ZeroHour12': out += pad(cv.hour % 12 === 0 ? 12 : cv.hour % 12, 2); break;
      case 'Minute': out += cv.min; break;
      case 'ZeroMinute': out += pad(cv.min, 2); break;
      case 'Second': out += cv.sec; break;
      case 'ZeroSecond': out += pad(cv.sec, 2); break;
      case 'PM': out += cv.hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += cv.hour >= 12 ? 'pm' : 'am'; break;
      case 'TZ':
        if (cv.zone !== '') { out += cv.zone; break; }
        {
          let zone = Math.trunc(cv.offset / 60);
          if (zone < 0) { out += '-'; zone = -zone; } else out += '+';
          out += pad(Math.trunc(zone / 60), 2) + pad(zone % 60, 2);
        }
        break;
      case 'FracSecond0': case 'FracSecond9': out += appendNano(t.nsec, c); break;
      default: {
        const std = c.std;
        const iso = std.startsWith('ISO8601');
        if (cv.offset === 0 && iso) { out += 'Z'; break; }
        let zone = Math.trunc(cv.offset / 60);
        let absoffset = cv.offset;
        if (zone < 0) { out += '-'; zone = -zone; absoffset = -absoffset; } else out += '+';
        out += pad(Math.trunc(zone / 60), 2);
        const colon = std === 'ISO8601ColonTZ' || std === 'NumColonTZ' || std === 'ISO8601ColonSecondsTZ' || std === 'NumColonSecondsTZ';
        if (colon) out += ':';
        if (std !== 'NumShortTZ' && std !== 'ISO8601ShortTZ') out += pad(zone % 60, 2);
        if (std === 'ISO8601SecondsTZ' || std === 'NumSecondsTz' || std === 'NumColonSecondsTZ' || std === 'ISO8601ColonSecondsTZ') {
          if (std === 'NumColonSecondsTZ' || std === 'ISO8601ColonSecondsTZ') out += ':';
          out += pad(absoffset % 60, 2);
        }
      }
    }
  }
  return out;
}

/** Time.String (with the monotonic clock reading, like Go). */
export function timeString(t: GoTime): string {
  let s = format(t, '2006-01-02 15:04:05.999999999 -0700 MST');
  if (t.mono !== null) {
    const m = t.mono;
    const sign = m < 0n ? '-' : '+';
    const a = m < 0n ? -m : m;
    s += ` m=${sign}${a / 1000000000n}.${String(a % 1000000000n).padStart(9, '0')}`;
  }
  return s;
}

// ---------------------------------------------------------------------------
// Parse

/** time's quote. */
export function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x80 || c < 0x20) {
      for (const b of Buffer.from(ch, 'utf8')) out += '\\x' + b.toString(16).padStart(2, '0');
    } else {
      if (ch === '"' || ch === '\\') out += '\\';
      out += ch;
    }
  }
  return out + '"';
}

class ParseError extends GoError {}

function parseErr(layout: string, value: string, layoutElem: string, valueElem: string, message: string): ParseError {
  if (message === '') {
    return new ParseError(`parsing time ${timeQuote(value)} as ${timeQuote(layout)}: cannot parse ${timeQuote(valueElem)} as ${timeQuote(layoutElem)}`);
  }
  return new ParseError(`parsing time ${timeQuote(value)}${message}`);
}

const BAD = Symbol('bad');

function cutspace(s: string): string {
  let i = 0;
  while (i < s.length && s[i] === ' ') i++;
  return s.slice(i);
}

function skip(value0: string, prefix0: string): string | typeof BAD {
  let value = value0;
  let prefix = prefix0;
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (value.length > 0 && value[0] !== ' ') return BAD;
      prefix = cutspace(prefix);
      value = cutspace(value);
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) return BAD;
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return value;
}

function getnum(s: string, fixed: boolean): [number, string] | null {
  if (!isDigitAt(s, 0)) return null;
  if (!isDigitAt(s, 1)) {
    if (fixed) return null;
    return [s.charCodeAt(0) - 48, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 48) * 10 + s.charCodeAt(1) - 48, s.slice(2)];
}

function getnum3(s: string, fixed: boolean): [number, string] | null {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(s, i); i++) n = n * 10 + s.charCodeAt(i) - 48;
  if (i === 0 || (fixed && i !== 3)) return null;
  return [n, s.slice(i)];
}

function lookupName(tab: string[], val: string): [number, string] | null {
  for (let i = 0; i < tab.length; i++) {
    const v = tab[i]!;
    if (val.length >= v.length && val.slice(0, v.length).toLowerCase() === v.toLowerCase() && /^[\x20-\x7e]*$/.test(val.slice(0, v.length))) {
      return [i, val.slice(v.length)];
    }
  }
  return null;
}

function atoi(s0: string): number | null {
  let s = s0;
  let neg = false;
  if (s.length > 0 && (s[0] === '-' || s[0] === '+')) { neg = s[0] === '-'; s = s.slice(1); }
  if (!/^[0-9]+$/.test(s)) return null;
  const x = Number(s);
  return neg ? -x : x;
}

function parseNanoseconds(value: string, nbytes0: number): { ns: number; range: string } | null {
  if (value[0] !== '.' && value[0] !== ',') return null;
  let nbytes = nbytes0;
  let v = value;
  if (nbytes > 10) { v = v.slice(0, 10); nbytes = 10; }
  const ns0 = atoi(v.slice(1, nbytes));
  if (ns0 === null) return null;
  if (ns0 < 0) return { ns: 0, range: 'fractional second' };
  return { ns: ns0 * 10 ** (10 - nbytes), range: '' };
}

function parseSignedOffset(value: string): number {
  const sign = value[0];
  if (sign !== '-' && sign !== '+') return 0;
  const m = /^[0-9]+/.exec(value.slice(1));
  if (!m || m[0].length > 19) return 0;
  const x = Number(m[0]);
  if (x > 23) return 0;
  return 1 + m[0].length;
}

function parseTimeZone(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith('ChST') || value.startsWith('MeST')) return 4;
  if (value.startsWith('GMT')) {
    const rest = value.slice(3);
    if (rest.length === 0) return 3;
    return 3 + parseSignedOffset(rest);
  }
  if (value[0] === '+' || value[0] === '-') return parseSignedOffset(value);
  let nUpper = 0;
  for (; nUpper < 6; nUpper++) {
    if (nUpper >= value.length) break;
    const c = value.charCodeAt(nUpper);
    if (c < 65 || c > 90) break;
  }
  switch (nUpper) {
    case 5: return value[4] === 'T' ? 5 : 0;
    case 4: return value[3] === 'T' || value.startsWith('WITA') ? 4 : 0;
    case 3: return 3;
  }
  return 0;
}

/** time.ParseInLocation. Throws GoError with Go's message. */
/** time.Parse's state while it walks the layout: what the value said so far. */
interface ParseState {
  value: string;
  rangeErr: string;
  bad: boolean;
  amSet: boolean;
  pmSet: boolean;
  year: number; month: number; day: number; yday: number;
  hour: number; min: number; sec: number; nsec: number;
  z: Location | null;
  zoneOffset: number;
  zoneName: string;
}

/** A number of one or two digits (exactly two when `fixed`) off the value. */
function num2(st: ParseState, fixed: boolean): number {
  const r = getnum(st.value, fixed);
  if (!r) { st.bad = true; return 0; }
  st.value = r[1];
  return r[0];
}

/** Go's time.Parse (time/format.go parse). */
export function parseTime(layout0: string, value0: string, defaultLoc: Location, localLoc: Location): GoTime {
  const st: ParseState = {
    value: value0, rangeErr: '', bad: false, amSet: false, pmSet: false,
    year: 0, month: -1, day: -1, yday: -1, hour: 0, min: 0, sec: 0, nsec: 0, z: null, zoneOffset: -1, zoneName: '',
  };
  let layout = layout0;
  for (;;) {
    const c = nextStdChunk(layout);
    const stdstr = layout.slice(c.prefix.length, layout.length - c.suffix.length);
    const sk = skip(st.value, c.prefix);
    if (sk === BAD) throw parseErr(layout0, value0, c.prefix, st.value, '');
    st.value = sk;
    if (c.std === 'none') {
      if (st.value.length !== 0) throw parseErr(layout0, value0, '', st.value, `: extra text: ${timeQuote(st.value)}`);
      break;
    }
    layout = c.suffix;
    const hold = st.value;
    st.bad = false;
    parseElement(st, c, layout);
    if (st.rangeErr !== '') throw parseErr(layout0, value0, stdstr, st.value, `: ${st.rangeErr} out of range`);
    if (st.bad) throw parseErr(layout0, value0, stdstr, hold, '');
  }
  if (st.pmSet && st.hour < 12) st.hour += 12;
  else if (st.amSet && st.hour === 12) st.hour = 0;
  resolveDay(st, layout0, value0);
  return timeIn(st, defaultLoc, localLoc);
}

/** One layout element (`c`) read off the value; `layout` is what follows it. */
function parseElement(st: ParseState, c: ReturnType<typeof nextStdChunk>, layout: string): void {
  switch (c.std) {
    case 'Year': {
      if (st.value.length < 2) { st.bad = true; break; }
      const p = st.value.slice(0, 2);
      st.value = st.value.slice(2);
      const y = atoi(p);
      if (y === null) { st.bad = true; break; }
      st.year = y >= 69 ? y + 1900 : y + 2000;
      break;
    }
    case 'LongYear': {
      if (st.value.length < 4 || !isDigitAt(st.value, 0)) { st.bad = true; break; }
      const y = atoi(st.value.slice(0, 4));
      st.value = st.value.slice(4);
      if (y === null) { st.bad = true; break; }
      st.year = y;
      break;
    }
    case 'Month': case 'LongMonth': {
      const r = lookupName(c.std === 'Month' ? SHORT_MONTHS : LONG_MONTHS, st.value);
      if (!r) { st.bad = true; break; }
      st.month = r[0] + 1;
      st.value = r[1];
      break;
    }
    case 'NumMonth': case 'ZeroMonth':
      st.month = num2(st, c.std === 'ZeroMonth');
      if (!st.bad && (st.month <= 0 || st.month > 12)) st.rangeErr = 'month';
      break;
    case 'WeekDay': case 'LongWeekDay': {
      const r = lookupName(c.std === 'WeekDay' ? SHORT_DAYS : LONG_DAYS, st.value);
      if (!r) { st.bad = true; break; }
      st.value = r[1];
      break;
    }
    case 'Day': case 'UnderDay': case 'ZeroDay':
      if (c.std === 'UnderDay' && st.value[0] === ' ') st.value = st.value.slice(1);
      st.day = num2(st, c.std === 'ZeroDay');
      break;
    case 'UnderYearDay': case 'ZeroYearDay': {
      for (let i = 0; i < 2; i++) if (c.std === 'UnderYearDay' && st.value[0] === ' ') st.value = st.value.slice(1);
      const r = getnum3(st.value, c.std === 'ZeroYearDay');
      if (!r) { st.bad = true; break; }
      [st.yday, st.value] = r;
      break;
    }
    case 'Hour':
      st.hour = num2(st, false);
      if (st.hour < 0 || st.hour >= 24) st.rangeErr = 'hour';
      break;
    case 'Hour12': case 'ZeroHour12':
      st.hour = num2(st, c.std === 'ZeroHour12');
      if (st.hour < 0 || st.hour > 12) st.rangeErr = 'hour';
      break;
    case 'Minute': case 'ZeroMinute':
      st.min = num2(st, c.std === 'ZeroMinute');
      if (st.min < 0 || st.min >= 60) st.rangeErr = 'minute';
      break;
    case 'Second': case 'ZeroSecond': {
      st.sec = num2(st, c.std === 'ZeroSecond');
      if (st.bad) break;
      if (st.sec < 0 || st.sec >= 60) { st.rangeErr = 'second'; break; }
      if (st.value.length >= 2 && (st.value[0] === '.' || st.value[0] === ',') && isDigitAt(st.value, 1)) {
        const nx = nextStdChunk(layout);
        if (nx.std === 'FracSecond0' || nx.std === 'FracSecond9') break;
        let n = 2;
        while (n < st.value.length && isDigitAt(st.value, n)) n++;
        const r = parseNanoseconds(st.value, n);
        if (!r) { st.bad = true; break; }
        st.nsec = r.ns;
        st.rangeErr = r.range;
        st.value = st.value.slice(n);
      }
      break;
    }
    case 'PM': case 'pm': {
      if (st.value.length < 2) { st.bad = true; break; }
      const p = st.value.slice(0, 2);
      st.value = st.value.slice(2);
      const [P, A] = c.std === 'PM' ? ['PM', 'AM'] : ['pm', 'am'];
      if (p === P) st.pmSet = true;
      else if (p === A) st.amSet = true;
      else st.bad = true;
      break;
    }
    case 'TZ': {
      if (st.value.startsWith('UTC')) { st.z = UTC; st.value = st.value.slice(3); break; }
      const n = parseTimeZone(st.value);
      if (n === 0) { st.bad = true; break; }
      st.zoneName = st.value.slice(0, n);
      st.value = st.value.slice(n);
      break;
    }
    case 'FracSecond0': {
      const ndigit = 1 + c.digits;
      if (st.value.length < ndigit) { st.bad = true; break; }
      const r = parseNanoseconds(st.value, ndigit);
      if (!r) { st.bad = true; break; }
      st.nsec = r.ns;
      st.rangeErr = r.range;
      st.value = st.value.slice(ndigit);
      break;
    }
    case 'FracSecond9': {
      if (st.value.length < 2 || (st.value[0] !== '.' && st.value[0] !== ',') || !isDigitAt(st.value, 1)) break;
      let i = 0;
      while (i + 1 < st.value.length && isDigitAt(st.value, i + 1)) i++;
      const r = parseNanoseconds(st.value, 1 + i);
      if (!r) { st.bad = true; break; }
      st.nsec = r.ns;
      st.rangeErr = r.range;
      st.value = st.value.slice(1 + i);
      break;
    }
    default:
      parseNumericZone(st, c.std);
  }
}

/** The numeric time zone forms (Z0700, -07:00, -07, ...). */
function parseNumericZone(st: ParseState, std: string): void {
  if (std.startsWith('ISO8601') && st.value[0] === 'Z') { st.value = st.value.slice(1); st.z = UTC; return; }
  let sign: string; let hh: string; let mm: string; let ss: string;
  if (std === 'ISO8601ColonTZ' || std === 'NumColonTZ') {
    if (st.value.length < 6 || st.value[3] !== ':') { st.bad = true; return; }
    [sign, hh, mm, ss, st.value] = [st.value[0]!, st.value.slice(1, 3), st.value.slice(4, 6), '00', st.value.slice(6)];
  } else if (std === 'NumShortTZ' || std === 'ISO8601ShortTZ') {
    if (st.value.length < 3) { st.bad = true; return; }
    [sign, hh, mm, ss, st.value] = [st.value[0]!, st.value.slice(1, 3), '00', '00', st.value.slice(3)];
  } else if (std === 'ISO8601ColonSecondsTZ' || std === 'NumColonSecondsTZ') {
    if (st.value.length < 9 || st.value[3] !== ':' || st.value[6] !== ':') { st.bad = true; return; }
    [sign, hh, mm, ss, st.value] = [st.value[0]!, st.value.slice(1, 3), st.value.slice(4, 6), st.value.slice(7, 9), st.value.slice(9)];
  } else if (std === 'ISO8601SecondsTZ' || std === 'NumSecondsTz') {
    if (st.value.length < 7) { st.bad = true; return; }
    [sign, hh, mm, ss, st.value] = [st.value[0]!, st.value.slice(1, 3), st.value.slice(3, 5), st.value.slice(5, 7), st.value.slice(7)];
  } else {
    if (st.value.length < 5) { st.bad = true; return; }
    [sign, hh, mm, ss, st.value] = [st.value[0]!, st.value.slice(1, 3), st.value.slice(3, 5), '00', st.value.slice(5)];
  }
  const h = getnum(hh, true);
  const m = h && getnum(mm, true);
  const s = m && getnum(ss, true);
  if (!h || !m || !s) { st.bad = true; return; }
  if (h[0] > 24) st.rangeErr = 'time zone offset hour';
  if (m[0] > 60) st.rangeErr = 'time zone offset minute';
  if (s[0] > 60) st.rangeErr = 'time zone offset second';
  st.zoneOffset = (h[0] * 60 + m[0]) * 60 + s[0];
  if (sign === '-') st.zoneOffset = -st.zoneOffset;
  else if (sign !== '+') st.bad = true;
}

/** Month and day from a day of the year, checked against month and day when both were given. */
function resolveDay(st: ParseState, layout0: string, value0: string): void {
  if (st.yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(st.year)) {
      if (st.yday === 31 + 29) { m = 2; d = 29; } else if (st.yday > 31 + 29) st.yday--;
    }
    if (st.yday < 1 || st.yday > 365) throw parseErr(layout0, value0, '', st.value, ': day-of-year out of range');
    if (m === 0) {
      m = Math.floor((st.yday - 1) / 31) + 1;
      if (DAYS_BEFORE[m]! < st.yday) m++;
      d = st.yday - DAYS_BEFORE[m - 1]!;
    }
    if (st.month >= 0 && st.month !== m) throw parseErr(layout0, value0, '', st.value, ': day-of-year does not match month');
    st.month = m;
    if (st.day >= 0 && st.day !== d) throw parseErr(layout0, value0, '', st.value, ': day-of-year does not match day');
    st.day = d;
  } else {
    if (st.month < 0) st.month = 1;
    if (st.day < 0) st.day = 1;
  }
  if (st.day < 1 || st.day > daysIn(st.month, st.year)) throw parseErr(layout0, value0, '', st.value, ': day out of range');
}

/** The time in its location: explicit UTC, a numeric offset, a zone name, or the default. */
function timeIn(st: ParseState, defaultLoc: Location, localLoc: Location): GoTime {
  const { year, month, day, hour, min, sec, nsec, z, zoneOffset, zoneName } = st;
  if (z) return date(year, month, day, hour, min, sec, nsec, z);
  if (zoneOffset !== -1) {
    const t = date(year, month, day, hour, min, sec, nsec, UTC);
    t.sec -= zoneOffset;
    const l = localLoc.lookup(t.sec);
    if (l.offset === zoneOffset && (zoneName === '' || l.name === zoneName)) return { ...t, loc: localLoc };
    return { ...t, loc: fixedZone(zoneName, zoneOffset) };
  }
  if (zoneName !== '') {
    const t = date(year, month, day, hour, min, sec, nsec, UTC);
    const offset = localLoc.lookupName(zoneName, t.sec);
    if (offset !== null) return { ...t, sec: t.sec - offset, loc: localLoc };
    let off = 0;
    if (zoneName.length > 3 && zoneName.startsWith('GMT')) off = (atoi(zoneName.slice(3)) ?? 0) * 3600;
    return { ...t, loc: fixedZone(zoneName, off) };
  }
  return date(year, month, day, hour, min, sec, nsec, defaultLoc);
}

// ---------------------------------------------------------------------------
// Durations

const SECOND = 1000000000n;
const UNITS: Record<string, bigint> = {
  ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1000000n, s: SECOND, m: 60n * SECOND, h: 3600n * SECOND,
};

function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let s = '';
  let print = false;
  let u = v;
  for (let i = 0; i < prec; i++) {
    const digit = u % 10n;
    print = print || digit !== 0n;
    if (print) s = String(digit) + s;
    u /= 10n;
  }
  if (print) s = '.' + s;
  return [s, u];
}

/** Duration.String. */
export function durationString(d: bigint): string {
  const neg = d < 0n;
  let u = neg ? -d : d;
  u = BigInt.asUintN(64, u);
  let out: string;
  if (u < SECOND) {
    if (u === 0n) return '0s';
    let prec: number;
    let unit: string;
    if (u < 1000n) { prec = 0; unit = 'ns'; } else if (u < 1000000n) { prec = 3; unit = 'µs'; } else { prec = 6; unit = 'ms'; }
    const [frac, w] = fmtFrac(u, prec);
    out = String(w) + frac + unit;
  } else {
    const [frac, w] = fmtFrac(u, 9);
    u = w;
    out = String(u % 60n) + frac + 's';
    u /= 60n;
    if (u > 0n) {
      out = String(u % 60n) + 'm' + out;
      u /= 60n;
      if (u > 0n) out = String(u) + 'h' + out;
    }
  }
  return neg ? '-' + out : out;
}

/** time.ParseDuration. */
export function parseDuration(orig: string): bigint {
  const invalid = (): GoError => new GoError(`time: invalid duration ${timeQuote(orig)}`);
  let s = orig;
  let d = 0n;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) { neg = s[0] === '-'; s = s.slice(1); }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  const LIMIT = 1n << 63n;
  while (s !== '') {
    let v = 0n;
    let f = 0n;
    let scale = 1;
    if (!(s[0] === '.' || isDigitAt(s, 0))) throw invalid();
    let i = 0;
    for (; i < s.length && isDigitAt(s, i); i++) {
      if (v > LIMIT / 10n) throw invalid();
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > LIMIT) throw invalid();
    }
    const pre = i > 0;
    s = s.slice(i);
    let post = false;
    if (s !== '' && s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      for (; j < s.length && isDigitAt(s, j); j++) {
        if (overflow) continue;
        if (f > (LIMIT - 1n) / 10n) { overflow = true; continue; }
        const y = f * 10n + BigInt(s.charCodeAt(j) - 48);
        if (y > LIMIT) { overflow = true; continue; }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) throw invalid();
    let k = 0;
    for (; k < s.length; k++) if (s[k] === '.' || isDigitAt(s, k)) break;
    if (k === 0) throw new GoError(`time: missing unit in duration ${timeQuote(orig)}`);
    const u = s.slice(0, k);
    s = s.slice(k);
    const unit = UNITS[u];
    if (unit === undefined) throw new GoError(`time: unknown unit ${timeQuote(u)} in duration ${timeQuote(orig)}`);
    if (v > LIMIT / unit) throw invalid();
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > LIMIT) throw invalid();
    }
    d += v;
    if (d > LIMIT) throw invalid();
  }
  if (neg) return -d;
  if (d > LIMIT - 1n) throw invalid();
  return d;
}

// ---------------------------------------------------------------------------
// Time arithmetic

export function addDuration(t: GoTime, d: bigint): GoTime {
  const total = BigInt(t.nsec) + d;
  let dsec = total / SECOND;
  let nsec = total % SECOND;
  if (nsec < 0n) { nsec += SECOND; dsec -= 1n; }
  return { sec: t.sec + Number(dsec), nsec: Number(nsec), loc: t.loc, mono: t.mono === null ? null : t.mono + d };
}

export function sub(a: GoTime, b: GoTime): bigint {
  if (a.mono !== null && b.mono !== null) return a.mono - b.mono;
  const d = BigInt(a.sec - b.sec) * SECOND + BigInt(a.nsec - b.nsec);
  const MAX = (1n << 63n) - 1n;
  if (d > MAX) return MAX;
  if (d < -MAX - 1n) return -MAX - 1n;
  return d;
}

const since = (t: GoTime): bigint => sub(now(), t);

/** Duration.Round(m). */
export function roundDuration(d: bigint, m: bigint): bigint {
  if (m <= 0n) return d;
  let r = d % m;
  if (d < 0n) {
    r = -r;
    if (r + r < m) return d + r;
    const d1 = d - m + r;
    if (d1 < d) return d1;
    return -(1n << 63n);
  }
  if (r + r < m) return d - r;
  const d1 = d + m - r;
  if (d1 > d) return d1;
  return (1n << 63n) - 1n;
}

// ---------------------------------------------------------------------------
// Methods of time.Time and friends

function defineMethods(): void {
  const def = (t: GoType, name: string, sig: string, impl: (recv: GoValue, ...a: never[]) => unknown): void => {
    const f = fn(sig, () => null);
    (t.methods as Map<string, GoMethod>).set(name, { type: f.type, impl: impl as GoMethod['impl'] });
  };
  const T_ = (v: GoValue): GoTime => timeOf(v)!;
  const tv = (t: GoTime): GoStruct => timeValue(t);
  const I = (n: number): bigint => BigInt(n);
  const stripped = (t: GoTime, loc: Location): GoTime => ({ ...t, loc, mono: null });
  def(timeType, 'String', 'func() string', (v) => timeString(T_(v)));
  def(timeType, 'Format', 'func(string) string', (v, l: string) => format(T_(v), l));
  def(timeType, 'Unix', 'func() int64', (v) => new GoScalar(T.int64, I(T_(v).sec)));
  def(timeType, 'UnixMilli', 'func() int64', (v) => new GoScalar(T.int64, I(T_(v).sec) * 1000n + I(Math.floor(T_(v).nsec / 1e6))));
  def(timeType, 'UnixMicro', 'func() int64', (v) => new GoScalar(T.int64, I(T_(v).sec) * 1000000n + I(Math.floor(T_(v).nsec / 1e3))));
  def(timeType, 'UnixNano', 'func() int64', (v) => new GoScalar(T.int64, BigInt.asIntN(64, I(T_(v).sec) * SECOND + I(T_(v).nsec))));
  def(timeType, 'Year', 'func() int', (v) => I(civil(T_(v)).year));
  def(timeType, 'Month', 'func() time.Month', (v) => new GoScalar(monthType, I(civil(T_(v)).month)));
  def(timeType, 'Day', 'func() int', (v) => I(civil(T_(v)).day));
  def(timeType, 'Hour', 'func() int', (v) => I(civil(T_(v)).hour));
  def(timeType, 'Minute', 'func() int', (v) => I(civil(T_(v)).min));
  def(timeType, 'Second', 'func() int', (v) => I(civil(T_(v)).sec));
  def(timeType, 'Nanosecond', 'func() int', (v) => I(T_(v).nsec));
  def(timeType, 'YearDay', 'func() int', (v) => I(civil(T_(v)).yday));
  def(timeType, 'Weekday', 'func() time.Weekday', (v) => new GoScalar(weekdayType, I(civil(T_(v)).wday)));
  def(timeType, 'UTC', 'func() time.Time', (v) => tv(stripped(T_(v), UTC)));
  def(timeType, 'Local', 'func() time.Time', (v) => tv(stripped(T_(v), local())));
  def(timeType, 'IsZero', 'func() bool', (v) => T_(v).sec === ZERO_SEC && T_(v).nsec === 0);
  def(timeType, 'Add', 'func(time.Duration) time.Time', (v, d: GoValue) => tv(addDuration(T_(v), (d as GoScalar).v as bigint)));
  def(timeType, 'Sub', 'func(time.Time) time.Duration', (v, o: GoValue) => new GoScalar(durationType, sub(T_(v), T_(o))));
  def(timeType, 'AddDate', 'func(int, int, int) time.Time', (v, y: bigint, m: bigint, d: bigint) => {
    const t = T_(v);
    const c = civil(t);
    const r = date(c.year + Number(y), c.month + Number(m), c.day + Number(d), c.hour, c.min, c.sec, t.nsec, t.loc);
    return tv({ ...r, mono: null });
  });
  def(timeType, 'Before', 'func(time.Time) bool', (v, o: GoValue) => { const a = T_(v); const b = T_(o); return a.sec < b.sec || (a.sec === b.sec && a.nsec < b.nsec); });
  def(timeType, 'After', 'func(time.Time) bool', (v, o: GoValue) => { const a = T_(v); const b = T_(o); return a.sec > b.sec || (a.sec === b.sec && a.nsec > b.nsec); });
  def(timeType, 'Equal', 'func(time.Time) bool', (v, o: GoValue) => T_(v).sec === T_(o).sec && T_(v).nsec === T_(o).nsec);
  def(timeType, 'Compare', 'func(time.Time) int', (v, o: GoValue) => {
    const a = T_(v); const b = T_(o);
    return a.sec < b.sec || (a.sec === b.sec && a.nsec < b.nsec) ? -1n : a.sec === b.sec && a.nsec === b.nsec ? 0n : 1n;
  });
  def(timeType, 'Truncate', 'func(time.Duration) time.Time', (v, d: GoValue) => {
    const t = T_(v);
    const m = (d as GoScalar).v as bigint;
    if (m <= 0n) return tv({ ...t, mono: null });
    const abs = (I(t.sec) - I(ZERO_SEC)) * SECOND + I(t.nsec);
    return tv(addDuration({ ...t, mono: null }, -(abs % m)));
  });
  def(timeType, 'Round', 'func(time.Duration) time.Time', (v, d: GoValue) => {
    const t = T_(v);
    const m = (d as GoScalar).v as bigint;
    if (m <= 0n) return tv({ ...t, mono: null });
    const abs = (I(t.sec) - I(ZERO_SEC)) * SECOND + I(t.nsec);
    const r = abs % m;
    return tv(addDuration({ ...t, mono: null }, r + r < m ? -r : m - r));
  });
  def(durationType, 'String', 'func() string', (v) => durationString((v as GoScalar).v as bigint));
  def(durationType, 'Seconds', 'func() float64', (v) => Number((v as GoScalar).v as bigint) / 1e9);
  def(durationType, 'Minutes', 'func() float64', (v) => Number((v as GoScalar).v as bigint) / 6e10);
  def(durationType, 'Hours', 'func() float64', (v) => Number((v as GoScalar).v as bigint) / 3.6e12);
  def(durationType, 'Milliseconds', 'func() int64', (v) => new GoScalar(T.int64, ((v as GoScalar).v as bigint) / 1000000n));
  def(durationType, 'Round', 'func(time.Duration) time.Duration', (v, m: GoValue) => new GoScalar(durationType, roundDuration((v as GoScalar).v as bigint, (m as GoScalar).v as bigint)));
  def(monthType, 'String', 'func() string', (v) => {
    const m = Number((v as GoScalar).v);
    return m >= 1 && m <= 12 ? LONG_MONTHS[m - 1]! : `%!Month(${m})`;
  });
  def(weekdayType, 'String', 'func() string', (v) => {
    const d = Number((v as GoScalar).v);
    return d >= 0 && d <= 6 ? LONG_DAYS[d]! : `%!Weekday(${d})`;
  });
  jsonMarshalers.set(timeType, (v) => jsonString(format(T_(v), '2006-01-02T15:04:05.999999999Z07:00')));
}
defineMethods();

// ---------------------------------------------------------------------------
// sprig

/** The time for sprig's `date` family: time.Time, *time.Time, int64, int, int32; else now. */
function dateArg(v: Value, withInt32: boolean): GoTime {
  if (v !== null && v !== undefined) {
    const t = timeOf(v as GoValue);
    if (t) return t;
    if (typeof v === 'bigint') return { sec: Number(v), nsec: 0, loc: local(), mono: null };
    if (v instanceof GoScalar && !v.type.named && (v.type.name === 'int64' || (withInt32 && v.type.name === 'int32'))) {
      return { sec: Number(v.v as bigint), nsec: 0, loc: local(), mono: null };
    }
  }
  return now();
}

export function dateInZone(layout: string, v: Value, zone: string): string {
  const t = dateArg(v, true);
  const loc = loadLocation(zone) ?? UTC;
  return format({ ...t, loc }, layout);
}

const IF = 'interface {}';

export function dateFuncs(): FuncMap {
  const modify = (must: boolean) => (f: string, d: GoValue): GoValue => {
    const t = timeOf(d)!;
    let dur: bigint;
    try { dur = parseDuration(f); } catch (e) {
      if (must) throw e;
      return d;
    }
    return timeValue(addDuration(t, dur));
  };
  const toDate = (layout: string, s: string): GoValue => timeValue(parseTime(layout, s, local(), local()));
  const zeroTime = (): GoValue => timeValue({ sec: ZERO_SEC, nsec: 0, loc: UTC, mono: null });
  return {
    now: fn('func() time.Time', () => timeValue(now())),
    date: fn(`func(string, ${IF}) string`, (f: string, d: Value) => dateInZone(f, d, 'Local')),
    date_in_zone: fn(`func(string, ${IF}, string) string`, dateInZone),
    dateInZone: fn(`func(string, ${IF}, string) string`, dateInZone),
    htmlDate: fn(`func(${IF}) string`, (d: Value) => dateInZone('2006-01-02', d, 'Local')),
    htmlDateInZone: fn(`func(${IF}, string) string`, (d: Value, z: string) => dateInZone('2006-01-02', d, z)),
    date_modify: fn('func(string, time.Time) time.Time', modify(false)),
    dateModify: fn('func(string, time.Time) time.Time', modify(false)),
    must_date_modify: fn('func(string, time.Time) (time.Time, error)', modify(true)),
    mustDateModify: fn('func(string, time.Time) (time.Time, error)', modify(true)),
    toDate: fn('func(string, string) time.Time', (l: string, s: string) => { try { return toDate(l, s); } catch { return zeroTime(); } }),
    mustToDate: fn('func(string, string) (time.Time, error)', toDate),
    unixEpoch: fn('func(time.Time) string', (d: GoValue) => String(timeOf(d)!.sec)),
    ago: fn(`func(${IF}) string`, (d: Value) => {
      let t: GoTime;
      const tt = d === null || d === undefined ? null : timeOf(d as GoValue);
      if (tt) t = tt;
      else if (typeof d === 'bigint') t = { sec: Number(d), nsec: 0, loc: local(), mono: null };
      else if (d instanceof GoScalar && d.type === T.int64) t = { sec: Number(d.v as bigint), nsec: 0, loc: local(), mono: null };
      else t = now();
      return durationString(roundDuration(since(t), SECOND));
    }),
    duration: fn(`func(${IF}) string`, (sec: Value) => {
      let n = 0n;
      if (typeof sec === 'string') {
        const m = /^[+-]?[0-9]+$/.exec(sec);
        if (m) { n = BigInt(sec); if (n > (1n << 63n) - 1n || n < -(1n << 63n)) n = n > 0n ? (1n << 63n) - 1n : -(1n << 63n); }
      } else if (sec instanceof GoScalar && sec.type === T.int64) n = sec.v as bigint;
      return durationString(BigInt.asIntN(64, n * SECOND));
    }),
    durationRound: fn(`func(${IF}) string`, (v: Value) => {
      let d = 0n;
      if (typeof v === 'string') { try { d = parseDuration(v); } catch { d = 0n; } } else if (v instanceof GoScalar && v.type === T.int64) d = v.v as bigint;
      else if (v !== null && v !== undefined && timeOf(v as GoValue)) d = since(timeOf(v as GoValue)!);
      let u = BigInt.asUintN(64, d);
      if (d < 0n) u = BigInt.asUintN(64, -u);
      const hour = 3600n * SECOND;
      const units: Array<[bigint, string]> = [[hour * 24n * 365n, 'y'], [hour * 24n * 30n, 'mo'], [hour * 24n, 'd'], [hour, 'h'], [60n * SECOND, 'm'], [SECOND, 's']];
      for (const [size, name] of units) if (u > size) return String(u / size) + name;
      return '0s';
    }),
  };
}

export { typeOf };
