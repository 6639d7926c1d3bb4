/**
 * `--format html`: the scan report as one self-contained page. The summary, provenance, subchart
 * tree, images, gaps, mitigation leftovers and posture findings are plain HTML written here; the
 * impact graph (chart → subchart → workload → image → package → vulnerability, filtered by
 * severity and state, searched, collapsed) is drawn in the browser by ./html/client.js from the
 * report model embedded as JSON. No request leaves the file: the style and the script are inline,
 * and the Content-Security-Policy allows exactly those two by hash (no 'unsafe-inline'), nothing else.
 *
 * The graph is a collapsible tree rather than a node-link layout: for 2,003 findings dagre 3.1
 * takes 7-8 s to lay out the 2,089 nodes (bench/html-graph-layout.ts, on the shared 2-core
 * machine) into a drawing 64,000 px tall, while this page is ready 0.6-1.3 s after navigation
 * start with the same report (test/html-report.test.ts), because it draws only expanded nodes
 * and a path stays one indented line per step. An image used by several workloads appears under
 * each, as in `helm template` output, rather than as crossing edges.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../model/advisory.js';
import type { ReportChartNode, ReportImage, ReportPostureFinding, ScanReport } from '../model/report.js';
import { clientMain } from './html/client.js';
import { reportStyle } from './html/style.js';
import type { ReportWriter } from './types.js';

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'NONE', 'UNKNOWN'] as const;

export const html: ReportWriter = {
  id: 'html',
  description: 'one self-contained HTML page with the interactive impact graph',
  render: (report) => renderHtml(report),
};

/** The page for a scan report. */
export function renderHtml(report: ScanReport): string {
  // esbuild's keepNames (tsx, vitest) wraps named functions in `__name(fn, "name")`: in the
  // page that helper is the identity, so the source runs the same however it was transformed.
  const script = `(function () { var __name = function (f) { return f; }; (${clientMain.toString()})(); })();`;
  const csp = [
    "default-src 'none'",
    `script-src '${sha256(script)}'`,
    `style-src '${sha256(reportStyle)}'`,
    "img-src 'none'", "base-uri 'none'", "form-action 'none'",
  ].join('; ');
  const c = report.chart;
  const title = `chartaudit: ${c.name} ${c.version}`;
  const posture = postureFindings(report);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${reportStyle}</style>
</head>
<body>
<h1>${esc(c.name)} ${esc(c.version)}${c.appVersion ? ` <span class="dim">app ${esc(c.appVersion)}</span>` : ''}</h1>
<div class="dim">chartaudit ${esc(report.tool.version)}${c.digest ? ` · <code>${esc(c.digest)}</code>` : ''}</div>
${summary(report, posture)}
${provenance(report)}
${chartTree(report.charts)}
${graphSection(report)}
${postureSection(posture, podSecurityOf(report))}
${images(report)}
${leftovers(report)}
<script type="application/json" id="report-data">${jsonForScript(model(report, posture))}</script>
<script>${script}</script>
</body>
</html>
`;
}

function summary(r: ScanReport, posture: ReportPostureFinding[] | null): string {
  const open = r.findings.filter((f) => f.state === 'open');
  const cells = SEVERITIES.filter((s) => s !== 'NONE' || open.some((f) => f.severity === s))
    .map((s) => `<div class="count"><span class="sev sev-${s}">${s}</span><b id="count-${s}">${open.filter((f) => f.severity === s).length}</b></div>`);
  const mitigated = r.findings.length - open.length;
  const src = r.vulnerabilitySource;
  const from = !src ? 'none used'
    : src.kind === 'osv-api' ? `OSV API ${esc(src.url)}`
    : `${esc(src.path)}${src.sources.length ? ` (${esc(src.sources.map((x) => x.name).join(', '))})` : ''}, data ${src.ageDays === null ? 'empty' : `${src.ageDays} day${src.ageDays === 1 ? '' : 's'} old`}`;
  return `<h2>Summary</h2>
<p>Verdict: ${r.verdict.failed ? '<span class="verdict-failed">FAILED</span>' : '<span class="verdict-passed">passed</span>'}${r.verdict.reasons.length ? `</p><ul>${r.verdict.reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul><p>` : ''}
Open findings by severity (${mitigated} mitigated, ${r.findings.length} in all):</p>
<div class="counts">${cells.join('')}<div class="count"><span class="sev b-mitigated">MITIGATED</span><b id="count-mitigated">${mitigated}</b></div></div>
<p>Advisories: ${from}. ${r.images.length} image${r.images.length === 1 ? '' : 's'}, ${r.charts.length} chart${r.charts.length === 1 ? '' : 's'} in the tree${posture ? `, ${posture.length} posture finding${posture.length === 1 ? '' : 's'}` : ''}. ${r.gaps.length ? `<a href="#gaps">${r.gaps.length} thing${r.gaps.length === 1 ? '' : 's'} not examined</a>.` : 'Nothing was left unexamined.'}</p>`;
}

function provenance(r: ScanReport): string {
  const p = r.provenance;
  const rows: [string, string | null][] = [
    ['Status', `<span class="status-${p.status}">${p.status}</span>`],
    ['Signer', p.signer && esc(p.signer)], ['Key', p.fingerprint && `<code>${esc(p.fingerprint)}</code>`],
    ['Signed', p.signedAt && esc(p.signedAt)], ['Hash', p.hash && `<code>${esc(p.hash)}</code>`], ['Reason', p.reason && esc(p.reason)],
  ];
  return `<h2 id="provenance">Provenance</h2>
<table><tbody>${rows.filter(([, v]) => v).map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

/** The subchart tree from the report's chart paths (`top/charts/a/charts/b`). */
function chartTree(charts: ReportChartNode[]): string {
  const children = new Map<string, ReportChartNode[]>();
  const paths = new Set(charts.map((n) => n.path));
  const roots: ReportChartNode[] = [];
  for (const n of charts) {
    const i = n.path.lastIndexOf('/charts/');
    const parent = i > 0 ? n.path.slice(0, i) : null;
    if (parent && paths.has(parent)) children.set(parent, [...(children.get(parent) ?? []), n]);
    else roots.push(n);
  }
  const item = (n: ReportChartNode): string => {
    const name = n.alias ? `${n.alias} <span class="dim">(${esc(n.name)})</span>` : esc(n.name);
    const notes = [
      n.enabled ? '' : `disabled: ${esc(n.reason ?? '')}`,
      n.constraint && n.constraintSatisfied === false ? `outside the declared range ${esc(n.constraint)}` : '',
      n.declared ? '' : 'not declared by its parent',
    ].filter(Boolean).join('; ');
    const kids = children.get(n.path) ?? [];
    return `<li><span class="${n.enabled ? '' : 'disabled'}">${name} ${esc(n.version)}</span>${notes ? ` <span class="dim">${notes}</span>` : ''}${kids.length ? `<ul>${kids.map(item).join('')}</ul>` : ''}</li>`;
  };
  return `<h2 id="charts">Subcharts</h2>\n<ul class="tree">${roots.map(item).join('')}</ul>`;
}

function graphSection(r: ScanReport): string {
  const boxes = SEVERITIES.map((s) => `<label><input type="checkbox" name="severity" value="${s}" checked> ${s.toLowerCase()} (${r.findings.filter((f) => f.severity === s).length})</label>`);
  const states = (['open', 'mitigated'] as const).map((s) => `<label><input type="checkbox" name="state" value="${s}" checked> ${s} (${r.findings.filter((f) => f.state === s).length})</label>`);
  return `<h2 id="impact">Impact graph</h2>
<p class="dim">Chart → subchart → workload → image → package → vulnerability. An image used by several workloads appears under each.</p>
<div class="controls">
<fieldset><legend>Severity</legend>${boxes.join('')}</fieldset>
<fieldset><legend>State</legend>${states.join('')}</fieldset>
<input type="search" id="search" placeholder="search id, package, image, workload" aria-label="search findings">
<button type="button" id="expand-all">Expand all</button><button type="button" id="collapse-all">Collapse all</button>
<span id="graph-status" class="dim" role="status"></span>
</div>
<div id="graph"><noscript>The graph needs JavaScript; the JSON report has the same data.</noscript></div>`;
}

/** Posture findings when the scan has them (`report.posture`: a list, or an object with `findings`). */
function postureFindings(r: ScanReport): ReportPostureFinding[] | null {
  const p = (r as ScanReport & { posture?: unknown }).posture;
  if (Array.isArray(p)) return p as ReportPostureFinding[];
  if (p && typeof p === 'object' && Array.isArray((p as { findings?: unknown }).findings)) return (p as { findings: ReportPostureFinding[] }).findings;
  return null;
}

const workloadKey = (chart: string, kind: string, name: string) => `${chart}\u0000${kind}/${name}`;

function podSecurityOf(r: ScanReport): string | null {
  const p = (r as ScanReport & { posture?: unknown }).posture as { podSecurity?: { level?: unknown; version?: unknown } } | null | undefined;
  const ps = p && typeof p === 'object' && !Array.isArray(p) ? p.podSecurity : undefined;
  return ps && typeof ps.level === 'string' ? `Pod Security Standards ${ps.level}${typeof ps.version === 'string' ? ` (${ps.version})` : ''}` : null;
}

function postureSection(findings: ReportPostureFinding[] | null, podSecurity: string | null): string {
  if (!findings) return '';
  const by = new Map<string, ReportPostureFinding[]>();
  for (const f of findings) {
    const k = workloadKey(f.chart, f.resource.kind, f.resource.name);
    by.set(k, [...(by.get(k) ?? []), f]);
  }
  const order = (f: ReportPostureFinding) => SEVERITIES.indexOf(f.severity);
  const groups = [...by.values()].map((list) => {
    const f0 = list[0]!;
    const rows = list.sort((a, b) => order(a) - order(b)).map((f) => `<tr><td><span class="sev sev-${f.severity}">${f.severity}</span>${stateOf(f)}</td><td><code>${esc(f.check)}</code>${f.container ? ` <span class="dim">container ${esc(f.container)}</span>` : ''}<br>${esc(f.message)}${noteOf(f)}</td><td>${esc(f.fix)}${f.valuesKey ? `<br><span class="dim">values key</span> <code>${esc(f.valuesKey)}</code>` : ''}</td></tr>`);
    return `<details class="workload" open><summary><b>${esc(f0.resource.kind)}/${esc(f0.resource.name)}</b> <span class="dim">${esc(f0.chart)} · ${esc(f0.template)}${f0.customResource ? ' · pod template in a custom resource' : ''}</span> (${list.length})</summary>
<table><thead><tr><th>Severity</th><th>Check</th><th>Fix</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
  });
  return `<h2 id="posture">Posture findings by workload</h2>\n${podSecurity ? `<p class="dim">Judged against ${esc(podSecurity)} and best practices.</p>\n` : ''}${groups.length ? groups.join('\n') : '<p>Every workload passes the checks.</p>'}`;
}

/** In a scan, a posture finding may be answered by a statement, as a vulnerability is (state, mitigation). */
type ScanPostureFinding = ReportPostureFinding & { state?: 'open' | 'mitigated'; mitigation?: Finding['mitigation'] };
const stateOf = (f: ScanPostureFinding) => (f.state ? `<br><span class="state-${f.state}">${f.state}</span>` : '');
const noteOf = (f: ScanPostureFinding) => (f.mitigation
  ? `<br><span class="dim">${f.mitigation.status ? `VEX ${esc(f.mitigation.status)}: ` : 'note: '}${esc(f.mitigation.note ?? '(no note)')} (${esc(f.mitigation.source)}, ${f.mitigation.trusted ? 'trusted' : 'NOT trusted'})</span>`
  : '');

function images(r: ScanReport): string {
  const table = (list: ReportImage[]) => `<table><thead><tr><th>Image</th><th>Contents</th><th>Used by</th></tr></thead><tbody>${list.map((i) => `<tr><td><code>${esc(i.ref)}</code>${i.digest ? `<br><code class="dim">${esc(i.digest)}</code>` : ''}</td><td>${esc(contentsLine(i))}</td><td>${i.sources.map((s) => `${esc(s.kind)}/${esc(s.name)} <span class="dim">${esc(s.container)} · ${esc(s.chart)}</span>`).join('<br>')}</td></tr>`).join('')}</tbody></table>`;
  return `<h2 id="images">Images (${r.images.length})</h2>\n${r.images.length ? table(r.images) : '<p>none found</p>'}${r.customResourceImages.length ? `\n<h2>Images in custom resources (${r.customResourceImages.length})</h2>\n<p class="dim">They run only if an operator turns the resource into pods.</p>${table(r.customResourceImages)}` : ''}`;
}

function contentsLine(i: ReportImage): string {
  if (!i.contents) return i.contents === null ? 'not read' : '';
  const os = i.contents.os;
  return `${os ? `${os.name}${os.endOfLifePassed ? ' (end of life)' : ''}, ` : ''}${i.contents.packages.length} packages, ${i.contents.platform}`;
}

function leftovers(r: ScanReport): string {
  const out: string[] = [];
  out.push(`<h2 id="gaps">Not examined (${r.gaps.length})</h2>`, r.gaps.length ? `<ul>${r.gaps.map((g) => `<li><code>${esc(g.scope)}</code>: ${esc(g.reason)}</li>`).join('')}</ul>` : '<p>Nothing: every chart, image and source was examined.</p>');
  if (r.warnings.length) out.push('<h2 id="warnings">Warnings</h2>', `<ul>${r.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);
  const statements = (title: string, list: unknown[]) => list.length
    ? `<h2>${title} (${list.length})</h2><ul>${list.map((s) => `<li>${esc(statementLine(s))}</li>`).join('')}</ul>` : '';
  out.push(statements('Unused mitigation statements', r.mitigations.unused), statements('Expired mitigation statements', r.mitigations.expired));
  return out.join('\n');
}

function statementLine(s: unknown): string {
  if (!s || typeof s !== 'object') return String(s);
  const x = s as { vulnerability?: string; scope?: string; status?: string | null; source?: string; expires?: string | null; note?: string | null };
  return [x.vulnerability, x.scope && `scope ${x.scope}`, x.status, x.source && `from ${x.source}`, x.expires && `expires ${x.expires}`, x.note].filter(Boolean).join(' · ');
}

/** What the browser script reads: the findings as the report has them, and where each image is used. */
function model(r: ScanReport, posture: ReportPostureFinding[] | null) {
  const postureCount = new Map<string, number>();
  for (const f of posture ?? []) {
    const k = workloadKey(f.chart, f.resource.kind, f.resource.name);
    postureCount.set(k, (postureCount.get(k) ?? 0) + 1);
  }
  const workloads = new Map<string, { chart: string; kind: string; name: string; template: string; custom: boolean; images: string[]; posture?: number }>();
  const imageWhere: Record<string, string[]> = {};
  const imageInfo: Record<string, string> = {};
  for (const [list, custom] of [[r.images, false], [r.customResourceImages, true]] as const) {
    for (const img of list) {
      imageInfo[img.ref] = contentsLine(img);
      for (const s of img.sources) {
        const k = workloadKey(s.chart, s.kind, s.name);
        let w = workloads.get(k);
        if (!w) {
          w = { chart: s.chart, kind: s.kind, name: s.name, template: s.template, custom, images: [] };
          const n = postureCount.get(k);
          if (n) w.posture = n;
          workloads.set(k, w);
        }
        if (!w.images.includes(img.ref)) w.images.push(img.ref);
        (imageWhere[img.ref] ??= []).push(`${s.kind}/${s.name}`, s.chart, s.container);
      }
    }
  }
  return {
    top: r.charts[0]?.path ?? r.chart.name,
    charts: r.charts.map((n) => ({ path: n.path, label: n.alias ? `${n.alias} (${n.name})` : n.name, sub: n.version, enabled: n.enabled })),
    workloads: [...workloads.values()],
    imageInfo,
    imageWhere,
    ...compactFindings(r.findings),
  };
}

/**
 * The findings without what repeats: each image reference and package once, findings as arrays
 * that point at them (the page parses a third less; client.js turns them back into findings).
 */
function compactFindings(findings: Finding[]) {
  const refs: string[] = [];
  const refIndex = new Map<string, number>();
  const packages: Finding['package'][] = [];
  const packageIndex = new Map<string, number>();
  const intern = <T>(list: T[], index: Map<string, number>, key: string, value: T) => {
    let i = index.get(key);
    if (i === undefined) {
      i = list.push(value) - 1;
      index.set(key, i);
    }
    return i;
  };
  const rows = findings.map((f) => [
    f.id, f.aliases, f.summary, f.severity, f.cvss,
    intern(refs, refIndex, f.image, f.image),
    intern(packages, packageIndex, JSON.stringify(f.package), f.package),
    f.location ? [f.location.layer, f.location.path] : null,
    f.fixed, f.status, f.reason, f.state, f.mitigation,
  ]);
  return { refs, packages, findings: rows };
}

/** JSON inside <script type="application/json">: `<` escaped, so no `</script>` or `<!--` in the data can end the block. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}
