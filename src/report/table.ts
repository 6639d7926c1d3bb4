/**
 * The report people read: the chart, its provenance verdict, the subchart tree with what
 * is enabled, then gaps and warnings. Colour only when asked (the CLI decides: a terminal,
 * no NO_COLOR, no --no-color).
 */
import { Chalk } from 'chalk';
import type { ReportChartNode, ScanReport } from '../model/report.js';
import type { ReportWriter } from './types.js';
import { imageLines } from './images.js';

export const table: ReportWriter = {
  id: 'table',
  description: 'a readable report for a terminal',
  render(report, opts) {
    const c = new Chalk({ level: opts.color ? 1 : 0 });
    const out: string[] = [];
    const ch = report.chart;
    out.push(`${c.bold('Chart')}       ${ch.name} ${ch.version}${ch.appVersion ? ` (app ${ch.appVersion})` : ''}`);
    if (ch.digest) out.push(`${c.bold('Digest')}      ${ch.digest}`);
    const p = report.provenance;
    const verdict = {
      verified: c.green('verified'),
      failed: c.red('FAILED'),
      unsigned: c.yellow('unsigned'),
      unchecked: c.yellow('unchecked'),
    }[p.status];
    let prov = `${c.bold('Provenance')}  ${verdict}`;
    if (p.status === 'verified') prov += ` — signed by ${p.signer ?? '?'}`;
    else if (p.reason) prov += ` — ${p.reason}`;
    out.push(prov);
    if (p.status === 'verified' && p.fingerprint) out.push(`            key ${p.fingerprint}${p.signedAt ? `, signed ${p.signedAt}` : ''}`);

    out.push('', c.bold('Charts'));
    out.push(...tree(report.charts, c));

    out.push('', c.bold(`Images (${report.images.length})`));
    if (report.images.length) out.push(...imageLines(report.images, c).slice(1));
    else out.push('  none found');
    if (report.customResourceImages.length) {
      out.push('', c.bold(`Images in custom resources (${report.customResourceImages.length}), run only if an operator acts on them`));
      out.push(...imageLines(report.customResourceImages, c).slice(1));
    }

    out.push('', c.bold(`Vulnerabilities (${report.findings.length})`));
    out.push(...findingLines(report, c, opts.width));

    if (report.gaps.length) {
      out.push('', c.bold('Not examined'));
      for (const g of report.gaps) out.push(`  ${c.yellow('!')} ${g.scope}: ${g.reason}`);
    }
    if (report.warnings.length) {
      out.push('', c.bold('Warnings'));
      for (const w of report.warnings) out.push(`  ${c.yellow('!')} ${w}`);
    }
    return `${out.join('\n')}\n`;
  },
};

/** Draws the chart paths as a tree: `storefront/charts/queue` is a child of `storefront`. */
function tree(nodes: ReportChartNode[], c: InstanceType<typeof Chalk>): string[] {
  const children = new Map<string, ReportChartNode[]>();
  const parentOf = (path: string) => path.replace(/\/charts\/[^/]+$/, '');
  let root: ReportChartNode | undefined;
  for (const n of nodes) {
    if (!n.path.includes('/charts/')) { root = n; continue; }
    const list = children.get(parentOf(n.path)) ?? [];
    list.push(n);
    children.set(parentOf(n.path), list);
  }
  if (!root) return [];
  const label = (n: ReportChartNode) => {
    const name = n.alias ? `${n.alias} ${c.dim('→')} ${n.name}` : n.name;
    const state = n.enabled ? c.green('enabled') : `${c.dim('disabled')}${n.reason ? c.dim(` (${n.reason})`) : ''}`;
    const undeclared = n.declared ? '' : c.dim(' [not declared in Chart.yaml]');
    return `${name} ${n.version}  ${state}${undeclared}`;
  };
  const lines = [`  ${root.name} ${root.version}`];
  const walk = (path: string, prefix: string) => {
    const kids = children.get(path) ?? [];
    kids.forEach((k, i) => {
      const last = i === kids.length - 1;
      lines.push(`  ${prefix}${last ? '└── ' : '├── '}${label(k)}`);
      walk(k.path, prefix + (last ? '    ' : '│   '));
    });
  };
  walk(root.path, '');
  return lines;
}

const SEVERITY_COLOR: Record<string, (c: InstanceType<typeof Chalk>, s: string) => string> = {
  CRITICAL: (c, s) => c.red.bold(s), HIGH: (c, s) => c.red(s), MEDIUM: (c, s) => c.yellow(s),
  LOW: (c, s) => c.blue(s), NONE: (c, s) => c.dim(s), UNKNOWN: (c, s) => c.magenta(s),
};

/** Findings grouped by image, most severe first, then counts; never reads as "clean" when it is not. */
function findingLines(report: ScanReport, c: InstanceType<typeof Chalk>, width: number): string[] {
  const out: string[] = [];
  const byImage = new Map<string, ScanReport['findings']>();
  for (const f of report.findings) byImage.set(f.image, [...(byImage.get(f.image) ?? []), f]);
  for (const [image, findings] of byImage) {
    out.push('', `  ${c.cyan(image)}`);
    for (const f of findings) {
      const sev = SEVERITY_COLOR[f.severity]!(c, f.severity.padEnd(8));
      const fixed = f.fixed.length ? `fixed in ${f.fixed.join(', ')}` : 'no fix';
      const head = `    ${sev} ${f.id}  ${f.package.name} ${f.package.version}  ${fixed}${f.status === 'indeterminate' ? c.magenta('  (indeterminate)') : ''}`;
      out.push(head);
      const detail = f.status === 'indeterminate' ? f.reason : f.summary;
      if (detail) out.push(c.dim(`             ${truncate(detail, Math.max(30, width - 13))}`));
    }
  }
  const counts = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN']
    .map((s) => [s, report.findings.filter((f) => f.state === 'open' && f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s.toLowerCase()}`);
  const mitigated = report.findings.filter((f) => f.state === 'mitigated').length;
  const unexamined = report.gaps.length > 0;
  if (report.findings.length === 0) {
    out.push(unexamined ? '  none found in what was examined (see "Not examined")' : '  none found');
  } else {
    out.push('', `  open: ${counts.join(', ') || 'none'}${mitigated ? `; mitigated: ${mitigated}` : ''}`);
  }
  return out;
}

function truncate(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= n ? one : `${one.slice(0, n - 1)}…`;
}
