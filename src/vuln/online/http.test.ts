import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter } from './http.js';
import { checkBatch, checkRecord, gapScope } from './osv-api.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-08-01T12:00:00Z');
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter(['3', '9'], now)).toBe(3_000);
  });
  it('reads an HTTP-date, and a past date is no wait', () => {
    expect(parseRetryAfter('Sat, 01 Aug 2026 12:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Sat, 01 Aug 2026 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  const p = { backoffMs: 100, maxBackoffMs: 1_000 };
  it('doubles each retry, with jitter in [half, full)', () => {
    expect(backoffDelay(1, { ...p, random: () => 0 })).toBe(50);
    expect(backoffDelay(1, { ...p, random: () => 0.999 })).toBe(100);
    expect(backoffDelay(3, { ...p, random: () => 0 })).toBe(200);
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(2, p);
      expect(d).toBeGreaterThanOrEqual(100);
      expect(d).toBeLessThanOrEqual(200);
    }
  });
  it('is capped', () => {
    expect(backoffDelay(30, { ...p, random: () => 0.999 })).toBe(1_000);
  });
});

describe('answer checks', () => {
  it('accepts OSV querybatch answers, empty results included', () => {
    expect(checkBatch({ results: [{}, { vulns: [{ id: 'GHSA-1', modified: 'x' }], next_page_token: 't' }, { next_page_token: 't' }] }, 3)).toBeNull();
  });
  it('rejects malformed querybatch answers', () => {
    expect(checkBatch([], 1)).toBe('no "results" array');
    expect(checkBatch({ results: [] }, 1)).toBe('0 results for 1 queries');
    expect(checkBatch({ results: [{ vulns: {} }] }, 1)).toBe('result 0: "vulns" is not an array');
    expect(checkBatch({ results: [{ vulns: [{ modified: 'x' }] }] }, 1)).toBe('result 0: a vulnerability without an id');
    expect(checkBatch({ results: [{ next_page_token: 5 }] }, 1)).toBe('result 0: "next_page_token" is not a string');
  });
  it('checks records', () => {
    expect(checkRecord({ id: 'A', modified: 'm', aliases: ['B'], affected: [{}] }, 'A')).toBeNull();
    expect(checkRecord('A', 'A')).toBe('not a JSON object');
    expect(checkRecord({ modified: 'm' }, 'A')).toBe('record without "id"');
    expect(checkRecord({ id: 'B', modified: 'm' }, 'A')).toBe('record "B" instead of "A"');
    expect(checkRecord({ id: 'A' }, 'A')).toBe('record A without "modified"');
    expect(checkRecord({ id: 'A', modified: 'm', aliases: 'B' }, 'A')).toBe('record A: "aliases" is not a list of strings');
    expect(checkRecord({ id: 'A', modified: 'm', affected: [1] }, 'A')).toBe('record A: "affected" is not a list of objects');
  });
  it('names the packages of a gap', () => {
    expect(gapScope([{ ecosystem: 'Bitnami', name: 'nginx', version: '1.25.3' }])).toBe('https://api.osv.dev (Bitnami/nginx@1.25.3)');
    expect(gapScope([{ ecosystem: 'Bitnami', name: 'nginx', version: '1.25.3' }], 'http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080 (Bitnami/nginx@1.25.3)');
  });
});
