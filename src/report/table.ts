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
