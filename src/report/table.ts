/**
 * The report people read: the chart and its provenance verdict, the subchart tree with what
 * is enabled, the images, then the findings grouped by image, most severe first, each naming its
 * package's type, with the mitigation note under each finding that has one; summary counts; and
 * what was not examined.
 * Colour only when asked (the CLI decides: a terminal, no NO_COLOR, no --no-color). Long lines
 * wrap to the terminal width (80 columns when unknown).
 */
import { Chalk } from 'chalk';
import type { ReportChartNode, ScanReport } from '../model/report.js';
import type { ReportWriter } from './types.js';
import { imageLines } from './images.js';
import { wrap } from './wrap.js';

export const table: ReportWriter = {
  id: 'table',
  description: 'a readable report for a terminal',
  render(report, opts) {
    const c = new Chalk({ level: opts.color ? 1 : 0 });
    const out: string[] = [];
    const ch = report.chart;
    const label = (l: string) => c.bold(l.padEnd(11));
    out.push(`${label('Chart')}${ch.name} ${ch.version}${ch.appVersion ? ` (app ${ch.appVersion})` : ''}`);
    if (ch.digest) {
      // The whole digest, never cut: on a line of its own when it does not fit beside the label.
      if (11 + ch.digest.length <= opts.width) out.push(`${label('Digest')}${ch.digest}`);
      else out.push(c.bold('Digest'), `  ${ch.digest}`);
    }
    const p = report.provenance;
    const verdict = {
      verified: c.green('verified'),
      failed: c.red('FAILED'),
      unsigned: c.yellow('unsigned'),
      unchecked: c.yellow('unchecked'),
    }[p.status];
    const detail = p.status === 'verified' ? `signed by ${p.signer ?? '?'}` : p.reason ?? '';
    out.push(...wrap(`${verdict}${detail ? ` — ${detail}` : ''}`, opts.width, label('Provenance'), ' '.repeat(11)));
    if (p.status === 'verified' && p.fingerprint) {
      out.push(...wrap(`key ${p.fingerprint}${p.signedAt ? `, signed ${p.signedAt}` : ''}`, opts.width, ' '.repeat(11), ' '.repeat(11)));
    }

    out.push('', c.bold('Charts'));
    out.push(...tree(report.charts, c, opts.width));

    out.push('', c.bold(`Images (${report.images.length})`));
    if (report.images.length) out.push(...imageLines(report.images, c, opts.width).slice(1));
    else out.push('  none found');
    if (report.customResourceImages.length) {
      out.push('', c.bold(`Images in custom resources (${report.customResourceImages.length}), run only if an operator acts on them`));
      out.push(...imageLines(report.customResourceImages, c, opts.width).slice(1));
    }

    const open = report.findings.filter((f) => f.state === 'open');
    const src = report.vulnerabilitySource;
    if (src) {
      const from = src.kind === 'osv-api'
        ? `OSV API ${src.url}`
        : `${src.path}${src.sources.length ? ` (${src.sources.map((x) => x.name).join(', ')})` : ''}, data ${src.ageDays === null ? 'empty' : src.ageDays === 0 ? 'from today' : `${src.ageDays} day${src.ageDays === 1 ? '' : 's'} old`}`;
      out.push('', ...wrap(from, opts.width, label('Advisories'), ' '.repeat(11)));
    }
    out.push('', c.bold(`Vulnerabilities (${open.length} open${report.findings.length > open.length ? `, ${report.findings.length - open.length} mitigated` : ''})`));
    out.push(...findingLines(report, c, opts.width, opts.showMitigated === true));

    if (report.posture) out.push('', ...configurationLines(report.posture, c, opts.width));

    const stmt = (x: unknown) => {
      const s = x as { vulnerability?: string; scope?: string; source?: string; expires?: string | null };
      return `${s.vulnerability ?? '?'} ${s.scope ?? ''} (${s.source ?? '?'}${s.expires ? `, expires ${s.expires}` : ''})`;
    };
    if (report.mitigations.expired.length) {
      out.push('', c.bold(`Expired mitigation statements (${report.mitigations.expired.length}), not applied`));
      for (const x of report.mitigations.expired) out.push(...wrap(stmt(x), opts.width, `  ${c.yellow('!')} `, '    '));
    }
    if (report.mitigations.unused.length) {
      out.push('', c.bold(`Mitigation statements that matched no finding (${report.mitigations.unused.length})`));
      for (const x of report.mitigations.unused) out.push(...wrap(stmt(x), opts.width, '  - ', '    '));
    }

    if (report.gaps.length) {
      out.push('', c.bold('Not examined'));
      for (const g of report.gaps) out.push(...wrap(`${g.scope}: ${g.reason}`, opts.width, `  ${c.yellow('!')} `, '    '));
    }
    if (report.warnings.length) {
      out.push('', c.bold('Warnings'));
      for (const w of report.warnings) out.push(...wrap(w, opts.width, `  ${c.yellow('!')} `, '    '));
    }
    out.push('', summaryLine(report, c, opts.width));
    return `${out.join('\n')}\n`;
  },
};

/**
 * Draws the chart paths as a tree: `storefront/charts/queue` is a child of `storefront`. A line
 * that does not fit the width goes on under its own text, the tree's lines drawn through.
 */
function tree(nodes: ReportChartNode[], c: InstanceType<typeof Chalk>, width: number): string[] {
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
  // Coloured word by word, so that a colour never runs across a wrapped line's tree drawing.
  const words = (s: string, paint: (w: string) => string) => s.split(' ').map((w) => paint(w)).join(' ');
  const label = (n: ReportChartNode) => {
    const name = n.alias ? `${n.alias} ${c.dim('→')} ${n.name}` : n.name;
    const state = n.enabled ? c.green('enabled') : `${c.dim('disabled')}${n.reason ? ` ${words(`(${n.reason})`, c.dim)}` : ''}`;
    const declaration = !n.declared
      ? ` ${words('[not declared in Chart.yaml]', c.dim)}`
      : n.constraintSatisfied === false
        ? ` ${words(`[not in the range ${JSON.stringify(n.constraint)} declared in Chart.yaml]`, c.yellow)}`
        : '';
    return `${name} ${n.version}  ${state}${declaration}`;
  };
  const lines = wrap(`${root.name} ${root.version}`, width, '  ', '  ');
  const walk = (path: string, prefix: string) => {
    const kids = children.get(path) ?? [];
    kids.forEach((k, i) => {
      const last = i === kids.length - 1;
      const below = prefix + (last ? '    ' : '│   ');
      const more = (children.get(k.path) ?? []).length > 0 ? '│   ' : '    ';
      lines.push(...wrap(label(k), width, `  ${prefix}${last ? '└── ' : '├── '}`, `  ${below}${more}`));
      walk(k.path, below);
    });
  };
  walk(root.path, '');
  return lines;
}

const SEVERITY_COLOR: Record<string, (c: InstanceType<typeof Chalk>, s: string) => string> = {
  CRITICAL: (c, s) => c.red.bold(s), HIGH: (c, s) => c.red(s), MEDIUM: (c, s) => c.yellow(s),
  LOW: (c, s) => c.blue(s), NONE: (c, s) => c.dim(s), UNKNOWN: (c, s) => c.magenta(s),
};

/** Findings grouped by image, most severe first; mitigated ones counted unless asked for. */
export function findingLines(report: Pick<ScanReport, 'findings' | 'gaps'>, c: InstanceType<typeof Chalk>, width: number, showMitigated: boolean): string[] {
  const out: string[] = [];
  const byImage = new Map<string, ScanReport['findings']>();
  for (const f of report.findings) byImage.set(f.image, [...(byImage.get(f.image) ?? []), f]);
  for (const [image, findings] of byImage) {
    const shown = showMitigated ? findings : findings.filter((f) => f.state === 'open');
    const hidden = findings.length - shown.length;
    out.push('', `  ${c.cyan(image)}`);
    for (const f of shown) {
      const sev = SEVERITY_COLOR[f.severity]!(c, f.severity.padEnd(8));
      const fixed = f.fixed.length ? `fixed in ${f.fixed.join(', ')}` : 'no fix';
      const state = f.state === 'mitigated' ? c.green('  mitigated') : '';
      const head = `    ${sev} ${f.id}  ${packageLabel(f.package, c)}`;
      const tail = `${fixed}${f.status === 'indeterminate' ? c.magenta('  (indeterminate)') : ''}${state}`;
      // The fix goes under the package when both do not fit on one line.
      if (visibleLength(`${head}  ${tail}`) <= width) out.push(`${head}  ${tail}`);
      else out.push(head, `             ${tail}`);
      const detail = f.status === 'indeterminate' ? f.reason : f.summary;
      if (detail) out.push(c.dim(`             ${truncate(detail, Math.max(30, width - 13))}`));
      if (f.mitigation) {
        const m = f.mitigation;
        const who = `${m.trusted ? 'trusted' : 'untrusted, not applied'}: ${m.source}`;
        const what = [m.status, m.justification, m.note].filter(Boolean).join(' — ');
        out.push(...wrap(`note (${who}) ${what}`, width, '             ', '             ').map((l) => (m.trusted ? c.green(l) : c.yellow(l))));
      }
    }
    if (hidden) out.push(c.dim(`    ${hidden} mitigated finding${hidden === 1 ? '' : 's'} (--show-mitigated lists them)`));
  }
  if (report.findings.length === 0) {
    out.push(report.gaps.length > 0 ? '  none found in what was examined (see "Not examined")' : '  none found');
  }
  return out;
}

/**
 * `deb openssl 3.0.14-1~deb12u2 (libssl3, openssl)`: the package type (its purl's, else the
 * ecosystem's name), then the package as matched, and for a source package the installed
 * binary packages built from it, which are what an upgrade names.
 */
function packageLabel(p: ScanReport['findings'][number]['package'], c: InstanceType<typeof Chalk>): string {
  const type = /^pkg:([a-z][a-z0-9.+-]*)\//i.exec(p.purl ?? '')?.[1]?.toLowerCase() ?? p.ecosystem.split(':')[0]!.toLowerCase();
  const binaries = p.binaries && !(p.binaries.length === 1 && p.binaries[0] === p.name) ? ` (${p.binaries.join(', ')})` : '';
  return `${c.dim(type)} ${p.name} ${p.version}${binaries}`;
}

function visibleLength(s: string): number {
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}

/** `Summary: open 1 critical, 3 high; mitigated 2; 1 not examined`: never "clean" while something was not examined. */
function summaryLine(report: ScanReport, c: InstanceType<typeof Chalk>, width: number): string {
  const counts = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'NONE', 'UNKNOWN']
    .map((s) => [s, report.findings.filter((f) => f.state === 'open' && f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s.toLowerCase()}`);
  const mitigated = report.findings.filter((f) => f.state === 'mitigated').length;
  const parts = [`open ${counts.join(', ') || 'none'}`];
  if (mitigated) parts.push(`mitigated ${mitigated}`);
  if (report.posture) {
    const open = report.posture.findings.filter((f) => f.state !== 'mitigated');
    const bySeverity = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']
      .map((s) => [s, open.filter((f) => f.severity === s).length] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s.toLowerCase()}`);
    parts.push(`configuration ${bySeverity.join(', ') || 'none open'}`);
  }
  if (report.gaps.length) parts.push(c.yellow(`${report.gaps.length} not examined`));
  const lines = wrap(parts.join('; '), width, `${c.bold('Summary')}  `, ' '.repeat(9));
  if (report.verdict.failed) {
    lines.push(c.red(c.bold('FAILED')));
    for (const r of report.verdict.reasons) lines.push(...wrap(r, width, `  ${c.red('✗')} `, '    '));
  }
  return lines.join('\n');
}

function truncate(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= n ? one : `${one.slice(0, n - 1)}…`;
}

/** Lines of configuration findings shown per workload; the JSON has them all. */
const CONFIG_LINES_PER_WORKLOAD = 5;

/**
 * The posture findings, short: one block per workload (kind/name and the chart that renders it),
 * its open findings by severity, one line each (check, container, message), the values key under
 * it when known, and a count of the rest.
 */
function configurationLines(posture: NonNullable<ScanReport['posture']>, c: InstanceType<typeof Chalk>, width: number): string[] {
  const open = posture.findings.filter((f) => f.state !== 'mitigated');
  const mitigated = posture.findings.length - open.length;
  const out = [c.bold(`Configuration (${open.length} open${mitigated ? `, ${mitigated} mitigated` : ''})`), c.dim(`  Pod Security Standards ${posture.podSecurity.level} (${posture.podSecurity.version}) and best practices, by workload`)];
  if (open.length === 0) {
    out.push('  none open');
    return out;
  }
  const groups = new Map<string, typeof open>();
  for (const f of open) {
    const key = `${f.resource.kind}/${f.resource.name}\u0000${f.chart}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const fit = (s: string) => ([...s].length > width ? `${[...s].slice(0, width - 1).join('')}…` : s);
  for (const [key, list] of groups) {
    const [resource, chart] = key.split('\u0000') as [string, string];
    out.push('', fit(`  ${c.cyan(resource)}  ${c.dim(chart)}`));
    for (const f of list.slice(0, CONFIG_LINES_PER_WORKLOAD)) {
      out.push(fit(`    ${severityLabel(f.severity, c)} ${f.check}${f.container ? `  ${f.container}` : ''}: ${f.message}`));
      if (f.valuesKey) out.push(fit(`             ${c.dim(`values: ${f.valuesKey}`)}`));
    }
    if (list.length > CONFIG_LINES_PER_WORKLOAD) out.push(`    … ${list.length - CONFIG_LINES_PER_WORKLOAD} more (--format json lists all)`);
  }
  return out;
}

function severityLabel(s: string, c: InstanceType<typeof Chalk>): string {
  const text = s.padEnd(8);
  return s === 'CRITICAL' || s === 'HIGH' ? c.red(text) : s === 'MEDIUM' ? c.yellow(text) : text;
}
