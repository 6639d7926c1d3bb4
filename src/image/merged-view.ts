/**
 * The merged file view of an image, built while the layer tars stream past (nothing is unpacked
 * to disk). It keeps a path tree (what whiteouts and symlinks need) and the contents of the
 * files an analyser asked for; everything else is skipped as it streams.
 *
 * Rules (OCI image-spec layer.md, as Docker and containerd apply them): layers apply in order; a
 * `.wh.<name>` entry deletes `<name>` from the layers below, `.wh..wh..opq` in a directory hides
 * every lower-layer child of it; neither marker is a file, and a whiteout in layer N never
 * deletes what layer N itself adds. Hard links are copies of their target. Symlinks resolve
 * inside the image root: absolute targets start at the image root, `..` past the root is
 * refused, at most maxSymlinkDepth links per path.
 */
import { posix } from 'node:path';
import { ChartLoadError } from '../chart/load-error.js';
import { TarParser, type TarHeader } from '../chart/tar.js';
import type { ImageFile } from '../model/stages.js';
import { layerTarChunks } from './decompress.js';
import { Deadline, ImageError, formatBytes, imageLimits, type ImageLimits } from './limits.js';

/** One layer as the view reads it. */
export interface LayerSource {
  /** Blob digest (reported as ImageFile.layer); checked against the stored bytes when given. */
  digest: string;
  /** When false, `digest` is only a name (legacy docker-save layers are named by diff_id). */
  verifyDigest?: boolean;
  /** diff_id from the image config: checked against the uncompressed tar when given. */
  diffId?: string;
  /** Opens the stored bytes. Called again for a second pass when a link needs an unread file. */
  open(): AsyncIterable<Buffer>;
}

/**
 * What a caller wants: `false`, `true` (with the default size limit), or the largest size in
 * bytes it will read for that path (an analyser's maxFileBytes).
 */
export type WantsFile = (path: string) => boolean | number;

export interface ReadFilesOptions {
  limits?: Partial<ImageLimits>;
  /** Wanted paths that are not delivered, and why (too big, dangling link, outside the root…). */
  onSkip?: (path: string, reason: string) => void;
  /** Names the image in errors. */
  what?: string;
}

interface DirNode {
  kind: 'dir';
  layer: number;
  children: Map<string, Node>;
}
interface FileNode {
  kind: 'file';
  layer: number;
  size: number;
  /** Where the bytes are: layer index and entry path in that layer's tar. */
  originLayer: number;
  originPath: string;
  content?: Buffer;
}
interface LinkNode {
  kind: 'symlink';
  layer: number;
  target: string;
}
/** Devices, fifos: present in the tree, never delivered. */
interface OtherNode {
  kind: 'other';
  layer: number;
}
type Node = DirNode | FileNode | LinkNode | OtherNode;

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** `./a//b/` → `a/b`; '' for the root; null when the name climbs out of the root. */
export function normaliseEntryName(name: string): string | null {
  // Fast path: most names are already clean (no leading `/` or `.`, no `//`, `/.`, trailing `/`).
  if (name !== '' && name[0] !== '/' && name[0] !== '.' && !name.includes('//') && !name.includes('/.') && !name.endsWith('/')) {
    return name;
  }
  const n = posix.normalize('/' + name);
  // posix.normalize of an absolute path never keeps '..' above '/', so compare with a relative
  // normalisation to see whether the name tried to.
  const rel = posix.normalize(name.replace(/^\/+/, ''));
  if (rel === '..' || rel.startsWith('../')) return null;
  return n === '/' ? '' : n.slice(1).replace(/\/$/, '');
}

type Resolved =
  | { ok: true; path: string; node: Node }
  | { ok: false; reason: string };

export class MergedView {
  readonly root: DirNode = { kind: 'dir', layer: -1, children: new Map() };
  private entries = 0;
  private keptBytes = 0;
  private readonly limits: ImageLimits;
  private readonly deadline: Deadline;
  private readonly what: string;

  constructor(
    private readonly wants: WantsFile,
    opts: ReadFilesOptions = {},
  ) {
    this.limits = imageLimits(opts.limits);
    this.what = opts.what ?? 'image';
    this.deadline = new Deadline(this.limits.deadlineMs, this.what);
  }

  /** The size limit for a wanted path, or null when it is not wanted. */
  wantLimit(path: string): number | null {
    const w = this.wants(path);
    if (w === false || w === 0) return null;
    // An analyser's own limit replaces the default (a jar reader may read more than a status
    // file reader); maxKeptBytes still bounds the sum.
    return w === true ? this.limits.maxFileBytes : w;
  }

  private layerWhat(index: number, layer: LayerSource): string {
    return `${this.what}: layer ${index + 1} (${layer.digest})`;
  }

  /** Streams one layer's tar through `onEntry`; digest-checked; errors name the layer. */
  async streamLayer(
    index: number,
    layer: LayerSource,
    onEntry: (hdr: TarHeader, path: string) => ((chunk: Buffer) => void) | null,
    onEnd: (hdr: TarHeader, path: string) => void,
    /** Entries count against maxEntries once: a second pass over a layer does not count again. */
    countEntries = true,
  ): Promise<void> {
    const what = this.layerWhat(index, layer);
    let sink: ((chunk: Buffer) => void) | null = null;
    let curPath = '';
    const parser = new TarParser(
      {
        entry: (hdr) => {
          if (hdr.typeflag === 'g') return null;
          const path = this.checkName(what, hdr, countEntries);
          curPath = path;
          sink = onEntry(hdr, path);
          return null;
        },
        entryDone: () => {},
        data: (chunk) => sink?.(chunk),
        dataEnd: (hdr) => {
          onEnd(hdr, curPath);
          sink = null;
        },
      },
      { what: 'an image layer' },
    );
    const chunks = layerTarChunks(layer.open(), {
      what,
      limits: this.limits,
      deadline: this.deadline,
      digest: layer.verifyDigest === false ? undefined : layer.digest,
      diffId: layer.diffId,
    });
    try {
      for await (const chunk of chunks) {
        if (!parser.done) parser.write(chunk);
      }
      parser.end();
    } catch (e) {
      if (e instanceof ChartLoadError) {
        const msg = e.message === 'unexpected EOF' ? 'layer tar is truncated (unexpected EOF)' : e.message;
        throw new ImageError(`${what}: ${msg}`);
      }
      throw e;
    }
  }

  private checkName(what: string, hdr: TarHeader, count: boolean): string {
    if (count && ++this.entries > this.limits.maxEntries) {
      throw new ImageError(`${this.what}: more than ${this.limits.maxEntries} tar entries (limit maxEntries)`);
    }
    if (Buffer.byteLength(hdr.name) > this.limits.maxPathBytes || Buffer.byteLength(hdr.linkname) > this.limits.maxPathBytes) {
      throw new ImageError(`${what}: entry name or link target longer than ${this.limits.maxPathBytes} bytes (limit maxPathBytes)`);
    }
    const path = normaliseEntryName(hdr.name);
    if (path === null) throw new ImageError(`${what}: entry ${JSON.stringify(hdr.name)} climbs out of the image root`);
    return path;
  }

  /** Pass 1 over one layer: the path tree, whiteouts, and the wanted contents. */
  async applyLayer(index: number, layer: LayerSource): Promise<void> {
    let parts: Buffer[] | null = null;
    let partBytes = 0;
    let capture: FileNode | null = null;
    await this.streamLayer(
      index,
      layer,
      (hdr, path) => {
        capture = null;
        parts = null;
        if (path === '') return null;
        const base = posix.basename(path);
        const parentPath = posix.dirname(path) === '.' ? '' : posix.dirname(path);
        if (base === OPAQUE) {
          const dir = this.lookup(parentPath);
          if (dir?.kind === 'dir') deleteLower(dir.children, index);
          return null;
        }
        if (base.startsWith(WHITEOUT)) {
          if (base.startsWith(WHITEOUT + WHITEOUT)) return null; // other AUFS metadata (.wh..wh.plnk)
          this.whiteout(posix.join(parentPath, base.slice(WHITEOUT.length)), index);
          return null;
        }
        if (hdr.typeflag === '1' && normaliseEntryName(hdr.linkname) === null) {
          throw new ImageError(`${this.layerWhat(index, layer)}: hard link ${JSON.stringify(hdr.name)} points outside the image root (${JSON.stringify(hdr.linkname)})`);
        }
        const node = this.nodeFor(hdr, path, index);
        if (node === null) return null;
        this.place(path, node, index);
        if (node.kind === 'file' && (hdr.typeflag === '0' || hdr.typeflag === '7')) {
          const limit = this.wantLimit('/' + path);
          if (limit !== null) {
            // A file over its limit is not kept; it is reported once, if it survives the merge.
            if (hdr.size <= limit) {
              capture = node;
              parts = [];
              partBytes = 0;
              return (chunk) => {
                partBytes += chunk.length;
                parts!.push(Buffer.from(chunk));
              };
            }
          }
        }
        return null;
      },
      () => {
        if (capture && parts) {
          // Counted when read, even if a later layer drops the file: the bound is on work done.
          this.keptBytes += partBytes;
          if (this.keptBytes > this.limits.maxKeptBytes) {
            throw new ImageError(`${this.what}: wanted files add up to more than ${formatBytes(this.limits.maxKeptBytes)} (limit maxKeptBytes)`);
          }
          capture.content = Buffer.concat(parts, partBytes);
        }
        capture = null;
        parts = null;
      },
    );
  }

  private nodeFor(hdr: TarHeader, path: string, index: number): Node | null {
    switch (hdr.typeflag) {
      case '0':
      case '7':
        return { kind: 'file', layer: index, size: hdr.size, originLayer: index, originPath: path };
      case '5':
        return { kind: 'dir', layer: index, children: new Map() };
      case '2':
        return { kind: 'symlink', layer: index, target: hdr.linkname };
      case '1': {
        // A hard link is a copy of what its target is now (the target must already exist).
        const t = normaliseEntryName(hdr.linkname);
        const target = t === null ? null : this.lookup(t);
        if (target === null || target === undefined || target.kind === 'dir') return null;
        return { ...target, layer: index };
      }
      case '3':
      case '4':
      case '6':
        return { kind: 'other', layer: index };
      default:
        return null;
    }
  }

  /** The node at a tree path ('' = root) without following symlinks. */
  lookup(path: string): Node | undefined {
    if (path === '') return this.root;
    let cur: Node = this.root;
    for (const c of path.split('/')) {
      if (cur.kind !== 'dir') return undefined;
      const next = cur.children.get(c);
      if (next === undefined) return undefined;
      cur = next;
    }
    return cur;
  }

  private place(path: string, node: Node, index: number): void {
    const comps = path.split('/');
    let dir = this.root;
    for (let i = 0; i < comps.length - 1; i++) {
      const c = comps[i]!;
      const next = dir.children.get(c);
      if (next?.kind === 'dir') dir = next;
      else {
        // A missing parent, or a lower file/link where this layer has a directory.
        const made: DirNode = { kind: 'dir', layer: index, children: new Map() };
        dir.children.set(c, made);
        dir = made;
      }
    }
    const name = comps[comps.length - 1]!;
    const old = dir.children.get(name);
    if (node.kind === 'dir' && old?.kind === 'dir') {
      old.layer = index; // a directory entry over a directory keeps its children
      return;
    }
    dir.children.set(name, node);
  }

  private whiteout(path: string, index: number): void {
    const comps = path.split('/');
    const parent = this.lookup(comps.slice(0, -1).join('/'));
    if (parent?.kind !== 'dir') return;
    const name = comps[comps.length - 1]!;
    const node = parent.children.get(name);
    if (node === undefined) return;
    if (node.layer < index) parent.children.delete(name);
    else if (node.kind === 'dir') deleteLower(node.children, index);
  }

  /**
   * Resolves a path inside the image root, following symlinks (all of them, the last one too).
   * Absolute link targets start at the image root; `..` above the root is refused, not clamped.
   */
  resolve(path: string): Resolved {
    const queue = path.split('/').reverse();
    const names: string[] = [];
    const nodes: Node[] = [this.root];
    let depth = 0;
    while (queue.length > 0) {
      const c = queue.pop()!;
      if (c === '' || c === '.') continue;
      if (c === '..') {
        if (names.length === 0) return { ok: false, reason: 'symlink points outside the image root' };
        names.pop();
        nodes.pop();
        continue;
      }
      const dir = nodes[nodes.length - 1]!;
      if (dir.kind !== 'dir') return { ok: false, reason: 'not found (a path component is not a directory)' };
      const child = dir.children.get(c);
      if (child === undefined) return { ok: false, reason: depth > 0 ? 'dangling symlink (target not found)' : 'not found' };
      if (child.kind === 'symlink') {
        if (++depth > this.limits.maxSymlinkDepth) {
          return { ok: false, reason: `more than ${this.limits.maxSymlinkDepth} symlinks to follow (limit maxSymlinkDepth; a loop?)` };
        }
        if (child.target === '') return { ok: false, reason: 'empty symlink target' };
        if (child.target.startsWith('/')) {
          names.length = 0;
          nodes.length = 1;
        }
        const t = child.target.split('/');
        for (let i = t.length - 1; i >= 0; i--) queue.push(t[i]!);
        continue;
      }
      names.push(c);
      nodes.push(child);
    }
    return { ok: true, path: '/' + names.join('/'), node: nodes[nodes.length - 1]! };
  }

  /** Regular files, symlinks and symlinked directories of the tree, depth first, sorted. */
  *walk(dir: DirNode = this.root, prefix = ''): Generator<[string, Node]> {
    const names = [...dir.children.keys()].sort();
    for (const name of names) {
      const node = dir.children.get(name)!;
      const p = prefix + '/' + name;
      yield [p, node];
      if (node.kind === 'dir') yield* this.walk(node, p);
    }
  }
}

/** Deletes every node a layer below `index` put in this directory (recursively). */
function deleteLower(children: Map<string, Node>, index: number): void {
  for (const [name, child] of children) {
    if (child.kind === 'dir') {
      deleteLower(child.children, index);
      if (child.layer < index && child.children.size === 0) children.delete(name);
    } else if (child.layer < index) {
      children.delete(name);
    }
  }
}

interface Delivery {
  path: string;
  node: FileNode;
  target?: string;
}

/**
 * Streams the layers in order and hands `onFile` every wanted file of the merged view (sorted
 * by path), after every layer was read and checked: nothing from an unverified layer is
 * delivered. A wanted symlink (or a path through a symlinked directory) is delivered under the
 * asked path with its target's content; targets that were not wanted are read in a second pass
 * over the layers that hold them.
 */
export async function readMergedFiles(
  layers: readonly LayerSource[],
  wants: WantsFile,
  onFile: (file: ImageFile) => void,
  opts: ReadFilesOptions = {},
): Promise<void> {
  const view = new MergedView(wants, opts);
  const limits = imageLimits(opts.limits);
  if (layers.length > limits.maxLayers) {
    throw new ImageError(`${opts.what ?? 'image'}: ${layers.length} layers, more than ${limits.maxLayers} (limit maxLayers)`);
  }
  for (let i = 0; i < layers.length; i++) await view.applyLayer(i, layers[i]!);

  const skip = opts.onSkip ?? (() => {});
  const deliveries: Delivery[] = [];
  const seen = new Set<string>();
  const deliver = (path: string, node: FileNode, limit: number, target?: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    if (node.size > limit) {
      skip(path, `larger than ${formatBytes(limit)} (${formatBytes(node.size)}); not read`);
      return;
    }
    deliveries.push(target === undefined ? { path, node } : { path, node, target });
  };
  const dirLinks: [string, string][] = [];
  for (const [path, node] of view.walk()) {
    if (node.kind === 'file') {
      const limit = view.wantLimit(path);
      if (limit !== null) deliver(path, node, limit);
    } else if (node.kind === 'symlink') {
      const limit = view.wantLimit(path);
      const r = view.resolve(path);
      if (r.ok && r.node.kind === 'dir') dirLinks.push([path, r.path]);
      if (limit === null) continue;
      if (!r.ok) skip(path, r.reason);
      else if (r.node.kind === 'file') deliver(path, r.node, limit, r.path);
      else if (r.node.kind !== 'dir') skip(path, 'symlink to a special file'); // a directory is not a file to read: silent, like one
    }
  }
  // Paths through symlinked directories (`/lib` → `usr/lib`): the files below the target, under
  // the link's name. Bounded by the entry limit.
  let aliasChecks = 0;
  for (const [link, real] of dirLinks) {
    const dir = view.lookup(real.slice(1));
    if (dir?.kind !== 'dir') continue;
    for (const [sub, node] of view.walk(dir, '')) {
      if (++aliasChecks > limits.maxEntries) break;
      if (node.kind !== 'file') continue;
      const alias = link + sub;
      if (seen.has(alias)) continue;
      const limit = view.wantLimit(alias);
      if (limit !== null) deliver(alias, node, limit, real + sub);
    }
  }

  // Second pass: contents of link targets (and hard-link copies) that no one asked for by name.
  const missing = new Map<number, Map<string, FileNode[]>>();
  for (const d of deliveries) {
    if (d.node.content !== undefined) continue;
    let byPath = missing.get(d.node.originLayer);
    if (!byPath) missing.set(d.node.originLayer, (byPath = new Map()));
    const list = byPath.get(d.node.originPath) ?? [];
    list.push(d.node);
    byPath.set(d.node.originPath, list);
  }
  for (const [index, byPath] of [...missing].sort((a, b) => a[0] - b[0])) {
    let parts: Buffer[] = [];
    let n = 0;
    let keptBytes = 0;
    await view.streamLayer(
      index,
      layers[index]!,
      (hdr, path) => {
        if ((hdr.typeflag !== '0' && hdr.typeflag !== '7') || !byPath.has(path)) return null;
        parts = [];
        n = 0;
        return (chunk) => {
          n += chunk.length;
          parts.push(Buffer.from(chunk));
        };
      },
      (_hdr, path) => {
        const nodes = byPath.get(path);
        if (!nodes) return;
        keptBytes += n;
        if (keptBytes > limits.maxKeptBytes) {
          throw new ImageError(`${opts.what ?? 'image'}: wanted files add up to more than ${formatBytes(limits.maxKeptBytes)} (limit maxKeptBytes)`);
        }
        const content = Buffer.concat(parts, n);
        for (const node of nodes) node.content = content; // the last entry of that path wins, as in pass 1
      },
      false,
    );
  }

  deliveries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const d of deliveries) {
    const content = d.node.content ?? Buffer.alloc(0);
    const file: ImageFile = { path: d.path, layer: layers[d.node.layer]!.digest, size: d.node.size, content };
    if (d.target !== undefined && d.target !== d.path) file.target = d.target;
    onFile(file);
  }
}
