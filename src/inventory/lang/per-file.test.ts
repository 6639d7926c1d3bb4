import { describe, expect, it } from 'vitest';
import { madeFile } from '../../../test/helpers/image-content-fixtures.js';
import { isPlainToken, parseJson, readEach, shortText } from './per-file.js';

describe('readEach: one gap per bad file, never an exception', () => {
  it('a parser that throws becomes a gap naming the file, and the next file is still read', () => {
    const r = readEach([madeFile('/a', 'x'), madeFile('/b', 'y')], 100, (f) => {
      if (f.path === '/a') throw new Error('boom\nwith a second line');
      return { packages: [{ type: 't', name: 'n', version: '1', paths: [f.path], confidence: 'exact' }], problems: [] };
    });
    expect(r.gaps).toEqual([{ path: '/a', reason: 'could not be read: boom?with a second line' }]);
    expect(r.packages.map((p) => p.paths[0])).toEqual(['/b']);
  });
  it('a file over the limit is not handed to the parser', () => {
    let called = false;
    const r = readEach([madeFile('/a', 'x'.repeat(101))], 100, () => {
      called = true;
      return { packages: [], problems: [] };
    });
    expect(called).toBe(false);
    expect(r.gaps[0]!.reason).toBe('file of 101 bytes is over the 100-byte limit for this analyser: not read');
  });
});

describe('helpers', () => {
  it('shortText replaces control characters and cuts long text', () => {
    expect(shortText('a\u0000b\u001bc\u009bd')).toBe('a?b?c?d');
    expect(shortText('x'.repeat(200))).toBe('x'.repeat(120) + '…');
  });
  it('isPlainToken', () => {
    expect(isPlainToken('1.0.0-rc.1+b')).toBe(true);
    for (const bad of ['', ' 1', '1 0', '1\u0000', 'x'.repeat(257)]) expect(isPlainToken(bad)).toBe(false);
  });
  it('parseJson drops a byte order mark and reports errors briefly', () => {
    expect(parseJson(Buffer.from('\ufeff[1]'))).toEqual({ ok: true, value: [1] });
    const bad = parseJson(Buffer.from('{"a":\u0001'));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.reason).toMatch(/^not valid JSON \(/);
  });
});
