import { describe, expect, it } from 'vitest';
import { DEFAULT_BLOB_LIMITS } from './blobs.js';
import { readRpmManifest } from './manifest.js';

const line = (fields: string[]) => fields.join('\t');
const vim = ['vim', '9.0-1.cm2', '1653816591', '1653753130', 'Microsoft Corporation', '2', '45000', 'x86_64', '2', 'vim-9.0-1.cm2.src.rpm'];

describe('container-manifest-2 lines', () => {
  const cases: [string, string, ReturnType<typeof readRpmManifest>][] = [
    ['a full line with an epoch', line(vim), { packages: [{ name: 'vim', version: '9.0', release: '1.cm2', epoch: 2, arch: 'x86_64', sourceRpm: 'vim-9.0-1.cm2.src.rpm' }], problems: [] }],
    ['CRLF line ends and blank lines', `\r\n${line(vim)}\r\n\r\n`, { packages: [{ name: 'vim', version: '9.0', release: '1.cm2', epoch: 2, arch: 'x86_64', sourceRpm: 'vim-9.0-1.cm2.src.rpm' }], problems: [] }],
    ['"(none)" epoch, arch and source rpm', line(['gpg', '1-2', '0', '0', 'x', '(none)', '0', '(none)', '0', '(none)']), { packages: [{ name: 'gpg', version: '1', release: '2' }], problems: [] }],
    ['a version without a release', line(['a', '1.0', '0', '0', 'x', '(none)', '0', 'noarch', '0', 'a-1.0.src.rpm']), { packages: [{ name: 'a', version: '1.0', release: '', arch: 'noarch', sourceRpm: 'a-1.0.src.rpm' }], problems: [] }],
    ['too few fields', 'vim\t9.0-1.cm2\t1', { packages: [], problems: ['line 1: 3 tab-separated fields, expected 10 with a name and a version'] }],
    ['no name', line(['', ...vim.slice(1)]), { packages: [], problems: ['line 1: 10 tab-separated fields, expected 10 with a name and a version'] }],
    ['an epoch that is not a number', line([...vim.slice(0, 5), '1e99', ...vim.slice(6)]), { packages: [], problems: ['line 1: epoch "1e99" is not a number'] }],
    ['an absurd epoch', line([...vim.slice(0, 5), '99999999999999999999', ...vim.slice(6)]), { packages: [], problems: ['line 1: epoch "99999999999999999999" is not a number'] }],
    ['binary junk', '\u0000\u0001\u0002', { packages: [], problems: ['line 1: 1 tab-separated fields, expected 10 with a name and a version'] }],
  ];
  for (const [what, text, want] of cases) {
    it(what, () => expect(readRpmManifest(text)).toEqual(want));
  }

  it('limits: maxPackages, and problems listed up to maxProblems then counted', () => {
    const text = Array.from({ length: 50 }, () => line(vim)).join('\n') + '\n' + Array.from({ length: 30 }, () => 'junk').join('\n');
    expect(readRpmManifest(text, { ...DEFAULT_BLOB_LIMITS, maxPackages: 10 })).toEqual({ packages: Array(10).fill(expect.objectContaining({ name: 'vim' })), problems: ['more than 10 packages: the rest is not read'] });
    const r = readRpmManifest(text, { ...DEFAULT_BLOB_LIMITS, maxProblems: 5 });
    expect(r.packages).toHaveLength(50);
    expect(r.problems).toHaveLength(6);
    expect(r.problems.at(-1)).toBe('25 more problems like these');
  });
});
