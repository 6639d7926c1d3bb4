/**
 * Validation of OSV records before they enter the database. Strict where the matcher relies on
 * a type (ids, timestamps, packages, range events, versions), lenient elsewhere: unknown fields
 * are kept untouched, as the OSV spec asks of clients.
 */
import type { OsvRecord } from '../../model/advisory.js';

/** A record that cannot be imported; the import skips it and names it with this reason. */
export class RecordError extends Error {
  override name = 'RecordError';
}

const MAX_ID = 256;

/**
 * Milliseconds since the epoch of an RFC 3339 timestamp (`2024-01-02T03:04:05.123456Z`,
 * offsets allowed; a missing zone is read as UTC, as NVD writes them). NaN when invalid.
 */
export function timestampMs(s: unknown): number {
  if (typeof s !== 'string') return NaN;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*([Zz]|[+-]\d{2}:?\d{2})?$/.exec(s.trim());
  if (!m) return NaN;
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone = 'Z'] = m;
  const ms = frac ? Math.floor(Number('0.' + frac) * 1000) : 0;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms);
  const check = new Date(t);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 60) return NaN;
  if (zone !== 'Z' && zone !== 'z') {
    const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const off = (Number(zm[2]) * 60 + Number(zm[3])) * 60_000;
    t += zm[1] === '+' ? -off : off;
  }
  return t;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function optString(o: Record<string, unknown>, key: string, where: string): void {
  if (o[key] !== undefined && o[key] !== null && typeof o[key] !== 'string') throw new RecordError(`${where}${key} is not a string`);
}

function optStringList(o: Record<string, unknown>, key: string, where: string): void {
  const v = o[key];
  if (v === undefined || v === null) return;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new RecordError(`${where}${key} is not a list of strings`);
}

function optList(o: Record<string, unknown>, key: string, where: string): unknown[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new RecordError(`${where}${key} is not a list`);
  return v;
}

const EVENT_KEYS = new Set(['introduced', 'fixed', 'last_affected', 'limit']);

/**
 * Checks a parsed JSON/YAML value against the parts of OSV 1.x the database and the matcher use.
 * Returns it typed; throws RecordError with a short reason otherwise.
 */
export function validateOsvRecord(v: unknown): OsvRecord {
  if (!isObj(v)) throw new RecordError('not an OSV record (not an object)');
  const id = v.id;
  if (typeof id !== 'string' || id.trim() === '') throw new RecordError('not an OSV record: no id');
  if (id.length > MAX_ID || /[\s\u0000-\u001f]/.test(id)) throw new RecordError(`invalid id ${JSON.stringify(id.slice(0, 80))}`);
  if (v.modified === undefined || v.modified === null) throw new RecordError(`${id}: no modified timestamp`);
  if (Number.isNaN(timestampMs(v.modified))) throw new RecordError(`${id}: modified ${JSON.stringify(v.modified)} is not an RFC 3339 timestamp`);
  const where = `${id}: `;
  for (const k of ['published', 'withdrawn']) {
    if (v[k] !== undefined && v[k] !== null && Number.isNaN(timestampMs(v[k]))) throw new RecordError(`${where}${k} ${JSON.stringify(v[k])} is not an RFC 3339 timestamp`);
  }
  for (const k of ['schema_version', 'summary', 'details']) optString(v, k, where);
  for (const k of ['aliases', 'related', 'upstream']) optStringList(v, k, where);
  for (const [i, s] of optList(v, 'severity', where).entries()) checkSeverity(s, `${where}severity[${i}].`);
  if (v.database_specific !== undefined && v.database_specific !== null && !isObj(v.database_specific)) throw new RecordError(`${where}database_specific is not an object`);
  for (const [i, a] of optList(v, 'affected', where).entries()) {
    const w = `${where}affected[${i}].`;
    if (!isObj(a)) throw new RecordError(`${w.slice(0, -1)} is not an object`);
    if (a.package !== undefined && a.package !== null) {
      const p = a.package;
      if (!isObj(p) || typeof p.ecosystem !== 'string' || typeof p.name !== 'string') throw new RecordError(`${w}package needs an ecosystem and a name`);
      optString(p, 'purl', `${w}package.`);
    }
    optStringList(a, 'versions', w);
    for (const [j, s] of optList(a, 'severity', w).entries()) checkSeverity(s, `${w}severity[${j}].`);
    for (const [j, r] of optList(a, 'ranges', w).entries()) {
      const wr = `${w}ranges[${j}]`;
      if (!isObj(r) || typeof r.type !== 'string') throw new RecordError(`${wr} needs a type`);
      if (!Array.isArray(r.events)) throw new RecordError(`${wr}.events is not a list`);
      for (const [k, e] of r.events.entries()) {
        if (!isObj(e)) throw new RecordError(`${wr}.events[${k}] is not an object`);
        const keys = Object.keys(e).filter((x) => EVENT_KEYS.has(x));
        if (keys.length !== 1) throw new RecordError(`${wr}.events[${k}] needs exactly one of introduced, fixed, last_affected, limit`);
        if (typeof e[keys[0]!] !== 'string') throw new RecordError(`${wr}.events[${k}].${keys[0]} is not a string`);
      }
    }
    for (const k of ['ecosystem_specific', 'database_specific']) {
      if (a[k] !== undefined && a[k] !== null && !isObj(a[k])) throw new RecordError(`${w}${k} is not an object`);
    }
  }
  return v as unknown as OsvRecord;
}

function checkSeverity(s: unknown, where: string): void {
  if (!isObj(s) || typeof s.type !== 'string' || typeof s.score !== 'string') throw new RecordError(`${where.slice(0, -1)} needs a type and a score`);
}
