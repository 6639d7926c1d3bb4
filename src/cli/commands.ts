/** What each command does with its parsed flags: one call into audit.ts, then output. */
import { writeFileSync } from 'node:fs';
import { ExitCode } from './exit.js';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export type Options = Record<string, string | string[] | boolean | undefined>;
type Handler = (args: string[], o: Options, io: Io) => Promise<number>;

const str = (v: Options[string]): string | undefined => (typeof v === 'string' ? v : undefined);

export const handlers: Record<string, Handler> = {
  async verify([chart], o, io) {
    const { verifyChart, processEnv } = await import('../audit.js');
    const { renderVerifyText, renderVerifyJson } = await import('../report/verify.js');
    const r = await verifyChart({ chart: chart!, keyring: str(o.keyring) }, processEnv());
    io.stdout(o.format === 'json' ? renderVerifyJson(r) : renderVerifyText(r));
    for (const w of r.warnings) io.stderr(`warning: ${w}\n`);
    return ExitCode.ok;
  },

  async sign([chart], o, io) {
    const { signChartFile, processEnv } = await import('../audit.js');
    const { promptHidden, readAllStdin } = await import('./tty.js');
    const r = await signChartFile({
      chart: chart!, key: str(o.key)!, keyring: str(o.keyring)!, passphraseFile: str(o.passphraseFile),
      prompt: process.stdin.isTTY ? promptHidden : undefined,
      readStdin: process.stdin.isTTY ? undefined : readAllStdin,
    }, processEnv());
    io.stdout(`Signed ${chart} with ${r.signer} (${r.fingerprint})\nWrote ${r.prov}\n`);
    return ExitCode.ok;
  },

  async scan([chart], o, io) {
    const { scan, processEnv } = await import('../audit.js');
    const { writers } = await import('../stages.js');
    const report = await scan({ chart: chart!, keyring: str(o.keyring), valuesFiles: (o.values as string[]) ?? [] }, processEnv());
    const output = str(o.output);
    const color = o.color !== false && !output && process.stdout.isTTY === true && !process.env.NO_COLOR;
    const text = writers[o.format as 'table' | 'json'].render(report, { color, width: process.stdout.columns ?? 80 });
    if (output) writeFileSync(output, text);
    else io.stdout(text);
    return report.provenance.status === 'failed' ? ExitCode.checkFailed : ExitCode.ok;
  },
};
