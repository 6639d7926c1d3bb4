/**
 * Shape tests for sprig functions whose output is random or time-dependent (so it cannot
 * be compared with helm byte for byte): certificates parse with node's X509Certificate,
 * chain to their CA and carry the requested names; keys parse and match; bcrypt hashes
 * verify; AES round-trips; uuids are v4.
 */
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ExecError, GoStruct, TemplateSet, fromJS } from '../template/index.js';
import { bcryptCompare } from './bcrypt.js';
import { sprigFuncs } from './index.js';

function render(template: string, values: unknown = {}): string {
  const set = new TemplateSet({ funcs: sprigFuncs() });
  set.parse('t', template);
  return set.execute('t', fromJS({ Values: values }));
}

function call(name: string, ...args: unknown[]): unknown {
  return (sprigFuncs()[name]!.impl as (...a: unknown[]) => unknown)(...args);
}

const certOf = (c: unknown): { cert: string; key: string } => {
  const s = c as GoStruct;
  return { cert: s.fields.Cert as string, key: s.fields.Key as string };
};

describe('certificates', () => {
  it('genCA makes a self-signed CA that signs genSignedCert leaves', () => {
    const ca = certOf(call('genCA', 'my-ca', 365n));
    expect(ca.cert).toMatch(/^-----BEGIN CERTIFICATE-----\n(?:[A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE-----\n$/);
    expect(ca.key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    const caX = new X509Certificate(ca.cert);
    expect(caX.subject).toBe('CN=my-ca');
    expect(caX.issuer).toBe('CN=my-ca');
    expect(caX.ca).toBe(true);
    expect(caX.verify(caX.publicKey)).toBe(true);
    expect(caX.checkPrivateKey(createPrivateKey(ca.key))).toBe(true);
    const days = (Date.parse(caX.validTo) - Date.parse(caX.validFrom)) / 86400000;
    expect(days).toBe(365);
    expect((createPublicKey(ca.key).asymmetricKeyDetails?.modulusLength)).toBe(2048);

    const leafV = call('genSignedCert', 'foo.example.com', ['10.0.0.1', '::1'], ['foo.example.com', 'bar'], 30n, new GoStruct((call('genCA', 'x', 1n) as GoStruct).structType, { Cert: ca.cert, Key: ca.key }));
    const leaf = certOf(leafV);
    const leafX = new X509Certificate(leaf.cert);
    expect(leafX.subject).toBe('CN=foo.example.com');
    expect(leafX.issuer).toBe('CN=my-ca');
    expect(leafX.ca).toBe(false);
    expect(leafX.verify(caX.publicKey)).toBe(true);
    expect(leafX.checkIssued(caX)).toBe(true);
    expect(leafX.checkPrivateKey(createPrivateKey(leaf.key))).toBe(true);
    expect(leafX.subjectAltName).toBe('DNS:foo.example.com, DNS:bar, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(leafX.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  });

  it('works from templates, with typed results and the certificate struct', () => {
    const out = render('{{ $ca := genCA "ca" 10 }}{{ typeOf $ca }} {{ $c := genSelfSignedCert "me" nil (list "a.b") 5 }}{{ hasPrefix "-----BEGIN CERTIFICATE-----" $c.Cert }} {{ hasPrefix "-----BEGIN RSA PRIVATE KEY-----" $c.Key }}');
    expect(out).toBe('sprig.certificate true true');
  });

  it('genSelfSignedCertWithKey / genCAWithKey / genSignedCertWithKey reuse the given keys', () => {
    for (const typ of ['ecdsa', 'ed25519']) {
      const key = call('genPrivateKey', typ) as string;
      const c = certOf(call('genSelfSignedCertWithKey', 'k', null, null, 1n, key));
      const x = new X509Certificate(c.cert);
      expect(x.verify(x.publicKey)).toBe(true);
      expect(c.key).toBe(key);
      const ca = certOf(call('genCAWithKey', 'ca', 1n, key));
      expect(new X509Certificate(ca.cert).ca).toBe(true);
      const leaf = certOf(call('genSignedCertWithKey', 'leaf', null, null, 1n, (call('genCAWithKey', 'ca', 1n, key) as GoStruct), key));
      expect(new X509Certificate(leaf.cert).verify(createPublicKey(key))).toBe(true);
    }
  });

  it('buildCustomCert accepts a valid pair', () => {
    const ca = certOf(call('genCA', 'c', 1n));
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    const c = certOf(call('buildCustomCert', b64(ca.cert), b64(ca.key)));
    expect(c).toEqual(ca);
  });
});

describe('keys', () => {
  it('genPrivateKey ecdsa / ed25519 / rsa in Go\'s PEM forms', () => {
    const ec = call('genPrivateKey', 'ecdsa') as string;
    expect(ec).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    expect(createPrivateKey(ec).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const ed = call('genPrivateKey', 'ed25519') as string;
    expect(ed).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(createPrivateKey(ed).asymmetricKeyType).toBe('ed25519');
    const rsa = call('genPrivateKey', '') as string;
    expect(rsa).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(createPrivateKey(rsa).asymmetricKeyDetails?.modulusLength).toBe(4096);
  });

  it('genPrivateKey dsa writes Go\'s DSA PRIVATE KEY layout (version, p, q, g, y, x)', () => {
    const dsa = call('genPrivateKey', 'dsa') as string;
    expect(dsa).toMatch(/^-----BEGIN DSA PRIVATE KEY-----\n/);
    // The PEM is accepted back by the *WithKey functions' parser (certificate creation
    // then fails like Go's, which cannot sign with DSA).
    expect(() => call('genCAWithKey', 'x', 1n, dsa)).toThrow(/only RSA, ECDSA and Ed25519|crypto.Signer/);
  }, 60_000);
});

describe('random and time-dependent values', () => {
  it('bcrypt and htpasswd hashes verify', () => {
    const h = call('bcrypt', 'secret') as string;
    expect(h).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(bcryptCompare(h, Buffer.from('secret'))).toBe(true);
    expect(bcryptCompare(h, Buffer.from('other'))).toBe(false);
    const line = call('htpasswd', 'user', 'pw') as string;
    expect(line.startsWith('user:$2a$10$')).toBe(true);
    expect(bcryptCompare(line.slice(5), Buffer.from('pw'))).toBe(true);
    expect(call('bcrypt', 'x'.repeat(73))).toBe('failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes');
  });

  it('encryptAES / decryptAES round-trip', () => {
    const out = render('{{ encryptAES "k" "hello" | decryptAES "k" }} {{ encryptAES "a-very-long-password-longer-than-32-bytes" "é" | decryptAES "a-very-long-password-longer-than-32-bytes" }}');
    expect(out).toBe('hello é');
    const c = call('encryptAES', 'k', 'hello') as string;
    expect(Buffer.from(c, 'base64').length).toBe(32);
  });

  it('uuidv4, rand*, randBytes, shuffle', () => {
    const out = render('{{ uuidv4 }}');
    expect(out).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(render('{{ randAlphaNum 64 }}')).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(render('{{ randAlpha 64 }}')).toMatch(/^[A-Za-z]{64}$/);
    expect(render('{{ randNumeric 64 }}')).toMatch(/^[0-9]{64}$/);
    expect(render('{{ randAscii 64 }}')).toMatch(/^[\x20-\x7e]{64}$/);
    expect(Buffer.from(render('{{ randBytes 33 }}'), 'base64').length).toBe(33);
    expect([...render('{{ shuffle "abcdef" }}')].sort().join('')).toBe('abcdef');
    const n = Number(render('{{ randInt 3 6 }}'));
    expect(n >= 3 && n < 6).toBe(true);
  });

  it('now, ago, date with the current time', () => {
    expect(render('{{ now | date "2006" }}')).toBe(String(new Date().getFullYear()));
    expect(render('{{ now }}')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4} \S+ m=\+\d+\.\d{9}$/);
    expect(render('{{ ago now }}')).toBe('0s');
    expect(render('{{ (now | dateModify "-2h") | ago }}')).toBe('2h0m0s');
    expect(render('{{ durationRound (now | dateModify "-49h") }}')).toBe('2d');
    expect(Math.abs(Number(render('{{ now | unixEpoch }}')) - Date.now() / 1000)).toBeLessThan(5);
  });

  it('errors carry Go\'s messages', () => {
    expect(() => render('{{ genSignedCert "x" nil nil 1 (genCA "c" 1) | toString }}{{ buildCustomCert "eA==" "eA==" }}')).toThrow(ExecError);
  });
});

describe('interop with the reference helm', () => {
  it('helm accepts the certificates and keys made here', async () => {
    const { helm } = await import('../../../test/helpers/helm.js');
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const ca = certOf(call('genCA', 'interop-ca', 10n));
    const ec = call('genPrivateKey', 'ecdsa') as string;
    const ed = call('genPrivateKey', 'ed25519') as string;
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    const dir = mkdtempSync(join(tmpdir(), 'sprig-interop-'));
    try {
      mkdirSync(join(dir, 'templates'));
      writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: interop\nversion: 0.1.0\n');
      writeFileSync(join(dir, 'values.yaml'), JSON.stringify({ cert: b64(ca.cert), key: b64(ca.key), ec, ed }));
      writeFileSync(join(dir, 'templates', 'a.yaml'), [
        'a: {{ $ca := buildCustomCert .Values.cert .Values.key }}{{ $ca.Cert | sha256sum }}',
        'b: {{ $leaf := genSignedCert "leaf" nil (list "x.y") 1 $ca }}{{ $leaf.Cert | b64enc }}',
        'c: {{ (genSelfSignedCertWithKey "e" nil nil 1 .Values.ec).Key | sha256sum }}',
        'd: {{ (genSelfSignedCertWithKey "e" nil nil 1 .Values.ed).Key | sha256sum }}',
      ].join('\n') + '\n');
      const r = helm(['template', 'rel', dir]);
      expect(r.stderr).toBe('');
      const line = (k: string): string => new RegExp(`^${k}: (.*)$`, 'm').exec(r.stdout)![1]!;
      expect(line('a')).toBe(call('sha256sum', ca.cert));
      const leaf = new X509Certificate(Buffer.from(line('b'), 'base64').toString());
      expect(leaf.verify(new X509Certificate(ca.cert).publicKey)).toBe(true);
      expect(leaf.issuer).toBe('CN=interop-ca');
      expect(line('c')).toBe(call('sha256sum', ec));
      expect(line('d')).toBe(call('sha256sum', ed));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
