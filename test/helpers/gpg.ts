/**
 * Real GnuPG for tests: keys are made with `gpg --batch` in a throwaway GNUPGHOME, so every
 * keyring and signature a test uses comes from the reference implementation.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every home made in this process, so a test file can dispose of them all at the end. */
const homes: Gpg[] = [];

export function disposeAllGpg(): void {
  for (const g of homes.splice(0)) g.dispose();
}

export class Gpg {
  readonly home: string;
  constructor(home?: string) {
    this.home = home ?? mkdtempSync(join(tmpdir(), 'chartaudit-gnupg-'));
    homes.push(this);
  }

  run(args: string[], opts: { input?: string | Buffer; fakedTime?: string } = {}): Buffer {
    const extra = opts.fakedTime ? ['--faked-system-time', opts.fakedTime] : [];
    const r = spawnSync('gpg', ['--batch', '--yes', '--no-tty', '--quiet', ...extra, ...args], {
      env: { ...process.env, GNUPGHOME: this.home },
      input: opts.input,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`gpg ${args.join(' ')} failed: ${r.stderr.toString()}`);
    return r.stdout;
  }

  /** Makes a primary key that can sign; returns its fingerprint. */
  genKey(uid: string, o: { algo?: 'rsa2048' | 'ed25519' | 'nistp256'; passphrase?: string; expire?: string; usage?: string; fakedTime?: string } = {}): string {
    this.run([
      '--pinentry-mode', 'loopback', '--passphrase', o.passphrase ?? '',
      '--quick-gen-key', uid, o.algo ?? 'rsa2048', o.usage ?? 'sign,cert', o.expire ?? '0',
    ], { fakedTime: o.fakedTime });
    return this.fingerprint(uid);
  }

  fingerprint(uid: string): string {
    const out = this.run(['--with-colons', '--list-keys', uid]).toString();
    const fpr = out.split('\n').find((l) => l.startsWith('fpr:'));
    return fpr!.split(':')[9]!;
  }

  /** Adds a signing subkey; returns its fingerprint. */
  addSigningSubkey(primaryFpr: string, algo = 'ed25519', fakedTime?: string): string {
    this.run(['--pinentry-mode', 'loopback', '--passphrase', '', '--quick-add-key', primaryFpr, algo, 'sign', '0'], { fakedTime });
    const out = this.run(['--with-colons', '--list-keys', primaryFpr]).toString().split('\n');
    const fprs = out.filter((l) => l.startsWith('fpr:')).map((l) => l.split(':')[9]!);
    return fprs[fprs.length - 1]!;
  }

  exportPublic(who: string[] = [], armor = false): Buffer {
    return this.run(['--export', ...(armor ? ['--armor'] : []), ...who]);
  }

  exportSecret(who: string[] = [], o: { armor?: boolean; passphrase?: string } = {}): Buffer {
    return this.run(['--pinentry-mode', 'loopback', '--passphrase', o.passphrase ?? '', '--export-secret-keys', ...(o.armor ? ['--armor'] : []), ...who]);
  }

  clearsign(text: string, signer: string, o: { digest?: string; fakedTime?: string } = {}): string {
    return this.run(['--pinentry-mode', 'loopback', '--passphrase', '', '--local-user', signer, '--digest-algo', o.digest ?? 'SHA512', '--clearsign'], { input: text, fakedTime: o.fakedTime }).toString();
  }

  /** Imports the revocation certificate gpg made at key creation. */
  revoke(fpr: string): void {
    const dir = join(this.home, 'openpgp-revocs.d');
    const file = readdirSync(dir).find((f) => f.startsWith(fpr))!;
    // gpg prefixes the armor line with ':' so the certificate cannot be imported by accident.
    const cert = readFileSync(join(dir, file), 'utf8').replace(/^:-----BEGIN/m, '-----BEGIN');
    this.run(['--import'], { input: cert });
  }

  /** Revokes subkey number `index` (1 = the first subkey) of a key, reason 0, through --edit-key. */
  revokeSubkey(primaryFpr: string, index = 1): void {
    this.run(['--pinentry-mode', 'loopback', '--passphrase', '', '--command-fd', '0', '--edit-key', primaryFpr], {
      input: `key ${index}\nrevkey\ny\n0\n\ny\nsave\n`,
    });
  }

  /**
   * `gpg --verify` of a clearsigned text against a binary keyring file (no import), read
   * through --status-fd: GOODSIG, BADSIG, EXPSIG, EXPKEYSIG, REVKEYSIG, ERRSIG or NODATA.
   */
  verifyStatus(prov: Buffer | string, keyringFile: string, fakedTime?: string): { status: string; codes: string[]; exit: number } {
    const extra = fakedTime ? ['--faked-system-time', fakedTime] : [];
    const r = spawnSync('gpg', ['--batch', '--no-tty', '--quiet', '--no-auto-key-retrieve', '--no-default-keyring', '--keyring', keyringFile,
      '--trust-model', 'always', '--status-fd', '1', ...extra, '--verify'], {
      env: { ...process.env, GNUPGHOME: this.home }, input: prov, maxBuffer: 16 * 1024 * 1024, timeout: 20_000,
    });
    const codes = r.stdout.toString().split('\n').filter((l) => l.startsWith('[GNUPG:] ')).map((l) => l.slice(9).split(' ')[0]!);
    const status = ['GOODSIG', 'BADSIG', 'EXPSIG', 'EXPKEYSIG', 'REVKEYSIG', 'ERRSIG'].find((c) => codes.includes(c)) ?? 'NODATA';
    return { status, codes, exit: r.status ?? -1 };
  }

  /** Stops the agent gpg started for this home and removes the home. */
  dispose(): void {
    spawnSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: this.home }, stdio: 'ignore' });
    rmSync(this.home, { recursive: true, force: true });
  }

  write(path: string, data: Buffer | string): string {
    writeFileSync(path, data);
    return path;
  }
}

export const haveGpg = (): boolean => {
  try {
    execFileSync('gpg', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
