/**
 * The distinct versions named in the real Bitnami advisory database, read (never copied) from
 * `../shared/osv/bitnami-all.zip` beside the project (bitnami/vulndb @0054d6e3, flattened
 * into OSV's per-ecosystem all.zip layout). A minimal zip reader: stored and deflated entries,
 * no zip64, which is all that file needs. Returns null when the file is not there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

export const bitnamiZip = fileURLToPath(new URL('../../../../shared/osv/bitnami-all.zip', import.meta.url));

function* zipEntries(buf: Buffer): Generator<{ name: string; data: Buffer }> {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header for ${name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    if (method !== 0 && method !== 8) throw new Error(`${name}: compression method ${method}`);
    yield { name, data: method === 8 ? inflateRawSync(raw) : raw };
  }
}

interface OsvLike {
  affected?: { ranges?: { events?: Record<string, string>[] }[]; versions?: string[] }[];
}

/** Every distinct event and `versions[]` string in the database, or null without the file. */
export function bitnamiDbVersions(): string[] | null {
  if (!existsSync(bitnamiZip)) return null;
  const seen = new Set<string>();
  for (const { name, data } of zipEntries(readFileSync(bitnamiZip))) {
    if (!name.endsWith('.json')) continue;
    const rec = JSON.parse(data.toString('utf8')) as OsvLike;
    for (const a of rec.affected ?? []) {
      for (const v of a.versions ?? []) seen.add(v);
      for (const r of a.ranges ?? []) for (const e of r.events ?? []) for (const v of Object.values(e)) seen.add(v);
    }
  }
  return [...seen].sort();
}
