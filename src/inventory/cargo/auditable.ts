/**
 * cargo-auditable dependency data: the `.dep-v0` section (ELF, PE; Mach-O `__DATA,.dep-v0`) holding
 * zlib-compressed JSON `{"packages":[{"name","version","source","kind","dependencies","root"}]}`
 * (schema: rust-secure-code/cargo-auditable, auditable-serde). Inflated output is capped at
 * CARGO_AUDITABLE_LIMITS.maxJsonBytes, the default limit of the reference reader (auditable-info).
 */
import { inflateSync } from 'node:zlib';
import { findSection, openExecutable, sectionBytes } from '../binary/executable.js';

export const CARGO_AUDITABLE_LIMITS = {
  maxJsonBytes: 8 << 20,
  /** The schema nests 4 levels ({packages:[{dependencies:[…]}]}); V8's JSON.parse slows down badly on millions. */
  maxJsonDepth: 32,
};

/** The section is there but its data cannot be read. */
export class CargoAuditableError extends Error {
  override name = 'CargoAuditableError';
}

export interface AuditableCrate {
  name: string;
  version: string;
  /** `crates.io`, `local`, `git`, `registry`, or another string a newer cargo-auditable writes. */
  source: string;
  kind: 'runtime' | 'build';
  root: boolean;
}

export type AuditableResult =
  | { kind: 'not-executable' }
  | { kind: 'no-audit-data' }
  | { kind: 'found'; crates: AuditableCrate[]; malformed: number };

/** Throws MalformedExecutableError (bad tables) or CargoAuditableError (bad audit data). */
export function readCargoAuditable(bytes: Buffer): AuditableResult {
  const exe = openExecutable(bytes);
  if (!exe) return { kind: 'not-executable' };
  const sec = exe.format === 'macho' ? (findSection(exe, '.dep-v0', '__DATA') ?? findSection(exe, '.dep-v0')) : findSection(exe, '.dep-v0');
  if (!sec) return { kind: 'no-audit-data' };
  const compressed = sectionBytes(exe, sec);
  let json: Buffer;
  try {
    json = inflateSync(compressed, { maxOutputLength: CARGO_AUDITABLE_LIMITS.maxJsonBytes });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new CargoAuditableError(
        `cargo-auditable data in .dep-v0 inflates to more than the limit of ${CARGO_AUDITABLE_LIMITS.maxJsonBytes} bytes`,
      );
    }
    throw new CargoAuditableError(`cargo-auditable data in .dep-v0 is not valid zlib data (${(e as Error).message})`);
  }
  return { kind: 'found', ...parseAuditableJson(json) };
}

/** The crates of the JSON document; entries that do not have the schema's shape are counted, not returned. */
export function parseAuditableJson(json: Buffer): { crates: AuditableCrate[]; malformed: number } {
  const depth = jsonDepthExceeds(json, CARGO_AUDITABLE_LIMITS.maxJsonDepth);
  if (depth) throw new CargoAuditableError(`cargo-auditable data in .dep-v0 nests deeper than ${CARGO_AUDITABLE_LIMITS.maxJsonDepth} levels`);
  let doc: unknown;
  try {
    doc = JSON.parse(json.toString('utf8'));
  } catch (e) {
    throw new CargoAuditableError(`cargo-auditable data in .dep-v0 is not valid JSON (${(e as Error).message})`);
  }
  const packages = isObject(doc) ? doc.packages : undefined;
  if (!Array.isArray(packages)) throw new CargoAuditableError('cargo-auditable data in .dep-v0 has no "packages" list');
  const crates: AuditableCrate[] = [];
  let malformed = 0;
  for (const p of packages) {
    if (
      !isObject(p) ||
      typeof p.name !== 'string' ||
      p.name === '' ||
      typeof p.version !== 'string' ||
      p.version === '' ||
      (p.kind !== undefined && p.kind !== 'runtime' && p.kind !== 'build') ||
      (p.source !== undefined && typeof p.source !== 'string') ||
      (p.root !== undefined && typeof p.root !== 'boolean')
    ) {
      malformed++;
      continue;
    }
    crates.push({
      name: p.name,
      version: p.version,
      source: (p.source as string | undefined) ?? 'crates.io',
      kind: p.kind === 'build' ? 'build' : 'runtime',
      root: p.root === true,
    });
  }
  return { crates, malformed };
}

/** Whether brackets outside strings nest deeper than `limit` (one pass, no parsing). */
function jsonDepthExceeds(b: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
