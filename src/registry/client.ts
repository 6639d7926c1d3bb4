/**
 * The OCI distribution client: resolves an image reference to one platform's manifest and its
 * config, and brings its blobs into the blob cache, every byte checked against its digest.
 *
 * - Tag → digest with HEAD first (Docker Hub counts only manifest GETs), then GET by digest,
 *   and only for digests not in the cache; each digest is fetched at most once per client.
 * - Indexes (OCI and Docker manifest lists) are resolved by platform (platform.ts).
 * - Auth (auth.ts), credentials per host (credentials.ts), --registry-mirror endpoints tried
 *   before the registry itself, --insecure-registry hosts (transport.ts).
 * - Offline: tags resolved before are remembered in the cache; everything else is an error
 *   that says "not in the cache (--offline)".
 * - Artifacts that are not images (Helm charts): resolveManifest, blobBytes and listTags, with
 *   the same endpoints, auth, checks and cache; the caller judges the media types.
 */
import { Deadline } from '../net/deadline.js';
import { httpStatusText } from '../net/problem.js';
import { parseImageReference, ReferenceError, type ImageReference } from '../images/reference.js';
import { BlobCache, BlobVerifyError, hashOf, isDigest } from '../cache/blobs.js';
import { Authorizer, sourceText } from './auth.js';
import { loadCredentialStore, normaliseHostKey, type CredentialStore } from './credentials.js';
import { RegistryError } from './errors.js';
import { isImageManifest, MANIFEST_ACCEPT, parseImageConfig, parseManifest, type Descriptor, type ImageConfig, type ParsedManifest } from './manifest.js';
import { DEFAULT_PLATFORM, parsePlatform, platformText, selectPlatform, type Platform } from './platform.js';
import { readCapped, Retryable, Transport, type Answer, type Attempt, type TransportOptions } from './transport.js';
import { describeNetworkFailure } from '../net/problem.js';
import type { Readable } from 'node:stream';

export interface RegistryClientOptions extends TransportOptions {
  /** The blob cache (default one at `cacheDir`, else `$XDG_CACHE_HOME/chartaudit`). */
  cache?: BlobCache;
  cacheDir?: string;
  /** Credentials (default: read from `registryConfig`, docker's and Podman's files); null: anonymous. */
  credentials?: CredentialStore | null;
  /** `--registry-config FILE`. */
  registryConfig?: string;
  /** `--registry-mirror REGISTRY=HOST[:PORT]` entries, tried in order before the registry. */
  mirrors?: readonly string[];
  /** Answer from the cache only. */
  offline?: boolean;
  /** Default platform for indexes (`os/arch[/variant]`; default linux/amd64). */
  platform?: string;
  /** Most time one resolve or one blob may take, retries included (default 10 min). */
  deadlineMs?: number;
  /** Largest manifest or index (default 4 MiB). */
  maxManifestBytes?: number;
  /** Largest image config (default 8 MiB). */
  maxConfigBytes?: number;
  /** Largest blob (default 16 GiB). */
  maxBlobBytes?: number;
  /** Blobs fetched at the same time by fetchLayers (default 6, as skopeo). */
  concurrency?: number;
  /** Bytes of each blob as they arrive. */
  onProgress?: (p: BlobProgress) => void;
}

/** Called with the layers of the manifest being resolved, from the endpoint serving it. */
type LayersKnown = (ep: string, r: ImageReference, layers: readonly Descriptor[]) => void;

export interface BlobProgress {
  ref: string;
  digest: string;
  bytes: number;
  total: number;
}

/** One image resolved to one platform's manifest; the manifest and config are verified and cached. */
export interface RegistryImage {
  /** The normalised reference (the registry's own name, never a mirror's). */
  ref: string;
  registry: string;
  repository: string;
  tag: string | null;
  /** The platform manifest's digest. */
  digest: string;
  /** The index it was chosen from, when the reference named an index. */
  indexDigest: string | null;
  mediaType: string;
  platform: Platform;
  configDigest: string;
  config: ImageConfig;
  /** In order, base layer first; `digest` is of the compressed blob. */
  layers: Descriptor[];
  /** The host that served it (a mirror or the registry's endpoint). */
  endpoint: string;
}

/** A manifest of any kind, fetched by resolveManifest (verified against `digest`, cached). */
export interface RegistryManifest {
  ref: string;
  digest: string;
  manifest: ParsedManifest;
  /** The host that served it (a mirror or the registry's endpoint). */
  endpoint: string;
}

const DEFAULTS = {
  deadlineMs: 600_000,
  maxManifestBytes: 4 * 1024 * 1024,
  maxConfigBytes: 8 * 1024 * 1024,
  maxBlobBytes: 16 * 1024 * 1024 * 1024,
  concurrency: 6,
};

/** Docker Hub's API host. */
const endpointOf = (registry: string): string => (registry === 'docker.io' ? 'registry-1.docker.io' : registry);

/** `docker.io=mirror:5000` → ['docker.io', 'mirror:5000']. Throws on a malformed entry. */
export function parseMirror(entry: string): [string, string] {
  const eq = entry.indexOf('=');
  const from = eq < 0 ? '' : entry.slice(0, eq).trim();
  const to = eq < 0 ? '' : entry.slice(eq + 1).trim().replace(/^https:\/\//i, '').replace(/\/+$/, '');
  if (from === '' || to === '' || !/^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(to)) {
    throw new RegistryError(`--registry-mirror ${JSON.stringify(entry)}: expected REGISTRY=HOST[:PORT], e.g. docker.io=mirror.example:5000`, 'reference');
  }
  return [normaliseHostKey(from), to.toLowerCase()];
}

export class RegistryClient {
  readonly cache: BlobCache;
  private readonly o: typeof DEFAULTS;
  private readonly transport: Transport;
  private readonly auth: Authorizer;
  /** Answers from the cache only (`--offline`). */
  readonly offline: boolean;
  private readonly defaultPlatform: Platform;
  private readonly mirrors = new Map<string, string[]>();
  private readonly memo = {
    tags: new Map<string, Promise<string>>(),
    manifests: new Map<string, Promise<Buffer>>(),
    blobs: new Map<string, Promise<void>>(),
    images: new Map<string, Promise<RegistryImage>>(),
  };

  constructor(private readonly opts: RegistryClientOptions = {}) {
    this.o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([k, v]) => v !== undefined && k in DEFAULTS)) } as typeof DEFAULTS;
    this.cache = opts.cache ?? new BlobCache({ cacheDir: opts.cacheDir, env: opts.env });
    this.offline = opts.offline === true;
    this.defaultPlatform = opts.platform ? parsePlatform(opts.platform) : DEFAULT_PLATFORM;
    for (const m of opts.mirrors ?? []) {
      const [from, to] = parseMirror(m);
      this.mirrors.set(from, [...(this.mirrors.get(from) ?? []), to]);
    }
    this.transport = new Transport(opts);
    const credentials = opts.credentials !== undefined ? opts.credentials : loadCredentialStore({ configFile: opts.registryConfig, env: opts.env ?? process.env });
    this.auth = new Authorizer(this.transport, credentials, Math.min(this.o.deadlineMs, 120_000));
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  /** Resolves `ref` to one platform's image (manifest and config fetched, verified, cached). */
  resolve(ref: string, opts: { platform?: string | Platform } = {}): Promise<RegistryImage> {
    return this.resolveWith(ref, opts, null);
  }

  /** resolve, telling `onLayers` the layers as soon as the manifest names them (before the config is in). */
  private resolveWith(ref: string, opts: { platform?: string | Platform }, onLayers: LayersKnown | null): Promise<RegistryImage> {
    let r: ImageReference;
    try {
      r = parseImageReference(ref);
    } catch (e) {
      if (e instanceof ReferenceError) return Promise.reject(new RegistryError(`${ref}: not an image reference (${e.message})`, 'reference', ref));
      return Promise.reject(e);
    }
    const platform = typeof opts.platform === 'string' ? parsePlatform(opts.platform) : opts.platform ?? this.defaultPlatform;
    const key = `${r.ref}\n${platformText(platform)}`;
    return this.once(this.memo.images, key, () => this.resolveAny(r, platform, onLayers));
  }

  private endpoints(registry: string): string[] {
    return [...(this.mirrors.get(registry) ?? []), endpointOf(registry)];
  }

  private async resolveAny(r: ImageReference, platform: Platform, onLayers: LayersKnown | null): Promise<RegistryImage> {
    const deadline = new Deadline(this.o.deadlineMs);
    const eps = this.endpoints(r.registry);
    let last: unknown;
    for (const ep of eps) {
      try {
        return await this.resolveAt(ep, r, platform, deadline, onLayers);
      } catch (e) {
        // A mirror that fails hands over to the next endpoint; a verdict about the image does not.
        if (!(e instanceof RegistryError) || ['integrity', 'platform', 'offline', 'limit'].includes(e.kind) || ep === eps[eps.length - 1]) throw e;
        last = e;
      }
    }
    throw last;
  }

  private async resolveAt(ep: string, r: ImageReference, platform: Platform, deadline: Deadline, onLayers: LayersKnown | null): Promise<RegistryImage> {
    const tagKey = `${r.registry}/${r.repository}:${r.tag ?? ''}`;
    let top: string;
    if (r.digest) {
      top = r.digest;
      if (!isDigest(top)) throw new RegistryError(`${r.ref}: unsupported digest algorithm (sha256 and sha512 are)`, 'reference', r.ref);
    } else if (this.offline) {
      const d = this.cache.lookupTag(tagKey);
      if (!d) throw new RegistryError(`${r.ref}: not in the cache (--offline): this tag was never resolved here`, 'offline', r.ref);
      top = d;
    } else {
      top = await this.once(this.memo.tags, `${ep}\n${tagKey}`, () => this.headDigest(ep, r, deadline));
    }
    const topBytes = await this.manifestBytes(ep, r, top, deadline);
    let parsed = parseManifest(topBytes, undefined, `${r.ref}@${top}`);
    let digest = top;
    let indexDigest: string | null = null;
    if (parsed.kind === 'index') {
      const entry = selectPlatform(parsed.manifests, platform, r.ref);
      indexDigest = top;
      digest = entry.digest;
      parsed = parseManifest(await this.manifestBytes(ep, r, digest, deadline), entry.mediaType, `${r.ref}@${digest}`);
      if (parsed.kind === 'index') throw new RegistryError(`${r.ref}: the index for ${platformText(platform)} points at another index (nested indexes are not followed)`, 'protocol', r.ref);
    }
    if (!isImageManifest(parsed)) {
      throw new RegistryError(`${r.ref}: not a container image (an OCI artifact with config type ${parsed.config.mediaType || parsed.artifactType})`, 'protocol', r.ref);
    }
    if (parsed.config.size > this.o.maxConfigBytes) throw new RegistryError(`${r.ref}: its config is ${parsed.config.size} bytes, more than the limit of ${this.o.maxConfigBytes}`, 'limit', r.ref);
    onLayers?.(ep, r, parsed.layers);
    await this.ensureBlob(ep, r, parsed.config, deadline);
    const configBytes = this.cache.readSmall(parsed.config.digest, this.o.maxConfigBytes);
    if (!configBytes) throw new RegistryError(`${r.ref}: its config ${parsed.config.digest} went missing from the cache ${this.cache.dir}`, 'offline', r.ref);
    const config = parseImageConfig(configBytes, `${r.ref} config`);
    if (r.tag && !r.digest && !this.offline) this.cache.rememberTag(tagKey, top);
    return {
      ref: r.ref,
      registry: r.registry,
      repository: r.repository,
      tag: r.tag,
      digest,
      indexDigest,
      mediaType: parsed.mediaType,
      platform: { os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) },
      configDigest: parsed.config.digest,
      config,
      layers: parsed.layers,
      endpoint: ep,
    };
  }

  private once<T>(map: Map<string, Promise<T>>, key: string, fn: () => Promise<T>): Promise<T> {
    let p = map.get(key);
    if (!p) {
      p = fn();
      map.set(key, p);
      // a failure is not remembered: a later call may try again
      p.catch(() => map.delete(key));
    }
    return p;
  }

  /**
   * One request to `ep` about `repository`, with auth: a 401 is answered once with what its
   * challenge asks for. Statuses other than 2xx/404 become RegistryErrors here; `consume` gets
   * 2xx and 404 answers.
   */
  private async call<T>(
    ep: string,
    r: ImageReference,
    path: string,
    init: { method: 'GET' | 'HEAD'; accept: string; rawBody?: boolean },
    label: string,
    deadline: Deadline,
    consume: (a: Attempt, ans: Answer) => Promise<T>,
  ): Promise<T> {
    return this.transport.withRetries(label, deadline, async (a) => {
      for (let round = 0; ; round++) {
        const url = `${this.transport.baseUrl(ep)}/v2/${r.repository}${path}`;
        const authorization = await this.auth.header(ep, r.repository);
        const ans = await this.transport.send(a, url, { method: init.method, headers: { accept: init.accept }, authorization, ...(init.rawBody ? { rawBody: true } : {}) });
        if (ans.status === 401 && round === 0) {
          await ans.body.dump().catch(() => undefined);
          if (await this.auth.challenge(ep, r.repository, ans.headers['www-authenticate'], label)) continue;
          throw await this.authError(ep, r, ans, label, false);
        }
        if (ans.status === 401 || ans.status === 403) throw await this.authError(ep, r, ans, label, true);
        if ((ans.status >= 200 && ans.status < 300) || ans.status === 404) return consume(a, ans);
        const detail = await errorDetail(a, ans);
        throw new RegistryError(`${label}: ${ans.url}: ${httpStatusText(ans.status)}${detail}`, 'protocol', ans.url);
      }
    });
  }

  private async authError(ep: string, r: ImageReference, ans: Answer, label: string, readBody: boolean): Promise<RegistryError> {
    const detail = readBody ? await errorDetail(null, ans) : '';
    const cred = await this.auth.credentialFor(ep);
    const why = cred ? `${ep} refused the credentials${sourceText(cred)} (wrong username or password, or no access to ${r.repository})` : `${ep} wants credentials for ${r.repository} (docker login, or --registry-config)`;
    return new RegistryError(`${label}: ${httpStatusText(ans.status)}${detail}: ${why}`, 'auth', label);
  }

  /** The digest `r`'s tag names now: HEAD first, GET by tag when HEAD gives no digest. */
  private async headDigest(ep: string, r: ImageReference, deadline: Deadline): Promise<string> {
    const label = r.ref;
    const path = `/manifests/${r.tag}`;
    const head = await this.call(ep, r, path, { method: 'HEAD', accept: MANIFEST_ACCEPT }, label, deadline, async (_a, ans) => {
      await ans.body.dump().catch(() => undefined);
      if (ans.status === 404) throw notFound(r, ep, `tag ${r.tag}`, '');
      const d = ans.headers['docker-content-digest'];
      return typeof d === 'string' && isDigest(d.trim()) ? d.trim() : null;
    });
    if (head) return head;
    // No digest header: the manifest itself, by tag; its digest is what it hashes to.
    return this.call(ep, r, path, { method: 'GET', accept: MANIFEST_ACCEPT }, label, deadline, async (a, ans) => {
      if (ans.status === 404) throw notFound(r, ep, `tag ${r.tag}`, await errorDetail(a, ans));
      const bytes = await readCapped(a, ans, this.o.maxManifestBytes, `${r.ref}: the manifest`);
      const digest = hashOf('sha256:', bytes);
      this.cache.writeBytes(digest, bytes);
      return digest;
    });
  }

  /** A manifest by digest: from the cache, else fetched, checked against the digest, cached. */
  private manifestBytes(ep: string, r: ImageReference, digest: string, deadline: Deadline): Promise<Buffer> {
    const cached = this.cache.readSmall(digest, this.o.maxManifestBytes);
    if (cached) return Promise.resolve(cached);
    if (this.offline) return Promise.reject(new RegistryError(`${r.ref}: manifest ${digest} not in the cache (--offline)`, 'offline', r.ref));
    return this.once(this.memo.manifests, digest, () =>
      this.call(ep, r, `/manifests/${digest}`, { method: 'GET', accept: MANIFEST_ACCEPT }, r.ref, deadline, async (a, ans) => {
        if (ans.status === 404) throw notFound(r, ep, `manifest ${digest}`, await errorDetail(a, ans));
        const bytes = await readCapped(a, ans, this.o.maxManifestBytes, `${r.ref}: the manifest ${digest}`);
        if (hashOf(digest, bytes) !== digest) {
          throw new RegistryError(`${r.ref}: the manifest from ${ans.url} does not match its digest ${digest} (it hashes to ${hashOf(digest, bytes)}); refused`, 'integrity', ans.url);
        }
        this.cache.writeBytes(digest, bytes);
        return bytes;
      }),
    );
  }

  /** Brings blob `d` into the cache (streamed, verified), unless it is there already. */
  private ensureBlob(ep: string, r: ImageReference, d: Descriptor, deadline?: Deadline): Promise<void> {
    if (this.cache.has(d.digest)) return Promise.resolve();
    if (this.offline) return Promise.reject(new RegistryError(`${r.ref}: blob ${d.digest} not in the cache (--offline)`, 'offline', r.ref));
    if (d.size > this.o.maxBlobBytes) return Promise.reject(new RegistryError(`${r.ref}: blob ${d.digest} is ${d.size} bytes, more than the limit of ${this.o.maxBlobBytes}`, 'limit', r.ref));
    return this.once(this.memo.blobs, d.digest, async () => {
      const dl = deadline ?? new Deadline(this.o.deadlineMs);
      // rawBody: a connection of its own, body bytes not copied by node:http's parser (transport.ts)
      await this.call(ep, r, `/blobs/${d.digest}`, { method: 'GET', accept: '*/*', rawBody: true }, r.ref, dl, async (a, ans) => {
        if (ans.status === 404) throw notFound(r, ep, `blob ${d.digest}`, await errorDetail(a, ans));
        const body = ans.body as AsyncIterable<Buffer>;
        async function* chunks(): AsyncGenerator<Buffer> {
          a.alive();
          for await (const c of body) {
            a.alive();
            yield c;
          }
        }
        try {
          await this.cache.write(d.digest, chunks(), {
            expectedSize: d.size,
            maxBytes: this.o.maxBlobBytes,
            onBytes: this.opts.onProgress ? (n) => this.opts.onProgress!({ ref: r.ref, digest: d.digest, bytes: n, total: d.size }) : undefined,
          });
        } catch (e) {
          ans.body.destroy();
          if (e instanceof BlobVerifyError) {
            throw new RegistryError(`${r.ref}: blob ${d.digest} from ${ans.url}: ${e.message}; refused, nothing cached`, e.reason === 'limit' ? 'limit' : 'integrity', ans.url);
          }
          if (e instanceof RegistryError) throw e;
          if (typeof (e as NodeJS.ErrnoException).syscall === 'string' && typeof (e as NodeJS.ErrnoException).path === 'string') throw e;
          const why = a.abortReason();
          throw new Retryable(`${ans.url}: ${why ?? describeNetworkFailure(e, ans.url).text}`);
        }
      });
    });
  }

  /** Brings every layer of `img` into the cache, a few at a time. */
  async fetchLayers(img: RegistryImage): Promise<void> {
    const r = parseImageReference(img.ref);
    const queue = [...img.layers];
    let first: { error: unknown } | null = null;
    const worker = async (): Promise<void> => {
      for (let d = queue.shift(); d && !first; d = queue.shift()) {
        try {
          await this.ensureBlob(img.endpoint, r, d);
        } catch (e) {
          first ??= { error: e };
        }
      }
    };
    // On a failure no new blob starts, and the ones in flight finish (or fail) before this
    // returns: nothing keeps writing into the cache behind the caller's back.
    await Promise.all(Array.from({ length: Math.max(1, this.o.concurrency) }, worker));
    if (first) throw (first as { error: unknown }).error;
  }

  /**
   * Starts bringing these layers of `img` into the cache, a few at a time, without waiting: a
   * reader that opens them in order (openBlob) then finds them downloaded or in flight. Failures
   * are left for openBlob to report (it waits on the same download).
   */
  prefetchLayers(img: RegistryImage, digests: readonly string[]): void {
    if (this.offline) return;
    const r = parseImageReference(img.ref);
    const queue = img.layers.filter((l) => digests.includes(l.digest) && !this.cache.has(l.digest));
    const worker = async (): Promise<void> => {
      for (let d = queue.shift(); d; d = queue.shift()) await this.ensureBlob(img.endpoint, r, d).catch(() => undefined);
    };
    for (let i = 0; i < Math.min(Math.max(1, this.o.concurrency), queue.length); i++) void worker();
  }

  /**
   * Resolves `ref` and brings all its layers into the cache. The layers start downloading as soon
   * as the manifest names them, beside the config (one round trip and one fsync fewer to wait).
   */
  async pull(ref: string, opts: { platform?: string | Platform } = {}): Promise<RegistryImage> {
    const started: Promise<{ error: unknown } | null>[] = [];
    let img: RegistryImage;
    try {
      img = await this.resolveWith(ref, opts, (ep, r, layers) => void started.push(this.startLayers(ep, r, layers)));
    } catch (e) {
      // nothing keeps writing into the cache behind the caller's back
      await Promise.all(started);
      throw e;
    }
    for (const failed of await Promise.all(started)) if (failed) throw failed.error;
    await this.fetchLayers(img); // those a mirror's resolve started elsewhere, or none
    return img;
  }

  /**
   * Fetches `layers` (those not cached), `concurrency` at a time, as fetchLayers does: no new one
   * after a failure, which is then the answer.
   */
  private async startLayers(ep: string, r: ImageReference, layers: readonly Descriptor[]): Promise<{ error: unknown } | null> {
    if (this.offline) return null;
    const queue = layers.filter((l) => !this.cache.has(l.digest));
    let first: { error: unknown } | null = null;
    const worker = async (): Promise<void> => {
      for (let d = queue.shift(); d && !first; d = queue.shift()) {
        try {
          await this.ensureBlob(ep, r, d);
        } catch (e) {
          first ??= { error: e };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(Math.max(1, this.o.concurrency), queue.length) }, worker));
    return first;
  }

  /**
   * A stream of blob `digest` of `img` (a layer, usually): fetched into the cache first when it
   * is not there, so the reader only ever sees verified bytes.
   */
  async openBlob(img: RegistryImage, digest: string): Promise<Readable> {
    const d = img.layers.find((l) => l.digest === digest) ?? (img.configDigest === digest ? { digest, size: this.cache.size(digest) ?? 0, mediaType: '' } : null);
    if (!d) throw new RegistryError(`${img.ref}: ${digest} is not a blob of this image`, 'reference', img.ref);
    const r = parseImageReference(img.ref);
    await this.ensureBlob(img.endpoint, r, d);
    let s = this.cache.open(digest);
    if (!s && !this.offline) {
      // pruned by another process since it was fetched: fetch it again, once
      this.memo.blobs.delete(digest);
      await this.ensureBlob(img.endpoint, r, d);
      s = this.cache.open(digest);
    }
    if (!s) throw new RegistryError(`${img.ref}: blob ${digest} was removed from the cache ${this.cache.dir} while in use (a concurrent prune?)`, 'offline', img.ref);
    return s;
  }

  /** Layer `i` of `img` as a stream (see openBlob). */
  openLayer(img: RegistryImage, i: number): Promise<Readable> {
    const l = img.layers[i];
    if (!l) return Promise.reject(new RangeError(`layer ${i} of ${img.layers.length}`));
    return this.openBlob(img, l.digest);
  }

  // --- artifacts that are not images (Helm charts): a manifest, small blobs, the tag list ---

  /**
   * The manifest `r` names (by tag or digest), whatever it describes: fetched by digest,
   * checked against it and cached, as for images, but neither an index nor a non-image config
   * is refused here: the caller judges the media types. `r.ref` begins every message.
   */
  resolveManifest(r: ImageReference): Promise<RegistryManifest> {
    const deadline = new Deadline(this.o.deadlineMs);
    return this.acrossEndpoints(r, (ep) => this.manifestAt(ep, r, deadline));
  }

  private async manifestAt(ep: string, r: ImageReference, deadline: Deadline): Promise<RegistryManifest> {
    const tagKey = `${r.registry}/${r.repository}:${r.tag ?? ''}`;
    let digest: string;
    if (r.digest) {
      digest = r.digest;
      if (!isDigest(digest)) throw new RegistryError(`${r.ref}: unsupported digest algorithm (sha256 and sha512 are)`, 'reference', r.ref);
    } else if (this.offline) {
      const d = this.cache.lookupTag(tagKey);
      if (!d) throw new RegistryError(`${r.ref}: not in the cache (--offline): this tag was never resolved here`, 'offline', r.ref);
      digest = d;
    } else {
      digest = await this.once(this.memo.tags, `${ep}\n${tagKey}`, () => this.headDigest(ep, r, deadline));
    }
    const bytes = await this.manifestBytes(ep, r, digest, deadline);
    const manifest = parseManifest(bytes, undefined, `${r.ref}@${digest}`);
    if (r.tag && !r.digest && !this.offline) this.cache.rememberTag(tagKey, digest);
    return { ref: r.ref, digest, manifest, endpoint: ep };
  }

  /** Blob `d` of a manifest resolveManifest gave, whole in memory (at most `maxBytes`): fetched into the cache (verified) unless there. */
  async blobBytes(r: ImageReference, m: RegistryManifest, d: Descriptor, maxBytes: number): Promise<Buffer> {
    if (d.size > maxBytes) throw new RegistryError(`${r.ref}: blob ${d.digest} is ${d.size} bytes, more than the limit of ${maxBytes}`, 'limit', r.ref);
    await this.ensureBlob(m.endpoint, r, d);
    const bytes = this.cache.readSmall(d.digest, maxBytes);
    if (!bytes) throw new RegistryError(`${r.ref}: blob ${d.digest} was removed from the cache ${this.cache.dir} while in use (a concurrent prune?)`, 'offline', r.ref);
    return bytes;
  }

  /**
   * Every tag of `r`'s repository (the distribution API's `tags/list`, pages followed through
   * their `Link` headers), in the registry's order. Never from the cache: offline it is an error.
   */
  listTags(r: ImageReference): Promise<string[]> {
    if (this.offline) return Promise.reject(new RegistryError(`${r.ref}: the tag list is not in the cache (--offline)`, 'offline', r.ref));
    const deadline = new Deadline(this.o.deadlineMs);
    return this.acrossEndpoints(r, (ep) => this.tagsAt(ep, r, deadline));
  }

  private async tagsAt(ep: string, r: ImageReference, deadline: Deadline): Promise<string[]> {
    const tags: string[] = [];
    const listPath = `/v2/${r.repository}/tags/list`;
    let query = '';
    for (let page = 0; ; page++) {
      if (page >= MAX_TAG_PAGES) throw new RegistryError(`${r.ref}: the tag list runs past ${MAX_TAG_PAGES} pages`, 'limit', r.ref);
      const next = await this.call(ep, r, `/tags/list${query}`, { method: 'GET', accept: 'application/json' }, r.ref, deadline, async (a, ans) => {
        if (ans.status === 404) throw notFound(r, ep, 'repository', await errorDetail(a, ans));
        const bytes = await readCapped(a, ans, this.o.maxManifestBytes, `${r.ref}: the tag list`);
        let doc: { tags?: unknown };
        try {
          doc = JSON.parse(bytes.toString('utf8')) as { tags?: unknown };
        } catch {
          throw new RegistryError(`${r.ref}: the tag list from ${ans.url} is not JSON`, 'protocol', ans.url);
        }
        if (doc === null || typeof doc !== 'object' || (doc.tags !== null && doc.tags !== undefined && !Array.isArray(doc.tags))) {
          throw new RegistryError(`${r.ref}: the tag list from ${ans.url} has no list of tags`, 'protocol', ans.url);
        }
        for (const t of (doc.tags ?? []) as unknown[]) if (typeof t === 'string') tags.push(t);
        if (tags.length > MAX_TAGS) throw new RegistryError(`${r.ref}: more than ${MAX_TAGS} tags`, 'limit', r.ref);
        return nextTagPage(ans, listPath, r.ref);
      });
      if (next === null) return tags;
      query = next;
    }
  }

  /** Runs `fn` on each endpoint of `r`'s registry (mirrors first) until one answers, as resolve does. */
  private async acrossEndpoints<T>(r: ImageReference, fn: (ep: string) => Promise<T>): Promise<T> {
    const eps = this.endpoints(r.registry);
    let last: unknown;
    for (const ep of eps) {
      try {
        return await fn(ep);
      } catch (e) {
        if (!(e instanceof RegistryError) || ['integrity', 'offline', 'limit'].includes(e.kind) || ep === eps[eps.length - 1]) throw e;
        last = e;
      }
    }
    throw last;
  }
}

/** Most pages and tags a tag list may have (a registry that pages forever must not keep us). */
const MAX_TAG_PAGES = 1000;
const MAX_TAGS = 100_000;

/**
 * The query of the next tag-list page from a `Link: <…>; rel="next"` header, or null for the
 * last page. A link elsewhere than this repository's tag list on the same origin is refused.
 */
function nextTagPage(ans: Answer, listPath: string, label: string): string | null {
  const raw = ans.headers.link;
  const links = (Array.isArray(raw) ? raw.join(',') : raw ?? '').split(/,(?=\s*<)/);
  for (const l of links) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(l);
    if (!m || !/(^|;)\s*rel\s*=\s*"?next"?\s*(;|$)/i.test(m[2]!)) continue;
    let u: URL;
    try {
      u = new URL(m[1]!, ans.url);
    } catch {
      throw new RegistryError(`${label}: the tag list's next-page link ${JSON.stringify(m[1]!.slice(0, 200))} is not a URL`, 'protocol', ans.url);
    }
    if (u.origin !== new URL(ans.url).origin || u.pathname !== listPath) {
      throw new RegistryError(`${label}: the tag list's next-page link leads elsewhere (${u.origin}${u.pathname}); refused`, 'protocol', ans.url);
    }
    return u.search;
  }
  return null;
}

function notFound(r: ImageReference, ep: string, what: string, detail: string): RegistryError {
  return new RegistryError(`${r.ref}: ${what} not found in ${ep}/${r.repository} (HTTP 404${detail ? `, ${detail.slice(2, -1)}` : ''})`, 'not-found', r.ref);
}

/** ` (MANIFEST_UNKNOWN: manifest unknown)` from a registry's error JSON, or ''. */
async function errorDetail(a: Attempt | null, ans: Answer): Promise<string> {
  let text = '';
  try {
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const c of ans.body as AsyncIterable<Buffer>) {
      a?.alive();
      n += c.length;
      if (n > 65536) break;
      chunks.push(c);
    }
    ans.body.destroy();
    text = Buffer.concat(chunks).toString('utf8');
  } catch {
    return '';
  }
  try {
    const doc = JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[] };
    const e = doc.errors?.[0];
    if (e && typeof e.code === 'string') return ` (${e.code}${typeof e.message === 'string' && e.message ? `: ${e.message}` : ''})`;
  } catch {
    // not the registry's JSON
  }
  return '';
}
