/**
 * The signed text of a helm `.prov`: the chart's metadata as YAML, a `...` line, then a
 * `files:` map of `<archive basename>: sha256:<hex>` (helm's pkg/provenance messageBlock).
 */
import type { parse as yamlParse } from 'yaml';

export class MessageBlockError extends Error {
  override name = 'MessageBlockError';
}

/** The text is not in helm's plain shape; call again with the YAML parser. */
export class NeedsYamlError extends Error {
  override name = 'NeedsYamlError';
}

export interface MessageBlock {
  /** `name` and `version` as the metadata half claims them (helm ignores that half when verifying). */
  metadata: Record<string, unknown>;
  files: Record<string, string>;
}

/** The exact shape helm writes; anything else goes through the full YAML parser. */
const SIMPLE_SUMS = /^files:\n((?:  [A-Za-z0-9._+-]+: [a-z0-9]+:[0-9A-Fa-f]+\n)+)\n*$/;

/**
 * Parses the signed text. `parse` (the YAML parser) is passed in by callers that have it;
 * when the files section has helm's plain shape none is needed, which keeps `verify`
 * start-up fast. The metadata half is only read for the name and version it claims.
 */
export function parseMessageBlock(plaintext: string, parse?: typeof yamlParse): MessageBlock {
  const parts = plaintext.split('\n...\n');
  if (parts.length < 2) throw new MessageBlockError('message block must have at least two parts');
  const metadata = claimedMetadata(parts[0]!);
  const simple = SIMPLE_SUMS.exec(parts[1]!);
  if (simple) {
    const files: Record<string, string> = {};
    for (const line of simple[1]!.trimEnd().split('\n')) {
      const i = line.indexOf(': ');
      files[line.slice(2, i)] = line.slice(i + 2);
    }
    return { metadata, files };
  }
  if (!parse) throw new NeedsYamlError();
  let sums: unknown;
  try {
    sums = parse(parts[1]!, { maxAliasCount: 0, version: '1.1' });
  } catch (e) {
    throw new MessageBlockError(`cannot parse the files section of the provenance: ${(e as Error).message.split('\n')[0]}`);
  }
  const files: Record<string, string> = {};
  const f = (sums as { files?: unknown } | null)?.files;
  if (f && typeof f === 'object' && !Array.isArray(f)) {
    for (const [k, v] of Object.entries(f)) if (typeof v === 'string') files[k] = v;
  }
  return { metadata, files };
}

/** Top-level `name:` and `version:` of the metadata half (helm writes them unindented, maybe quoted). */
function claimedMetadata(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of text.matchAll(/^(name|version): *(.*?) *$/gm)) {
    out[m[1]!] = m[2]!.replace(/^'(.*)'$/, (_, v: string) => v.replace(/''/g, "'")).replace(/^"(.*)"$/, '$1');
  }
  return out;
}
/**
 * Builds the message block helm signs: `metadata` is the chart's Chart.yaml content as
 * helm marshals it (keys sorted, empty fields omitted).
 */
export function buildMessageBlock(
  stringify: (v: unknown, o: { lineWidth: number }) => string,
  metadata: Record<string, unknown>, filename: string, sha256hex: string,
): string {
  const meta = stringify(sortKeys(dropEmpty(metadata)), { lineWidth: 0 });
  const files = stringify({ files: { [filename]: `sha256:${sha256hex}` } }, { lineWidth: 0 });
  return `${meta}\n...\n${files}`;
}

function dropEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropEmpty);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined || x === null || x === '' || x === false || (Array.isArray(x) && x.length === 0)) continue;
      if (typeof x === 'object' && !Array.isArray(x) && Object.keys(x as object).length === 0) continue;
      out[k] = dropEmpty(x);
    }
    return out;
  }
  return v;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}
