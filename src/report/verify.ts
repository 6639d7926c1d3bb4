/** Output of `verify`: helm's three lines first (scripts written for helm keep working), or JSON. */
import type { VerifyOutcome } from '../model/provenance.js';

/** helm's lines for a verified chart; a failure is said on stderr by the CLI, as helm does. */
export function renderVerifyText(r: VerifyOutcome): string {
  const v = r.verification;
  if (!v) return '';
  return `${v.signedBy.map((s) => `Signed by: ${s}\n`).join('')}Using Key With Fingerprint: ${v.fingerprint}\n`
    + `Chart Hash Verified: ${v.hash}\n${v.signedAt ? `Signed on: ${v.signedAt.toISOString()}\n` : ''}`;
}

export function renderVerifyJson(r: VerifyOutcome): string {
  const v = r.verification;
  return `${JSON.stringify({
    chart: r.chart, status: r.status, failure: r.failure, reason: r.reason,
    signedBy: v?.signedBy ?? [], fingerprint: v?.fingerprint ?? null,
    signingKeyId: v?.signingKeyId ?? null, signedAt: v?.signedAt?.toISOString() ?? null, hash: v?.hash ?? null,
    keyring: r.keyring, warnings: r.warnings,
  }, null, 2)}\n`;
}
