/** What each command does with its parsed flags: one call into audit.ts, then output. */
import { writeFileSync } from 'node:fs';
import { ExitCode } from './exit.js';
import type { RenderFlags } from '../audit.js';
import type { ImagesReport } from '../model/report.js';
import type { Severity } from '../model/advisory.js';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export type Options = Record<string, string | string[] | boolean | undefined>;
type Handler = (args: string[], o: Options, io: Io) => Promise<number>;

const str = (v: Options[string]): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: Options[string]): string[] => (Array.isArray(v) ? v : []);

/** Colour only on a terminal, and never with --no-color or NO_COLOR. */
const useColor = (o: Options, output: string | undefined): boolean =>
  o.color !== false && !output && process.stdout.isTTY === true && !process.env.NO_COLOR;

function renderFlags(o: Options): RenderFlags {
  return {
    valuesFiles: list(o.values), set: list(o.set), setString: list(o.setString), setJson: list(o.setJson),
    setFile: list(o.setFile), setLiteral: list(o.setLiteral),
    releaseName: str(o.releaseName) ?? 'release-name', namespace: str(o.namespace) ?? 'default',
    kubeVersion: str(o.kubeVersion), apiVersions: list(o.apiVersions),
  };
}

export const handlers: Record<string, Handler> = {
  async mitigations([ref], o, io) {
    const { mitigations, processEnv } = await import('../audit.js');
    const { renderMitigations } = await import('../stages-vuln.js');
    const env = processEnv();
    const r = await mitigations({ ref: ref!, version: str(o.version), repo: str(o.repo) }, env);
    io.stdout(renderMitigations(r, (str(o.format) ?? 'table') as 'table' | 'json' | 'openvex', env.now));
    return ExitCode.ok;
  },

  async 'db import'(paths, o, io) {
    const { dbImport, processEnv } = await import('../audit.js');
    const r = await dbImport(paths, str(o.db), processEnv(), (line) => io.stderr(`${line}\n`));
    io.stdout(`Imported into ${r.dbPath}: ${r.imported} new, ${r.replaced} replaced, ${r.unchanged} unchanged (${(r.durationMs / 1000).toFixed(1)} s)\n`);
    if (r.skippedCount) {
      io.stderr(`warning: ${r.skippedCount} malformed record${r.skippedCount === 1 ? '' : 's'} skipped:\n`);
      for (const s of r.skipped.slice(0, 20)) io.stderr(`  ${s.name}: ${s.reason}\n`);
      if (r.skippedCount > 20) io.stderr(`  … and ${r.skippedCount - 20} more\n`);
    }
    return ExitCode.ok;
  },

  async 'db update'(_args, o, io) {
    const { dbUpdate, processEnv } = await import('../audit.js');
    const r = await dbUpdate({
      db: str(o.db), ecosystems: list(o.ecosystem), osvBaseUrl: str(o.osvBaseUrl), nvd: o.nvd === true, nvdBaseUrl: str(o.nvdBaseUrl),
    }, processEnv(), (line) => io.stderr(`${line}\n`));
    io.stdout(`Updated ${r.dbPath} from ${r.downloads.length} download${r.downloads.length === 1 ? '' : 's'}: ${r.imported} new, ${r.replaced} replaced, ${r.unchanged} unchanged\n`);
    if (r.skippedCount) io.stderr(`warning: ${r.skippedCount} malformed records skipped (first: ${r.skipped[0]?.name}: ${r.skipped[0]?.reason})\n`);
    return ExitCode.ok;
  },

  async 'db status'(_args, o, io) {
    const { dbStatus, processEnv } = await import('../audit.js');
    io.stdout(await dbStatus(str(o.db), o.format === 'json' ? 'json' : 'text', processEnv()));
    return ExitCode.ok;
  },

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

  async template([chart], o, io) {
    const { template } = await import('../audit.js');
    io.stdout(await template({
      chart: chart!, ...renderFlags(o),
      showOnly: list(o.showOnly), includeCrds: o.includeCrds === true, skipTests: o.skipTests === true,
    }));
    return ExitCode.ok;
  },

  async images(charts, o, io) {
    const { images, imagesOfEach } = await import('../audit.js');
    const { renderImagesTable } = await import('../stages.js');
    const output = str(o.output);
    const table = (r: ImagesReport) => renderImagesTable(r, { color: useColor(o, output), width: process.stdout.columns ?? 80 });
    let text: string;
    let code: number = ExitCode.ok;
    if (charts.length === 1) {
      const report = await images({ chart: charts[0]!, ...renderFlags(o) });
      text = o.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : table(report);
    } else {
      // Several charts: one after another in one process; a chart that fails does not stop the rest.
      const results = await imagesOfEach(charts, renderFlags(o));
      for (const r of results) if ('error' in r) { io.stderr(`chartaudit: ${r.error}\n`); code = ExitCode.cannotRun; }
      text = o.format === 'json'
        ? `${JSON.stringify(results, null, 2)}\n`
        : results.map((r) => ('error' in r ? `${r.file}: failed (see above)\n` : table(r))).join('\n');
    }
    if (output) writeFileSync(output, text);
    else io.stdout(text);
    return code;
  },

  async scan([chart], o, io) {
    const { scan, processEnv } = await import('../audit.js');
    const { writers } = await import('../stages.js');
    const { severityRank } = await import('../stages-vuln.js');
    const report = await scan({
      chart: chart!, keyring: str(o.keyring), ...renderFlags(o),
      db: str(o.db), offline: o.offline === true, online: o.online === true, osvUrl: str(o.osvUrl),
      vex: list(o.vex), ignoreFile: str(o.ignoreFile),
      warn: (m) => io.stderr(`warning: ${m}\n`),
    }, processEnv());
    const output = str(o.output);
    const text = writers[o.format as 'table' | 'json'].render(report, {
      color: useColor(o, output), width: process.stdout.columns ?? 80, showMitigated: o.showMitigated === true,
    });
    if (output) writeFileSync(output, text);
    else io.stdout(text);
    if (report.provenance.status === 'failed') return ExitCode.checkFailed;
    const failOn = str(o.failOn);
    if (failOn) {
      const threshold = severityRank(failOn.toUpperCase() as Severity);
      // Only open findings count: mitigated ones were answered by a trusted statement.
      if (report.findings.some((f) => f.state === 'open' && severityRank(f.severity) >= threshold)) return ExitCode.checkFailed;
    }
    return ExitCode.ok;
  },
};
