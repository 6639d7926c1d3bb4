/** The bitnami chart corpus (read-only, ../shared beside the checkout): reading a chart's values.yaml. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sharedRoot } from '../../../../test/helpers/shared.js';

/** Where the corpus is; tests resolve it with sharedPath(), which fails when it is missing. */
export const CORPUS_DIR = process.env['CHARTAUDIT_CORPUS'] ?? join(sharedRoot, 'corpus', 'bitnami', 'charts');

function cstr(b: Buffer, start: number, len: number): string {
  const end = b.indexOf(0, start);
  return b.toString('utf8', start, end < 0 || end > start + len ? start + len : end);
}

/** The top-level chart's values.yaml from a chart archive (null if it has none). */
export function readChartValues(tgz: string): Buffer | null {
  const tar = gunzipSync(readFileSync(tgz));
  let p = 0;
  let longName: string | null = null;
  while (p + 512 <= tar.length) {
    const h = tar.subarray(p, p + 512);
    if (h.every((x) => x === 0)) break;
    let name = cstr(h, 0, 100);
    const prefix = cstr(h, 345, 155);
    if (prefix) name = prefix + '/' + name;
    const size = parseInt(cstr(h, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156]!);
    const body = tar.subarray(p + 512, p + 512 + size);
    p += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') { longName = cstr(body, 0, body.length); continue; }
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      if (m) longName = m[1]!;
      continue;
    }
    if (longName !== null) { name = longName; longName = null; }
    if ((type === '0' || type === '\0') && /^[^/]+\/values\.yaml$/.test(name)) return Buffer.from(body);
  }
  return null;
}
