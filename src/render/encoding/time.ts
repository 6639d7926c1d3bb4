/**
 * A minimal Go `time.Time` for values the decoders produce (TOML datetimes): a struct value
 * of type `time.Time` whose String method prints like Go's, and which the encoders write like
 * Go's MarshalJSON / yaml.v3 / toml do.
 */
import { GoStruct, GoType, structType, type GoMethod } from '../template/value.js';
import { parseSignature } from '../template/funcs.js';

/** Where a TOML datetime came from: an offset datetime, or one of TOML's local kinds. */
export type TimeKind = 'offset' | 'local-datetime' | 'local-date' | 'local-time';

export interface TimeInfo {
  year: number; month: number; day: number;
  hour: number; minute: number; second: number; nsec: number;
  /** Offset from UTC in seconds (0 for the local kinds). */
  offset: number;
  /** Zone abbreviation: 'UTC', '' (fixed offset), or the local kinds' location names. */
  zone: string;
  kind: TimeKind;
}

const infos = new WeakMap<GoStruct, TimeInfo>();

const stringMethod: GoMethod = {
  type: new GoType({ name: 'func() string', kind: 'func', sig: parseSignature('func() string') }),
  impl: (recv) => timeString(recv as GoStruct),
};

/** The `time.Time` struct type. */
export const TIME_TYPE: GoType = structType('time.Time', [], { String: stringMethod });

export function makeTime(info: TimeInfo): GoStruct {
  const s = new GoStruct(TIME_TYPE, {});
  infos.set(s, info);
  return s;
}

export function isGoTime(v: unknown): boolean {
  return v instanceof GoStruct && v.structType === TIME_TYPE && infos.has(v);
}

export function timeInfo(v: GoStruct): TimeInfo {
  const t = infos.get(v);
  if (!t) throw new TypeError('not a time value');
  return t;
}

const p2 = (n: number): string => String(n).padStart(2, '0');
const p4 = (n: number): string => String(n).padStart(4, '0');

function frac(nsec: number): string {
  if (nsec === 0) return '';
  return '.' + String(nsec).padStart(9, '0').replace(/0+$/, '');
}

function offsetText(off: number, colon: boolean): string {
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  return `${sign}${p2(h)}${colon ? ':' : ''}${p2(m)}`;
}

/** t.Format(time.RFC3339Nano). */
export function timeRFC3339(v: GoStruct): string {
  const t = timeInfo(v);
  const zone = t.offset === 0 ? 'Z' : offsetText(t.offset, true);
  return `${p4(t.year)}-${p2(t.month)}-${p2(t.day)}T${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}${frac(t.nsec)}${zone}`;
}

/** Go's Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST". */
export function timeString(v: GoStruct): string {
  const t = timeInfo(v);
  const abbr = t.zone === '' ? offsetText(t.offset, false) : t.zone;
  return `${p4(t.year)}-${p2(t.month)}-${p2(t.day)} ${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}${frac(t.nsec)} ${offsetText(t.offset, false)} ${abbr}`;
}

/** How BurntSushi/toml's encoder writes a time.Time. */
export function timeToml(v: GoStruct): string {
  const t = timeInfo(v);
  const date = `${p4(t.year)}-${p2(t.month)}-${p2(t.day)}`;
  const time = `${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}${frac(t.nsec)}`;
  switch (t.kind) {
    case 'local-datetime': return `${date}T${time}`;
    case 'local-date': return date;
    case 'local-time': return time;
    default: return timeRFC3339(v);
  }
}
