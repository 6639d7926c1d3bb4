/**
 * Applying statements to findings (DESIGN.md "Mitigations").
 *
 * A statement matches a finding when one of its ids (vulnerability + aliases) is the finding's id
 * or one of its aliases, and its scope and filters match:
 *   - helm://<ns>/<chart> (and pkg:helm/…): the chart is found in the tree by name (the namespace
 *     names the publisher and cannot be checked); the version constraint (or purl version) applies
 *     to that chart instance's version; the finding matches when its image is deployed by that chart
 *     or one of its subcharts (`ctx.images` sources). Without `ctx.images` only a scope on the top
 *     chart can be decided (it covers every finding); a subchart scope then matches nothing.
 *   - docker://<registry>/<repository> (and pkg:oci/…, pkg:docker/…): the finding's image, registry
 *     and repository normalised like docker; the constraint applies to the leading version of its tag.
 *   - other purls (pkg:bitnami/<name>@<version>, pkg:deb/…): the finding's package.
 * Effect: a trusted statement with status not_affected or fixed, or a trusted note (no status),
 * marks the finding `mitigated`; anything else only annotates (`mitigation` filled, state kept).
 * Among the matching statements of one VEX source the latest (timestamp, then position) wins.
 * Expired statements never apply and are listed; statements that matched nothing are listed unused.
 */
import type { Finding } from '../model/advisory.js';
import type { ChartNode } from '../model/chart.js';
import { parseImageReference, type ImageReference } from '../images/reference.js';
import { isCompatibleRange } from '../chart/semver-range.js';
import type { FindingMitigation, Statement } from './model.js';
import { imageTagVersion, parseDockerName } from './common.js';
import { parsePurl, purlPackageName, typeMatchesEcosystem, type Purl } from './purl.js';
import { schemeForEcosystem } from '../versioning/index.js';

export interface ApplyContext {
  chartTree: ChartNode;
  now: Date;
  /** The scanned images and the charts that deploy them (the report's `images`): needed for chart scopes on subcharts. */
  images?: ReadonlyArray<{ ref: string; sources: ReadonlyArray<{ chart: string }> }>;
  /** The `Kind/name` a finding is about, for posture findings (their check id is the finding's id). */
  resourceOf?: (f: Finding) => string | undefined;
}

export interface ApplyResult {
  findings: Finding[];
  unused: Statement[];
  expired: Statement[];
}

function flatten(node: ChartNode, out: ChartNode[] = []): ChartNode[] {
  out.push(node);
  for (const c of node.children) flatten(c, out);
  return out;
}

function parseRef(ref: string): ImageReference | null {
  try {
    return parseImageReference(ref);
  } catch {
    return null;
  }
}

class Matcher {
  private readonly nodes: ChartNode[];
  private readonly imageCharts: Map<string, string[]> | null;
  private readonly refs = new Map<string, ImageReference | null>();

  constructor(private readonly ctx: ApplyContext) {
    this.nodes = flatten(ctx.chartTree);
    if (ctx.images) {
      this.imageCharts = new Map();
      for (const img of ctx.images) {
        const key = parseRef(img.ref)?.ref ?? img.ref;
        const list = this.imageCharts.get(key) ?? [];
        list.push(...img.sources.map((s) => s.chart));
        this.imageCharts.set(key, list);
      }
    } else this.imageCharts = null;
  }

  ref(image: string): ImageReference | null {
    if (!this.refs.has(image)) this.refs.set(image, parseRef(image));
    return this.refs.get(image)!;
  }

  /** The finding's image is deployed by one of `targets` or their subcharts. */
  private deployedBy(f: Finding, targets: ChartNode[]): boolean {
    if (targets.length === 0) return false;
    if (this.imageCharts === null) return targets.some((t) => t === this.ctx.chartTree);
    const key = this.ref(f.image)?.ref ?? f.image;
    const charts = this.imageCharts.get(key) ?? [];
    return charts.some((p) => targets.some((t) => p === t.path || p.startsWith(`${t.path}/`)));
  }

  private chartsNamed(name: string, accept: (n: ChartNode) => boolean): ChartNode[] {
    return this.nodes.filter((n) => (n.name === name || n.chart.metadata.name === name) && accept(n));
  }

  private imageMatches(f: Finding, registry: string, repository: string, constraint?: string): boolean {
    const r = this.ref(f.image);
    if (!r || r.registry !== registry || r.repository !== repository) return false;
    if (constraint === undefined) return true;
    const v = imageTagVersion(r.tag);
    return v !== null && isCompatibleRange(constraint, v);
  }

  private packagePurlMatches(f: Finding, p: Purl): boolean {
    if (p.type === 'oci' || p.type === 'docker' || p.type === 'helm') return this.purlMatches(f, p);
    if (!typeMatchesEcosystem(p.type, f.package.ecosystem)) return false;
    const ci = p.type === 'bitnami' || p.type === 'pypi' || p.type === 'generic';
    const eq = (a: string, b: string) => (ci ? a.toLowerCase() === b.toLowerCase() : a === b);
    // A binary package of the matched source package (pkg:deb/debian/libssl3 for openssl) names it too.
    const names = [f.package.name, ...(f.package.binaries ?? [])];
    if (!names.some((n) => eq(purlPackageName(p), n))) return false;
    if (p.version === null || p.version === f.package.version) return true;
    // Equal as the ecosystem compares them: pkg:bitnami/postgresql@17.0.0 is 17.0.0-2 of the image's SBOM.
    const scheme = schemeForEcosystem(f.package.ecosystem);
    try {
      return scheme !== undefined && scheme.isValid(p.version) && scheme.isValid(f.package.version) && scheme.compare(p.version, f.package.version) === 0;
    } catch {
      return false;
    }
  }

  purlMatches(f: Finding, p: Purl): boolean {
    switch (p.type) {
      case 'helm': {
        const targets = this.chartsNamed(p.name, (n) => p.version === null || n.version === p.version || n.version === p.version.replace(/^v/, ''));
        return this.deployedBy(f, targets);
      }
      case 'oci': {
        const r = this.ref(f.image);
        if (!r) return false;
        const url = p.qualifiers['repository_url'];
        if (url) {
          const d = parseDockerName(url);
          if (!d || d.registry !== r.registry || d.repository !== r.repository) return false;
        } else if (r.repository.split('/').pop() !== p.name) return false;
        if (p.version !== null && p.version !== r.digest) return false;
        const tag = p.qualifiers['tag'];
        return tag === undefined || tag === r.tag;
      }
      case 'docker': {
        const r = this.ref(f.image);
        if (!r) return false;
        const repo = p.namespace ? `${p.namespace}/${p.name}` : p.name;
        const d = parseDockerName(`${p.qualifiers['repository_url'] ?? 'docker.io'}/${repo}`);
        if (!d || d.registry !== r.registry || d.repository !== r.repository) return false;
        return p.version === null || p.version === r.tag || p.version === r.digest;
      }
      default:
        return this.packagePurlMatches(f, p);
    }
  }

  scopeMatches(f: Finding, s: Statement): boolean {
    const sc = s.scope;
    switch (sc.kind) {
      case 'any':
        break;
      case 'helm': {
        const c = sc.versionConstraint;
        if (!this.deployedBy(f, this.chartsNamed(sc.chart, (n) => c === undefined || isCompatibleRange(c, n.version)))) return false;
        break;
      }
      case 'docker':
        if (!this.imageMatches(f, sc.registry, sc.repository, sc.versionConstraint)) return false;
        break;
      case 'purl': {
        const p = parsePurl(sc.purl);
        if (!p || !this.purlMatches(f, p)) return false;
        break;
      }
    }
    if (s.subcomponents && s.subcomponents.length > 0) {
      if (!s.subcomponents.some((sub) => {
        const p = parsePurl(sub);
        return p !== null && this.packagePurlMatches(f, p);
      })) return false;
    }
    if (s.image !== undefined && !this.imageFilter(f, s.image)) return false;
    if (s.package !== undefined && !this.packageFilter(f, s.package)) return false;
    // `resource` names a rendered resource: only a posture finding on it matches
    if (s.resource !== undefined && this.ctx.resourceOf?.(f) !== s.resource) return false;
    return true;
  }

  private imageFilter(f: Finding, raw: string): boolean {
    const text = raw.replace(/^docker:\/\//, '');
    const want = parseRef(text);
    const r = this.ref(f.image);
    if (!want || !r || want.registry !== r.registry || want.repository !== r.repository) return false;
    if (want.digest) return want.digest === r.digest;
    const explicitTag = /:[^/]*$/.test(text);
    return !explicitTag || want.tag === r.tag;
  }

  private packageFilter(f: Finding, raw: string): boolean {
    const p = parsePurl(raw);
    if (p) return this.packagePurlMatches(f, p);
    const at = raw.lastIndexOf('@');
    const name = at > 0 ? raw.slice(0, at) : raw;
    const version = at > 0 ? raw.slice(at + 1) : null;
    return name === f.package.name && (version === null || version === f.package.version);
  }
}

function ids(s: { id?: string; vulnerability?: string; aliases: string[] }): Set<string> {
  return new Set([s.id ?? s.vulnerability ?? '', ...s.aliases].filter((x) => x !== '').map((x) => x.toUpperCase()));
}

export function isExpired(s: Statement, now: Date): boolean {
  return s.expires !== null && now.getTime() > s.expires.getTime();
}

function mitigates(s: Statement): boolean {
  return s.trusted && (s.status === null || s.status === 'not_affected' || s.status === 'fixed');
}

function toMitigation(s: Statement): FindingMitigation {
  return { source: s.source, trusted: s.trusted, status: s.status, justification: s.justification, note: s.note };
}

/** Later VEX statements of one source supersede earlier ones (OpenVEX "Updating Statements"). */
function latestPerSource(cands: Statement[]): Statement[] {
  const latest = new Map<string, Statement>();
  const out: Statement[] = [];
  for (const s of cands) {
    if (s.status === null) {
      out.push(s);
      continue;
    }
    const prev = latest.get(s.source);
    const t = (x: Statement) => x.timestamp?.getTime() ?? -Infinity;
    if (!prev || t(s) > t(prev) || (t(s) === t(prev) && (s.index ?? 0) >= (prev.index ?? 0))) latest.set(s.source, s);
  }
  return [...out, ...latest.values()];
}

export function applyStatements(findings: Finding[], statements: Statement[], ctx: ApplyContext): ApplyResult {
  const matcher = new Matcher(ctx);
  const expired = statements.filter((s) => isExpired(s, ctx.now));
  const live = statements.filter((s) => !isExpired(s, ctx.now));
  const liveIds = live.map((s) => ids(s));
  const used = new Set<Statement>();
  const out = findings.map((f) => {
    const fids = ids(f);
    const cands = live.filter((s, i) => [...liveIds[i]!].some((id) => fids.has(id)) && matcher.scopeMatches(f, s));
    if (cands.length === 0) return f;
    for (const c of cands) used.add(c);
    const effective = latestPerSource(cands);
    const order = (s: Statement) => statements.indexOf(s);
    const byPref = [...effective].sort((a, b) => {
      const ka = mitigates(a) ? (a.status !== null ? 0 : 1) : a.trusted ? 2 : 3;
      const kb = mitigates(b) ? (b.status !== null ? 0 : 1) : b.trusted ? 2 : 3;
      return ka - kb || order(a) - order(b);
    });
    const deciding = byPref[0]!;
    return { ...f, state: mitigates(deciding) ? ('mitigated' as const) : f.state, mitigation: toMitigation(deciding) };
  });
  const unused = live.filter((s) => !used.has(s));
  return { findings: out, unused, expired };
}
