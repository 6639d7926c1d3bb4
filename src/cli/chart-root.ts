/**
 * Where a chart directory lies, for SARIF: GitHub code scanning reads relative result paths
 * from the repository root and ignores `uriBaseId`, so results in a chart at `charts/web/` must
 * say `charts/web/templates/…`. Relative to the working directory (CI runs from the checkout),
 * else an absolute file URI (GitHub makes those relative to its checkout path).
 */
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** undefined for anything that is not a local directory (an archive, `oci://`, `repo/chart`). */
export function chartRootForSarif(chart: string, cwd = process.cwd()): string | undefined {
  const abs = resolve(cwd, chart);
  try {
    if (!statSync(abs).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  const rel = relative(cwd, abs);
  if (rel === '') return '.';
  if (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) return rel.split(sep).join('/');
  return pathToFileURL(abs).href;
}
