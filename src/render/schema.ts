import type { RChart } from './process.js';
export function validateAgainstSchema(_c: RChart, _v: Record<string, unknown>): string | null { return null; }
export function validateAgainstSingleSchema(_v: Record<string, unknown>, _s: Buffer): string | null { return null; }
