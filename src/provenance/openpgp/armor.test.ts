import { describe, expect, it } from 'vitest';
import { decodeArmor, decodeClearsigned, encodeArmor } from './armor.js';

const sig = encodeArmor('SIGNATURE', Buffer.from([1, 2, 3])).replace(/^-----BEGIN PGP SIGNATURE-----\n/, '');

describe('decodeClearsigned', () => {
  it.each([
    ['LF', '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\na\nb\n-----BEGIN PGP SIGNATURE-----\n', 'a\r\nb', 'a\nb\n'],
    ['CRLF', '-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA512\r\n\r\na\r\nb\r\n-----BEGIN PGP SIGNATURE-----\r\n', 'a\r\nb', 'a\nb\n'],
    ['trailing spaces and tabs dropped', '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\na  \t\nb \n-----BEGIN PGP SIGNATURE-----\n', 'a\r\nb', 'a\nb\n'],
    ['a dash-escaped empty line (helm and gpg verify it)', '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\na\n- \nb\n-----BEGIN PGP SIGNATURE-----\n', 'a\r\n\r\nb', 'a\n\nb\n'],
    ['dash-escaped lines', '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n- -----x\n- ...\n-----BEGIN PGP SIGNATURE-----\n', '-----x\r\n...', '-----x\n...\n'],
    ['a blank last line (helm v4)', '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\na\n\n-----BEGIN PGP SIGNATURE-----\n', 'a\r\n', 'a\n\n'],
    ['text before the message', 'junk\n-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\na\n-----BEGIN PGP SIGNATURE-----\n', 'a', 'a\n'],
  ])('%s', (_, head, signed, plain) => {
    const m = decodeClearsigned(head + sig)!;
    expect(m.signedBytes.toString()).toBe(signed);
    expect(m.plaintext).toBe(plain);
    expect([...m.signature]).toEqual([1, 2, 3]);
  });

  it.each([
    ['no message', 'hello\n'],
    ['no signature', '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\na\n'],
    ['a header without a colon', '-----BEGIN PGP SIGNED MESSAGE-----\nHash SHA512\n\na\n-----BEGIN PGP SIGNATURE-----\n' + sig],
    ['a header other than Hash (helm: signature block not found)', '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\nComment: hi\n\na\n-----BEGIN PGP SIGNATURE-----\n' + sig],
  ])('null for %s', (_, text) => {
    expect(decodeClearsigned(text)).toBeNull();
  });
});

describe('decodeArmor', () => {
  it('reads several blocks and checks the checksum', () => {
    const two = encodeArmor('PUBLIC KEY BLOCK', Buffer.from('one')) + 'between\n' + encodeArmor('PUBLIC KEY BLOCK', Buffer.from('two'));
    expect(decodeArmor(two).map((b) => b.data.toString())).toEqual(['one', 'two']);
    const broken = encodeArmor('PUBLIC KEY BLOCK', Buffer.from('one')).replace(/=(....)\n/, '=AAAA\n');
    expect(() => decodeArmor(broken)).toThrow('checksum mismatch');
    expect(() => decodeArmor('-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nb25l\n')).toThrow('no END line');
  });
});
