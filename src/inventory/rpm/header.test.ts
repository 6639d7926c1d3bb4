import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { headerBlob, packageHeader } from '../../../test/helpers/rpm.js';
import { sharedPath } from '../../../test/helpers/shared.js';
import { MAX_HEADER_BYTES, MAX_HEADER_ENTRIES, parseRpmHeader, splitSourceRpm } from './header.js';

const str = (s: string) => Buffer.from(s + '\0');
const nvr = [
  { tag: 1000, type: 6, data: str('curl') },
  { tag: 1001, type: 6, data: str('7.76.0') },
  { tag: 1002, type: 6, data: str('6.cm2') },
];
/** go-rpmdb's raw header blob (il 69, dl 4144). */
const realBlob = () => readFileSync(sharedPath('testdata', 'images', 'rpm', 'go-rpmdb-blob', 'blob.bin'));
const withInt32 = (b: Buffer, at: number, v: number) => {
  const c = Buffer.from(b);
  c.writeInt32BE(v, at);
  return c;
};

describe('rpm header blob: what is read', () => {
  it('NAME, VERSION, RELEASE, EPOCH, ARCH, SOURCERPM of a built header', () => {
    const h = parseRpmHeader(packageHeader({ name: 'vim', version: '9.0', release: '1.cm2', epoch: 2, arch: 'x86_64', sourceRpm: 'vim-9.0-1.cm2.src.rpm' }));
    expect(h).toEqual({ ok: true, header: { name: 'vim', version: '9.0', release: '1.cm2', epoch: 2, arch: 'x86_64', sourceRpm: 'vim-9.0-1.cm2.src.rpm' } });
  });

  it('EPOCH 0 is kept (rpm prints 0, not "(none)"); no EPOCH tag means no epoch', () => {
    expect(parseRpmHeader(packageHeader({ name: 'a', version: '1', release: '1', epoch: 0 }))).toMatchObject({ ok: true, header: { epoch: 0 } });
    const h = parseRpmHeader(packageHeader({ name: 'a', version: '1', release: '1' }));
    expect(h.ok && 'epoch' in h.header).toBe(false);
  });

  it('"(none)" and empty strings are no value (gpg-pubkey headers say SOURCERPM "(none)")', () => {
    const h = parseRpmHeader(packageHeader({ name: 'gpg-pubkey', version: 'fd431d51', release: '4ae0493b', arch: '(none)', sourceRpm: '(none)' }));
    expect(h).toEqual({ ok: true, header: { name: 'gpg-pubkey', version: 'fd431d51', release: '4ae0493b' } });
  });

  it('a later entry for the same tag wins (the dribble entries of an installed header)', () => {
    const h = parseRpmHeader(headerBlob([...nvr, { tag: 1002, type: 6, data: str('7.cm2') }]));
    expect(h).toMatchObject({ ok: true, header: { release: '7.cm2' } });
  });

  it('trailing bytes after the data store are ignored', () => {
    expect(parseRpmHeader(Buffer.concat([headerBlob(nvr), Buffer.alloc(7)]))).toMatchObject({ ok: true, header: { name: 'curl' } });
  });
});

describe('rpm header blob: hostile and damaged blobs are a reason, never a throw', () => {
  const cases: [string, Buffer, RegExp][] = [
    ['empty', Buffer.alloc(0), /^header blob of 0 bytes is truncated/],
    ['7 bytes', Buffer.alloc(7), /^header blob of 7 bytes is truncated/],
    ['no entries (il 0)', withInt32(headerBlob(nvr), 0, 0), /^header declares 0 index entries \(1 to 65535 allowed\)$/],
    ['negative il', withInt32(headerBlob(nvr), 0, -1), /^header declares -1 index entries/],
    [`il above rpm's bound (${MAX_HEADER_ENTRIES + 1})`, withInt32(headerBlob(nvr), 0, MAX_HEADER_ENTRIES + 1), /^header declares 65536 index entries/],
    ['il at the bound but the blob far shorter', withInt32(headerBlob(nvr), 0, MAX_HEADER_ENTRIES), /^header declares \d+ bytes \(65535 entries, \d+ data bytes\) but the blob holds \d+$/],
    ['negative dl', withInt32(headerBlob(nvr), 4, -5), /^header declares -5 data bytes/],
    [`dl above ${MAX_HEADER_BYTES}`, withInt32(headerBlob(nvr), 4, MAX_HEADER_BYTES + 1), /^header declares 67108865 data bytes \(at most 67108864 allowed\)$/],
    ['blob truncated inside the data store', realBlob().subarray(0, 3000), /^header declares 5256 bytes \(69 entries, 4144 data bytes\) but the blob holds 3000$/],
    ['blob truncated inside the index', realBlob().subarray(0, 500), /^header declares 5256 bytes/],
    ['NAME offset past the data store', withInt32(headerBlob(nvr), 8 + 8, 1 << 20), /^tag NAME: data offset 1048576 is outside the \d+-byte data store$/],
    ['NAME offset negative', withInt32(headerBlob(nvr), 8 + 8, -4), /^tag NAME: data offset -4 is outside/],
    ['NAME typed int32', withInt32(headerBlob(nvr), 8 + 4, 4), /^tag NAME: type 4, expected a string$/],
    ['string without its NUL', headerBlob([...nvr.slice(0, 2), { tag: 1002, type: 6, data: Buffer.from('6.cm2') }]), /^tag RELEASE: string at \d+ is not terminated inside the data store$/],
    ['EPOCH typed string', headerBlob([...nvr, { tag: 1003, type: 6, data: str('1') }]), /^tag EPOCH: type 6 count 1, expected an int32$/],
    ['EPOCH with count 0', headerBlob([...nvr, { tag: 1003, type: 4, data: Buffer.alloc(4), count: 0 }]), /^tag EPOCH: type 4 count 0/],
    ['EPOCH value past the data store', headerBlob([...nvr, { tag: 1003, type: 4, data: Buffer.alloc(2) }]), /^tag EPOCH: value at \d+ runs past the \d+-byte data store$/],
    ['no NAME', headerBlob(nvr.slice(1)), /^header has no NAME tag$/],
    ['no RELEASE', headerBlob(nvr.slice(0, 2)), /^header has no RELEASE tag$/],
    ['empty VERSION', headerBlob([nvr[0]!, { tag: 1001, type: 6, data: str('') }, nvr[2]!]), /^header has no VERSION tag$/],
  ];
  for (const [what, blob, reason] of cases) {
    it(what, () => {
      const r = parseRpmHeader(blob);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(reason);
    });
  }

  it('every truncation of a real blob is a reason or a header, never a throw', () => {
    const blob = realBlob();
    for (let n = 0; n <= blob.length; n += 7) {
      const r = parseRpmHeader(blob.subarray(0, n));
      expect(r.ok).toBe(n >= 5256);
    }
  });
});

describe('source rpm file names', () => {
  const cases: [string, ReturnType<typeof splitSourceRpm>][] = [
    ['util-linux-2.32.1-42.el8_8.src.rpm', { name: 'util-linux', version: '2.32.1', release: '42.el8_8' }],
    ['gcc11-11.2.1+git610-1.3.9.src.rpm', { name: 'gcc11', version: '11.2.1+git610', release: '1.3.9' }],
    ['publicsuffix-list-20210518-2.fc35.src.rpm', { name: 'publicsuffix-list', version: '20210518', release: '2.fc35' }],
    ['ca-certificates-mozilla-prebuilt-2021.10.26-150000.3.5.1.nosrc.rpm', { name: 'ca-certificates-mozilla-prebuilt', version: '2021.10.26', release: '150000.3.5.1' }],
    ['foo-1.0-1.src', { name: 'foo', version: '1.0', release: '1' }],
    ['foo-1.0.src.rpm', null],
    ['foo.src.rpm', null],
    ['-1.0-1.src.rpm', null],
    ['(none)', null],
    ['', null],
  ];
  for (const [file, want] of cases) {
    it(`${JSON.stringify(file)}`, () => expect(splitSourceRpm(file)).toEqual(want));
  }
});
