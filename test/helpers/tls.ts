/**
 * A throwaway self-signed certificate for 127.0.0.1, made with the openssl tool for a test's TLS
 * server. openssl is required (as GnuPG is): without it the test fails and says so, never skips.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SelfSigned {
  key: Buffer;
  cert: Buffer;
  /** The certificate as a PEM file (to trust it: CHARTAUDIT_EXTRA_CA_CERTS, a repository's caFile). */
  certPath: string;
}

/** Writes the key and certificate in a new folder under `parent`. */
export function selfSignedCert(parent: string): SelfSigned {
  const dir = mkdtempSync(join(parent, 'tls-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'];
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    throw new Error(`these tests need the openssl tool to make a TLS certificate: openssl ${args.slice(0, 3).join(' ')} … failed: ${(e as Error).message.split('\n', 1)[0]}`);
  }
  return { key: readFileSync(keyPath), cert: readFileSync(certPath), certPath };
}
