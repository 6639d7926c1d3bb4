/**
 * helm v4.1.4's chart loading (pkg/chart/v2/loader/load.go LoadFiles, archive.go,
 * directory.go and the apiVersion dispatch of pkg/chart/loader/load.go used by
 * `helm template`/`install`), producing the model's Chart tree.
 *
 * Differences from helm, on purpose: one LoadBudget for the whole tree (helm gives every
 * nested .tgz a fresh 100 MiB), a file-count and nesting-depth bound, subcharts in
 * first-seen order (helm iterates a Go map: random order), and the directory loader never
 * follows a symbolic link that leaves the chart directory.
 */
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import type { Chart, ChartFile, ChartMetadata } from '../model/chart.js';
import { InputError } from '../model/errors.js';
import { readChartArchive, stripBom, toInputError, unpackArchive, type InflatedArchiveStore } from './archive.js';
import { LoadBudget } from './budget.js';
import { quote as goQuote } from '../render/template/strconv.js';
import { IgnoreRules } from './ignore.js';
import { ChartLoadError } from './load-error.js';
import {
  CHART_BASE_SCHEMA,
  LOCK_SCHEMA,
  METADATA_SCHEMA,
  ValidationError,
  toChartLock,
  toChartMetadata,
  unmarshalStruct,
  validateMetadata,
} from './metadata.js';
import { YamlError, loadValues } from './yaml.js';

export { LoadBudget } from './budget.js';

/** Go's filepath.Ext. */
function goExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

interface Ctx {
  budget: LoadBudget;
  /** Human path of the chart being loaded, for warnings and depth errors. */
  where: string;
  /** Whether the files came out of an archive (for the .helmignore warning). */
  fromArchive: boolean;
  /** The archive's values.yaml files as an earlier load parsed them (archives only). */
  values?: ValuesMemo;
}

/** What an archive's load may reuse from earlier loads of the same bytes (the caller keys both by digest). */
export interface ArchiveCache {
  inflated?: InflatedArchiveStore;
  values?: ParsedValuesStore;
}

/** One chart's values.yaml as parsed: the file's length and the values. */
export interface ParsedValues {
  length: number;
  values: Record<string, unknown>;
}

/**
 * The values.yaml files of one chart archive, parsed by an earlier load, by key: the chart's
 * place in the archive (its subchart entry names, joined by `/`) and the file's occurrence
 * among that chart's entries. The archive's digest fixes every file's bytes; the length is a
 * check. Bitnami's values files are tens of KB of YAML each (wordpress loads ~175 KB of them,
 * ~7 ms to parse in a fresh process); their values as JSON are a few KB.
 */
export interface ParsedValuesStore {
  get(key: string, length: number): Record<string, unknown> | undefined;
  /** Every values.yaml of an archive that loaded cleanly, when some were parsed rather than read. */
  put(values: ReadonlyMap<string, ParsedValues>): void;
}

/** The values files of one archive's load: read from the store, else parsed; kept after a clean load. */
class ValuesMemo {
  private readonly parsed = new Map<string, ParsedValues>();
  private missed = false;

  constructor(private readonly store: ParsedValuesStore) {}

  load(key: string, data: Buffer): Record<string, unknown> {
    let values = this.store.get(key, data.length);
    if (values === undefined) {
      this.missed = true;
      values = loadValues(data);
    }
    this.parsed.set(key, { length: data.length, values });
    return values;
  }

  /**
   * A Chart.yaml or Chart.lock decoded as `decode` does (into a fresh struct), by the same rule:
   * read back, else decoded and kept. What is kept is a copy made now, as JSON holds it (the
   * loader goes on to fill in defaults); a struct JSON cannot hold as it is is not kept.
   */
  struct(key: string, data: Buffer, decode: () => Record<string, unknown> | null): Record<string, unknown> | null {
    const kept = this.store.get(key, data.length);
    if (kept !== undefined) {
      // the loader fills in defaults on what it is given: the entry keeps its own copy
      this.parsed.set(key, { length: data.length, values: JSON.parse(JSON.stringify(kept)) as Record<string, unknown> });
      return kept;
    }
    this.missed = true;
    const decoded = decode();
    const copy = decoded === null ? undefined : jsonCopy(decoded);
    if (copy !== undefined) this.parsed.set(key, { length: data.length, values: copy });
    return decoded;
  }

  finish(): void {
    if (this.missed) this.store.put(this.parsed);
  }
}

/** A copy of `v` as JSON.parse would give it back, or undefined when JSON would change it (undefined, bigint, -0, class instances). */
function jsonCopy(v: Record<string, unknown>): Record<string, unknown> | undefined {
  let exact = true;
  const text = JSON.stringify(v, (_, x: unknown) => {
    if (x === undefined || typeof x === 'bigint' || typeof x === 'function' || typeof x === 'symbol' || Object.is(x, -0)) exact = false;
    else if (typeof x === 'number' && !Number.isFinite(x)) exact = false;
    else if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
      const proto: unknown = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null) exact = false;
    }
    return typeof x === 'bigint' ? null : x;
  });
  return exact ? (JSON.parse(text) as Record<string, unknown>) : undefined;
}

function yamlFail(what: string, e: unknown): never {
  if (e instanceof YamlError) throw new ChartLoadError(`cannot load ${what}: ${e.message}`);
  throw e;
}

/**
 * helm's LoadFiles. Throws ChartLoadError with helm's (unprefixed) message.
 * `warnings` receives what helm accepts but an auditor should know.
 */
async function loadFilesInternal(files: ChartFile[], origin: string[], ctx: Ctx, warnings: string[]): Promise<Chart> {
  const memo = ctx.values;
  const at = origin.join('/');
  const readStruct = (name: string, data: Buffer, decode: () => Record<string, unknown> | null) => (memo ? memo.struct(`${at}\0${name}`, data, decode) : decode());
  const top = readChartYaml(files, warnings, readStruct);
  let occurrence = 0;
  const readValues = memo ? (data: Buffer) => memo.load(`${at}\0${occurrence++}`, data) : loadValues;
  const parts = sortFiles(files, top.meta, warnings, readValues, readStruct);
  if (!parts.meta) throw new ChartLoadError('Chart.yaml file is missing');
  const metadata = checkedMetadata(parts.meta);

  if (ctx.fromArchive) {
    const ignoreFile = files.find((f) => f.name === '.helmignore');
    if (ignoreFile) warnIgnoredButPackaged(ignoreFile.data, files, warnings);
  }

  const chart: Chart = {
    metadata,
    rawMetadata: top.rawMetadata ?? Buffer.alloc(0),
    values: parts.values,
    templates: parts.templates,
    files: parts.other,
    dependencies: [],
    origin,
    warnings,
  };
  if (parts.lock) chart.lock = toChartLock(parts.lock);
  if (parts.schema) chart.schema = parts.schema;

  for (const [n, group] of parts.subcharts) {
    if (n.startsWith('_') || n.startsWith('.')) continue;
    chart.dependencies.push(await loadSubchart(n, group, origin, ctx, metadata.name));
  }
  return chart;
}

type RawMetadata = Record<string, unknown>;

/** Every `Chart.yaml` entry, merged in order as helm does (archives can map several to it). */
/** Decodes a file of the chart (through the archive's memo when there is one): `name` keys it. */
type StructReader = (name: string, data: Buffer, decode: () => Record<string, unknown> | null) => Record<string, unknown> | null;

function readChartYaml(files: ChartFile[], warnings: string[], readStruct: StructReader): { meta: RawMetadata | null; rawMetadata: Buffer | null } {
  let meta: RawMetadata | null = null;
  let rawMetadata: Buffer | null = null;
  let chartYamlCount = 0;
  for (const f of files) {
    if (f.name !== 'Chart.yaml') continue;
    chartYamlCount++;
    rawMetadata ??= f.data;
    let next: RawMetadata;
    try {
      // the first decodes into a fresh struct (and may be read back); a later one into that
      const into: RawMetadata | null = meta;
      const decoded = into === null
        ? readStruct('Chart.yaml', f.data, () => unmarshalStruct(f.data, METADATA_SCHEMA, {}))
        : unmarshalStruct(f.data, METADATA_SCHEMA, into);
      next = decoded ?? into ?? {};
    } catch (e) {
      yamlFail('Chart.yaml', e);
    }
    if (!next.apiVersion) next.apiVersion = 'v1';
    meta = next;
  }
  if (chartYamlCount > 1) {
    warnings.push(`${chartYamlCount} archive entries map to Chart.yaml (different top-level directories): helm merges them in order`);
  }
  return { meta, rawMetadata };
}

interface SortedFiles {
  /** Chart.yaml's metadata with requirements.yaml merged in (v1 charts). */
  meta: RawMetadata | null;
  lock: RawMetadata | null;
  values: Record<string, unknown>;
  schema: Buffer | undefined;
  templates: ChartFile[];
  other: ChartFile[];
  /** Entries under charts/, by subchart entry name, with names relative to charts/. */
  subcharts: Map<string, ChartFile[]>;
}

/** helm's LoadFiles switch over the other files, in archive order. */
function sortFiles(files: ChartFile[], meta0: RawMetadata | null, warnings: string[], readValues: (data: Buffer) => Record<string, unknown>, readStruct: StructReader): SortedFiles {
  const out: SortedFiles = { meta: meta0, lock: null, values: {}, schema: undefined, templates: [], other: [], subcharts: new Map() };
  for (const f of files) {
    const name = f.name;
    if (name === 'Chart.yaml') continue;
    if (name === 'Chart.lock') {
      out.lock = parseYamlFile('Chart.lock', () => readStruct('Chart.lock', f.data, () => unmarshalStruct(f.data, LOCK_SCHEMA, null)));
    } else if (name === 'values.yaml') {
      out.values = parseYamlFile('values.yaml', () => readValues(f.data));
    } else if (name === 'values.schema.json') {
      out.schema = f.data;
    } else if (name === 'requirements.yaml') {
      const meta = out.meta ?? {};
      if (meta.apiVersion !== 'v1') {
        warnings.push(
          'Dependencies are handled in Chart.yaml since apiVersion "v2". We recommend migrating dependencies to Chart.yaml. (helm still honours requirements.yaml)',
        );
      }
      out.meta = parseYamlFile('requirements.yaml', () => unmarshalStruct(f.data, METADATA_SCHEMA, meta)) ?? meta;
      if (out.meta.apiVersion === 'v1') out.other.push(f);
    } else if (name === 'requirements.lock') {
      out.lock = parseYamlFile('requirements.lock', () => unmarshalStruct(f.data, LOCK_SCHEMA, null));
      out.meta ??= {};
      if (out.meta.apiVersion !== 'v1') {
        warnings.push('Dependency locking is handled in Chart.lock since apiVersion "v2". We recommend migrating to Chart.lock.');
      }
      if (out.meta.apiVersion === 'v1') out.other.push(f);
    } else if (name.startsWith('templates/')) {
      out.templates.push(f);
    } else if (name.startsWith('charts/') && goExt(name) !== '.prov') {
      const fname = name.slice('charts/'.length);
      const slash = fname.indexOf('/');
      const cname = slash < 0 ? fname : fname.slice(0, slash);
      let group = out.subcharts.get(cname);
      if (!group) out.subcharts.set(cname, (group = []));
      group.push({ name: fname, data: f.data });
    } else {
      out.other.push(f);
    }
  }
  return out;
}

/** Runs a YAML decode of `file`, failing with helm's wording for that file. */
function parseYamlFile<T>(file: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    return yamlFail(file, e);
  }
}

function checkedMetadata(meta: RawMetadata): ChartMetadata {
  try {
    validateMetadata(meta);
  } catch (e) {
    if (e instanceof ValidationError) throw new ChartLoadError(e.message);
    throw e;
  }
  return toChartMetadata(meta);
}

/** One entry of charts/: a packaged subchart (.tgz) or a directory's files. */
async function loadSubchart(n: string, group: ChartFile[], origin: string[], ctx: Ctx, chartName: string): Promise<Chart> {
  const childOrigin = [...origin, n];
  const childWhere = `${ctx.where}/charts/${n}`;
  ctx.budget.checkDepth(childOrigin.length, childWhere);
  const childWarnings: string[] = [];
  const isTgz = goExt(n) === '.tgz';
  if (isTgz && group[0]!.name !== n) {
    throw new ChartLoadError(`error unpacking subchart tar in ${chartName}: expected ${n}, got ${group[0]!.name}`);
  }
  try {
    if (isTgz) {
      const sub = await unpackArchive(group[0]!.data, ctx.budget, childWhere, childWarnings);
      return await loadFilesInternal(sub, childOrigin, { ...ctx, where: childWhere, fromArchive: true }, childWarnings);
    }
    const buff: ChartFile[] = [];
    for (const f of group) {
      const slash = f.name.indexOf('/');
      if (slash < 0) continue;
      buff.push({ name: f.name.slice(slash + 1), data: f.data });
    }
    return await loadFilesInternal(buff, childOrigin, { ...ctx, where: childWhere }, childWarnings);
  } catch (e) {
    if (e instanceof ChartLoadError) {
      if (e.global) throw e;
      throw e.wrap(`error unpacking subchart ${n} in ${chartName}: `);
    }
    throw e;
  }
}

function warnIgnoredButPackaged(data: Buffer, files: ChartFile[], warnings: string[]): void {
  let rules: IgnoreRules;
  try {
    rules = IgnoreRules.parse(data);
  } catch {
    return;
  }
  const hits = files.filter((f) => f.name !== '.helmignore' && rules.ignore(f.name, false)).map((f) => f.name);
  if (hits.length > 0) {
    const shown = hits.slice(0, 5).map((h) => goQuote(h)).join(', ');
    warnings.push(
      `${hits.length} file(s) match the chart's .helmignore but are in the archive (helm does not apply .helmignore to archives): ${shown}${hits.length > 5 ? ', …' : ''}`,
    );
  }
}

/** The apiVersion dispatch of helm's version-aware loader (used by `helm template` and `install`). */
function dispatchApiVersion(chartYaml: Buffer | undefined, memo?: ValuesMemo): void {
  if (!chartYaml) throw new ChartLoadError('unable to detect chart version, no Chart.yaml found');
  let base: Record<string, unknown> | null;
  try {
    const decode = () => unmarshalStruct(chartYaml, CHART_BASE_SCHEMA, {});
    base = memo ? memo.struct('\0Chart.yaml\0base', chartYaml, decode) : decode();
  } catch (e) {
    yamlFail('Chart.yaml', e);
  }
  const v = typeof base?.apiVersion === 'string' ? base.apiVersion : '';
  if (v === 'v1' || v === 'v2' || v === '') return;
  if (v === 'v3') throw new ChartLoadError('invalid chart apiVersion');
  throw new ChartLoadError('unsupported chart version');
}

/**
 * helm's LoadFiles on files already in memory (names relative to the chart root). Errors are
 * InputErrors naming `displayName` (default: the origin path, or "chart").
 */
export async function loadChartFiles(
  files: ChartFile[],
  budget: LoadBudget = new LoadBudget(),
  origin: string[] = [],
  displayName: string = origin.length > 0 ? origin.join('/charts/') : 'chart',
): Promise<Chart> {
  try {
    return await loadFilesInternal(files, origin, { budget, where: displayName, fromArchive: false }, []);
  } catch (e) {
    throw toInputError(e, displayName, false);
  }
}

/**
 * Loads a packaged chart (.tgz bytes) like `helm template` would: EnsureArchive sniffing,
 * safe in-memory unpacking, apiVersion dispatch, LoadFiles, subcharts recursively.
 */
export async function loadChartArchive(
  bytes: Buffer,
  displayName: string,
  budget: LoadBudget = new LoadBudget(),
  cache: ArchiveCache = {},
): Promise<Chart> {
  const warnings: string[] = [];
  const files = await readChartArchive(bytes, displayName, budget, warnings, cache.inflated);
  try {
    const values = cache.values ? new ValuesMemo(cache.values) : undefined;
    dispatchApiVersion(files.find((f) => f.name === 'Chart.yaml')?.data, values);
    const chart = await loadFilesInternal(files, [], { budget, where: displayName, fromArchive: true, values }, warnings);
    values?.finish();
    return chart;
  } catch (e) {
    throw toInputError(e, displayName);
  }
}

// ---------------------------------------------------------------------------------------
// Directory loading

/** Largest file accepted as a packaged chart (a valid one cannot be much bigger than the content budget). */
function maxArchiveFileSize(budget: LoadBudget): number {
  return budget.limits.maxTotalBytes + budget.limits.maxTotalBytes / 8 + 1024 * 1024;
}

function errnoMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return 'no such file or directory';
  if (err?.code === 'EACCES') return 'permission denied';
  if (err?.code === 'ELOOP') return 'too many levels of symbolic links';
  return err?.message ?? String(e);
}

/** Bytewise (Go) string order. */
function goLess(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * helm's directory loader (LoadDir): `.helmignore` plus the default `templates/.?*` rule,
 * lexical walk, irregular files refused, 5 MiB a file. Symbolic links are followed only
 * while they stay inside the chart directory (helm follows any).
 */
export async function loadChartDirectory(dir: string, budget: LoadBudget = new LoadBudget()): Promise<Chart> {
  const topdir = resolve(dir);
  try {
    let realTop: string;
    try {
      realTop = await realpath(topdir);
    } catch (e) {
      throw new ChartLoadError(`${errnoMessage(e)}`);
    }
    const inside = (p: string) => p === realTop || p.startsWith(realTop.endsWith(sep) ? realTop : realTop + sep);
    const warnings: string[] = [];

    // The dispatcher reads Chart.yaml first.
    const chartYamlPath = join(topdir, 'Chart.yaml');
    let chartYaml: Buffer;
    try {
      const real = await realpath(chartYamlPath);
      if (!inside(real)) throw new ChartLoadError(`symbolic link Chart.yaml points outside the chart directory (to ${real})`);
      chartYaml = await readFile(real);
    } catch (e) {
      if (e instanceof ChartLoadError) throw e;
      throw new ChartLoadError(`unable to detect chart at ${chartYamlPath}: ${errnoMessage(e)}`);
    }
    dispatchApiVersion(stripBom(chartYaml));

    let rules = new IgnoreRules();
    const ignorePath = join(topdir, '.helmignore');
    let ignoreData: Buffer | null = null;
    try {
      const real = await realpath(ignorePath);
      if (inside(real)) ignoreData = await readFile(real);
    } catch {
      ignoreData = null;
    }
    if (ignoreData) {
      try {
        rules = IgnoreRules.parse(ignoreData);
      } catch (e) {
        throw new ChartLoadError((e as Error).message);
      }
    }
    rules.addDefaults();

    const files: ChartFile[] = [];
    const active = new Set<string>([realTop]);

    const walk = async (abs: string, rel: string): Promise<void> => {
      let names: string[];
      try {
        names = await readdir(abs);
      } catch (e) {
        throw new ChartLoadError(`error reading ${rel || '.'}: ${errnoMessage(e)}`);
      }
      names.sort(goLess);
      for (const name of names) {
        const full = join(abs, name);
        const n = rel ? `${rel}/${name}` : name;
        let info = await lstat(full);
        let target = full;
        if (info.isSymbolicLink()) {
          let resolved: string;
          try {
            resolved = await realpath(full);
          } catch (e) {
            throw new ChartLoadError(`error evaluating symlink ${full}: ${errnoMessage(e)}`);
          }
          if (!inside(resolved)) {
            throw new ChartLoadError(`symbolic link ${n} points outside the chart directory (to ${resolved}); chartaudit does not follow it`);
          }
          info = await stat(resolved);
          target = resolved;
          warnings.push(`symbolic link ${goQuote(n)} followed to ${goQuote(resolved)} (inside the chart directory)`);
        }
        if (info.isDirectory()) {
          if (rules.ignore(n, true)) continue;
          const real = await realpath(target);
          if (active.has(real)) throw new ChartLoadError(`symbolic link loop at ${n}`);
          active.add(real);
          await walk(target, n);
          active.delete(real);
          continue;
        }
        if (rules.ignore(n, false)) continue;
        if (!info.isFile()) {
          throw new ChartLoadError(`cannot load irregular file ${full} as it has file mode type bits set`);
        }
        if (info.size > budget.limits.maxFileBytes) {
          throw new ChartLoadError(
            `chart file ${goQuote(basename(target))} is larger than the maximum file size ${budget.limits.maxFileBytes}`,
          );
        }
        if (info.size > budget.remainingContent) throw budget.totalError();
        budget.takeFile();
        let data: Buffer;
        try {
          data = await readFile(target);
        } catch (e) {
          throw new ChartLoadError(`error reading ${n}: ${errnoMessage(e)}`);
        }
        if (data.length > budget.limits.maxFileBytes) {
          throw new ChartLoadError(
            `chart file ${goQuote(basename(target))} is larger than the maximum file size ${budget.limits.maxFileBytes}`,
          );
        }
        budget.contentBytes += data.length;
        if (budget.remainingContent <= 0) throw budget.totalError();
        files.push({ name: n, data: stripBom(data) });
      }
    };
    await walk(topdir, '');
    return await loadFilesInternal(files, [], { budget, where: dir, fromArchive: false }, warnings);
  } catch (e) {
    throw toInputError(e, dir, false);
  }
}

/**
 * Loads a chart from disk: a directory or a packaged chart (bytes may be passed when already
 * read; `cache` may hold a packaged chart's tar and values files from an earlier load).
 */
export async function loadChart(
  pathOnDisk: string,
  bytes?: Buffer,
  budget: LoadBudget = new LoadBudget(),
  cache: ArchiveCache = {},
): Promise<Chart> {
  if (!bytes) {
    let st;
    try {
      st = await stat(pathOnDisk);
    } catch (e) {
      throw new InputError(`${pathOnDisk}: ${errnoMessage(e)}`, pathOnDisk);
    }
    if (st.isDirectory()) return loadChartDirectory(pathOnDisk, budget);
    if (st.size > maxArchiveFileSize(budget)) {
      throw new InputError(
        `${pathOnDisk}: file is ${st.size} bytes, too large for a chart archive (decompressed limit ${budget.limits.maxTotalBytes})`,
        pathOnDisk,
      );
    }
    try {
      bytes = await readFile(pathOnDisk);
    } catch (e) {
      throw new InputError(`${pathOnDisk}: ${errnoMessage(e)}`, pathOnDisk);
    }
  }
  return loadChartArchive(bytes, pathOnDisk, budget, cache);
}
