/** The `images` command's table: one row per place an image is used, grouped by image. */
import { wrap } from './wrap.js';
import { formatBytes } from './units.js';
import { Chalk } from 'chalk';
import type { ImagesReport, ReportImage } from '../model/report.js';
import type { RenderOptions } from './types.js';

export function renderImagesTable(r: ImagesReport, opts: RenderOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [];
  out.push(`${c.bold(`${r.chart.name} ${r.chart.version}`)}: ${r.images.length} image${r.images.length === 1 ? '' : 's'}`);
  out.push(...imageLines(r.images, c, opts.width));
  if (r.customResourceImages.length) {
    out.push('', c.bold(`In custom resources (${r.customResourceImages.length}), run only if an operator acts on them:`));
    out.push(...imageLines(r.customResourceImages, c, opts.width));
  }
  if (r.gaps.length) {
    out.push('', c.bold('Not read'));
    for (const g of r.gaps) out.push(`  ${c.yellow('!')} ${g.scope}: ${g.reason}`);
  }
  const disabled = r.charts.filter((n) => !n.enabled);
  if (disabled.length) {
    out.push('', c.dim(`Disabled subcharts (their images are not deployed): ${disabled.map((n) => n.alias ?? n.name).join(', ')}`));
  }
  return `${out.join('\n')}\n`;
}

/**
 * Image, then indented `chart  kind/name  container  template` lines; shared with the scan
 * table. When a row does not fit the width, the template goes on a line of its own.
 */
export function imageLines(images: ReportImage[], c: InstanceType<typeof Chalk>, width = 80): string[] {
  const out: string[] = [];
  for (const img of images) {
    out.push('', `  ${c.cyan(img.ref)}`);
    if (img.contents) out.push(...contentLines(img.contents, c, width));
    const rows = img.sources.map((s) => [s.chart, `${s.kind}/${s.name}`, s.container, s.template]);
    const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) {
      const head = `    ${r[0]!.padEnd(w[0]!)}  ${r[1]!.padEnd(w[1]!)}  ${r[2]!}`;
      const padded = `    ${r[0]!.padEnd(w[0]!)}  ${r[1]!.padEnd(w[1]!)}  ${r[2]!.padEnd(w[2]!)}  `;
      if (padded.length + r[3]!.length <= width) out.push(`${padded}${c.dim(r[3]!)}`);
      else if (head.length <= width) out.push(head, `      ${c.dim(r[3]!)}`);
      else out.push(`    ${r[0]!}  ${r[1]!}`, `      container ${r[2]!}, ${c.dim(r[3]!)}`);
    }
  }
  return out;
}

/** The pulled image in two lines: its digest whole, then platform, size, user, OS and packages. */
function contentLines(k: NonNullable<ReportImage['contents']>, c: InstanceType<typeof Chalk>, width: number): string[] {
  const size = k.layers.reduce((n, l) => n + l.size, 0);
  const facts = [
    k.platform,
    `${k.layers.length} layer${k.layers.length === 1 ? '' : 's'} ${formatBytes(size)}`,
    `user ${k.config.user || 'root (not set)'}`,
    k.os ? `${k.os.name}${k.os.endOfLifePassed ? ` (end of life since ${k.os.endOfLife})` : ''}` : 'no OS release',
    `${k.packages.length} package${k.packages.length === 1 ? '' : 's'}`,
  ].join(', ');
  return [`    ${c.dim(k.digest)}`, ...wrap(facts, width, '    ', '    ').map((l) => c.dim(l))];
}
