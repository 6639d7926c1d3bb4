/**
 * Provenance against the real tools: helm v4.1.4 signs and we verify; we sign and helm
 * verifies; keys and signatures come from GnuPG; helm's own test vectors behave as in helm.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeAllGpg, Gpg } from './helpers/gpg.js';
import { helm } from './helpers/helm.js';
import { projectRoot, runCli } from './helpers/cli.js';

const vectors = join(projectRoot, '..', 'shared', 'testdata', 'helm-provenance');
const work = mkdtempSync(join(tmpdir(), 'chartaudit-prov-'));
const chartSrc = join(projectRoot, 'fixtures', 'charts', 'signme');

const gpg = new Gpg();
const stranger = new Gpg();
const k: Record<string, string> = {};

/** helm package --sign into its own folder; returns the .tgz path. */
function helmSign(name: string, key: string, keyring: string, passphraseFile?: string): string {
  const out = join(work, name);
  mkdirSync(out, { recursive: true });
  const r = helm(['package', '--sign', '--key', key, '--keyring', keyring, ...(passphraseFile ? ['--passphrase-file', passphraseFile] : []), '-d', out, chartSrc]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return join(out, 'signme-0.1.0.tgz');
}

/** A copy of a signed chart (tgz + prov) in a fresh folder, to tamper with. */
function copySigned(tgz: string, name: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const dest = join(dir, 'signme-0.1.0.tgz');
  copyFileSync(tgz, dest);
  copyFileSync(`${tgz}.prov`, `${dest}.prov`);
  return dest;
}

beforeAll(() => {
  k.rsaFpr = gpg.genKey('Chart Signer <signer@example.test>', { algo: 'rsa2048' });
  k.edFpr = gpg.genKey('Ed Signer <ed@example.test>', { algo: 'ed25519', passphrase: 'hunter2' });
  stranger.genKey('Stranger <stranger@example.test>', { algo: 'ed25519' });
  k.pubBin = gpg.write(join(work, 'pubring.gpg'), gpg.exportPublic());
  k.pubAsc = gpg.write(join(work, 'pubring.asc'), gpg.exportPublic([], true));
  k.pubKbx = join(gpg.home, 'pubring.kbx');
  k.rsaSec = gpg.write(join(work, 'rsa-sec.gpg'), gpg.exportSecret([k.rsaFpr]));
  k.rsaSecAsc = gpg.write(join(work, 'rsa-sec.asc'), gpg.exportSecret([k.rsaFpr], { armor: true }));
  k.edSec = gpg.write(join(work, 'ed-sec.gpg'), gpg.exportSecret([k.edFpr], { passphrase: 'hunter2' }));
  k.pass = gpg.write(join(work, 'pass.txt'), 'hunter2\n');
  k.strangerPub = stranger.write(join(work, 'stranger.gpg'), stranger.exportPublic());
  k.rsaTgz = helmSign('helm-rsa', 'Chart Signer', k.rsaSec);
  k.edTgz = helmSign('helm-ed', 'Ed Signer', k.edSec, k.pass);
}, 120_000);

afterAll(() => {
  disposeAllGpg();
  rmSync(work, { recursive: true, force: true });
});

describe('charts signed by helm verify with chartaudit', () => {
  it.each([
    ['RSA, binary keyring', 'rsaTgz', 'pubBin', 'Chart Signer <signer@example.test>', 'rsaFpr'],
    ['RSA, armored keyring', 'rsaTgz', 'pubAsc', 'Chart Signer <signer@example.test>', 'rsaFpr'],
    ['RSA, GnuPG keybox', 'rsaTgz', 'pubKbx', 'Chart Signer <signer@example.test>', 'rsaFpr'],
    ['RSA, secret keyring as keyring', 'rsaTgz', 'rsaSec', 'Chart Signer <signer@example.test>', 'rsaFpr'],
    ['ed25519, binary keyring', 'edTgz', 'pubBin', 'Ed Signer <ed@example.test>', 'edFpr'],
    ['ed25519, armored keyring', 'edTgz', 'pubAsc', 'Ed Signer <ed@example.test>', 'edFpr'],
    ['ed25519, GnuPG keybox', 'edTgz', 'pubKbx', 'Ed Signer <ed@example.test>', 'edFpr'],
  ])('%s', async (_, tgz, ring, signer, fpr) => {
    const r = await runCli(['verify', k[tgz]!, '--keyring', k[ring]!]);
    const sha = (await import('node:crypto')).createHash('sha256').update(readFileSync(k[tgz]!)).digest('hex');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Signed by: ${signer}\nUsing Key With Fingerprint: ${k[fpr]}\nChart Hash Verified: sha256:${sha}\n`);
  });

  it('agrees with helm verify on the same files', async () => {
    const h = helm(['verify', '--keyring', k.pubBin!, k.rsaTgz!]);
    const ours = await runCli(['verify', k.rsaTgz!, '--keyring', k.pubBin!]);
    expect(h.status).toBe(0);
    expect(ours.stdout.startsWith(h.stdout)).toBe(true);
  });
});

describe('provenance written by chartaudit sign verifies with helm', () => {
  it.each([
    ['RSA, binary secret keyring', 'rsa-sign', 'Chart Signer', 'rsaSec', undefined],
    ['RSA, armored secret keyring', 'rsa-sign-asc', 'signer@example.test', 'rsaSecAsc', undefined],
    ['ed25519 with passphrase file', 'ed-sign', 'Ed Signer', 'edSec', 'pass'],
  ])('%s', async (_, dir, key, ring, pass) => {
    // Sign a chart that helm packaged (unsigned) so helm reads the archive it made itself.
    const out = join(work, dir);
    mkdirSync(out, { recursive: true });
    expect(helm(['package', '-d', out, chartSrc]).status).toBe(0);
    const tgz = join(out, 'signme-0.1.0.tgz');
    const r = await runCli(['sign', tgz, '--key', key, '--keyring', k[ring]!, ...(pass ? ['--passphrase-file', k[pass]!] : [])]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const prov = readFileSync(`${tgz}.prov`, 'utf8');
    expect(prov).toMatch(/^-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n/);
    expect(prov).toContain('\n...\nfiles:\n  signme-0.1.0.tgz: sha256:');
    const h = helm(['verify', '--keyring', k.pubBin!, tgz]);
    expect(h.stderr).toBe('');
    expect(h.status).toBe(0);
    expect(h.stdout).toContain('Chart Hash Verified: sha256:');
    // and gpg agrees the signature is good
    expect(() => gpg.run(['--verify'], { input: prov })).not.toThrow();
  });

  it('refuses a key that is not there, an ambiguous one, and a public keyring', async () => {
    const tgz = copySigned(k.rsaTgz!, 'sign-errors');
    expect(await runCli(['sign', tgz, '--key', 'Nobody', '--keyring', k.rsaSec!])).toMatchObject({ code: 2, stderr: expect.stringContaining('private key not found') });
    const both = gpg.write(join(work, 'both-sec.gpg'), Buffer.concat([readFileSync(k.rsaSec!), readFileSync(k.edSec!)]));
    expect(await runCli(['sign', tgz, '--key', 'Signer', '--keyring', both, '--passphrase-file', k.pass!])).toMatchObject({ code: 2, stderr: expect.stringContaining('more than one key contain the id "Signer"') });
    expect(await runCli(['sign', tgz, '--key', 'Chart Signer', '--keyring', k.pubBin!])).toMatchObject({ code: 2, stderr: expect.stringContaining('not a private key') });
    const wrong = gpg.write(join(work, 'wrong.txt'), 'nope\n');
    expect(await runCli(['sign', tgz, '--key', 'Ed Signer', '--keyring', k.edSec!, '--passphrase-file', wrong])).toMatchObject({ code: 2, stderr: expect.stringContaining('wrong passphrase') });
  });
});

describe("helm's own test vectors", () => {
  const v = (f: string) => join(vectors, f);
  it.each([
    ['signtest with its key', 'signtest-0.1.0.tgz', 'signtest-0.1.0.tgz.prov', 'helm-test-key.pub', 0, 'Chart Hash Verified: sha256:e5ef611620fb97704d8751c16bab17fedb68883bfb0edc76f78a70e9173f9b55'],
    ['hashtest with its key', 'hashtest-1.2.3.tgz', 'hashtest-1.2.3.tgz.prov', 'helm-test-key.pub', 0, 'Using Key With Fingerprint: 5E615389B53CA37F0EE60BD3843BBF981FC18762'],
    ['hashtest with the mixed RSA/ed25519 keyring', 'hashtest-1.2.3.tgz', 'hashtest-1.2.3.tgz.prov', 'helm-mixed-keyring.pub', 0, 'Chart Hash Verified: sha256:c6841b3a'],
    ['GnuPG-made msgblock.yaml.asc as the prov', 'hashtest-1.2.3.tgz', 'msgblock.yaml.asc', 'helm-test-key.pub', 0, 'Chart Hash Verified: sha256:c6841b3a'],
    ['tampered message block', 'hashtest-1.2.3.tgz', 'msgblock.yaml.tampered', 'helm-test-key.pub', 1, 'invalid signature: RSA verification failure'],
    ['prov of another chart', 'signtest-0.1.0.tgz', 'hashtest-1.2.3.tgz.prov', 'helm-test-key.pub', 1, 'provenance does not contain a SHA for a file named "signtest-0.1.0.tgz"'],
  ])('%s', async (_, tgz, prov, ring, code, text) => {
    const dir = mkdtempSync(join(work, 'vec-'));
    copyFileSync(v(tgz), join(dir, tgz));
    copyFileSync(v(prov), join(dir, `${tgz}.prov`));
    const ours = await runCli(['verify', join(dir, tgz), '--keyring', v(ring)]);
    const theirs = helm(['verify', '--keyring', v(ring), join(dir, tgz)]);
    expect(ours.code).toBe(code);
    expect(theirs.status).toBe(code); // helm exits 1 on every failure too
    expect(code === 0 ? ours.stdout : ours.stderr).toContain(text);
    if (code === 0) expect(ours.stdout.startsWith(theirs.stdout)).toBe(true);
  });
});

describe('forgeries are refused (exit 1, specific message)', () => {
  it('a changed archive with the original .prov', async () => {
    const tgz = copySigned(k.rsaTgz!, 'forge-archive');
    writeFileSync(tgz, Buffer.concat([readFileSync(tgz), Buffer.from([0])]));
    const r = await runCli(['verify', tgz, '--keyring', k.pubBin!]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/sha256 sum does not match for signme-0\.1\.0\.tgz: "sha256:[0-9a-f]{64}" != "sha256:[0-9a-f]{64}"/);
  });
  it('a .prov whose digest was edited', async () => {
    const tgz = copySigned(k.rsaTgz!, 'forge-digest');
    const prov = readFileSync(`${tgz}.prov`, 'utf8').replace(/sha256:([0-9a-f])/, (_, c: string) => `sha256:${c === '0' ? '1' : '0'}`);
    writeFileSync(`${tgz}.prov`, prov);
    const r = await runCli(['verify', tgz, '--keyring', k.pubBin!]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('invalid signature: RSA verification failure');
    expect(helm(['verify', '--keyring', k.pubBin!, tgz]).stderr).toContain('RSA verification failure');
  });
  it('an ed25519 .prov whose digest was edited', async () => {
    const tgz = copySigned(k.edTgz!, 'forge-digest-ed');
    writeFileSync(`${tgz}.prov`, readFileSync(`${tgz}.prov`, 'utf8').replace('name: signme', 'name: evil'));
    const r = await runCli(['verify', tgz, '--keyring', k.pubBin!]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('invalid signature: EdDSA verification failure');
  });
  it('a key not in the keyring', async () => {
    const r = await runCli(['verify', k.rsaTgz!, '--keyring', k.strangerPub!]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`signature made by unknown entity: key ${k.rsaFpr} is not in the keyring`);
  });
  it('no .prov', async () => {
    const dir = join(work, 'noprov');
    mkdirSync(dir, { recursive: true });
    copyFileSync(k.rsaTgz!, join(dir, 'signme-0.1.0.tgz'));
    const r = await runCli(['verify', join(dir, 'signme-0.1.0.tgz'), '--keyring', k.pubBin!]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('could not load provenance file');
  });
  it.each([
    ['not clearsigned at all', 'just some text\n', 'signature block not found'],
    ['a detached armored signature', '-----BEGIN PGP SIGNATURE-----\n\nwsBcBAEBCgAQ\n-----END PGP SIGNATURE-----\n', 'signature block not found'],
    ['broken signature armor', '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nhi\n-----BEGIN PGP SIGNATURE-----\n\n!!!!\n-----END PGP SIGNATURE-----\n', 'cannot read the signature'],
    ['signature packet cut short', '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nhi\n-----BEGIN PGP SIGNATURE-----\n\nwsBcBAEBCgAQ\n-----END PGP SIGNATURE-----\n', 'cannot read the signature'],
    ['empty file', '', 'signature block not found'],
  ])('an unparsable .prov: %s', async (_, content, msg) => {
    const tgz = copySigned(k.rsaTgz!, `forge-${msg.length}-${content.length}`);
    writeFileSync(`${tgz}.prov`, content);
    const r = await runCli(['verify', tgz, '--keyring', k.pubBin!]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(msg);
  });
  it('a body without the ... separator, validly signed', async () => {
    const tgz = copySigned(k.rsaTgz!, 'forge-noparts');
    writeFileSync(`${tgz}.prov`, gpg.clearsign('name: signme\nfiles:\n  signme-0.1.0.tgz: sha256:00\n', k.rsaFpr!));
    const r = await runCli(['verify', tgz, '--keyring', k.pubBin!]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('message block must have at least two parts');
  });
  it('a CRLF-converted .prov still verifies (clearsign canonicalisation)', async () => {
    const tgz = copySigned(k.rsaTgz!, 'crlf');
    writeFileSync(`${tgz}.prov`, readFileSync(`${tgz}.prov`, 'utf8').replace(/\n/g, '\r\n'));
    expect((await runCli(['verify', tgz, '--keyring', k.pubBin!])).code).toBe(0);
  });
});

describe('keys: expired, revoked, subkeys', () => {
  it('a key that has expired since it signed fails with "key expired"', async () => {
    const old = new Gpg();
    const fpr = old.genKey('Old Signer <old@example.test>', { algo: 'ed25519', expire: '1d', fakedTime: '20200101T000000' });
    const tgz = copySigned(k.rsaTgz!, 'expired');
    const body = readFileSync(`${tgz}.prov`, 'utf8').split('\n\n').slice(1).join('\n\n').split('-----BEGIN PGP SIGNATURE-----')[0]!;
    writeFileSync(`${tgz}.prov`, old.clearsign(body.replace(/\n$/, '\n'), fpr, { fakedTime: '20200101T120000' }));
    const ring = old.write(join(work, 'old.gpg'), old.exportPublic());
    const r = await runCli(['verify', tgz, '--keyring', ring]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`key expired: key ${fpr} expired on 2020-01-02T`));
    expect(helm(['verify', '--keyring', ring, tgz]).stderr).toContain('openpgp: key expired');
  });
  it('a revoked key fails with "signature made by revoked key"', async () => {
    const g = new Gpg();
    const fpr = g.genKey('Revoked Signer <rev@example.test>', { algo: 'rsa2048' });
    const sec = g.write(join(work, 'rev-sec.gpg'), g.exportSecret([fpr]));
    const tgz = helmSign('revoked', 'Revoked Signer', sec);
    const before = g.write(join(work, 'rev-before.gpg'), g.exportPublic());
    g.revoke(fpr);
    const after = g.write(join(work, 'rev-after.gpg'), g.exportPublic());
    expect((await runCli(['verify', tgz, '--keyring', before])).code).toBe(0);
    const r = await runCli(['verify', tgz, '--keyring', after]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`signature made by revoked key ${fpr} (Revoked Signer <rev@example.test>)`);
    expect(helm(['verify', '--keyring', after, tgz]).stderr).toContain('signature made by revoked key');
  });
  it('a signature by a signing subkey verifies and names the primary key', async () => {
    const g = new Gpg();
    const fpr = g.genKey('Sub Signer <sub@example.test>', { algo: 'ed25519', usage: 'cert' });
    const sub = g.addSigningSubkey(fpr);
    const tgz = copySigned(k.rsaTgz!, 'subkey');
    const body = readFileSync(`${tgz}.prov`, 'utf8').split('\n\n').slice(1).join('\n\n').split('-----BEGIN PGP SIGNATURE-----')[0]!;
    writeFileSync(`${tgz}.prov`, g.clearsign(body, `${sub}!`, { digest: 'SHA256' }));
    const ring = g.write(join(work, 'sub.gpg'), g.exportPublic());
    const r = await runCli(['verify', tgz, '--keyring', ring]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`Using Key With Fingerprint: ${fpr}`);
    expect(helm(['verify', '--keyring', ring, tgz]).stdout).toContain(`Using Key With Fingerprint: ${fpr}`);
  });
});

describe('keyring problems are exit 2', () => {
  it.each([
    ['a text file', 'hello, I am not a keyring\n', 'not a usable keyring'],
    ['random bytes with the MSB set', Buffer.from([0x99, 0x01, 0x0d, 0x04, 0x00]), 'not a usable keyring'],
    ['an empty file', '', 'not a usable keyring'],
    ['armor with a broken checksum', '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBF\n=AAAA\n-----END PGP PUBLIC KEY BLOCK-----\n', 'not a usable keyring'],
  ])('%s', async (_, content, msg) => {
    const f = join(work, `badring-${msg.length}-${content.length}`);
    writeFileSync(f, content);
    const r = await runCli(['verify', k.rsaTgz!, '--keyring', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(msg);
    expect(r.stderr).toContain(f);
    expect(r.stderr.split('\n').length).toBeLessThanOrEqual(3);
  });
  it('a keyring that does not exist', async () => {
    const r = await runCli(['verify', k.rsaTgz!, '--keyring', join(work, 'nope.gpg')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('keyring does not exist');
  });
  it('the default keyring: $GNUPGHOME/pubring.kbx is read when pubring.gpg is absent', async () => {
    const prev = process.env.GNUPGHOME;
    process.env.GNUPGHOME = gpg.home;
    try {
      const r = await runCli(['verify', k.rsaTgz!]);
      expect(r.code).toBe(0);
    } finally {
      if (prev === undefined) delete process.env.GNUPGHOME; else process.env.GNUPGHOME = prev;
    }
  });
});

describe('verify usage errors', () => {
  it.each([
    ['a directory', () => chartSrc, 'unpacked charts cannot be verified'],
    ['not a .tgz name', () => { const f = join(work, 'x.tar.gz'); cpSync(k.rsaTgz!, f); return f; }, 'chart must be a tgz file'],
    ['a missing file', () => join(work, 'missing-1.0.0.tgz'), 'chart does not exist'],
  ])('%s', async (_, path, msg) => {
    const r = await runCli(['verify', path(), '--keyring', k.pubBin!]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(msg);
  });
});
