import { describe, expect, it } from 'vitest';
import { terminalProgress } from './progress.js';

describe('pull progress on stderr', () => {
  it('says nothing at all when stderr is not a terminal', () => {
    const out: string[] = [];
    expect(terminalProgress((s) => out.push(s), { isTTY: false })).toBeUndefined();
    expect(terminalProgress((s) => out.push(s), {})).toBeUndefined();
  });

  it('on a terminal: one line rewritten in place, bytes per image, cleared when the last image is done', () => {
    const out: string[] = [];
    const p = terminalProgress((s) => out.push(s), { isTTY: true, columns: 80 })!;
    p.start('docker.io/bitnami/redis:7.4.1');
    p.bytes('docker.io/bitnami/redis:7.4.1', 'sha256:a', 1024 * 1024, 4 * 1024 * 1024);
    p.done('docker.io/bitnami/redis:7.4.1');
    expect(out[0]).toBe('\r\x1b[K[1/1] docker.io/bitnami/redis:7.4.1  resolving');
    expect(out.at(-1)).toBe('\r\x1b[K');
    expect(out.join('')).not.toContain('\n');
  });

  it('adds up the layers of an image, names the layer being read, and fits the terminal width', () => {
    const out: string[] = [];
    const p = terminalProgress((s) => out.push(s), { isTTY: true, columns: 40 })!;
    const ref = 'registry.example.com/a/very/long/repository/name:1.0';
    p.start(ref);
    p.layer(ref, 0, 3);
    expect(out.at(-1)).toMatch(/reading layer 1\/3$/);
    p.bytes(ref, 'sha256:a', 2048, 2048);
    for (const line of out) expect(line.replace('\r\x1b[K', '').length).toBeLessThanOrEqual(40);
    expect(out.some((l) => l.includes('…'))).toBe(true);
  });
});
