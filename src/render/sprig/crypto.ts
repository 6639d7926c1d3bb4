/**
 * sprig's crypto.go with node:crypto: hashes, bcrypt/htpasswd, derivePassword (scrypt +
 * HMAC, Master Password algorithm), genPrivateKey (rsa/dsa/ecdsa/ed25519 in Go's PEM
 * forms), certificates built like Go's x509.CreateCertificate (genCA, genCAWithKey,
 * genSelfSignedCert[WithKey], genSignedCert[WithKey], buildCustomCert), encryptAES /
 * decryptAES (AES-256-CBC, sprig's padding) and randBytes.
 */
import {
  X509Certificate, createCipheriv, createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey,
  randomBytes, scryptSync, sign, type KeyObject,
} from 'node:crypto';
import { sha256HexOfText } from '../../hash/sha256.js';
import { newPrivateKey } from './keys.js';
import { GoError, GoScalar, GoStruct, T, structType, type FuncMap, type GoType, type GoValue, type Value } from '../template/index.js';
import { BcryptError, bcryptHash } from './bcrypt.js';
import * as der from './der.js';
import { base64Decode } from './encoding.js';
import { fn, registerType, utf8 } from './util.js';
import { noteRandomDraw } from './effects.js';

// ---------------------------------------------------------------------------
// Hashes

export const sha1sum = (s: string): string => createHash('sha1').update(s, 'utf8').digest('hex');
// without node:crypto (src/hash/sha256.ts): checksum annotations are most charts' only hashing
export const sha256sum = (s: string): string => sha256HexOfText(s);
export const sha512sum = (s: string): string => createHash('sha512').update(s, 'utf8').digest('hex');

export function adler32(b: Uint8Array): number {
  let a = 1;
  let s = 0;
  for (const x of b) {
    a = (a + x) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

export function bcrypt(input: string): string {
  try {
    return bcryptHash(utf8(input), 10);
  } catch (e) {
    if (e instanceof BcryptError) return `failed to encrypt string with bcrypt: ${e.message}`;
    throw e;
  }
}

// ---------------------------------------------------------------------------
// derivePassword

const TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: ['CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv', 'CvccCvcvCvcvno', 'CvcvnoCvccCvcv',
    'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc', 'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv',
    'CvccCvccCvcvno', 'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc', 'CvccCvcvCvccno'],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};

const CHARS: Record<string, string> = {
  V: 'AEIOU', C: 'BCDFGHJKLMNPQRSTVWXYZ', v: 'aeiou', c: 'bcdfghjklmnpqrstvwxyz', A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz', n: '0123456789', o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

export function derivePassword(counter: number, passwordType: string, password: string, user: string, site: string): string {
  const templates = Object.prototype.hasOwnProperty.call(TEMPLATES, passwordType) ? TEMPLATES[passwordType]! : null;
  if (!templates) return `cannot find password template ${passwordType}`;
  const seed = Buffer.from('com.lyndir.masterpassword', 'latin1');
  const u32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b; };
  const userB = utf8(user);
  const salt = Buffer.concat([seed, u32(userB.length), userB]);
  const key = scryptSync(utf8(password), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 256 * 1024 * 1024 });
  const siteB = utf8(site);
  const msg = Buffer.concat([seed, u32(siteB.length), siteB, u32(counter)]);
  const hmac = createHmac('sha256', key).update(msg).digest();
  const temp = templates[hmac[0]! % templates.length]!;
  let out = '';
  for (let i = 0; i < temp.length; i++) {
    const chars = CHARS[temp[i]!]!;
    out += chars[hmac[i + 1]! % chars.length];
  }
  return out;
}

// ---------------------------------------------------------------------------
// PEM and keys

export function pemEncode(type: string, body: Uint8Array): string {
  const b64 = Buffer.from(body).toString('base64');
  let out = `-----BEGIN ${type}-----\n`;
  for (let i = 0; i < b64.length; i += 64) out += b64.slice(i, i + 64) + '\n';
  return out + `-----END ${type}-----\n`;
}

/** pem.Decode: the first block, or null. */
export function pemDecode(text: string): { type: string; bytes: Buffer } | null {
  const re = /-----BEGIN ([^\n-]*)-----\r?\n([\s\S]*?)\r?\n?-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[2]!.split(/\r?\n/).filter((l) => !/^[A-Za-z-]+:/.test(l)).join('');
    if (!/^[A-Za-z0-9+/=\s]*$/.test(body)) continue;
    return { type: m[1]!, bytes: Buffer.from(body.replace(/\s/g, ''), 'base64') };
  }
  return null;
}

interface DsaKey { p: bigint; q: bigint; g: bigint; y: bigint; x: bigint }

type PrivKey = { kind: 'node'; key: KeyObject } | { kind: 'dsa'; dsa: DsaKey };

function modPow(b0: bigint, e0: bigint, m: bigint): bigint {
  let r = 1n;
  let b = b0 % m;
  let e = e0;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

function dsaFromNode(key: KeyObject): DsaKey {
  // PKCS#8: SEQ { INT 0, SEQ { OID dsa, SEQ { p, q, g } }, OCTET STRING { INT x } }
  const top = der.children(der.read(key.export({ format: 'der', type: 'pkcs8' })));
  const params = der.children(der.children(top[1]!)[1]!);
  const [p, q, g] = params.map(der.intValue) as [bigint, bigint, bigint];
  const x = der.intValue(der.read(top[2]!.body));
  return { p, q, g, x, y: modPow(g, x, p) };
}

function dsaToNode(k: DsaKey): KeyObject {
  const pkcs8 = der.seq(
    der.integer(0n),
    der.seq(der.oid('1.2.840.10040.4.1'), der.seq(der.integer(k.p), der.integer(k.q), der.integer(k.g))),
    der.octets(der.integer(k.x)),
  );
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
}

/** pemBlockForKey. */
function pemForKey(k: PrivKey): string {
  if (k.kind === 'dsa') {
    const d = k.dsa;
    return pemEncode('DSA PRIVATE KEY', der.seq(der.integer(0n), der.integer(d.p), der.integer(d.q), der.integer(d.g), der.integer(d.y), der.integer(d.x)));
  }
  switch (k.key.asymmetricKeyType) {
    case 'rsa': return pemEncode('RSA PRIVATE KEY', k.key.export({ format: 'der', type: 'pkcs1' }));
    case 'ec': return pemEncode('EC PRIVATE KEY', k.key.export({ format: 'der', type: 'sec1' }));
    default: return pemEncode('PRIVATE KEY', k.key.export({ format: 'der', type: 'pkcs8' }));
  }
}

export function generatePrivateKey(typ: string): string {
  let key: PrivKey;
  switch (typ) {
    case '': case 'rsa':
      key = { kind: 'node', key: newPrivateKey({ type: 'rsa', modulusLength: 4096 }) };
      break;
    case 'dsa':
      key = { kind: 'dsa', dsa: dsaFromNode(newPrivateKey({ type: 'dsa', modulusLength: 2048, divisorLength: 256 })) };
      break;
    case 'ecdsa':
      key = { kind: 'node', key: newPrivateKey({ type: 'ec', namedCurve: 'P-256' }) };
      break;
    case 'ed25519':
      key = { kind: 'node', key: newPrivateKey({ type: 'ed25519' }) };
      break;
    default:
      return 'Unknown type ' + typ;
  }
  return pemForKey(key);
}

class KeyError extends Error {}

/** sprig's parsePrivateKeyPEM. */
function parsePrivateKeyPEM(pem: string): PrivKey {
  const block = pemDecode(pem);
  if (!block) throw new KeyError('no PEM data in input');
  if (block.type === 'PRIVATE KEY') {
    try {
      const k = createPrivateKey({ key: block.bytes, format: 'der', type: 'pkcs8' });
      if (k.asymmetricKeyType === 'dsa') return { kind: 'dsa', dsa: dsaFromNode(k) };
      if (!['rsa', 'ec', 'ed25519', 'x25519'].includes(k.asymmetricKeyType ?? '')) throw new Error('x509: PKCS#8 wrapping contained private key with unknown algorithm');
      return { kind: 'node', key: k };
    } catch (e) {
      throw new KeyError(`decoding PEM as PKCS#8: ${(e as Error).message.startsWith('x509:') ? (e as Error).message : 'x509: failed to parse private key'}`);
    }
  }
  if (!block.type.endsWith(' PRIVATE KEY')) throw new KeyError(`no private key data in PEM block of type ${block.type}`);
  switch (block.type.slice(0, -12)) {
    case 'RSA':
      try { return { kind: 'node', key: createPrivateKey({ key: block.bytes, format: 'der', type: 'pkcs1' }) }; } catch {
        throw new KeyError('parsing RSA private key from PEM: x509: failed to parse private key');
      }
    case 'EC':
      try { return { kind: 'node', key: createPrivateKey({ key: block.bytes, format: 'der', type: 'sec1' }) }; } catch {
        throw new KeyError('parsing EC private key from PEM: x509: failed to parse EC private key');
      }
    case 'DSA':
      try {
        const [, p, q, g, y, x] = der.children(der.read(block.bytes)).map(der.intValue) as bigint[];
        return { kind: 'dsa', dsa: { p: p!, q: q!, g: g!, y: y!, x: x! } };
      } catch (e) {
        throw new KeyError(`parsing DSA private key from PEM: ${(e as Error).message}`);
      }
    default:
      throw new KeyError(`invalid private key type ${block.type}`);
  }
}

// ---------------------------------------------------------------------------
// Certificates

export const certificateType: GoType = structType('sprig.certificate', [['Cert', T.string], ['Key', T.string]]);
registerType('sprig.certificate', certificateType);

export const certificate = (cert: string, key: string): GoStruct => new GoStruct(certificateType, { Cert: cert, Key: key });

function spkiOf(k: PrivKey): Buffer {
  if (k.kind === 'dsa') {
    const d = k.dsa;
    return der.seq(
      der.seq(der.oid('1.2.840.10040.4.1'), der.seq(der.integer(d.p), der.integer(d.q), der.integer(d.g))),
      der.bitString(der.integer(d.y)),
    );
  }
  return createPublicKey(k.key).export({ format: 'der', type: 'spki' });
}

function signatureAlgorithm(k: PrivKey): { alg: Buffer; hash: string | null } {
  if (k.kind === 'dsa') throw new GoError('error creating certificate: x509: certificate private key does not implement crypto.Signer');
  switch (k.key.asymmetricKeyType) {
    case 'rsa': return { alg: der.seq(der.oid('1.2.840.113549.1.1.11'), der.nul()), hash: 'sha256' };
    case 'ec': {
      const curve = k.key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'secp384r1') return { alg: der.seq(der.oid('1.2.840.10045.4.3.3')), hash: 'sha384' };
      if (curve === 'secp521r1') return { alg: der.seq(der.oid('1.2.840.10045.4.3.4')), hash: 'sha512' };
      return { alg: der.seq(der.oid('1.2.840.10045.4.3.2')), hash: 'sha256' };
    }
    case 'ed25519': return { alg: der.seq(der.oid('1.3.101.112')), hash: null };
  }
  throw new GoError('error creating certificate: x509: only RSA, ECDSA and Ed25519 keys supported');
}

interface Template { cn: string; ips: Buffer[]; dns: string[]; days: number; isCA: boolean }

/** net.ParseIP → the bytes Go puts in an iPAddress SAN (4 for IPv4, else 16). */
function parseIP(s: string): Buffer | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((p, i) => p > 255 || (v4[i + 1]!.length > 1 && v4[i + 1]![0] === '0'))) return null;
    return Buffer.from(parts);
  }
  if (!s.includes(':')) return null;
  let str = s;
  let tail: number[] = [];
  const m4 = /^(.*:)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(s);
  if (m4) {
    const b = parseIP(m4[2]!);
    if (!b) return null;
    tail = [(b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!];
    str = m4[1]!.endsWith('::') ? m4[1]! : m4[1]!.slice(0, -1);
  }
  const halves = str.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const a = parse(halves[0]!);
  const b = halves.length === 2 ? parse(halves[1]!) : [];
  if (!a || !b) return null;
  const total = a.length + b.length + tail.length;
  let groups: number[];
  if (halves.length === 2) {
    if (total > 7) return null;
    groups = [...a, ...new Array<number>(8 - total).fill(0), ...b, ...tail];
  } else {
    if (total !== 8) return null;
    groups = [...a, ...tail];
  }
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, 2 * i));
  // IPv4-mapped addresses are encoded as 4 bytes (ip.To4()).
  if (out.subarray(0, 10).every((x) => x === 0) && out[10] === 0xff && out[11] === 0xff) return out.subarray(12);
  return out;
}

function getNetIPs(ips: GoValue[] | null): Buffer[] {
  if (!ips) return [];
  return ips.map((ip) => {
    if (typeof ip !== 'string') throw new GoError(`error parsing ip: ${formatV(ip)} is not a string`);
    const b = parseIP(ip);
    if (!b) throw new GoError(`error parsing ip: ${ip}`);
    return b;
  });
}

function getDNS(names: GoValue[] | null): string[] {
  if (!names) return [];
  return names.map((n) => {
    if (typeof n !== 'string') throw new GoError(`error processing alternate dns name: ${formatV(n)} is not a string`);
    return n;
  });
}

let formatV: (v: GoValue) => string = (v) => String(v);
export function setFormatter(f: (v: GoValue) => string): void { formatV = f; }

function nameDER(cn: string): Buffer {
  if (cn === '') return der.seq();
  return der.seq(der.set(der.seq(der.oid('2.5.4.3'), der.dirString(cn))));
}

function keyUsage(bits: number): Buffer {
  const rev = (b: number): number => { let r = 0; for (let i = 0; i < 8; i++) if (b & (1 << i)) r |= 1 << (7 - i); return r; };
  const a = [rev(bits & 0xff), rev((bits >> 8) & 0xff)];
  const bytes = a[1] !== 0 ? a : [a[0]!];
  const last = bytes[bytes.length - 1]!;
  let unused = 0;
  while (unused < 8 && !(last & (1 << unused))) unused++;
  return der.bitString(Uint8Array.from(bytes), unused === 8 ? 0 : unused);
}

const ext = (id: string, critical: boolean, value: Buffer): Buffer =>
  critical ? der.seq(der.oid(id), der.bool(true), der.octets(value)) : der.seq(der.oid(id), der.octets(value));

interface Parent { subject: Buffer; skid: Buffer | null; key: PrivKey }

function createCertificate(t: Template, subjectKey: PrivKey, parent: Parent | null): string {
  const spki = spkiOf(subjectKey);
  const signer = parent ? parent.key : subjectKey;
  const { alg, hash } = signatureAlgorithm(signer);
  const subject = nameDER(t.cn);
  const issuer = parent ? parent.subject : subject;
  noteRandomDraw();
  let serial = BigInt('0x' + randomBytes(16).toString('hex'));
  if (serial === 0n) serial = 1n;
  const nowMs = Math.floor(Date.now() / 1000) * 1000;
  const notBefore = new Date(nowMs);
  const notAfter = new Date(nowMs + t.days * 24 * 3600 * 1000);
  const exts: Buffer[] = [];
  exts.push(ext('2.5.29.15', true, keyUsage(t.isCA ? 1 | 4 | 32 : 1 | 4)));
  exts.push(ext('2.5.29.37', false, der.seq(der.oid('1.3.6.1.5.5.7.3.1'), der.oid('1.3.6.1.5.5.7.3.2'))));
  exts.push(ext('2.5.29.19', true, t.isCA ? der.seq(der.bool(true)) : der.seq()));
  let skid: Buffer | null = null;
  if (t.isCA) {
    const spkiNode = der.children(der.read(spki));
    const pubBits = spkiNode[1]!.body.subarray(1);
    skid = createHash('sha256').update(pubBits).digest().subarray(0, 20);
    exts.push(ext('2.5.29.14', false, der.octets(skid)));
  }
  if (parent && !parent.subject.equals(subject) && parent.skid) {
    exts.push(ext('2.5.29.35', false, der.seq(der.implicitPrim(0, parent.skid))));
  }
  if (t.dns.length > 0 || t.ips.length > 0) {
    const names = [...t.dns.map((d) => der.tlv(0x82, Buffer.from(d, 'latin1'))), ...t.ips.map((ip) => der.tlv(0x87, ip))];
    exts.push(ext('2.5.29.17', false, der.seq(...names)));
  }
  const tbs = der.seq(
    der.explicit(0, der.integer(2n)),
    der.integer(serial),
    alg,
    issuer,
    der.seq(der.time(notBefore), der.time(notAfter)),
    subject,
    spki,
    der.explicit(3, der.seq(...exts)),
  );
  if (signer.kind !== 'node') throw new GoError('unreachable');
  const sig = sign(hash, tbs, signer.key);
  const certDer = der.seq(tbs, alg, der.bitString(sig));
  return pemEncode('CERTIFICATE', certDer);
}

/** The subject Name and SubjectKeyId of a DER certificate. */
function certInfo(certDer: Buffer): { subject: Buffer; skid: Buffer | null } {
  const tbs = der.children(der.children(der.read(certDer))[0]!);
  let i = 0;
  if (tbs[0]!.tag === 0xa0) i++;
  const subject = tbs[i + 4]!.raw;
  let skid: Buffer | null = null;
  const extsNode = tbs.find((n) => n.tag === 0xa3);
  if (extsNode) {
    for (const e of der.children(der.children(extsNode)[0]!)) {
      const parts = der.children(e);
      const id = parts[0]!.raw.toString('hex');
      if (id === der.oid('2.5.29.14').toString('hex')) skid = der.read(parts[parts.length - 1]!.body).body;
    }
  }
  return { subject: Buffer.from(subject), skid: skid ? Buffer.from(skid) : null };
}

function parseCertPEM(pem: string): { der: Buffer } {
  const block = pemDecode(pem);
  if (!block) throw new GoError('unable to decode certificate');
  try {
    new X509Certificate(block.bytes);
  } catch {
    throw new GoError('error parsing certificate: decodedSignerCert.Bytes: x509: malformed certificate');
  }
  return { der: block.bytes };
}

const rsa2048 = (): PrivKey => ({ kind: 'node', key: newPrivateKey({ type: 'rsa', modulusLength: 2048 }) });

function withPEMKey(pem: string): PrivKey {
  try { return parsePrivateKeyPEM(pem); } catch (e) {
    if (e instanceof KeyError) throw new GoError(`parsing private key: ${e.message}`);
    throw e;
  }
}

function certFields(ca: GoValue): { cert: string; key: string } {
  const s = ca as GoStruct;
  return { cert: String(s.fields.Cert ?? ''), key: String(s.fields.Key ?? '') };
}

function issue(t: Template, key: PrivKey, ca: GoValue | null): GoStruct {
  let parent: Parent | null = null;
  if (ca !== null) {
    const { cert, key: caKey } = certFields(ca);
    const c = parseCertPEM(cert);
    let signerKey: PrivKey;
    try { signerKey = parsePrivateKeyPEM(caKey); } catch (e) {
      if (e instanceof KeyError) throw new GoError(`error parsing private key: ${e.message}`);
      throw e;
    }
    parent = { ...certInfo(c.der), key: signerKey };
  }
  return certificate(createCertificate(t, key, parent), pemForKey(key));
}

// ---------------------------------------------------------------------------
// AES

export function encryptAES(password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const key = Buffer.alloc(32);
  utf8(password).copy(key, 0, 0, 32);
  const content = utf8(plaintext);
  const padding = 16 - (content.length % 16);
  const padded = Buffer.concat([content, Buffer.alloc(padding, padding)]);
  noteRandomDraw();
  const iv = randomBytes(16);
  const c = createCipheriv('aes-256-cbc', key, iv);
  c.setAutoPadding(false);
  return Buffer.concat([iv, c.update(padded), c.final()]).toString('base64');
}

export function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  const key = Buffer.alloc(32);
  utf8(password).copy(key, 0, 0, 32);
  let crypt: Buffer;
  try { crypt = base64Decode(crypt64); } catch (e) { throw new GoError((e as Error).message); }
  if (crypt.length < 16) throw new GoError(`runtime error: slice bounds out of range [:16] with capacity ${crypt.length}`);
  const iv = crypt.subarray(0, 16);
  const body = crypt.subarray(16);
  if (body.length % 16 !== 0) throw new GoError('crypto/cipher: input not full blocks');
  const d = createDecipheriv('aes-256-cbc', key, iv);
  d.setAutoPadding(false);
  const dec = Buffer.concat([d.update(body), d.final()]);
  if (dec.length === 0) throw new GoError('runtime error: index out of range [-1]');
  const end = dec.length - dec[dec.length - 1]!;
  if (end < 0) throw new GoError(`runtime error: slice bounds out of range [:${end}]`);
  return dec.subarray(0, end).toString('utf8');
}

// ---------------------------------------------------------------------------

const L = '[]interface {}';
const C = 'sprig.certificate';

const u32Arg = (v: Value): number => Number(v instanceof GoScalar ? (v.v as bigint) : (v as bigint));

export function cryptoFuncs(fmtV: (v: GoValue) => string): FuncMap {
  setFormatter(fmtV);
  const days = (d: bigint): number => Number(d);
  const tmpl = (cn: string, ips: GoValue[] | null, dns: GoValue[] | null, d: bigint, isCA = false): Template =>
    ({ cn, ips: getNetIPs(ips), dns: getDNS(dns), days: days(d), isCA });
  return {
    sha1sum: fn('func(string) string', sha1sum),
    sha256sum: fn('func(string) string', sha256sum),
    sha512sum: fn('func(string) string', sha512sum),
    adler32sum: fn('func(string) string', (s: string) => String(adler32(utf8(s)))),
    bcrypt: fn('func(string) string', bcrypt),
    htpasswd: fn('func(string, string) string', (user: string, pass: string) => (user.includes(':') ? `invalid username: ${user}` : `${user}:${bcrypt(pass)}`)),
    derivePassword: fn('func(uint32, string, string, string, string) string', (c: Value, t: string, p: string, u: string, s: string) => derivePassword(u32Arg(c), t, p, u, s)),
    genPrivateKey: fn('func(string) string', generatePrivateKey),
    buildCustomCert: fn(`func(string, string) (${C}, error)`, (b64cert: string, b64key: string) => {
      let cert: Buffer;
      let key: Buffer;
      try { cert = base64Decode(b64cert); } catch { throw new GoError('unable to decode base64 certificate'); }
      try { key = base64Decode(b64key); } catch { throw new GoError('unable to decode base64 private key'); }
      const block = pemDecode(cert.toString('latin1'));
      if (!block) throw new GoError('unable to decode certificate');
      try { new X509Certificate(block.bytes); } catch {
        throw new GoError('error parsing certificate: decodedCert.Bytes: x509: malformed certificate');
      }
      try { parsePrivateKeyPEM(key.toString('latin1')); } catch (e) {
        if (e instanceof KeyError) throw new GoError(`error parsing private key: ${e.message}`);
        throw e;
      }
      return certificate(cert.toString('utf8'), key.toString('utf8'));
    }),
    genCA: fn(`func(string, int) (${C}, error)`, (cn: string, d: bigint) => issue(tmpl(cn, null, null, d, true), rsa2048(), null)),
    genCAWithKey: fn(`func(string, int, string) (${C}, error)`, (cn: string, d: bigint, pem: string) => issue(tmpl(cn, null, null, d, true), withPEMKey(pem), null)),
    genSelfSignedCert: fn(`func(string, ${L}, ${L}, int) (${C}, error)`, (cn: string, ips: GoValue[], dns: GoValue[], d: bigint) => {
      const t = tmpl(cn, ips, dns, d);
      return issue(t, rsa2048(), null);
    }),
    genSelfSignedCertWithKey: fn(`func(string, ${L}, ${L}, int, string) (${C}, error)`, (cn: string, ips: GoValue[], dns: GoValue[], d: bigint, pem: string) => {
      const key = withPEMKey(pem);
      return issue(tmpl(cn, ips, dns, d), key, null);
    }),
    genSignedCert: fn(`func(string, ${L}, ${L}, int, ${C}) (${C}, error)`, (cn: string, ips: GoValue[], dns: GoValue[], d: bigint, ca: GoValue) => {
      const key = rsa2048();
      return issue(tmpl(cn, ips, dns, d), key, ca);
    }),
    genSignedCertWithKey: fn(`func(string, ${L}, ${L}, int, ${C}, string) (${C}, error)`, (cn: string, ips: GoValue[], dns: GoValue[], d: bigint, ca: GoValue, pem: string) => {
      const key = withPEMKey(pem);
      return issue(tmpl(cn, ips, dns, d), key, ca);
    }),
    encryptAES: fn('func(string, string) (string, error)', encryptAES),
    decryptAES: fn('func(string, string) (string, error)', decryptAES),
    randBytes: fn('func(int) (string, error)', (n: bigint) => {
      if (n < 0n) throw new GoError('runtime error: makeslice: len out of range');
      noteRandomDraw();
      return randomBytes(Number(n)).toString('base64');
    }),
  };
}

export { dsaToNode };
