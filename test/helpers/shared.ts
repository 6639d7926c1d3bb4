/**
 * Third-party test data lives in ../shared beside the checkout (the Bitnami chart corpus, the
 * Bitnami OSV dump, helm's provenance vectors); CI always has it. Tests find it relative to the
 * repository root, never at a machine path, and fail (not skip) when it is missing: a test that
 * passes because its data is absent proves nothing.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZipReader } from '../../src/vuln/db/zip.js';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedRoot = join(projectRoot, '..', 'shared');

/** Path of `../shared/<parts...>`; throws with what is missing and where it was looked for. */
export function sharedPath(...parts: string[]): string {
  const p = join(sharedRoot, ...parts);
  if (!existsSync(p)) {
    throw new Error(`test data missing: ${p} (the shared third-party data is expected at ../shared beside the checkout, ${sharedRoot})`);
  }
  return p;
}

/** The entries of a zip in ../shared (name and bytes), read with the project's zip reader. */
export function* sharedZipEntries(...parts: string[]): Generator<{ name: string; data: Buffer }> {
  const zip = ZipReader.open(sharedPath(...parts));
  try {
    for (const e of zip) yield { name: e.name, data: zip.readEntry(e) };
  } finally {
    zip.close();
  }
}
