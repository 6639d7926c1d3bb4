import { join } from 'node:path';

/**
 * Where helm looks for a keyring when --keyring is not given ($GNUPGHOME/pubring.gpg, else
 * ~/.gnupg/pubring.gpg), followed by the keybox that GnuPG 2.1+ actually writes there,
 * which helm cannot read but we can.
 */
export function defaultKeyringCandidates(env: Record<string, string | undefined>, home: string): string[] {
  const dir = env.GNUPGHOME ? env.GNUPGHOME : join(home, '.gnupg');
  return [join(dir, 'pubring.gpg'), join(dir, 'pubring.kbx')];
}
