/**
 * SHA-256 without node:crypto for inputs up to 512 KB: the compression function in
 * WebAssembly (sha256.wat), padding and chunking here. Loading node:crypto costs a run 11–22 ms
 * (its key, cipher and certificate modules and the streams they need, compiled from source
 * under the CLI's V8 flags, which make V8 refuse Node's code cache for them); compiling the
 * module (~1 KB, synchronously, at the first call) and hashing in V8's baseline WebAssembly
 * code (~50 MB/s) until its optimised code takes over (~200 MB/s, compiled in the background)
 * takes ~2 ms for a chart archive of the median size (87 KB) and ~2.7 ms for wordpress's
 * (190 KB), so a render that needs no other crypto (no keys, no secure random strings) never
 * loads node:crypto. Larger inputs go to node:crypto.
 *
 * Bytes in, digest out: no I/O.
 */
import { createHash } from 'node:crypto';
import { SHA256_WASM } from './sha256-wasm.js';

/** Inputs above this are hashed by node:crypto. */
const WASM_MAX = 512 * 1024;

const STATE = 256;
const INPUT = 1024;
/**
 * Bytes of input handed to one call: a whole number of blocks. WebAssembly code is swapped for
 * its optimised version only between calls (V8 has no on-stack replacement for it), so a large
 * archive hashed in one call ran in baseline code to its end; in calls of 4 KB the optimised
 * code, compiled meanwhile on another thread, takes over. Hashing a chart archive, compile
 * included (median of 5): zookeeper (56 KB) 3.0 → 1.9 ms, kafka (107 KB) 3.3 → 2.2, wordpress
 * (190 KB) 3.5 → 2.7; 8 KB and 2 KB calls did the same or worse.
 */
const CALL_SIZE = 4096;

/** What is used of the WebAssembly API (the project's TypeScript libraries do not declare it). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
} | undefined;

interface Sha256Module {
  memory: { buffer: ArrayBuffer };
  init(): void;
  blocks(at: number, count: number): void;
}

/** The instantiated module; null where Node runs without WebAssembly (--jitless). */
let loaded: Sha256Module | null | undefined;

function sha256Module(): Sha256Module | null {
  if (loaded === undefined) {
    try {
      loaded = WebAssembly === undefined
        ? null
        : new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(SHA256_WASM, 'base64')), {}).exports as Sha256Module;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/** The SHA-256 digest of `data`, in lowercase hex. */
export function sha256Hex(data: Uint8Array): string {
  const m = data.length > WASM_MAX ? null : sha256Module();
  return m === null ? createHash('sha256').update(data).digest('hex') : hashWith(m, data);
}

/** @internal sha256Hex through the WebAssembly module whatever the length (for tests). */
export function sha256HexWasm(data: Uint8Array): string {
  return hashWith(sha256Module()!, data);
}

function hashWith(m: Sha256Module, data: Uint8Array): string {
  const memory = new Uint8Array(m.memory.buffer);
  m.init();
  let at = 0;
  // whole blocks, CALL_SIZE bytes a call
  while (data.length - at >= 64) {
    const left = data.length - at;
    const take = Math.min(CALL_SIZE, left - (left % 64));
    memory.set(data.subarray(at, at + take), INPUT);
    m.blocks(INPUT, take / 64);
    at += take;
  }
  // the rest, 0x80, zeros and the length in bits (big-endian, 64 bits): one block or two
  const rest = data.length - at;
  const tail = rest < 56 ? 64 : 128;
  memory.fill(0, INPUT, INPUT + tail);
  memory.set(data.subarray(at), INPUT);
  memory[INPUT + rest] = 0x80;
  const view = new DataView(m.memory.buffer);
  const bits = data.length * 8;
  view.setUint32(INPUT + tail - 8, Math.floor(bits / 0x1_0000_0000));
  view.setUint32(INPUT + tail - 4, bits >>> 0);
  m.blocks(INPUT, tail / 64);
  let hex = '';
  for (let i = 0; i < 8; i++) hex += view.getUint32(STATE + 4 * i, true).toString(16).padStart(8, '0');
  return hex;
}

const digests = new WeakMap<Uint8Array, string>();

/**
 * `sha256:<hex>` of a chart archive's bytes, computed once per buffer (read once, never
 * changed): provenance, the template cache, the inflated-archive cache and the report all ask.
 */
export function archiveDigest(archive: Uint8Array): string {
  let d = digests.get(archive);
  if (d === undefined) digests.set(archive, (d = `sha256:${sha256Hex(archive)}`));
  return d;
}

/** The SHA-256 digest of a string's UTF-8 bytes, in lowercase hex. */
export function sha256HexOfText(text: string): string {
  return sha256Hex(Buffer.from(text, 'utf8'));
}
