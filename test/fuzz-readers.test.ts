/**
 * Seeded mutation fuzzing of the hand-written readers of untrusted bytes (issue 9 §2): the tar
 * reader (src/chart/tar.ts) and the chart-archive loader (src/chart/load.ts), the zip reader
 * (src/vuln/db/zip.ts), the YAML fast path (src/chart/yaml-fast.ts) and the YAML reader
 * (src/chart/yaml.ts). Seeds are real: the demo chart, charts of the Bitnami corpus and records
 * of the OSV dumps in ../shared (read in place, never copied). Every case must end in a value
 * or in the reader's documented typed error (ChartLoadError from the tar parser, InputError
 * from the chart loader and the zip reader, YamlError from the YAML readers), within a time
 * bound, with the process's memory under a ceiling. Where the fast path gives a value, it must
 * be the full parser's value (its documented contract).
 *
 * Reproduce or go further: FUZZ_SEED=<n> FUZZ_SCALE=<x> npx vitest run
 * test/fuzz-readers.test.ts (scale multiplies the case counts). A failing case is written
 * under the temp directory printed with the failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { TarParser, type TarHeader } from '../src/chart/tar.js';
import { ChartLoadError } from '../src/chart/load-error.js';
import { LoadBudget, loadChart, loadChartArchive } from '../src/chart/load.js';
import { ZipReader } from '../src/vuln/db/zip.js';
import { fastParseGoYaml } from '../src/chart/yaml-fast.js';
import { YamlError, loadValues, slowParseGoYaml } from '../src/chart/yaml.js';
import { InputError } from '../src/model/errors.js';
import { makeZip } from '../fixtures/vuln/zip-writer.js';
import { makeZip64 } from '../fixtures/zip/zip64-writer.js';
import { projectRoot, sharedPath } from './helpers/shared.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_905);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const cases = (n: number): number => Math.max(1, Math.round(n * SCALE));
/** Wall time one case may take (generous: the CI machine is shared). */
const MAX_CASE_MS = 3_000;
/** A whole loop (about 5-15 s alone on 2 cores; the machine may be shared). */
const LOOP_TIMEOUT_MS = 300_000 * SCALE;
/** Resident memory the process may reach while fuzzing. */
const MAX_RSS = 1536 * 1024 * 1024;

// --- a small deterministic PRNG (mulberry32) and byte mutators

class Rng {
  constructor(private s: number) {}
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
}

const INTERESTING_U32 = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

/** One random byte-level mutation (bit flips, interesting integers, cuts, duplications, splices). */
function mutateBytes(rng: Rng, input: Buffer, other: Buffer, focus?: [number, number]): Buffer {
  const b = Buffer.from(input);
  if (b.length === 0) return Buffer.from([rng.int(256)]);
  const pos = (): number => (focus && rng.next() < 0.6 ? focus[0] + rng.int(Math.max(1, focus[1] - focus[0])) : rng.int(b.length)) % b.length;
  switch (rng.int(10)) {
    case 0: {
      const p = pos();
      b[p] = b[p]! ^ (1 << rng.int(8));
      return b;
    }
    case 1: {
      for (let k = 1 + rng.int(8); k > 0; k--) b[pos()] = rng.int(256);
      return b;
    }
    case 2: {
      const p = pos();
      const v = rng.pick(INTERESTING_U32);
      if (p + 4 <= b.length) b.writeUInt32LE(v >>> 0, p);
      else b[p] = v & 0xff;
      return b;
    }
    case 3: {
      const p = pos();
      if (p + 2 <= b.length) b.writeUInt16LE(rng.pick(INTERESTING_U32) & 0xffff, p);
      return b;
    }
    case 4:
      return b.subarray(0, rng.int(b.length));
    case 5: {
      const p = pos();
      return Buffer.concat([b.subarray(0, p), b.subarray(p + 1 + rng.int(64))]);
    }
    case 6: {
      const p = pos();
      const len = 1 + rng.int(Math.min(1024, b.length - p));
      return Buffer.concat([b.subarray(0, p + len), b.subarray(p, p + len), b.subarray(p + len)]);
    }
    case 7: {
      const p = pos();
      const q = rng.int(other.length);
      return Buffer.concat([b.subarray(0, p), other.subarray(q, q + 1 + rng.int(2048))]);
    }
    case 8: {
      const p = pos();
      return Buffer.concat([b.subarray(0, p), Buffer.alloc(1 + rng.int(600), rng.pick([0, 0xff, 0x20, 0x30])), b.subarray(p)]);
    }
    default: {
      const p = pos();
      b.fill(rng.pick([0, 0xff]), p, Math.min(b.length, p + 1 + rng.int(32)));
      return b;
    }
  }
}

// --- the harness: every case ends in a value or a documented error, in bounded time

interface Stats {
  reader: string;
  cases: number;
  ok: number;
  /** Cases the reader declined (the fast path handing over to the full parser). */
  gaveUp: number;
  refused: number;
  maxMs: number;
  crashes: { label: string; error: string; file: string }[];
}

/** Returned by a case whose reader declined the input without an error. */
const GAVE_UP = Symbol('gave up');

let work: string;
const allStats: Stats[] = [];
let peakRss = 0;

function newStats(reader: string): Stats {
  const s: Stats = { reader, cases: 0, ok: 0, gaveUp: 0, refused: 0, maxMs: 0, crashes: [] };
  allStats.push(s);
  return s;
}

/** Runs one case; `allowed` says which errors the reader documents. */
async function runCase(st: Stats, label: string, input: Buffer | string, allowed: (e: unknown) => boolean, fn: () => unknown): Promise<void> {
  st.cases++;
  // Let the worker answer vitest's RPC now and then: a loop of synchronous cases never yields.
  if (st.cases % 20 === 0) await new Promise((r) => setImmediate(r));
  const t0 = performance.now();
  let crash: string | null = null;
  try {
    if ((await fn()) === GAVE_UP) st.gaveUp++;
    else st.ok++;
  } catch (e) {
    if (allowed(e)) st.refused++;
    else crash = e instanceof Error ? `${e.name}: ${e.message.slice(0, 300)}\n${(e.stack ?? '').split('\n').slice(1, 6).join('\n')}` : String(e);
  }
  const ms = performance.now() - t0;
  st.maxMs = Math.max(st.maxMs, ms);
  if (crash === null && ms > MAX_CASE_MS) crash = `took ${ms.toFixed(0)} ms (bound ${MAX_CASE_MS} ms)`;
  const rss = process.memoryUsage.rss();
  peakRss = Math.max(peakRss, rss);
  if (crash === null && rss > MAX_RSS) crash = `resident memory ${Math.round(rss / 1048576)} MiB (bound ${MAX_RSS / 1048576} MiB)`;
  if (crash !== null && st.crashes.length < 20) {
    const file = join(work, 'crashes', `${st.reader.replace(/\W+/g, '-')}-${st.crashes.length}`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, input);
    st.crashes.push({ label, error: crash, file });
  }
}

function expectNoCrash(st: Stats): void {
  const shown = st.crashes.map((c) => `${c.label}: ${c.error}\n  input: ${c.file}`).join('\n');
  expect(st.crashes.length, `${st.reader}: ${st.crashes.length} crash(es) (seed ${SEED})\n${shown}`).toBe(0);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'chartaudit-fuzz-'));
});

afterAll(() => {
  const total = allStats.reduce((n, s) => n + s.cases, 0);
  const lines = allStats.map((s) => `  ${s.reader}: ${s.cases} cases (${s.ok} read, ${s.gaveUp ? `${s.gaveUp} handed to the full parser, ` : ''}${s.refused} refused with the typed error), slowest ${s.maxMs.toFixed(0)} ms, ${s.crashes.length} crashes`);
  console.log(`fuzz (seed ${SEED}, scale ${SCALE}): ${total} cases, peak RSS ${Math.round(peakRss / 1048576)} MiB\n${lines.join('\n')}`);
  if (!existsSync(join(work, 'crashes'))) rmSync(work, { recursive: true, force: true });
  else console.log(`failing inputs kept in ${work}`);
});

// --- seeds

/** The chart archives used as seeds: the demo chart and the smallest corpus charts (fast to load). */
function chartSeeds(): { name: string; tgz: Buffer }[] {
  const dir = sharedPath('corpus', 'bitnami', 'charts');
  const corpus = readdirSync(dir)
    .filter((f) => f.endsWith('.tgz'))
    .map((f) => ({ name: f, tgz: readFileSync(join(dir, f)) }))
    .sort((a, b) => a.tgz.length - b.tgz.length)
    .slice(0, 4);
  return [{ name: 'storefront-5.0.1.tgz', tgz: readFileSync(join(projectRoot, 'fixtures', 'demo', 'storefront-5.0.1.tgz')) }, ...corpus];
}

/** Offsets of the tar header blocks of a (well-formed) seed, read with the project's tar reader. */
function headerOffsets(tar: Buffer): number[] {
  const offsets: number[] = [];
  let consumed = 0;
  const p = new TarParser({
    entry: (h: TarHeader) => {
      offsets.push(consumed);
      return null;
    },
    entryDone: () => {},
  });
  // Block by block, so the offset of each header is known when the handler sees it.
  for (consumed = 0; consumed < tar.length && !p.done; consumed += 512) p.write(tar.subarray(consumed, consumed + 512));
  return offsets;
}

/** Go archive/tar field layout: name, mode, uid, gid, size, mtime, chksum, typeflag, linkname, magic … prefix. */
const TAR_FIELDS: [number, number][] = [[0, 100], [100, 8], [108, 8], [116, 8], [124, 12], [136, 12], [148, 8], [156, 1], [157, 100], [257, 6], [263, 2], [329, 8], [337, 8], [345, 155]];

function setTarChecksum(b: Buffer, off: number): void {
  if (off + 512 > b.length) return;
  b.fill(0x20, off + 148, off + 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += b[off + i]!;
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, off + 148, 'latin1');
}

/** A header-aware tar mutation: a field of a real header rewritten, checksum kept valid (mostly). */
function mutateTarHeader(rng: Rng, tar: Buffer, offsets: number[]): Buffer {
  const b = Buffer.from(tar);
  const off = rng.pick(offsets);
  if (off + 512 > b.length) return b; // an earlier mutation cut the archive before this header
  const [start, len] = rng.pick(TAR_FIELDS);
  const values: (() => string | Buffer)[] = [
    () => rng.int(8 ** Math.min(11, len - 1)).toString(8).padStart(len - 1, '0'),
    () => rng.pick(['0', '1', '2', '3', '4', '5', '6', '7', 'g', 'x', 'L', 'K', 'S', 'D', 'V', 'M', '\0', 'A']),
    () => rng.pick(['../evil', '/abs/file', 'c:/x', 'chart/../../x', 'chart/Chart.yaml', 'Chart.yaml', 'chart/templates/a\\..\\b', 'chart/charts/sub.tgz', 'x'.repeat(len), '']),
    () => Buffer.from([0x80, ...Array.from({ length: len - 1 }, () => rng.int(256))]), // base-256 number
    () => Buffer.from([0xff, ...Array.from({ length: len - 1 }, () => 0xff)]), // negative base-256
    () => rng.pick(['ustar\0', 'ustar ', '\0\0\0\0\0\0']) + rng.pick(['00', ' \0']),
    () => ' '.repeat(len),
    () => `${rng.int(1 << 30)}`.padStart(len, ' '),
  ];
  const v = rng.pick(values)();
  const bytes = Buffer.isBuffer(v) ? v : Buffer.from(v, 'latin1');
  b.fill(0, off + start, off + start + len);
  bytes.copy(b, off + start, 0, Math.min(len, bytes.length));
  if (rng.next() < 0.85) setTarChecksum(b, off);
  return b;
}

/** PAX and GNU long-name records placed before a real header (the special-file paths of the reader). */
function insertSpecial(rng: Rng, tar: Buffer, offsets: number[]): Buffer {
  const off = Math.min(rng.pick(offsets), tar.length);
  const kind = rng.pick(['x', 'g', 'L', 'K']);
  const records = [
    `path=${rng.pick(['chart/../../x', 'chart/values.yaml', '/etc/passwd', 'chart/' + 'n'.repeat(300)])}`,
    `size=${rng.pick(['0', '12', '-1', '99999999999999999999', 'abc', '1e3'])}`,
    `linkpath=${rng.pick(['../x', 'y'])}`,
    `GNU.sparse.major=${rng.int(3)}`,
    `mtime=${rng.pick(['1.5', 'x'])}`,
  ];
  let payload: Buffer;
  if (kind === 'x' || kind === 'g') {
    const recs = Array.from({ length: 1 + rng.int(3) }, () => rng.pick(records)).map((r) => {
      let n = r.length + 3;
      while (`${n} ${r}\n`.length !== n) n = `${n} ${r}\n`.length;
      return rng.next() < 0.2 ? `${n + rng.int(5) - 2} ${r}\n` : `${n} ${r}\n`;
    });
    payload = Buffer.from(recs.join(''), 'utf8');
  } else payload = Buffer.from(`chart/${'l'.repeat(rng.int(400))}\0`);
  const h = Buffer.alloc(512);
  h.write('././@LongLink', 0);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${payload.length.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write(kind, 156);
  h.write('ustar\x0000', 257);
  setTarChecksum(h, 0);
  const padded = Buffer.concat([payload, Buffer.alloc((512 - (payload.length % 512)) % 512)]);
  return Buffer.concat([tar.subarray(0, off), h, padded, tar.subarray(off)]);
}

// --- tar reader and chart-archive loader

describe('fuzz: tar reader and chart-archive loader', () => {
  it('every mutated archive is read or refused with a ChartLoadError/InputError, in bounded time and memory', async () => {
    const seeds = chartSeeds().map((s) => {
      const tar = gunzipSync(s.tgz);
      return { ...s, tar, offsets: headerOffsets(tar) };
    });
    for (const s of seeds) expect(s.offsets.length, s.name).toBeGreaterThan(3);
    const tarStats = newStats('tar parser (src/chart/tar.ts)');
    const loadStats = newStats('chart archive loader (src/chart/load.ts loadChart, loadChartArchive)');
    const rng = new Rng(SEED);
    const budget = (): LoadBudget => new LoadBudget({ maxTotalBytes: 8 * 1024 * 1024, maxFileBytes: 2 * 1024 * 1024, maxInflatedBytes: 16 * 1024 * 1024 });
    const n = cases(1500);
    for (let i = 0; i < n; i++) {
      const seed = rng.pick(seeds);
      const other = rng.pick(seeds).tar;
      let tar: Buffer = seed.tar;
      for (let k = 1 + rng.int(3); k > 0; k--) {
        const r = rng.next();
        tar = r < 0.45 ? mutateTarHeader(rng, tar, seed.offsets) : r < 0.55 ? insertSpecial(rng, tar, seed.offsets) : mutateBytes(rng, tar, other);
      }
      // The tar parser alone, fed in random chunk sizes, with a handler that takes every entry.
      await runCase(tarStats, `case ${i} (${seed.name})`, tar, (e) => e instanceof ChartLoadError, () => {
        const p = new TarParser({
          entry: (h) => (h.dataSize <= 4 * 1024 * 1024 ? Buffer.alloc(h.dataSize) : null),
          entryDone: () => {},
        });
        for (let off = 0; off < tar.length && !p.done; ) {
          const len = 1 + rng.int(rng.next() < 0.5 ? 700 : 70_000);
          p.write(tar.subarray(off, off + len));
          off += len;
        }
      });
      // The loader (gzip, tar, helm's path rules, Chart.yaml, values, subcharts), on 1 case in 3
      // (it parses the whole chart); a few mutate the gzip stream itself.
      if (i % 3 === 0) {
        const tgz = rng.next() < 0.15 ? mutateBytes(rng, seed.tgz, other) : gzipSync(tar, { level: 1 });
        // One in four through loadChart, the command-line entry point (reads the file from disk).
        const file = join(work, 'case.tgz');
        if (i % 4 === 0) writeFileSync(file, tgz);
        await runCase(loadStats, `case ${i} (${seed.name})`, tgz, (e) => e instanceof InputError, () => (i % 4 === 0 ? loadChart(file, undefined, budget()) : loadChartArchive(tgz, `fuzz-${i}.tgz`, budget())));
      }
    }
    expectNoCrash(tarStats);
    expectNoCrash(loadStats);
    expect(tarStats.refused).toBeGreaterThan(0);
    expect(loadStats.ok).toBeGreaterThan(0);
  }, LOOP_TIMEOUT_MS);
});

// --- zip reader

/** Real OSV records (names and contents) from the dumps in ../shared, repacked small. */
function zipSeeds(): { name: string; zip: Buffer }[] {
  const out: { name: string; zip: Buffer }[] = [];
  for (const dump of ['bitnami-all.zip', 'real-mixed.zip']) {
    const file = sharedPath('osv', dump);
    const r = ZipReader.open(file);
    let entries: { name: string; data: Buffer }[];
    try {
      entries = Array.from({ length: Math.min(12, r.count) }, (_, i) => r.entry(i * Math.floor(r.count / 12))).map((e) => ({ name: e.name, data: r.readEntry(e) }));
    } finally {
      r.close();
    }
    out.push({ name: `${dump} (12 records, deflated)`, zip: makeZip(entries) });
    out.push({ name: `${dump} (4 records, stored)`, zip: makeZip(entries.slice(0, 4).map((e) => ({ ...e, method: 0 }))) });
    out.push({ name: `${dump} (6 records, zip64)`, zip: makeZip64(entries.slice(4, 10)) });
  }
  out.push({ name: 'fixtures/zip/zip64.zip', zip: readFileSync(join(projectRoot, 'fixtures', 'zip', 'zip64.zip')) });
  return out;
}

describe('fuzz: zip reader', () => {
  it('every mutated zip is read or refused with an InputError naming the file, in bounded time and memory', async () => {
    const seeds = zipSeeds();
    const st = newStats('zip reader (src/vuln/db/zip.ts)');
    const rng = new Rng(SEED ^ 0x5a5a5a5a);
    const file = join(work, 'case.zip');
    const n = cases(3000);
    for (let i = 0; i < n; i++) {
      const seed = rng.pick(seeds);
      // Most mutations land in the central directory and end records, where the structure is.
      const cdStart = seed.zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), seed.zip.length - 22);
      const focus: [number, number] = rng.next() < 0.7 ? [Math.max(0, cdStart - 8 * 46 * 4), seed.zip.length] : [0, seed.zip.length];
      let zip: Buffer = seed.zip;
      for (let k = 1 + rng.int(3); k > 0; k--) zip = mutateBytes(rng, zip, rng.pick(seeds).zip, focus);
      writeFileSync(file, zip);
      await runCase(st, `case ${i} (${seed.name})`, zip, (e) => e instanceof InputError && (e.message.startsWith(`${file}: `) || e.message === file), () => {
        const r = ZipReader.open(file, { maxEntryBytes: 1024 * 1024 });
        try {
          for (const e of r) r.readEntry(e);
        } finally {
          r.close();
        }
      });
    }
    expectNoCrash(st);
    expect(st.ok).toBeGreaterThan(0);
    expect(st.refused).toBeGreaterThan(0);
  }, LOOP_TIMEOUT_MS);
});

// --- YAML fast path and YAML reader

/** YAML files of the seed charts (Chart.yaml, values.yaml, requirements, templates), read with the project's tar reader. */
function yamlSeeds(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const s of chartSeeds()) {
    const p = new TarParser({
      entry: (h) => (/\.(ya?ml|lock)$/.test(h.name) && h.dataSize < 256 * 1024 ? Buffer.alloc(h.dataSize) : null),
      entryDone: (h, data) => out.push({ name: `${s.name}!${h.name}`, text: data.toString('utf8') }),
    });
    p.write(gunzipSync(s.tgz));
  }
  return out;
}

const YAML_SNIPPETS = [
  '&a ', '*a', '<<: *a', '<<: [*a, *b]', '!!str ', '!!int ', '!!binary ', '!foo ', '? ', ': ', '- ', '-', '#', ' #x', '|', '|-', '>+', '|2', '>', '"', "'", '\\', '"\\u00e9"', '"\\x',
  '[', ']', '{', '}', '{a: 1, b: [2, 3]}', '[a, {b: c}]', ',', '---\n', '...\n', '%YAML 1.1\n', '\t', '\r', '\r\n', '\0', '\ufeff', '0x1F', '0o17', '017', '1_000', '.inf', '-.Inf', '.NaN',
  '9223372036854775808', '-9223372036854775809', '1e400', '18446744073709551616', 'yes', 'On', 'NULL', '~', '2001-12-14t21:59:43.10-05:00', '\u2028', '\u0085', '\ud800', 'é', '𝄞', '  ', '\n', '\n\n',
];

/** One text-level YAML mutation: structure-aware edits on lines, YAML indicators, byte edits. */
function mutateYaml(rng: Rng, text: string, other: string): string {
  const lines = text.split('\n');
  const li = rng.int(lines.length);
  switch (rng.int(9)) {
    case 0: {
      const line = lines[li]!;
      const p = rng.int(line.length + 1);
      lines[li] = line.slice(0, p) + rng.pick(YAML_SNIPPETS) + line.slice(p);
      return lines.join('\n');
    }
    case 1: {
      const line = lines[li]!;
      const delta = rng.pick([-4, -2, -1, 1, 2, 4]);
      lines[li] = delta > 0 ? ' '.repeat(delta) + line : line.slice(Math.min(-delta, line.length - line.trimStart().length));
      return lines.join('\n');
    }
    case 2:
      lines.splice(li, 1 + rng.int(3));
      return lines.join('\n');
    case 3:
      lines.splice(li, 0, ...lines.slice(rng.int(lines.length)).slice(0, 1 + rng.int(4)));
      return lines.join('\n');
    case 4: {
      const o = other.split('\n');
      const j = rng.int(o.length);
      lines.splice(li, 0, ...o.slice(j, j + 1 + rng.int(6)));
      return lines.join('\n');
    }
    case 5: {
      const p = rng.int(text.length + 1);
      return text.slice(0, p) + rng.pick(YAML_SNIPPETS) + text.slice(p + rng.int(3));
    }
    case 6:
      return text.slice(0, rng.int(text.length + 1));
    case 7: {
      // a deeply nested or heavily aliased document
      const depth = 10 + rng.int(3000);
      return rng.next() < 0.5
        ? `${'['.repeat(depth)}x${']'.repeat(depth)}\n`
        : `a: &a [x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, k) => `${String.fromCharCode(98 + k)}: &${String.fromCharCode(98 + k)} [${Array(9).fill(`*${String.fromCharCode(97 + k)}`).join(', ')}]`).join('\n')}\n`;
    }
    default: {
      const b = Buffer.from(text, 'utf8');
      return mutateBytes(rng, b, Buffer.from(other, 'utf8')).toString('utf8');
    }
  }
}

/** Same value: the fast path's GoValue against the full parser's (Maps compared by entries, NaN equal). */
function sameGoValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    const ea = [...a.entries()];
    const eb = [...b.entries()];
    return ea.every(([k, v], i) => sameGoValue(k, eb[i]![0]) && sameGoValue(v, eb[i]![1]));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameGoValue(x, b[i]));
  return a === b;
}

describe('fuzz: YAML fast path and YAML reader', () => {
  it('every mutated YAML text is read or refused with a YamlError, the fast path agreeing with the full parser', async () => {
    const seeds = yamlSeeds();
    expect(seeds.length).toBeGreaterThan(20);
    const fastStats = newStats('YAML fast path (src/chart/yaml-fast.ts fastParseGoYaml)');
    const slowStats = newStats('YAML reader (src/chart/yaml.ts slowParseGoYaml)');
    const valuesStats = newStats('values reader (src/chart/yaml.ts loadValues)');
    const rng = new Rng(SEED ^ 0x3c3c3c3c);
    const isYamlError = (e: unknown): boolean => e instanceof YamlError;
    const disagreements: string[] = [];
    const n = cases(1500);
    for (let i = 0; i < n; i++) {
      const seed = rng.pick(seeds);
      // A window of the seed keeps each case small; the full file on one case in ten.
      const lines = seed.text.split('\n');
      const from = rng.int(lines.length);
      let text = rng.next() < 0.1 ? seed.text : lines.slice(from, from + 5 + rng.int(60)).join('\n') + '\n';
      const other = rng.pick(seeds).text;
      for (let k = 1 + rng.int(3); k > 0; k--) text = mutateYaml(rng, text, other);
      const label = `case ${i} (${seed.name})`;
      let fast: unknown;
      await runCase(fastStats, label, text, isYamlError, () => {
        fast = fastParseGoYaml(text);
        return fast === undefined ? GAVE_UP : fast;
      });
      let slow: unknown;
      let slowErr: unknown;
      await runCase(slowStats, label, text, isYamlError, () => {
        try {
          slow = slowParseGoYaml(text);
        } catch (e) {
          slowErr = e;
          throw e;
        }
      });
      if (fast !== undefined && (slowErr !== undefined || !sameGoValue(fast, slow)) && disagreements.length < 10) {
        const file = join(work, 'crashes', `yaml-fast-disagreement-${disagreements.length}.yaml`);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
        disagreements.push(`${label} (${file}): fast path ${JSON.stringify(fast, (_, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? [...v] : v)).slice(0, 200)}, full parser ${slowErr ? String(slowErr) : JSON.stringify(slow, (_, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? [...v] : v)).slice(0, 200)}\n  input: ${JSON.stringify(text.slice(0, 400))}`);
      }
      await runCase(valuesStats, label, text, isYamlError, () => loadValues(Buffer.from(text, 'utf8')));
    }
    expectNoCrash(fastStats);
    expectNoCrash(slowStats);
    expectNoCrash(valuesStats);
    expect(disagreements, `the fast path differs from the full parser (seed ${SEED}):\n${disagreements.join('\n')}`).toEqual([]);
    expect(slowStats.refused).toBeGreaterThan(0);
  }, LOOP_TIMEOUT_MS);
});

describe('regressions found by the fuzzer', () => {
  // The fast path trimmed with JS trim(), which drops Unicode spaces go-yaml keeps, and read
  // NEL/LS/PS (line breaks to go-yaml, YAML 1.1) as content: keys and values differed from the
  // full parser's (a key `image<NBSP>` read as `image`).
  const texts = [
    'url: https://github.com/bitnami/char\u2028\nname: common\n',
    'a: b\u0085c\n',
    'a: b\u2029\n',
    '\ufeffpostgresql:\n  enabled: true\n', // a leading BOM: the full parser drops it, the fast path kept it in the key
    ...['\u00a0', '\u3000', '\ufeff', '\v', '\f', '\u1680', '\u2003', '\u202f'].map((c) => `a: b${c}\nc: ${c} d\nk${c}: v\nl:\n- x${c}\nm: [${c}y ]\n`),
  ];
  for (const text of texts) {
    it(`fast path agrees with the full parser or gives up: ${JSON.stringify(text).slice(0, 60)}`, () => {
      const fast = fastParseGoYaml(text);
      let slow: unknown;
      try {
        slow = slowParseGoYaml(text);
      } catch (e) {
        expect(e).toBeInstanceOf(YamlError);
        expect(fast).toBeUndefined();
        return;
      }
      if (fast !== undefined) expect(sameGoValue(fast, slow)).toBe(true);
    });
  }
});

describe('regressions: NEL, LS and PS are line breaks to go-yaml', () => {
  // Recorded with helm v4.1.4 (`helm template` of a chart with these values.yaml, `{{ .Values | toJson }}`):
  // a comment `# pinned<LS>tag: evil` gives helm a `tag` key the YAML 1.2 reading never saw.
  // chartaudit now refuses what it would read differently; it never returns a value helm would not see.
  const cases: Array<[string, string, Record<string, unknown> | 'helm refuses']> = [
    ['a key hidden behind a comment', 'image: nginx\n# pinned\u2028tag: evil\n', { image: 'nginx', tag: 'evil' }],
    ['a key after a plain scalar', 'image: nginx\u2028tag: evil\n', { image: 'nginx', tag: 'evil' }],
    ['a trailing PS', 'a: b\nc: d\u2029', { a: 'b', c: 'd' }],
    ['LS in a quoted scalar', 'a: "x\u2028y"\n', { a: 'x\u2028y' }],
    ['LS in a literal block', 'a: |\n  x\u2028y\n', 'helm refuses'],
    ['NEL in a plain scalar', 'a: x\u0085y\n', 'helm refuses'],
  ];
  for (const [name, text, helm] of cases) {
    it(`${name}: helm's value or a refusal, never another value`, () => {
      let ours: Record<string, unknown> | YamlError;
      try {
        ours = loadValues(Buffer.from(text, 'utf8'));
      } catch (e) {
        expect(e).toBeInstanceOf(YamlError);
        ours = e as YamlError;
      }
      if (helm === 'helm refuses') expect(ours).toBeInstanceOf(YamlError);
      else if (!(ours instanceof YamlError)) expect(ours).toEqual(helm);
      else expect(ours.message).toMatch(/is a line break to go-yaml \(YAML 1\.1\), and this document reads differently with it; refused/);
    });
  }
  it('a break that changes nothing (in a comment at the end of a line) is read', () => {
    expect(loadValues(Buffer.from('a: b # c\u2028\nd: e\n'))).toEqual({ a: 'b', d: 'e' });
  });
});

describe('regressions: reading a document both ways stays bounded', () => {
  it('deep nesting with an LS is refused with a YamlError, not a stack overflow', () => {
    const text = `${'['.repeat(9000)}x\u2028${']'.repeat(9000)}\n`;
    expect(() => slowParseGoYaml(text)).toThrow(YamlError);
  });
});
