/** `chartaudit posture`'s table: findings grouped by workload, most severe first, each with its fix and the values key that controls it. */
import { Chalk } from 'chalk';
import type { PostureReport, ReportPostureFinding } from '../model/report.js';
import type { RenderOptions } from './types.js';
import { wrap } from './wrap.js';

export function renderPostureReport(r: PostureReport, opts: RenderOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const sev = { CRITICAL: c.red.bold('CRITICAL'), HIGH: c.red('HIGH    '), MEDIUM: c.yellow('MEDIUM  '), LOW: c.dim('LOW     ') };
  const out = wrap(`${c.bold(`${r.chart.name} ${r.chart.version}`)}: Pod Security Standards, ${r.podSecurity.level} (${r.podSecurity.version}), and best practices`, opts.width, '', '  ');
  const byWorkload = new Map<string, ReportPostureFinding[]>();
  for (const f of r.findings) {
    const key = `${f.chart}  ${f.resource.kind}/${f.resource.name}`;
    byWorkload.set(key, [...(byWorkload.get(key) ?? []), f]);
  }
  if (byWorkload.size === 0) out.push('', `  every resource passes ${r.podSecurity.level} and the best practices`);
  for (const [workload, findings] of byWorkload) {
    const template = findings[0]!.template;
    out.push('', ...wrap(`${workload}  ${c.dim(template)}${findings[0]!.customResource ? c.dim(' (pod template in a custom resource)') : ''}`, opts.width, '  ', '    '));
    for (const f of findings) {
      out.push(...wrap(`${f.check}${f.container ? ` (container ${f.container})` : ''}: ${f.message}`, opts.width, `    ${sev[f.severity]} `, '             '));
      out.push(...wrap(`fix: ${f.fix}`, opts.width, '             ', '             ').map((l) => c.dim(l)));
      out.push(...wrap(`values key: ${f.valuesKey ?? 'not known'}`, opts.width, '             ', '             ').map((l) => (f.valuesKey ? l : c.dim(l))));
    }
  }
  if (r.gaps.length) {
    out.push('', c.bold('Not examined'));
    for (const g of r.gaps) out.push(...wrap(`${g.scope}: ${g.reason}`, opts.width, `  ${c.yellow('!')} `, '    '));
  }
  const n = r.findings.length;
  const keyed = r.findings.filter((f) => f.valuesKey !== null).length;
  out.push('', `${c.bold('Summary')}  ${n} finding${n === 1 ? '' : 's'} in ${byWorkload.size} resource${byWorkload.size === 1 ? '' : 's'}${n ? `, ${keyed} with a values key` : ''}`);
  return `${out.join('\n')}\n`;
}
