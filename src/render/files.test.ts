/**
 * `.Files` (helm's engine.files) and gobwas/glob pattern semantics. The chart-level
 * agreement with helm is in test/render-charts.test.ts (fixtures/render-charts/files).
 */
import { describe, expect, it } from 'vitest';
import { compileGlob, filesValue, FILES_TYPE } from './files.js';
import { typeOf, type GoMap, type GoValue } from './template/index.js';

const files = filesValue([
  { name: 'config/app.yaml', data: Buffer.from('a: 1\n') },
  { name: 'config/app.ini', data: Buffer.from('[s]\n') },
  { name: 'config/sub/deep.txt', data: Buffer.from('deep\n') },
  { name: 'lines.txt', data: Buffer.from('l1\nl2\n\nl4\n') },
  { name: 'plain.txt', data: Buffer.from('no newline') },
  { name: 'empty.txt', data: Buffer.alloc(0) },
  { name: 'secrets/token', data: Buffer.from('s3cr3t') },
]);

function call(name: string, ...args: GoValue[]): GoValue {
  const m = FILES_TYPE.methods.get(name);
  if (!m) throw new Error(`no method ${name}`);
  return m.impl(files, ...args);
}

function glob(p: string): string[] {
  return Object.keys(call('Glob', p) as GoMap).sort();
}

describe('gobwas/glob patterns (separator /)', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*', 'a', true], ['*', 'a/b', false], ['**', 'a/b/c', true], ['a/*', 'a/b', true], ['a/*', 'a/b/c', false],
    ['a/**', 'a/b/c', true], ['?', 'x', true], ['?', '/', false], ['[a-c]x', 'bx', true], ['[a-c]x', 'dx', false],
    ['[!a-c]x', 'dx', true], ['[abc]', 'b', true], ['[!abc]', 'b', false], ['{a,b}.txt', 'b.txt', true],
    ['{a,b}.txt', 'c.txt', false], ['*.{yaml,ini}', 'x.ini', true], ['{x,y', 'y', true], ['a\\*', 'a*', true],
    ['a\\*', 'ab', false], ['a,b', 'a,b', true], ['a}', 'a}', true], ['x-y.z', 'x-y.z', true], ['x-y.z', 'x-yaz', false],
    ['{a,{b,c}}', 'c', true], ['a\\', 'a', true],
  ];
  for (const [pattern, name, want] of cases) {
    it(`${pattern} ${want ? 'matches' : 'does not match'} ${name}`, () => {
      const re = compileGlob(pattern);
      expect(re).not.toBeNull();
      expect(re!.test(name)).toBe(want);
    });
  }
  it('rejects what gobwas rejects (helm then matches every file)', () => {
    for (const p of ['[', '[]', '[!]', '[z-a]', '[a-b-c]']) expect(compileGlob(p), p).toBeNull();
    expect(glob('[')).toHaveLength(7);
  });
});

describe('Files methods', () => {
  it('Get, GetBytes, missing files', () => {
    expect(call('Get', 'config/app.yaml')).toBe('a: 1\n');
    expect(call('Get', 'nope')).toBe('');
    expect(Buffer.from(call('GetBytes', 'secrets/token') as Uint8Array).toString()).toBe('s3cr3t');
    expect((call('GetBytes', 'nope') as Uint8Array).length).toBe(0);
  });
  it('Glob keeps the engine.files type', () => {
    expect(glob('config/*')).toEqual(['config/app.ini', 'config/app.yaml']);
    expect(glob('**.txt')).toEqual(['config/sub/deep.txt', 'empty.txt', 'lines.txt', 'plain.txt']);
    expect(typeOf(call('Glob', 'x')).name).toBe('engine.files');
  });
  it('Lines splits on newlines and drops one trailing newline', () => {
    expect(call('Lines', 'lines.txt')).toEqual(['l1', 'l2', '', 'l4']);
    expect(call('Lines', 'plain.txt')).toEqual(['no newline']);
    expect(call('Lines', 'nope')).toEqual([]);
    expect(() => call('Lines', 'empty.txt')).toThrow('index out of range [-1]');
  });
  it('AsConfig and AsSecrets key by base name, sorted, as YAML', () => {
    expect(FILES_TYPE.methods.get('AsConfig')!.impl(call('Glob', 'config/**'))).toBe('app.ini: |\n  [s]\napp.yaml: |\n  a: 1\ndeep.txt: |\n  deep');
    expect(FILES_TYPE.methods.get('AsSecrets')!.impl(call('Glob', 'secrets/*'))).toBe('token: czNjcjN0');
  });
});
