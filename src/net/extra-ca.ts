/**
 * CHARTAUDIT_EXTRA_CA_CERTS: a PEM file whose certificates are trusted on top of Node's bundled
 * roots (the CLI's launcher moves NODE_EXTRA_CA_CERTS there). Shared by every HTTP client.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { InputError } from '../model/errors.js';

/** The certificates to trust: Node's roots plus CHARTAUDIT_EXTRA_CA_CERTS, or undefined (defaults). */
export function extraCa(env: Record<string, string | undefined>): string[] | undefined {
  const file = env.CHARTAUDIT_EXTRA_CA_CERTS;
  if (!file) return undefined;
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`CHARTAUDIT_EXTRA_CA_CERTS: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new InputError(`CHARTAUDIT_EXTRA_CA_CERTS: ${file} holds no PEM certificate`, file);
  return [...rootCertificates, pem];
}
