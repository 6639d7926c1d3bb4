/**
 * Signs a chart archive the way `helm package --sign` does: a cleartext signature (SHA-512)
 * over the chart metadata, `...`, and the archive's SHA-256 under its basename. Signing is
 * rare and not start-up critical, so it uses openpgp.js (decrypting gpg-exported secret
 * keys is its job, not ours); verification has its own lean path in verify.ts.
 *
 * Key selection follows helm's NewFromKeyring: a user ID equal to `keyName` wins, else the
 * single user ID containing it; fingerprints and key IDs are accepted too (helm does not).
 */
import { createHash } from 'node:crypto';
import { buildMessageBlock } from './message.js';

export class SignError extends Error {
  override name = 'SignError';
}

export interface SignInput {
  archive: Buffer;
  filename: string;
  /** Chart.yaml content as loaded and validated. */
  metadata: Record<string, unknown>;
  /** Secret keyring bytes: binary (`gpg --export-secret-keys`) or armored. */
  secretKeyring: Buffer;
  keyName: string;
  /** Called only when the key is encrypted. */
  passphrase: () => Promise<string>;
  now: Date;
}

export interface Signed {
  prov: string;
  signer: string;
  fingerprint: string;
}

export async function signChart(input: SignInput): Promise<Signed> {
  const openpgp = await import('openpgp');
  const text = input.secretKeyring.toString('utf8');
  const isArmored = (input.secretKeyring[0]! & 0x80) === 0 && text.includes('-----BEGIN PGP PRIVATE KEY BLOCK-----');
  let keys: import('openpgp').PrivateKey[];
  try {
    keys = isArmored
      ? await openpgp.readPrivateKeys({ armoredKeys: text })
      : await openpgp.readPrivateKeys({ binaryKeys: new Uint8Array(input.secretKeyring) });
  } catch (e) {
    const msg = (e as Error).message;
    if (/public key|not of type private key|no valid private keys|no secret key packet|Armored text not of type/i.test(msg)) {
      throw new SignError('provided key is not a private key. Try providing a keyring with secret keys (gpg --export-secret-keys)');
    }
    throw new SignError(`cannot read the secret keyring: ${msg}`);
  }
  const exact: typeof keys = [];
  const partial: typeof keys = [];
  const want = input.keyName.replace(/\s+/g, '').toUpperCase();
  for (const k of keys) {
    const ids = k.getUserIDs();
    const fpr = k.getFingerprint().toUpperCase();
    if (ids.includes(input.keyName) || (want.length >= 16 && /^[0-9A-F]+$/.test(want) && fpr.endsWith(want))) exact.push(k);
    else if (ids.some((id) => id.includes(input.keyName))) partial.push(k);
  }
  const chosen = exact.length ? exact : partial;
  if (chosen.length === 0) throw new SignError(`private key not found: no secret key has a user ID containing ${JSON.stringify(input.keyName)}`);
  if (chosen.length > 1) throw new SignError(`more than one key contain the id ${JSON.stringify(input.keyName)}`);
  let key = chosen[0]!;
  if (!key.isDecrypted()) {
    const passphrase = await input.passphrase();
    try {
      key = await openpgp.decryptKey({ privateKey: key, passphrase });
    } catch (e) {
      throw new SignError(`cannot unlock the secret key (wrong passphrase?): ${(e as Error).message}`);
    }
  }
  const sha = createHash('sha256').update(input.archive).digest('hex');
  const message = await openpgp.createCleartextMessage({ text: buildMessageBlock((await import('yaml')).stringify, input.metadata, input.filename, sha) });
  let prov: string;
  try {
    prov = await openpgp.sign({
      message,
      signingKeys: key,
      date: input.now,
      config: { preferredHashAlgorithm: openpgp.enums.hash.sha512 },
    });
  } catch (e) {
    // openpgp.js refuses expired and revoked keys; helm signs with them, we do not.
    throw new SignError(`cannot sign with key ${key.getFingerprint().toUpperCase()}: ${(e as Error).message}`);
  }
  const primaryUser = await key.getPrimaryUser(input.now).catch(() => null);
  return {
    // openpgp.js writes CRLF; helm's .prov files use LF (both verify, LF diffs cleanly).
    prov: prov.replace(/\r\n/g, '\n'),
    signer: primaryUser?.user.userID?.userID ?? key.getUserIDs()[0] ?? '',
    fingerprint: key.getFingerprint().toUpperCase(),
  };
}
