/**
 * Every failure kind on real signatures (fixtures/provenance/generate.ts: keys and signatures
 * by GnuPG, .prov files by helm v4.1.4), with what GnuPG and helm say about the same files:
 * weak hash, critical notation, not yet valid, signature expired, revoked key, revoked
 * subkey, expired key, and ECDSA (NIST P-256) signatures that verify.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readKeyring } from '../src/provenance/keyring.js';
import { ProvenanceError, verifyProvenance } from '../src/provenance/verify.js';
import type { ProvCase } from '../fixtures/provenance/generate.js';
import { disposeAllGpg, Gpg } from './helpers/gpg.js';
import { helm } from './helpers/helm.js';
import { projectRoot, runCli } from './helpers/cli.js';

const dir = join(projectRoot, 'fixtures', 'provenance', 'out');
const cases = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as ProvCase[];
const gpg = new Gpg();
const temps: string[] = [];
afterAll(() => {
  disposeAllGpg();
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A fresh dir holding the case's archive and its .prov side by side, as helm and the CLI want them. */
function placed(c: ProvCase): string {
  const work = mkdtempSync(join(tmpdir(), 'chartaudit-failkind-'));
  temps.push(work);
  copyFileSync(join(dir, c.archive), join(work, 'signme-0.1.0.tgz'));
  copyFileSync(join(dir, c.prov), join(work, 'signme-0.1.0.tgz.prov'));
  return join(work, 'signme-0.1.0.tgz');
}

/** Where chartaudit is stricter than a reference tool, on purpose. */
const stricterThan: Record<string, { gpg?: string; helm?: string }> = {
  'gpg-sha1': { gpg: 'GnuPG 2.2 accepts SHA-1 data signatures', helm: 'go-crypto accepts SHA-1 data signatures; chartaudit refuses SHA-1 as collision-prone (SHAttered), as openpgp.js v6 does' },
  'gpg-future': { gpg: 'GnuPG accepts a signature dated in the future (with a warning)' },
};

function ours(c: ProvCase): string {
  try {
    verifyProvenance({
      archive: readFileSync(join(dir, c.archive)), prov: readFileSync(join(dir, c.prov)), filename: 'signme-0.1.0.tgz',
      keyring: readKeyring(readFileSync(join(dir, c.keyring))), now: new Date(),
    });
    return 'verified';
  } catch (e) {
    if (e instanceof ProvenanceError) return e.failure;
    throw e;
  }
}

describe('failure kinds on real signatures', () => {
  it('cover every kind the issue lists', () => {
    const kinds = new Set(cases.map((c) => c.expect));
    for (const k of ['weak-hash', 'critical-notation', 'not-yet-valid', 'signature-expired', 'revoked', 'key-expired', 'verified']) expect(kinds).toContain(k);
    expect(cases.some((c) => c.name.includes('subkey-revoked'))).toBe(true);
    expect(cases.filter((c) => c.name.includes('p256')).map((c) => c.signer).sort()).toEqual(['gpg', 'helm']);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(ours(c)).toBe(c.expect);
    // GnuPG on the same files (binary keyring: gpg reads no armored keyring file)
    const ring = join(dir, c.keyring.replace(/\.asc$/, '.gpg'));
    expect(gpg.verifyStatus(readFileSync(join(dir, c.prov)), ring).status).toBe(c.gpg);
    const gpgGood = c.gpg === 'GOODSIG';
    if (gpgGood !== (c.expect === 'verified')) expect(stricterThan[c.name]?.gpg).toBeDefined();
    // helm on the same files (helm reads binary keyrings only)
    const h = helm(['verify', '--keyring', join(dir, c.keyring.replace(/\.(asc|kbx)$/, '.gpg')), placed(c)]);
    if ((h.status === 0) !== (c.expect === 'verified')) expect(stricterThan[c.name]?.helm).toBeDefined();
  });

  it.each([
    ['gpg-sha1', 'signature uses the insecure hash SHA1'],
    ['gpg-critical-notation', 'invalid signature: unknown critical notation: policy@example.test'],
    ['gpg-future', 'signature is dated in the future (2099-01-01T00:00:00Z)'],
    ['gpg-sig-expired', 'signature expired on 2025-06-02T00:00:00Z'],
    ['gpg-subkey-revoked', 'signature made by revoked subkey'],
    ['gpg-key-expired', 'key expired: key'],
  ])('the CLI says why: %s', async (name, text) => {
    const c = cases.find((x) => x.name === name)!;
    const r = await runCli(['verify', placed(c), '--keyring', join(dir, c.keyring)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(text);
  });

  it('ECDSA P-256: helm-signed and gpg-signed verify through the CLI', async () => {
    for (const name of ['helm-p256', 'gpg-p256']) {
      const c = cases.find((x) => x.name === name)!;
      const r = await runCli(['verify', placed(c), '--keyring', join(dir, c.keyring)]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('Signed by: P256 Signer <p256@example.test>');
    }
  });
});
