/**
 * ChartCenter v1 `security-mitigation.yaml` (reference/mitigations.md §1.2), read leniently:
 *   - unquoted `affectedVersions: > 3.1.0` (a YAML block-scalar indicator in real files) is quoted
 *     before parsing, with a warning; every `affectedVersions` value is read as a string;
 *   - `cves` as a list, a scalar (`CVE-1 CVE-2`, `CVE-1, CVE-2`) or a map (the HIP draft);
 *   - `affectedPackageUri` `helm://<ns>/<chart>`, `helm://<chart>`, `docker://<registry>/<repo>`,
 *     a purl, or absent (then the chart the file is in);
 *   - `useMitigationExternalFile` / `mitigationExternalFileUrl` recorded for the caller to fetch,
 *     also when the URL comes without the flag (the spec's example 3).
 * One statement per (entry × CVE); notes carry no status.
 */
import { InputError } from '../model/errors.js';
import { YamlError, decodeYamlText, unmarshalToMap } from '../chart/yaml.js';
import type { ReadResult, Statement, StatementScope } from './model.js';
import { isRecord, isValidConstraint, parseDockerName, str } from './common.js';
import { parsePurl } from './purl.js';

export interface ChartCenterOptions {
  trusted: boolean;
  /** The chart the file belongs to: the scope of entries without `affectedPackageUri`. */
  chart?: string;
}

export interface ChartCenterResult extends ReadResult {
  summary: string | null;
  securityAdvisoryUrl: string | null;
  /**
   * An externally hosted security-mitigation.yaml to fetch (one hop): `declared` is true when
   * `useMitigationExternalFile: true` says so, false when only the URL is given.
   */
  external: { url: string; declared: boolean } | null;
}

const KNOWN_KEYS = ['schemaVersion', 'summary', 'securityAdvisoryUrl', 'useMitigationExternalFile', 'mitigationExternalFileUrl', 'mitigations'];
const BLOCK_HEADER = /^[>|][+-]?[0-9]?[+-]?$/;

/** Quotes unquoted `affectedVersions:` values so `> 3.1.0` and `1.10` read as the strings written. */
export function quoteAffectedVersions(text: string, onRewrite: (line: number, value: string) => void): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = /^(\s*(?:-\s+)?affectedVersions\s*:[ \t]+)(.*?)(\r?)$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    const comment = /\s+#.*$/.exec(value);
    if (comment) value = value.slice(0, comment.index);
    value = value.trim();
    if (value === '' || value.startsWith('"') || value.startsWith("'") || BLOCK_HEADER.test(value) || value.startsWith('&') || value.startsWith('*') || value.startsWith('!')) continue;
    if (/^[>|%@`]/.test(value)) onRewrite(i + 1, value);
    lines[i] = `${m[1]}"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"${m[3]}`;
  }
  return lines.join('\n');
}

function cveList(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap((x) => cveList(x));
  if (isRecord(v)) return Object.keys(v).flatMap((k) => cveList(k));
  const s = str(v);
  if (s === null) return [];
  return s.split(/[\s,;]+/).filter((x) => x !== '');
}

function parseUri(uri: string, name: string, where: string, warnings: string[]): StatementScope | null {
  const u = uri.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(u)?.[1]?.toLowerCase();
  if (scheme === 'helm') {
    const parts = u.replace(/^helm:\/*/i, '').split('/').filter((p) => p !== '');
    if (parts.length === 0) {
      warnings.push(`${name}: ${where}: affectedPackageUri ${u} names no chart; entry ignored`);
      return null;
    }
    const chart = parts[parts.length - 1]!;
    const namespace = parts.slice(0, -1).join('/');
    return namespace ? { kind: 'helm', chart, namespace } : { kind: 'helm', chart };
  }
  if (scheme === 'docker') {
    const d = parseDockerName(u);
    if (!d) {
      warnings.push(`${name}: ${where}: affectedPackageUri ${u} is not an image name; entry ignored`);
      return null;
    }
    if (d.tag) warnings.push(`${name}: ${where}: affectedPackageUri ${u} has a tag; the spec scopes images by name, the tag is ignored (use affectedVersions)`);
    return { kind: 'docker', registry: d.registry, repository: d.repository };
  }
  if (scheme === 'pkg' && parsePurl(u)) return { kind: 'purl', purl: u };
  warnings.push(`${name}: ${where}: affectedPackageUri ${u} is neither helm:// nor docker://; entry ignored`);
  return null;
}

export function readChartCenter(bytes: Buffer | string, name: string, opts: ChartCenterOptions): ChartCenterResult {
  const warnings: string[] = [];
  let doc: Record<string, unknown> | null;
  try {
    const text = typeof bytes === 'string' ? bytes : decodeYamlText(bytes);
    const fixed = quoteAffectedVersions(text, (line, value) =>
      warnings.push(`${name}:${line}: unquoted affectedVersions "${value}" is not valid YAML; read as a string`),
    );
    doc = unmarshalToMap(fixed);
  } catch (e) {
    if (e instanceof YamlError) throw new InputError(`${name}: not a valid security-mitigation.yaml: ${e.message}`, name);
    throw e;
  }
  if (doc === null) return { statements: [], warnings: [...warnings, `${name}: empty file`], summary: null, securityAdvisoryUrl: null, external: null };
  if (!KNOWN_KEYS.some((k) => Object.hasOwn(doc!, k))) {
    throw new InputError(`${name}: not a security-mitigation.yaml: none of ${KNOWN_KEYS.join(', ')} is set`, name);
  }
  const schema = str(doc['schemaVersion']);
  if (schema === null) warnings.push(`${name}: no schemaVersion; read as v1`);
  else if (schema !== 'v1') warnings.push(`${name}: schemaVersion ${schema} is not v1; read as v1`);

  const summary = str(doc['summary']);
  const securityAdvisoryUrl = str(doc['securityAdvisoryUrl']);
  const flag = doc['useMitigationExternalFile'];
  const declared = flag === true || (typeof flag === 'string' && flag.toLowerCase() === 'true');
  const extUrl = str(doc['mitigationExternalFileUrl']);
  let external: ChartCenterResult['external'] = null;
  if (extUrl) {
    external = { url: extUrl, declared };
    if (!/^https:\/\//i.test(extUrl)) warnings.push(`${name}: mitigationExternalFileUrl ${extUrl} is not an https URL`);
  } else if (declared) {
    warnings.push(`${name}: useMitigationExternalFile is true but mitigationExternalFileUrl is not set`);
  }

  const list = doc['mitigations'];
  if (list !== undefined && list !== null && !Array.isArray(list)) {
    throw new InputError(`${name}: mitigations must be a list, not ${typeof list === 'object' ? 'a map' : `a ${typeof list}`}`, name);
  }
  const statements: Statement[] = [];
  (list ?? []).forEach((entry: unknown, i: number) => {
    const where = `mitigations[${i}]`;
    if (!isRecord(entry)) throw new InputError(`${name}: ${where} must be a map with cves, affectedPackageUri, affectedVersions and description`, name);
    const cves = cveList(entry['cves'] ?? entry['cve']);
    if (cves.length === 0) {
      warnings.push(`${name}: ${where} lists no cves; entry ignored`);
      return;
    }
    if (entry['versionsType'] !== undefined) warnings.push(`${name}: ${where}: versionsType (a 2020 draft field) is ignored`);
    const uri = str(entry['affectedPackageUri']);
    let scope: StatementScope | null;
    if (uri === null) {
      if (!opts.chart) {
        warnings.push(`${name}: ${where} has no affectedPackageUri and the chart is unknown; entry ignored`);
        return;
      }
      scope = { kind: 'helm', chart: opts.chart };
    } else scope = parseUri(uri, name, where, warnings);
    if (!scope) return;
    const constraint = str(entry['affectedVersions']);
    if (constraint !== null) {
      if (scope.kind === 'purl') warnings.push(`${name}: ${where}: affectedVersions is ignored for a purl (put the version in the purl)`);
      else if (scope.kind === 'helm' || scope.kind === 'docker') {
        if (!isValidConstraint(constraint)) warnings.push(`${name}: ${where}: affectedVersions "${constraint}" is not a valid version constraint; the entry cannot match`);
        scope.versionConstraint = constraint;
      }
    }
    const note = str(entry['description']) ?? summary;
    for (const cve of cves) {
      statements.push({
        vulnerability: cve,
        aliases: [],
        scope: { ...scope },
        status: null,
        justification: null,
        note,
        source: name,
        trusted: opts.trusted,
        expires: null,
        format: 'chartcenter',
        timestamp: null,
        index: statements.length,
      });
    }
  });
  return { statements, warnings, summary, securityAdvisoryUrl, external };
}
