/**
 * What each command does with its parsed flags: flags → the command's options, one call into
 * src/commands/, then output and the exit code. Each command module loads only when used.
 */
import { ExitCode } from './exit.js';
import { CheckFailedError, UsageError } from '../model/errors.js';
import type { Severity } from '../model/advisory.js';
import { defaultCacheDir } from '../cache/paths.js';
import type { RenderFlags } from '../commands/chart-input.js';
import { formatIds, writerFor, type FormatId } from '../report/formats.js';
import { writeOutputFile } from './output.js';
import { terminalProgress } from './progress.js';
import { isTerminal, terminalColumns } from './terminal.js';
import { VERSION } from '../version.js';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export type Options = Record<string, string | string[] | boolean | undefined>;
type Handler = (args: string[], o: Options, io: Io) => Promise<number>;

const str = (v: Options[string]): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: Options[string]): string[] => (Array.isArray(v) ? v : []);

/** Colour only on a terminal, and never with --no-color or NO_COLOR. */
const useColor = (o: Options, toFile: boolean): boolean =>
  o.color !== false && !toFile && isTerminal(1) && !process.env.NO_COLOR;

/** Progress lines while a source is retried: on a terminal only, never in a pipe or a log. */
const onRetry = (io: Io) => (isTerminal(2) ? (m: string) => io.stderr(`${m}\n`) : undefined);

function renderFlags(o: Options): RenderFlags {
  return {
    valuesFiles: list(o.values), set: list(o.set), setString: list(o.setString), setJson: list(o.setJson),
    setFile: list(o.setFile), setLiteral: list(o.setLiteral),
    releaseName: str(o.releaseName) ?? 'release-name', namespace: str(o.namespace) ?? 'default',
    kubeVersion: str(o.kubeVersion), apiVersions: list(o.apiVersions),
    // Parsed templates kept between runs (src/cache/templates.ts); CHARTAUDIT_NO_TEMPLATE_CACHE=1 turns it off.
    templateCache: process.env.CHARTAUDIT_NO_TEMPLATE_CACHE ? undefined : defaultCacheDir(process.env),
  };
}

function wholeNumber(flag: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`${flag} takes a whole number${min > 0 ? ` of at least ${min}` : ''}, not ${JSON.stringify(v)}`);
  return Number(v);
}

const seconds = (flag: string, v: Options[string]): number | undefined => {
  const s = wholeNumber(flag, str(v), 1);
  return s === undefined ? undefined : s * 1000;
};

const deadlineMs = (o: Options): number | undefined => {
  const s = wholeNumber('--timeout', str(o.timeout), 1);
  return s === undefined ? undefined : s * 1000;
};

/**
 * Where the output goes and in which format. helm users type `-o json` for a format; a file
 * named like a format of this command is therefore taken as the format, with a warning
 * (`-o ./json` writes a file of that name). `--format` and such an `-o` must agree.
 * Where -o repeats (scan), `-o FORMAT=FILE` adds one more report in that format (`extra`), so
 * CI gets the table, SARIF and CycloneDX from one run; a name whose prefix is no format
 * (`-o ./a=b.json`) is a plain file.
 */
function destination(o: Options, formats: readonly string[], io: Io): { format: string; file: string | undefined; extra: { format: string; file: string }[] } {
  let format = str(o.format);
  const extra: { format: string; file: string }[] = [];
  const plain: string[] = [];
  const repeatable = Array.isArray(o.output);
  for (const v of typeof o.output === 'string' ? [o.output] : list(o.output)) {
    const eq = v.indexOf('=');
    const named = eq > 0 ? v.slice(0, eq).toLowerCase() : undefined;
    if (named !== undefined && repeatable && formats.includes(named === 'text' ? 'table' : named)) {
      if (v.length === eq + 1) throw new UsageError(`-o ${v}: no file named after ${named}=`);
      extra.push({ format: named === 'text' ? 'table' : named, file: v.slice(eq + 1) });
    } else plain.push(v);
  }
  if (plain.length > 1) throw new UsageError(`-o is given ${plain.length} times (${plain.join(', ')}): one plain file at most; name the others FORMAT=FILE`);
  let file = plain[0];
  const asFormat = file?.toLowerCase() === 'text' ? 'table' : file?.toLowerCase();
  if (file !== undefined && asFormat !== undefined && formats.includes(asFormat)) {
    if (format !== undefined && format !== asFormat) throw new UsageError(`-o ${file} and --format ${format} disagree: -o ${file} is taken as the format (helm's -o); to write a file named ${file}, say -o ./${file}`);
    io.stderr(`warning: -o ${file} taken as --format ${asFormat}, as helm's -o; to write a file named ${file}, say -o ./${file}\n`);
    format = asFormat;
    file = undefined;
  }
  const files = [...(file !== undefined ? [file] : []), ...extra.map((e) => e.file)];
  const twice = files.find((f, i) => files.indexOf(f) !== i);
  if (twice !== undefined) throw new UsageError(`-o names ${twice} twice: each report needs a file of its own`);
  return { format: format ?? 'table', file, extra };
}

function emit(text: string, file: string | undefined, io: Io): void {
  if (file) writeOutputFile(file, text);
  else io.stdout(text);
}

export const handlers: Record<string, Handler> = {
  async version(_args, _o, io) {
    io.stdout(`${VERSION}\n`);
    return ExitCode.ok;
  },

  async mitigations([ref], o, io) {
    const { mitigations } = await import('../commands/mitigations.js');
    const { processEnv } = await import('../commands/context.js');
    const { renderMitigations } = await import('../report/mitigations.js');
    const env = processEnv();
    const r = await mitigations({
      ref: ref!, version: str(o.version), repo: str(o.repo), keyring: str(o.keyring), deadlineMs: deadlineMs(o), onRetry: onRetry(io),
    }, env);
    io.stdout(renderMitigations(r, (str(o.format) ?? 'table') as 'table' | 'json' | 'openvex' | 'cyclonedx', env.now));
    return ExitCode.ok;
  },

  async posture([chart], o, io) {
    const { format, file } = destination(o, ['table', 'json'], io);
    const { posture } = await import('../commands/posture.js');
    const { renderPostureReport } = await import('../report/posture.js');
    const report = await posture({
      chart: chart!, ...renderFlags(o), level: (str(o.level) ?? 'restricted') as 'baseline' | 'restricted', pssVersion: str(o.pssVersion) ?? 'latest',
    });
    emit(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderPostureReport(report, { color: useColor(o, file !== undefined), width: terminalColumns(1) }), file, io);
    return ExitCode.ok;
  },

  async image([ref], o, io) {
    if (o.online === true && o.offline === true) throw new UsageError('--online and --offline contradict each other: choose one');
    const { format, file } = destination(o, ['table', 'json'], io);
    const { inspectImage } = await import('../commands/image.js');
    const { processEnv } = await import('../commands/context.js');
    const { renderImageReport } = await import('../report/image.js');
    const report = await inspectImage({
      ref: ref!, platform: str(o.platform) ?? 'linux/amd64', registryConfig: str(o.registryConfig),
      mirrors: list(o.registryMirror), insecure: list(o.insecureRegistry), offline: o.offline === true,
      deadlineMs: deadlineMs(o), onRetry: onRetry(io), onWarning: (m) => io.stderr(`warning: ${m}\n`),
      db: str(o.db), online: o.online === true, osvUrl: str(o.osvUrl),
    }, processEnv());
    emit(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderImageReport(report, { color: useColor(o, file !== undefined), width: terminalColumns(1) }), file, io);
    return ExitCode.ok;
  },

  async 'cache status'(_args, o, io) {
    const { cacheStatus } = await import('../commands/cache.js');
    const { formatBytes } = await import('../report/units.js');
    const { processEnv } = await import('../commands/context.js');
    const s = cacheStatus(processEnv());
    io.stdout(o.format === 'json'
      ? `${JSON.stringify(s, null, 2)}\n`
      : `cache:     ${s.dir}\nblobs:     ${s.count} (${formatBytes(s.bytes)})\ntemplates: ${s.templates.count} entr${s.templates.count === 1 ? 'y' : 'ies'} of parsed templates and chart archives (${formatBytes(s.templates.bytes)})\n`);
    return ExitCode.ok;
  },

  async 'cache prune'(_args, o, io) {
    const { cachePrune } = await import('../commands/cache.js');
    const { formatBytes } = await import('../report/units.js');
    const { processEnv } = await import('../commands/context.js');
    const r = cachePrune(str(o.maxSize), processEnv());
    io.stdout(o.format === 'json'
      ? `${JSON.stringify(r, null, 2)}\n`
      : `removed ${r.removed} blob${r.removed === 1 ? '' : 's'} (${formatBytes(r.freedBytes)}); ${r.status.count} left (${formatBytes(r.status.bytes)}) in ${r.status.dir}\n`
        + `removed ${r.templatesRemoved} entr${r.templatesRemoved === 1 ? 'y' : 'ies'} of parsed templates and chart archives (${formatBytes(r.templatesFreedBytes)})\n`);
    return ExitCode.ok;
  },

  async 'db import'(paths, o, io) {
    const { dbImport } = await import('../commands/db.js');
    const { processEnv } = await import('../commands/context.js');
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
    const { dbUpdate } = await import('../commands/db.js');
    const { processEnv } = await import('../commands/context.js');
    const r = await dbUpdate({
      db: str(o.db), ecosystems: list(o.ecosystem), osvBaseUrl: str(o.osvBaseUrl), nvd: o.nvd === true, nvdBaseUrl: str(o.nvdBaseUrl),
      deadlineMs: deadlineMs(o), onRetry: onRetry(io),
    }, processEnv(), (line) => io.stderr(`${line}\n`));
    io.stdout(`Updated ${r.dbPath} from ${r.downloads.length} download${r.downloads.length === 1 ? '' : 's'}: ${r.imported} new, ${r.replaced} replaced, ${r.unchanged} unchanged\n`);
    if (r.skippedCount) io.stderr(`warning: ${r.skippedCount} malformed records skipped (first: ${r.skipped[0]?.name}: ${r.skipped[0]?.reason})\n`);
    return ExitCode.ok;
  },

  async 'db status'(_args, o, io) {
    const { dbStatus } = await import('../commands/db.js');
    const { processEnv } = await import('../commands/context.js');
    io.stdout(dbStatus(str(o.db), o.format === 'json' ? 'json' : 'table', processEnv()));
    return ExitCode.ok;
  },

  async verify([chart], o, io) {
    const { verifyChart } = await import('../commands/verify.js');
    const { processEnv } = await import('../commands/context.js');
    const { renderVerifyText, renderVerifyJson } = await import('../report/verify.js');
    const r = await verifyChart({ chart: chart!, keyring: str(o.keyring) }, processEnv());
    for (const w of r.warnings) io.stderr(`warning: ${w}\n`);
    if (o.format === 'json') {
      io.stdout(renderVerifyJson(r));
      return r.status === 'verified' ? ExitCode.ok : ExitCode.checkFailed;
    }
    // As helm: a failure is one line on stderr, exit 1.
    if (r.status !== 'verified') throw new CheckFailedError(`${chart}: ${r.reason}`);
    io.stdout(renderVerifyText(r));
    return ExitCode.ok;
  },

  async sign([chart], o, io) {
    const { signChartFile } = await import('../commands/sign.js');
    const { processEnv } = await import('../commands/context.js');
    const { promptHidden, readAllStdin } = await import('./tty.js');
    const r = await signChartFile({
      chart: chart!, key: str(o.key)!, keyring: str(o.keyring)!, passphraseFile: str(o.passphraseFile),
      prompt: isTerminal(0) ? promptHidden : undefined,
      readStdin: isTerminal(0) ? undefined : readAllStdin,
    }, processEnv());
    io.stdout(`Signed ${chart} with ${r.signer} (${r.fingerprint})\nWrote ${r.prov}\n`);
    return ExitCode.ok;
  },

  async template(positionals, o, io) {
    // helm template [NAME] CHART
    let chart = positionals[0]!;
    const flags = renderFlags(o);
    if (positionals.length === 2) {
      if (str(o.releaseName) !== undefined) throw new UsageError(`the release name is given twice: ${positionals[0]} and --release-name ${str(o.releaseName)}`);
      flags.releaseName = positionals[0]!;
      chart = positionals[1]!;
    }
    const { template } = await import('../commands/template.js');
    io.stdout(await template({
      chart, ...flags, showOnly: list(o.showOnly), includeCrds: o.includeCrds === true, skipTests: o.skipTests === true,
    }));
    return ExitCode.ok;
  },

  async images(charts, o, io) {
    const { imagesOfEach } = await import('../commands/images.js');
    const { format, file } = destination(o, ['table', 'json'], io);
    // The table writer only for tables (its terminal colour library costs ~8 ms to load).
    const { renderImagesTable } = format === 'json' ? { renderImagesTable: null } : await import('../report/images.js');
    // Each chart in turn; one that fails does not stop the rest. JSON is always a list, one
    // entry per chart, so a glob that matches one file gives scripts the same shape.
    const results = await imagesOfEach(charts, renderFlags(o));
    let code: number = ExitCode.ok;
    for (const r of results) if ('error' in r) { io.stderr(`chartaudit: ${r.error}\n`); code = ExitCode.cannotRun; }
    const text = format === 'json'
      ? `${JSON.stringify(results, null, 2)}\n`
      : results
        .map((r) => ('error' in r ? `${r.file}: failed (see above)\n` : renderImagesTable!(r, { color: useColor(o, file !== undefined), width: terminalColumns(1) })))
        .join('\n');
    if (results.length === 1 && code !== ExitCode.ok && format !== 'json') return code;
    emit(text, file, io);
    return code;
  },

  async scan([chart], o, io) {
    if (o.online === true && o.offline === true) throw new UsageError('--online and --offline contradict each other: choose one');
    const { format, file, extra } = destination(o, formatIds, io);
    const { scan } = await import('../commands/scan.js');
    const { processEnv } = await import('../commands/context.js');
    const report = await scan({
      chart: chart!, keyring: str(o.keyring), version: str(o.version), repo: str(o.repo), ...renderFlags(o),
      db: str(o.db), offline: o.offline === true, online: o.online === true, osvUrl: str(o.osvUrl),
      deadlineMs: deadlineMs(o), onRetry: onRetry(io),
      vex: list(o.vex), ignoreFile: str(o.ignoreFile),
      failOn: str(o.failOn)?.toUpperCase() as Severity | undefined,
      failOnGaps: o.failOnGaps === true, requireSignature: o.requireSignature === true,
      maxDbAge: wholeNumber('--max-db-age', str(o.maxDbAge), 0),
      platform: str(o.platform) ?? 'linux/amd64', registryConfig: str(o.registryConfig),
      mirrors: list(o.registryMirror), insecure: list(o.insecureRegistry), skipImageContents: o.skipImageContents === true, ignoreUnfixed: o.ignoreUnfixed === true,
      skipPosture: o.skipPosture === true, pssLevel: str(o.pssLevel) as 'baseline' | 'restricted' | undefined, pssVersion: str(o.pssVersion), valuesKeys: o.valuesKeys === true,
      imageDeadlineMs: seconds('--image-timeout', o.imageTimeout), progress: terminalProgress(io.stderr),
    }, processEnv());
    const tableOnScreen = format === 'table' && file === undefined;
    // The table shows its warnings; JSON readers get them on stderr as well, one line each.
    if (!tableOnScreen) for (const w of report.warnings) io.stderr(`warning: ${w}\n`);
    // Files never get colour; the SARIF writer locates template-less results at the chart file.
    const { chartRootForSarif } = await import('./chart-root.js');
    const renderOpts = { width: terminalColumns(1), showMitigated: o.showMitigated === true, chartFile: chart!, chartRoot: chartRootForSarif(chart!) };
    for (const e of extra) writeOutputFile(e.file, (await writerFor(e.format as FormatId)).render(report, { ...renderOpts, color: false }));
    emit((await writerFor(format as FormatId)).render(report, { ...renderOpts, color: useColor(o, file !== undefined) }), file, io);
    return report.verdict.failed ? ExitCode.checkFailed : ExitCode.ok;
  },
};
