/**
 * One rpm header blob, as every rpmdb backend stores it (BerkeleyDB, NDB and SQLite alike):
 * big-endian `int32 il` (index entries), `int32 dl` (data bytes), `il` 16-byte entries
 * `{tag, type, offset, count}`, then the data store. Only the tags a package inventory needs
 * are read; each is checked against the data store's bounds, so a hostile blob gives a reason,
 * never a throw or an out-of-range read. Layout: rpm `lib/header.c` and `header_internal.h`.
 */

/** rpm's own sanity bound on index entries (hdrchkTags: anything above 0xffff is refused). */
export const MAX_HEADER_ENTRIES = 0xffff;
/** rpm refuses headers of 256 MiB and more (headerMaxbytes); real ones are a few MiB at most. */
export const MAX_HEADER_BYTES = 64 * 1024 * 1024;

const TAG_NAME = 1000;
const TAG_VERSION = 1001;
const TAG_RELEASE = 1002;
const TAG_EPOCH = 1003;
const TAG_VENDOR = 1011;
const TAG_LICENSE = 1014;
const TAG_ARCH = 1022;
const TAG_SOURCERPM = 1044;

const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_STRING_ARRAY = 8;
const TYPE_I18NSTRING = 9;

const STRING_TAGS = new Map<number, keyof RpmHeader>([
  [TAG_NAME, 'name'],
  [TAG_VERSION, 'version'],
  [TAG_RELEASE, 'release'],
  [TAG_VENDOR, 'vendor'],
  [TAG_LICENSE, 'license'],
  [TAG_ARCH, 'arch'],
  [TAG_SOURCERPM, 'sourceRpm'],
]);

/** The fields of an installed package's header that an inventory uses. */
export interface RpmHeader {
  name: string;
  version: string;
  release: string;
  /** Absent when the header has no EPOCH tag (rpm's `(none)`). */
  epoch?: number;
  arch?: string;
  /** `util-linux-2.32.1-42.el8_8.src.rpm`; absent for `(none)` (gpg-pubkey pseudo-packages). */
  sourceRpm?: string;
  license?: string;
  vendor?: string;
}

export type HeaderReading = { ok: true; header: RpmHeader } | { ok: false; reason: string };

const TAG_LABEL: Record<number, string> = {
  [TAG_NAME]: 'NAME',
  [TAG_VERSION]: 'VERSION',
  [TAG_RELEASE]: 'RELEASE',
  [TAG_EPOCH]: 'EPOCH',
  [TAG_VENDOR]: 'VENDOR',
  [TAG_LICENSE]: 'LICENSE',
  [TAG_ARCH]: 'ARCH',
  [TAG_SOURCERPM]: 'SOURCERPM',
};

/** Reads NAME, VERSION, RELEASE, EPOCH, ARCH, SOURCERPM, LICENSE and VENDOR from one header blob. */
export function parseRpmHeader(blob: Uint8Array): HeaderReading {
  if (blob.length < 8) return { ok: false, reason: `header blob of ${blob.length} bytes is truncated (less than its 8-byte preamble)` };
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const il = view.getInt32(0, false);
  const dl = view.getInt32(4, false);
  if (il < 1 || il > MAX_HEADER_ENTRIES) return { ok: false, reason: `header declares ${il} index entries (1 to ${MAX_HEADER_ENTRIES} allowed)` };
  if (dl < 0 || dl > MAX_HEADER_BYTES) return { ok: false, reason: `header declares ${dl} data bytes (at most ${MAX_HEADER_BYTES} allowed)` };
  const dataStart = 8 + 16 * il;
  const size = dataStart + dl;
  if (size > blob.length) return { ok: false, reason: `header declares ${size} bytes (${il} entries, ${dl} data bytes) but the blob holds ${blob.length}` };

  const found: Partial<RpmHeader> = {};
  for (let i = 0; i < il; i++) {
    const at = 8 + 16 * i;
    const tag = view.getInt32(at, false);
    const field = STRING_TAGS.get(tag);
    if (field === undefined && tag !== TAG_EPOCH) continue;
    const type = view.getUint32(at + 4, false);
    const offset = view.getInt32(at + 8, false);
    const count = view.getUint32(at + 12, false);
    const label = TAG_LABEL[tag]!;
    if (offset < 0 || offset >= dl) return { ok: false, reason: `tag ${label}: data offset ${offset} is outside the ${dl}-byte data store` };
    if (tag === TAG_EPOCH) {
      if (type !== TYPE_INT32 || count < 1) return { ok: false, reason: `tag EPOCH: type ${type} count ${count}, expected an int32` };
      if (offset + 4 > dl) return { ok: false, reason: `tag EPOCH: value at ${offset} runs past the ${dl}-byte data store` };
      // A later entry for the same tag (the "dribble" part of an installed header) wins, as in rpm.
      found.epoch = view.getUint32(dataStart + offset, false);
      continue;
    }
    if (type !== TYPE_STRING && type !== TYPE_I18NSTRING && type !== TYPE_STRING_ARRAY) {
      return { ok: false, reason: `tag ${label}: type ${type}, expected a string` };
    }
    const start = dataStart + offset;
    const end = indexOfNul(blob, start, size);
    if (end < 0) return { ok: false, reason: `tag ${label}: string at ${offset} is not terminated inside the data store` };
    (found as Record<string, string>)[field!] = Buffer.from(blob.buffer, blob.byteOffset + start, end - start).toString('utf8');
  }
  for (const [tag, field] of [[TAG_NAME, 'name'], [TAG_VERSION, 'version'], [TAG_RELEASE, 'release']] as const) {
    if (!found[field]) return { ok: false, reason: `header has no ${TAG_LABEL[tag]} tag` };
  }
  const header: RpmHeader = { name: found.name!, version: found.version!, release: found.release! };
  if (found.epoch !== undefined) header.epoch = found.epoch;
  for (const field of ['arch', 'sourceRpm', 'license', 'vendor'] as const) {
    const v = found[field];
    if (v !== undefined && v !== '' && v !== '(none)') header[field] = v;
  }
  return { ok: true, header };
}

function indexOfNul(b: Uint8Array, from: number, to: number): number {
  const i = b.subarray(from, to).indexOf(0);
  return i < 0 ? -1 : from + i;
}

/**
 * Name, version and release of a source rpm file name, split from the right as rpm names them
 * (`name-version-release.arch.rpm`; name and version may hold `-`, release and arch may not).
 * null when the name does not have that shape.
 */
export function splitSourceRpm(file: string): { name: string; version: string; release: string } | null {
  const base = file.endsWith('.rpm') ? file.slice(0, -4) : file;
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return null;
  const rel = base.lastIndexOf('-', dot - 1);
  if (rel <= 0) return null;
  const ver = base.lastIndexOf('-', rel - 1);
  if (ver <= 0) return null;
  const name = base.slice(0, ver);
  const version = base.slice(ver + 1, rel);
  const release = base.slice(rel + 1, dot);
  if (name === '' || version === '' || release === '') return null;
  return { name, version, release };
}
