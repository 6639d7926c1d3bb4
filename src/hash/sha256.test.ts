/**
 * The WebAssembly SHA-256 against FIPS 180-4's examples and node:crypto on lengths around the
 * block and padding boundaries, the module's input area and the size that goes to node:crypto,
 * and the committed module against what sha256.wat assembles to.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sha256Hex, sha256HexOfText, sha256HexWasm } from './sha256.js';
// @ts-expect-error: a plain .mjs script without types
import { assembleSha256, sha256WasmSource } from '../../scripts/gen-sha256-wasm.mjs';

const node = (d: Uint8Array): string => createHash('sha256').update(d).digest('hex');
const bytes = (n: number): Buffer => {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 131 + (i >> 8) * 7 + 3) & 0xff;
  return b;
};

describe('sha256Hex', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    ['a'.repeat(1_000_000), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
  ])('FIPS 180-4 example of %# (%s…)', (text, want) => {
    expect(sha256HexOfText(text)).toBe(want);
    expect(sha256HexWasm(Buffer.from(text))).toBe(want);
  });

  it.each([0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096 - 1, 4096, 4096 + 1, 4096 + 63, 4096 + 64, 4096 * 3 + 56, 64512 - 1, 64512, 64512 + 1, 64512 + 63, 64512 * 2 + 56, 1 << 20])(
    '%i bytes: as node:crypto',
    (n) => {
      // the module itself also above the size that goes to node:crypto
      expect(sha256HexWasm(bytes(n))).toBe(node(bytes(n)));
      expect(sha256Hex(bytes(n))).toBe(node(bytes(n)));
    },
  );

  it('a view into a larger buffer, and text with characters outside ASCII', () => {
    const whole = bytes(5000);
    expect(sha256HexWasm(whole.subarray(17, 4321))).toBe(node(whole.subarray(17, 4321)));
    expect(sha256HexOfText('café 😀 \u2028')).toBe(createHash('sha256').update('café 😀 \u2028').digest('hex'));
  });

  it('Node without WebAssembly (--jitless): node:crypto gives the digest', () => {
    const script = `import { sha256HexOfText } from ${JSON.stringify(new URL('./sha256.ts', import.meta.url).href)}; process.stdout.write(sha256HexOfText('abc'));`;
    const r = spawnSync(process.execPath, ['--jitless', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('the committed module is what sha256.wat assembles to', async () => {
    const committed = readFileSync(new URL('./sha256-wasm.ts', import.meta.url), 'utf8');
    expect(committed).toBe(sha256WasmSource(await assembleSha256()));
  });
});
