/**
 * Which kind of reference names a chart: a local path, a registry (`oci://`) or a repository
 * chart (`<repo>/<chart>`). Apart from src/commands/chart-source.ts, which fetches the remote
 * ones, so that a scan of a local chart loads none of the registry and repository code.
 */
import { isAbsolute } from 'node:path';
import { UsageError } from '../model/errors.js';
import { exists } from './context.js';

export type ChartRefKind = 'local' | 'oci' | 'repo';

/**
 * How `ref` is read, as helm's LocateChart: `oci://` is a registry; a path that exists is local;
 * with `--repo`, or as `<repo>/<chart>`, a repository chart; anything else is a local path (the
 * loader then says it does not exist). Other URLs are a usage error.
 */
export function chartRefKind(ref: string, opts: { repo?: string | undefined } = {}): ChartRefKind {
  const r = ref.trim();
  if (r.startsWith('oci://')) return 'oci';
  if (exists(r)) return 'local';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(r)) {
    throw new UsageError(`${r}: charts by URL are not supported; name it oci://HOST/PATH/NAME (a registry), <repo>/<chart> (helm's repositories file), or a local .tgz or directory`);
  }
  if (isAbsolute(r) || r.startsWith('.') || /\.(tgz|tar\.gz)$/.test(r)) return 'local';
  if (opts.repo !== undefined) return 'repo';
  return r.includes('/') ? 'repo' : 'local';
}
