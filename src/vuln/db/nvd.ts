/**
 * NVD CVE records (API 2.0 / JSON 2.0 feed shape) converted into OSV records.
 *
 * Conversion (what the matcher can rely on):
 *   - id = the CVE id; modified/published = NVD's lastModified/published (UTC, `Z` added);
 *     vulnStatus `Rejected` → `withdrawn` = lastModified (a rejected CVE never matches).
 *   - summary = the English description's first sentence (≤ 240 chars), details = all of it.
 *   - severity = CVSS vectors from metrics (Primary source preferred): cvssMetricV31 or V30 →
 *     CVSS_V3, cvssMetricV40 → CVSS_V4, cvssMetricV2 → CVSS_V2; scores and severities are kept in
 *     `database_specific.cvss`.
 *   - affected = one entry per `vulnerable: true` cpeMatch of configurations[].nodes[]
 *     (nodes with `negate: true` are skipped), in the pseudo-ecosystem **`CPE`**:
 *       package: { ecosystem: 'CPE', name: '<vendor>:<product>' }   (CPE 2.3 escaped form, lower case)
 *       ranges:  [{ type: 'ECOSYSTEM', events }] with
 *                introduced = versionStartIncluding | versionStartExcluding | '0'
 *                fixed = versionEndExcluding, or last_affected = versionEndIncluding;
 *                with no bound, an exact version in the CPE gives introduced = last_affected = it
 *                (with a specific CPE update appended: `2.0:beta9` → `2.0-beta9`, also kept as
 *                `exactVersion`), and `*` / `-` give introduced '0' (every version)
 *       database_specific: { cpe, part, vendor, product, version, update, target_sw,
 *                matchCriteriaId, versionStartIncluding?, versionStartExcluding?,
 *                versionEndIncluding?, versionEndExcluding?, exactVersion?, platforms? }
 *     OSV events cannot say "introduced, exclusive": the matcher must evaluate the raw bounds in
 *     database_specific (versionStartExcluding) exactly; the events are the closest OSV reading.
 *     `platforms` lists the non-vulnerable CPEs of the same AND configuration (the OS or
 *     hardware the application CPE is vulnerable on), as context.
 *   - references: url with type FIX (tag Patch), ADVISORY (Vendor/Third Party Advisory),
 *     REPORT (Issue Tracking), EVIDENCE (Exploit), else WEB; plus the NVD page as ADVISORY.
 *   - database_specific: { source: 'NVD', vulnStatus, sourceIdentifier, cwes, cvss, kev? }.
 */
import type { OsvAffected, OsvRecord, OsvSeverity } from '../../model/advisory.js';
import { parseCpe, unescapeCpe } from './cpe.js';
import { RecordError, timestampMs } from './validate.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** An NVD timestamp (`2020-07-17T00:15:10.337`, UTC without a zone) in RFC 3339. */
export function nvdTime(s: unknown): string | undefined {
  const t = str(s);
  if (!t) return undefined;
  const withZone = /([Zz]|[+-]\d{2}:?\d{2})$/.test(t) ? t : t + 'Z';
  return Number.isNaN(timestampMs(withZone)) ? undefined : withZone;
}

/** Does this parsed JSON look like one NVD `cve` object (API 2.0 shape)? */
export function isNvdCve(v: unknown): v is Json {
  return isObj(v) && typeof v.id === 'string' && /^CVE-/i.test(v.id) && 'lastModified' in v && v.modified === undefined;
}

/** Does this parsed JSON look like an NVD API 2.0 response or JSON 2.0 feed? */
export function isNvdEnvelope(v: unknown): v is { vulnerabilities: unknown[] } {
  return isObj(v) && Array.isArray(v.vulnerabilities) && (v.format === 'NVD_CVE' || v.vulnerabilities.length === 0 || isObj((v.vulnerabilities[0] as Json)?.cve));
}

function firstSentence(s: string): string {
  const line = s.split(/\r?\n/)[0]!.trim();
  const m = /^(.{20,}?[.!?])(\s|$)/.exec(line);
  let out = m ? m[1]! : line;
  if (out.length > 240) out = out.slice(0, 239).replace(/\s+\S*$/, '') + '…';
  return out;
}

const CVSS_KEYS: [string, OsvSeverity['type']][] = [
  ['cvssMetricV31', 'CVSS_V3'],
  ['cvssMetricV30', 'CVSS_V3'],
  ['cvssMetricV40', 'CVSS_V4'],
  ['cvssMetricV2', 'CVSS_V2'],
];

function pickMetric(list: unknown): Json | undefined {
  if (!Array.isArray(list)) return undefined;
  const ok = list.filter((m): m is Json => isObj(m) && isObj(m.cvssData) && typeof (m.cvssData as Json).vectorString === 'string');
  return ok.find((m) => m.type === 'Primary') ?? ok[0];
}

function referenceType(tags: unknown): string {
  const t = Array.isArray(tags) ? tags.filter((x): x is string => typeof x === 'string') : [];
  if (t.includes('Patch')) return 'FIX';
  if (t.includes('Vendor Advisory') || t.includes('Third Party Advisory')) return 'ADVISORY';
  if (t.includes('Issue Tracking')) return 'REPORT';
  if (t.includes('Exploit')) return 'EVIDENCE';
  return 'WEB';
}

/** Converts one NVD `cve` object into an OSV record; throws RecordError when it cannot. */
export function nvdToOsv(cve: unknown): OsvRecord {
  if (!isObj(cve)) throw new RecordError('not an NVD CVE object');
  const id = str(cve.id);
  if (!id || !/^CVE-\d{4}-\d+$/i.test(id)) throw new RecordError(`not an NVD CVE: id ${JSON.stringify(cve.id ?? null)}`);
  const modified = nvdTime(cve.lastModified);
  if (!modified) throw new RecordError(`${id}: no valid lastModified`);
  const rec: OsvRecord = { schema_version: '1.7.0', id, modified };
  const published = nvdTime(cve.published);
  if (published) rec.published = published;
  const status = str(cve.vulnStatus);
  if (status === 'Rejected') rec.withdrawn = modified;

  const descs = Array.isArray(cve.descriptions) ? cve.descriptions.filter(isObj) : [];
  const en = str(descs.find((d) => d.lang === 'en')?.value) ?? str(descs[0]?.value);
  if (en) {
    rec.summary = firstSentence(en);
    rec.details = en;
  }

  const severity: OsvSeverity[] = [];
  const cvss: Json[] = [];
  const metrics = isObj(cve.metrics) ? cve.metrics : {};
  const seen = new Set<string>();
  for (const [key, type] of CVSS_KEYS) {
    const m = pickMetric(metrics[key]);
    if (!m) continue;
    const data = m.cvssData as Json;
    cvss.push({
      version: data.version ?? null,
      vector: data.vectorString,
      baseScore: data.baseScore ?? null,
      baseSeverity: data.baseSeverity ?? m.baseSeverity ?? null,
      source: m.source ?? null,
      type: m.type ?? null,
    });
    if (seen.has(type)) continue;
    seen.add(type);
    severity.push({ type, score: data.vectorString as string });
  }
  if (severity.length) rec.severity = severity;

  const affected: OsvAffected[] = [];
  const dedupe = new Set<string>();
  for (const conf of Array.isArray(cve.configurations) ? cve.configurations.filter(isObj) : []) {
    const nodes = Array.isArray(conf.nodes) ? conf.nodes.filter(isObj) : [];
    const platforms: string[] = [];
    for (const n of nodes) {
      for (const m of Array.isArray(n.cpeMatch) ? n.cpeMatch.filter(isObj) : []) {
        if (m.vulnerable !== true && typeof m.criteria === 'string') platforms.push(m.criteria);
      }
    }
    for (const n of nodes) {
      if (n.negate === true) continue;
      for (const m of Array.isArray(n.cpeMatch) ? n.cpeMatch.filter(isObj) : []) {
        if (m.vulnerable !== true) continue;
        const a = cpeMatchToAffected(m, conf.operator === 'AND' ? platforms : []);
        if (!a) continue;
        const key = JSON.stringify(a);
        if (dedupe.has(key)) continue;
        dedupe.add(key);
        affected.push(a);
      }
    }
  }
  if (affected.length) rec.affected = affected;

  const refs: { type: string; url: string }[] = [{ type: 'ADVISORY', url: `https://nvd.nist.gov/vuln/detail/${id}` }];
  for (const r of Array.isArray(cve.references) ? cve.references.filter(isObj) : []) {
    const url = str(r.url);
    if (url && !refs.some((x) => x.url === url)) refs.push({ type: referenceType(r.tags), url });
  }
  rec.references = refs;

  const cwes: string[] = [];
  for (const w of Array.isArray(cve.weaknesses) ? cve.weaknesses.filter(isObj) : []) {
    for (const d of Array.isArray(w.description) ? w.description.filter(isObj) : []) {
      const v = str(d.value);
      if (v && /^CWE-\d+$/.test(v) && !cwes.includes(v)) cwes.push(v);
    }
  }
  const ds: Json = { source: 'NVD' };
  if (status) ds.vulnStatus = status;
  if (str(cve.sourceIdentifier)) ds.sourceIdentifier = cve.sourceIdentifier;
  if (cwes.length) ds.cwes = cwes;
  if (cvss.length) ds.cvss = cvss;
  if (str(cve.cisaExploitAdd)) ds.kev = { dateAdded: cve.cisaExploitAdd, vulnerabilityName: cve.cisaVulnerabilityName ?? null, requiredAction: cve.cisaRequiredAction ?? null };
  rec.database_specific = ds;
  return rec;
}

const BOUNDS = ['versionStartIncluding', 'versionStartExcluding', 'versionEndIncluding', 'versionEndExcluding'] as const;

function cpeMatchToAffected(m: Json, platforms: string[]): OsvAffected | null {
  const criteria = str(m.criteria);
  if (!criteria) return null;
  const c = parseCpe(criteria);
  if (!c || c.product === '*') return null;
  const ds: Json = { cpe: criteria, part: c.part, vendor: c.vendor, product: c.product, version: c.version, update: c.update, target_sw: c.targetSw };
  if (str(m.matchCriteriaId)) ds.matchCriteriaId = m.matchCriteriaId;
  const b: Partial<Record<(typeof BOUNDS)[number], string>> = {};
  for (const k of BOUNDS) {
    const v = str(m[k]);
    if (v) ds[k] = b[k] = v;
  }
  const events: { introduced?: string; fixed?: string; last_affected?: string }[] = [];
  const hasBounds = BOUNDS.some((k) => b[k] !== undefined);
  if (hasBounds) {
    events.push({ introduced: b.versionStartIncluding ?? b.versionStartExcluding ?? '0' });
    if (b.versionEndExcluding) events.push({ fixed: b.versionEndExcluding });
    else if (b.versionEndIncluding) events.push({ last_affected: b.versionEndIncluding });
  } else if (c.version !== '*' && c.version !== '-') {
    // `cpe:…:log4j:2.0:beta9` is version 2.0-beta9: a specific update joins the version
    const v = unescapeCpe(c.version) + (c.update !== '*' && c.update !== '-' ? `-${unescapeCpe(c.update)}` : '');
    ds.exactVersion = v;
    events.push({ introduced: v }, { last_affected: v });
  } else {
    events.push({ introduced: '0' });
  }
  if (platforms.length) ds.platforms = [...new Set(platforms)];
  return {
    package: { ecosystem: 'CPE', name: `${c.vendor}:${c.product}` },
    ranges: [{ type: 'ECOSYSTEM', events }],
    database_specific: ds,
  };
}

/**
 * Splits a streamed NVD JSON document (`{…, "vulnerabilities": [ {"cve": …}, … ]}`) into its
 * array elements without holding the document: feed it byte chunks, it calls `onItem` with the
 * bytes of each element. Elements longer than `maxItemBytes` are dropped (not held) and
 * reported through `onOversize`.
 */
export class NvdSplitter {
  private depth = 0;
  private inString = false;
  private escape = false;
  /** The bytes of the last string seen at depth 1 (a candidate key), capped. */
  private str: number[] = [];
  private lastKey = '';
  private pendingString = '';
  private inArray = false;
  private capturing = false;
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** Did the document have a top-level `vulnerabilities` array? */
  found = false;
  items = 0;

  private dropping = false;

  constructor(
    private readonly onItem: (bytes: Buffer, index: number) => void,
    private readonly maxItemBytes = 16 * 1024 * 1024,
    private readonly onOversize: (index: number, maxBytes: number) => void = (i, max) => {
      throw new RecordError(`vulnerabilities[${i}] is larger than ${max} bytes`);
    },
  ) {}

  write(chunk: Buffer): void {
    let start = this.capturing ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 0x5c) this.escape = true;
        else if (c === 0x22) {
          this.inString = false;
          if (this.depth === 1) this.pendingString = Buffer.from(this.str).toString('utf8');
        } else if (this.depth === 1 && this.str.length < 64) this.str.push(c);
        continue;
      }
      switch (c) {
        case 0x22: // "
          this.inString = true;
          if (this.depth === 1) this.str = [];
          break;
        case 0x3a: // :
          if (this.depth === 1) this.lastKey = this.pendingString;
          break;
        case 0x2c: // ,
          if (this.depth === 1) this.lastKey = '';
          break;
        case 0x7b: // {
        case 0x5b: // [
          if (this.depth === 1 && c === 0x5b && this.lastKey === 'vulnerabilities') {
            this.inArray = true;
            this.found = true;
          } else if (this.inArray && this.depth === 2) {
            this.capturing = true;
            start = i;
          }
          this.depth++;
          break;
        case 0x7d: // }
        case 0x5d: // ]
          this.depth--;
          if (this.depth < 0) throw new Error('unbalanced JSON');
          if (this.capturing && this.depth === 2) {
            this.push(chunk.subarray(start, i + 1));
            const bytes = this.dropping ? null : this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
            this.parts = [];
            this.partBytes = 0;
            this.capturing = false;
            this.dropping = false;
            start = -1;
            const index = this.items++;
            if (bytes) this.onItem(bytes, index);
            else this.onOversize(index, this.maxItemBytes);
          } else if (this.inArray && this.depth === 1) this.inArray = false;
          break;
        default:
          break;
      }
    }
    if (this.capturing && start >= 0) this.push(Buffer.from(chunk.subarray(start)));
  }

  private push(b: Buffer): void {
    if (this.dropping) return;
    this.partBytes += b.length;
    if (this.partBytes > this.maxItemBytes) {
      this.dropping = true;
      this.parts = [];
      return;
    }
    this.parts.push(b);
  }

  /** Call at the end of the input. */
  end(): void {
    if (this.depth !== 0 || this.inString) throw new Error('truncated JSON document');
  }
}
