/**
 * The consumer's ignore file `.chartaudit-ignore.yaml`: a list of
 * `{ id, image?, package?, resource?, reason, expires? }` (or a map with that list under `ignore:`);
 * `resource` (`Kind/name`) narrows a posture check id to one rendered resource.
 * `reason` is required; `expires` is a date (`2025-06-30`) or an RFC 3339 time, after which the
 * entry stops applying (Trivy's `expired_at`: a date means its first instant, UTC).
 * `image` is an image reference (a tag or digest in it must match too); `package` is a package
 * name, `name@version` or a purl. Entries match the id and every alias of a finding.
 */
import { InputError } from '../model/errors.js';
import { YamlError, decodeYamlText, parseGoYaml, toJsonValue } from '../chart/yaml.js';
import { parseImageReference } from '../images/reference.js';
import type { ReadResult, Statement } from './model.js';
import { isRecord, parseTime, str } from './common.js';

const KEYS = new Set(['id', 'image', 'package', 'resource', 'reason', 'expires', 'aliases']);
/** `Kind/name` of a rendered resource, for posture findings (`Deployment/release-name-web`). */
const RESOURCE = /^[A-Za-z][A-Za-z0-9]{0,62}\/[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export function readIgnore(bytes: Buffer | string, name: string): ReadResult {
  let doc: unknown;
  try {
    doc = toJsonValue(parseGoYaml(typeof bytes === 'string' ? bytes : decodeYamlText(bytes)));
  } catch (e) {
    if (e instanceof YamlError) throw new InputError(`${name}: not valid YAML: ${e.message}`, name);
    throw e;
  }
  const warnings: string[] = [];
  if (doc === null) return { statements: [], warnings: [`${name}: empty ignore file`] };
  let list: unknown = doc;
  if (isRecord(doc)) {
    const key = ['ignore', 'vulnerabilities'].find((k) => Object.hasOwn(doc as object, k));
    if (!key) throw new InputError(`${name}: an ignore file is a list of { id, image?, package?, reason, expires? } entries`, name);
    list = doc[key];
    if (list === null) list = [];
  }
  if (!Array.isArray(list)) throw new InputError(`${name}: an ignore file is a list of { id, image?, package?, reason, expires? } entries`, name);
  const statements: Statement[] = [];
  list.forEach((e: unknown, i: number) => {
    const where = `entry ${i + 1}`;
    if (!isRecord(e)) throw new InputError(`${name}: ${where} must be a map with id and reason`, name);
    const id = str(e['id']);
    if (!id) throw new InputError(`${name}: ${where} has no id`, name);
    const reason = str(e['reason']);
    if (!reason) throw new InputError(`${name}: ${where} (${id}) has no reason: every ignored vulnerability needs one`, name);
    for (const k of Object.keys(e)) if (!KEYS.has(k)) warnings.push(`${name}: ${where} (${id}): unknown key ${k} ignored`);
    const expires = parseTime(e['expires']);
    if (expires === undefined) throw new InputError(`${name}: ${where} (${id}): expires ${JSON.stringify(e['expires'])} is not a date (YYYY-MM-DD) or an RFC 3339 time`, name);
    const s: Statement = {
      vulnerability: id,
      aliases: Array.isArray(e['aliases']) ? e['aliases'].map((a) => str(a)).filter((a): a is string => a !== null) : [],
      scope: { kind: 'any' },
      status: null,
      justification: null,
      note: reason,
      source: name,
      trusted: true,
      expires,
      format: 'ignore',
      timestamp: null,
      index: i,
    };
    if (e['image'] !== undefined && e['image'] !== null) {
      const image = str(e['image']);
      try {
        if (!image) throw new Error('empty');
        parseImageReference(image.replace(/^docker:\/\//, ''));
      } catch {
        throw new InputError(`${name}: ${where} (${id}): image ${JSON.stringify(e['image'])} is not an image reference`, name);
      }
      s.image = image;
    }
    if (e['package'] !== undefined && e['package'] !== null) {
      const pkg = str(e['package']);
      if (!pkg) throw new InputError(`${name}: ${where} (${id}): package must be a name, name@version or a purl`, name);
      s.package = pkg;
    }
    if (e['resource'] !== undefined && e['resource'] !== null) {
      const resource = str(e['resource']);
      if (!resource || !RESOURCE.test(resource)) throw new InputError(`${name}: ${where} (${id}): resource ${JSON.stringify(e['resource'])} is not Kind/name (e.g. Deployment/release-name-web)`, name);
      s.resource = resource;
    }
    statements.push(s);
  });
  return { statements, warnings };
}
