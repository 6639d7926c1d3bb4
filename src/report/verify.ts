/** Output of `verify`: helm's three lines first (scripts written for helm keep working), or JSON. */
import type { VerifyOutcome } from '../audit.js';

export function renderVerifyText(r: VerifyOutcome): string {
  const v = r.verification;
  return `${v.signedBy.map((s) => `Signed by: ${s}\n`).join('')}Using Key With Fingerprint: ${v.fingerprint}\n`
    + `Chart Hash Verified: ${v.hash}\n${v.signedAt ? `Signed on: ${v.signedAt.toISOString()}\n` : ''}`;
}

export function renderVerifyJson(r: VerifyOutcome): string {
  const v = r.verification;
  return `${JSON.stringify({
    chart: r.chart, status: 'verified', signedBy: v.signedBy, fingerprint: v.fingerprint,
    signingKeyId: v.signingKeyId, signedAt: v.signedAt?.toISOString() ?? null, hash: v.hash,
    keyring: r.keyringPath, warnings: r.warnings,
  }, null, 2)}\n`;
}
