/**
 * The published schemas of SARIF 2.1.0 (OASIS) and CycloneDX 1.6 (with its SPDX licence and
 * JSF signature schemas), vendored under schema/third-party/ (see the README there), checked
 * with our own validator (src/render/schema.ts: draft-04 for SARIF, draft-07 for CycloneDX).
 */
import { readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateAgainstSingleSchema } from '../../src/render/schema.js';

const dir = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'schema', 'third-party');
const read = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;

const sarifSchema = readFileSync(join(dir, 'sarif-schema-2.1.0.json'), 'utf8');

/**
 * bom-1.6 refers to `spdx.schema.json` and `jsf-0.82.schema.json` beside it; the validator takes
 * one document, so both ride along under `definitions`, where their own `$id` (the URLs the
 * relative references resolve to) makes them findable.
 */
const cycloneDxSchema = (() => {
  const bom = read('bom-1.6.schema.json');
  const definitions = { ...(bom['definitions'] as Record<string, unknown>), 'vendored-spdx': read('spdx.schema.json'), 'vendored-jsf': read('jsf-0.82.schema.json') };
  return JSON.stringify({ ...bom, definitions });
})();

export function sarifSchemaErrors(doc: unknown): string | null {
  return validateAgainstSingleSchema(doc as Record<string, unknown>, sarifSchema);
}

export function cycloneDxSchemaErrors(doc: unknown): string | null {
  return validateAgainstSingleSchema(doc as Record<string, unknown>, cycloneDxSchema);
}

/** Throws with the schema's complaints unless `text` is a valid SARIF 2.1.0 log or CycloneDX 1.6 BOM. */
export function assertValidExport(text: string, format: 'sarif' | 'cyclonedx', what = `${format} output`): void {
  const err = format === 'sarif' ? sarifSchemaErrors(JSON.parse(text)) : cycloneDxSchemaErrors(JSON.parse(text));
  if (err !== null) throw new Error(`${what} does not follow the ${format === 'sarif' ? 'SARIF 2.1.0' : 'CycloneDX 1.6'} schema:\n${err}`);
}
