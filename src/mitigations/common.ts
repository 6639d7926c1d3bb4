/** Helpers shared by the readers and the matcher. */
import { parseImageReference } from '../images/reference.js';
import { parseConstraints } from '../chart/semver-range.js';

/** `docker://docker.io/bitnami/postgres` (or without scheme) → normalised registry and repository; null when not an image name. */
export function parseDockerName(uri: string): { registry: string; repository: string; tag: string | null } | null {
  const raw = uri.replace(/^docker:\/\//i, '').trim().replace(/\/+$/, '');
  const hasTag = /:[^/]*$/.test(raw) || raw.includes('@');
  try {
    const r = parseImageReference(raw.toLowerCase() === raw ? raw : raw.toLowerCase());
    return { registry: r.registry, repository: r.repository, tag: hasTag ? r.tag : null };
  } catch {
    return null;
  }
}

/** The leading version number of an image tag: `7.4.1` of `7.4.1-debian-12-r2`, `1.27` of `v1.27-alpine`; null when none. */
export function imageTagVersion(tag: string | null): string | null {
  if (!tag) return null;
  const m = /^v?(\d+(?:\.\d+){0,2})(?![\d])/.exec(tag);
  return m ? m[1]! : null;
}

export function isValidConstraint(c: string): boolean {
  return parseConstraints(c) !== null;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses an RFC 3339 timestamp or a date; null when absent, undefined when present but invalid. */
export function parseTime(v: unknown): Date | null | undefined {
  if (v === undefined || v === null || v === '') return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const d = new Date(`${s}T00:00:00Z`);
    return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s ? undefined : d;
  }
  if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/.test(s)) return undefined;
  const d = new Date(s.replace(' ', 'T'));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function str(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return null;
}
