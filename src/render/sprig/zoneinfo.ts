/**
 * Time zones as Go's time package has them: TZif files from the system zoneinfo
 * (/usr/share/zoneinfo, like Go on Linux), POSIX TZ rule strings for times after the last
 * transition (Go's tzset), `Local` from $TZ or /etc/localtime, and Go's lookup rules.
 */
import { readFileSync } from 'node:fs';
import { ambientReads } from './ambient.js';

export interface Zone { name: string; offset: number; isDST: boolean }
interface Trans { when: number; index: number }

export interface ZoneLookup { name: string; offset: number; start: number; end: number; isDST: boolean }

const ALPHA = -(2 ** 63);
const OMEGA = 2 ** 63 - 1;

export class Location {
  constructor(
    readonly name: string,
    readonly zones: Zone[] = [],
    readonly tx: Trans[] = [],
    readonly extend = '',
  ) {}

  private firstZone(): number {
    if (!this.tx.some((t) => t.index === 0)) return 0;
    if (this.tx.length > 0 && this.zones[this.tx[0]!.index]!.isDST) {
      for (let zi = this.tx[0]!.index - 1; zi >= 0; zi--) if (!this.zones[zi]!.isDST) return zi;
    }
    for (let zi = 0; zi < this.zones.length; zi++) if (!this.zones[zi]!.isDST) return zi;
    return 0;
  }

  /** Location.lookup(sec). */
  lookup(sec: number): ZoneLookup {
    if (this.zones.length === 0) return { name: 'UTC', offset: 0, start: ALPHA, end: OMEGA, isDST: false };
    if (this.tx.length === 0 || sec < this.tx[0]!.when) {
      const z = this.zones[this.firstZone()]!;
      return { name: z.name, offset: z.offset, start: ALPHA, end: this.tx.length > 0 ? this.tx[0]!.when : OMEGA, isDST: z.isDST };
    }
    let end = OMEGA;
    let lo = 0;
    let hi = this.tx.length;
    while (hi - lo > 1) {
      const m = (lo + hi) >>> 1;
      const lim = this.tx[m]!.when;
      if (sec < lim) { end = lim; hi = m; } else lo = m;
    }
    const z = this.zones[this.tx[lo]!.index]!;
    const start = this.tx[lo]!.when;
    if (lo === this.tx.length - 1 && this.extend !== '') {
      const r = tzset(this.extend, start, sec);
      if (r) return r;
    }
    return { name: z.name, offset: z.offset, start, end, isDST: z.isDST };
  }

  /** Location.lookupName. */
  lookupName(name: string, unix: number): number | null {
    for (const z of this.zones) {
      if (z.name === name && this.lookup(unix - z.offset).name === z.name) return this.lookup(unix - z.offset).offset;
    }
    for (const z of this.zones) if (z.name === name) return z.offset;
    return null;
  }
}

export const UTC = new Location('UTC');

export function fixedZone(name: string, offset: number): Location {
  return new Location(name, [{ name, offset, isDST: false }], [{ when: ALPHA, index: 0 }]);
}

/** Parses TZif data (LoadLocationFromTZData). */
export function fromTZData(name: string, data: Buffer): Location | null {
  if (data.length < 44 || data.toString('latin1', 0, 4) !== 'TZif') return null;
  let p = 0;
  const header = (): number[] | null => {
    if (data.toString('latin1', p, p + 4) !== 'TZif') return null;
    const version = data[p + 4]!;
    const counts: number[] = [];
    for (let k = 0; k < 6; k++) counts.push(data.readUInt32BE(p + 20 + 4 * k));
    p += 44;
    return [version, ...counts];
  };
  let h = header();
  if (!h) return null;
  let [version, isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = h as [number, number, number, number, number, number, number];
  let is64 = false;
  if (version >= 0x32) {
    // Skip the v1 block.
    p += timecnt * 4 + timecnt + typecnt * 6 + charcnt + leapcnt * 8 + isstdcnt + isutcnt;
    h = header();
    if (!h) return null;
    [version, isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = h as [number, number, number, number, number, number, number];
    is64 = true;
  }
  const size = is64 ? 8 : 4;
  const whens: number[] = [];
  for (let k = 0; k < timecnt; k++) {
    whens.push(is64 ? Number(data.readBigInt64BE(p)) : data.readInt32BE(p));
    p += size;
  }
  const idx: number[] = [];
  for (let k = 0; k < timecnt; k++) idx.push(data[p++]!);
  const types: Array<[number, boolean, number]> = [];
  for (let k = 0; k < typecnt; k++) {
    types.push([data.readInt32BE(p), data[p + 4] !== 0, data[p + 5]!]);
    p += 6;
  }
  const chars = data.toString('latin1', p, p + charcnt);
  p += charcnt;
  p += leapcnt * (size + 4) + isstdcnt + isutcnt;
  let extend = '';
  if (is64 && data[p] === 0x0a) {
    const e = data.indexOf(0x0a, p + 1);
    if (e > p) extend = data.toString('latin1', p + 1, e);
  }
  const zones: Zone[] = types.map(([offset, isDST, ai]) => {
    const end = chars.indexOf('\0', ai);
    return { name: chars.slice(ai, end < 0 ? undefined : end), offset, isDST };
  });
  let tx: Trans[] = whens.map((when, k) => ({ when, index: idx[k]! }));
  if (tx.length === 0) tx = [{ when: ALPHA, index: 0 }];
  return new Location(name, zones, tx, extend);
}

const zoneCache = new Map<string, Location | null>();

function loadFromSystem(name: string): Location | null {
  if (zoneCache.has(name)) return zoneCache.get(name)!;
  let loc: Location | null = null;
  for (const dir of ['/usr/share/zoneinfo/', '/usr/share/lib/zoneinfo/', '/usr/lib/locale/TZ/', '/etc/zoneinfo/']) {
    try { loc = fromTZData(name, readFileSync(dir + name)); } catch { loc = null; }
    if (loc) break;
  }
  zoneCache.set(name, loc);
  return loc;
}

let localLoc: Location | undefined;

/** time.Local (initialised like Go: $TZ, else /etc/localtime, else UTC). */
export function local(): Location {
  ambientReads.count++;
  if (localLoc) return localLoc;
  const tz = process.env.TZ;
  let loc: Location | null = null;
  if (tz === undefined) {
    try { loc = fromTZData('Local', readFileSync('/etc/localtime')); } catch { loc = null; }
  } else if (tz !== '') {
    const n = tz.startsWith(':') ? tz.slice(1) : tz;
    if (n.startsWith('/')) {
      try { loc = fromTZData(n === '/etc/localtime' ? 'Local' : n, readFileSync(n)); } catch { loc = null; }
    } else if (n !== '' && n !== 'UTC') {
      loc = loadFromSystem(n);
    }
  }
  localLoc = loc ?? new Location('UTC');
  return localLoc;
}

/** time.LoadLocation; null where Go returns an error. */
export function loadLocation(name: string): Location | null {
  if (name === '' || name === 'UTC') return UTC;
  if (name === 'Local') return local();
  if (name.includes('..') || name.startsWith('/') || name.startsWith('\\')) return null;
  const tz = process.env.ZONEINFO;
  if (tz) {
    try {
      const l = fromTZData(name, readFileSync(`${tz}/${name}`));
      if (l) return l;
    } catch { /* fall through */ }
  }
  return loadFromSystem(name);
}

// ---------------------------------------------------------------------------
// tzset (POSIX TZ strings)

function tzsetName(s: string): [string, string] | null {
  if (s.length === 0) return null;
  if (s[0] !== '<') {
    for (let i = 0; i < s.length; i++) {
      if ('0123456789,-+'.includes(s[i]!)) {
        if (i < 3) return null;
        return [s.slice(0, i), s.slice(i)];
      }
    }
    if (s.length < 3) return null;
    return [s, ''];
  }
  const i = s.indexOf('>');
  if (i < 0) return null;
  return [s.slice(1, i), s.slice(i + 1)];
}

function tzsetNum(s: string, min: number, max: number): [number, string] | null {
  if (s.length === 0) return null;
  let num = 0;
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    num = num * 10 + c - 48;
    if (num > max) return null;
  }
  if (i === 0) return null;
  if (num < min) return null;
  return [num, s.slice(i)];
}

function tzsetOffset(s0: string): [number, string] | null {
  let s = s0;
  if (s.length === 0) return null;
  let neg = false;
  if (s[0] === '+') s = s.slice(1);
  else if (s[0] === '-') { s = s.slice(1); neg = true; }
  let r = tzsetNum(s, 0, 24 * 7);
  if (!r) return null;
  let off = r[0] * 3600;
  s = r[1];
  if (s.length === 0 || s[0] !== ':') return [neg ? -off : off, s];
  r = tzsetNum(s.slice(1), 0, 59);
  if (!r) return null;
  off += r[0] * 60;
  s = r[1];
  if (s.length === 0 || s[0] !== ':') return [neg ? -off : off, s];
  r = tzsetNum(s.slice(1), 0, 59);
  if (!r) return null;
  off += r[0];
  return [neg ? -off : off, r[1]];
}

interface Rule { kind: 'julian' | 'doy' | 'mwd'; day: number; week: number; mon: number; time: number }

function tzsetRule(s0: string): [Rule, string] | null {
  let s = s0;
  const r: Rule = { kind: 'doy', day: 0, week: 0, mon: 0, time: 0 };
  if (s.length === 0) return null;
  if (s[0] === 'J') {
    const n = tzsetNum(s.slice(1), 1, 365);
    if (!n) return null;
    r.kind = 'julian'; r.day = n[0]; s = n[1];
  } else if (s[0] === 'M') {
    const m = tzsetNum(s.slice(1), 1, 12);
    if (!m || m[1][0] !== '.') return null;
    const w = tzsetNum(m[1].slice(1), 1, 5);
    if (!w || w[1][0] !== '.') return null;
    const d = tzsetNum(w[1].slice(1), 0, 6);
    if (!d) return null;
    r.kind = 'mwd'; r.mon = m[0]; r.week = w[0]; r.day = d[0]; s = d[1];
  } else {
    const n = tzsetNum(s, 0, 365);
    if (!n) return null;
    r.kind = 'doy'; r.day = n[0]; s = n[1];
  }
  if (s.length === 0 || s[0] !== '/') { r.time = 2 * 3600; return [r, s]; }
  const off = tzsetOffset(s.slice(1));
  if (!off) return null;
  r.time = off[0];
  return [r, off[1]];
}

export const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
export const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
export const daysIn = (m: number, y: number): number => (m === 2 && isLeap(y) ? 29 : DAYS_BEFORE[m]! - DAYS_BEFORE[m - 1]!);

function tzruleTime(year: number, r: Rule, off: number): number {
  let s = 0;
  switch (r.kind) {
    case 'julian':
      s = (r.day - 1) * 86400;
      if (isLeap(year) && r.day >= 60) s += 86400;
      break;
    case 'doy':
      s = r.day * 86400;
      break;
    case 'mwd': {
      const m1 = ((r.mon + 9) % 12) + 1;
      let yy0 = year;
      if (r.mon <= 2) yy0--;
      const yy1 = Math.trunc(yy0 / 100);
      const yy2 = yy0 % 100;
      let dow = (Math.trunc((26 * m1 - 2) / 10) + 1 + yy2 + Math.trunc(yy2 / 4) + Math.trunc(yy1 / 4) - 2 * yy1) % 7;
      if (dow < 0) dow += 7;
      let d = r.day - dow;
      if (d < 0) d += 7;
      for (let i = 1; i < r.week; i++) {
        if (d + 7 >= daysIn(r.mon, year)) break;
        d += 7;
      }
      d += DAYS_BEFORE[r.mon - 1]!;
      if (isLeap(year) && r.mon > 2) d++;
      s = d * 86400;
    }
  }
  return s + r.time - off;
}

/** Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
export function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [m <= 2 ? y + 1 : y, m, d];
}

function tzset(s0: string, lastTxSec: number, sec: number): ZoneLookup | null {
  let s = s0;
  const n1 = tzsetName(s);
  if (!n1) return null;
  let stdName = n1[0];
  s = n1[1];
  const o1 = tzsetOffset(s);
  if (!o1) return null;
  let stdOffset = -o1[0];
  s = o1[1];
  if (s.length === 0 || s[0] === ',') return { name: stdName, offset: stdOffset, start: lastTxSec, end: OMEGA, isDST: false };
  const n2 = tzsetName(s);
  if (!n2) return null;
  let dstName = n2[0];
  s = n2[1];
  let dstOffset: number;
  if (s.length === 0 || s[0] === ',') dstOffset = stdOffset + 3600;
  else {
    const o2 = tzsetOffset(s);
    if (!o2) return null;
    dstOffset = -o2[0];
    s = o2[1];
  }
  if (s.length === 0) s = ',M3.2.0,M11.1.0';
  if (s[0] !== ',' && s[0] !== ';') return null;
  const r1 = tzsetRule(s.slice(1));
  if (!r1 || r1[1].length === 0 || r1[1][0] !== ',') return null;
  const r2 = tzsetRule(r1[1].slice(1));
  if (!r2 || r2[1].length > 0) return null;
  const days = Math.floor(sec / 86400);
  const [year] = civilFromDays(days);
  const yday = days - daysFromCivil(year, 1, 1);
  const ysec = yday * 86400 + (sec - days * 86400);
  const abs = daysFromCivil(year, 1, 1) * 86400;
  let startSec = tzruleTime(year, r1[0], stdOffset);
  let endSec = tzruleTime(year, r2[0], dstOffset);
  let dstIsDST = true;
  let stdIsDST = false;
  if (endSec < startSec) {
    [startSec, endSec] = [endSec, startSec];
    [stdName, dstName] = [dstName, stdName];
    [stdOffset, dstOffset] = [dstOffset, stdOffset];
    [stdIsDST, dstIsDST] = [dstIsDST, stdIsDST];
  }
  if (ysec < startSec) return { name: stdName, offset: stdOffset, start: abs, end: startSec + abs, isDST: stdIsDST };
  if (ysec >= endSec) return { name: stdName, offset: stdOffset, start: endSec + abs, end: abs + 365 * 86400, isDST: stdIsDST };
  return { name: dstName, offset: dstOffset, start: startSec + abs, end: endSec + abs, isDST: dstIsDST };
}
