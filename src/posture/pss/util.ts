/**
 * Reading a decoded (JSON-typed) pod spec the way the API server's typed decoding would, and
 * the wording helpers of upstream's messages.
 *
 * Typing rule: the checks read untyped JSON. A field that is missing or null is unset (a nil
 * pointer in Go). A field of the wrong JSON type (`privileged: "true"`) would make the API
 * server refuse the object before admission runs; we read it as unset, so the verdict is the
 * one for the object without that field.
 */
import type { ContainerView, FieldPath, PathSegment, PodView } from './types.js';

export function record(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

export function list(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A Go string field: '' when unset or not a string. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A Go *bool: true, false, or null when unset. */
export function optBool(v: unknown): boolean | null {
  return typeof v === 'boolean' ? v : null;
}

/** A Go *int64 / int32: the number, or null when unset. */
export function optNumber(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}

/** A Go pointer-to-struct field is set: present and not null (an empty map counts as set). */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** Go's pluralize helper of the policy package. */
export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** Upstream's joinQuote: each item in double quotes, no escaping, `", "` between. */
export function joinQuote(items: readonly string[]): string {
  return items.length === 0 ? '' : `"${items.join('", "')}"`;
}

/** Go's string order (bytes of UTF-8, i.e. code points), which differs from JS's UTF-16 order past U+FFFF. */
export function goCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** sets.String.List(): the distinct items in Go's sorted order. */
export function sortedSet(items: Iterable<string>): string[] {
  return [...new Set(items)].sort(goCompare);
}

/** `containers "a", "b"` / `container "a"`. */
export function containersPhrase(names: readonly string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}

const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `spec.containers[0].securityContext`, with `["key"]` for keys that are not identifiers. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (SIMPLE_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function join(path: FieldPath, ...more: PathSegment[]): PathSegment[] {
  return [...path, ...more];
}

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * The view the checks read. `metadata` is the pod's (or template's) metadata, `spec` its spec;
 * the paths say where they sit in the holder object.
 */
export function buildPodView(
  metadata: Record<string, unknown> | null,
  spec: Record<string, unknown>,
  paths: { metadata: FieldPath; spec: FieldPath },
  isPod: boolean,
): PodView {
  const containers: ContainerView[] = [];
  for (const key of CONTAINER_LISTS) {
    const items = list(spec[key]);
    for (let i = 0; i < items.length; i++) {
      const c = record(items[i]);
      // A null entry decodes to a zero-valued container: no name, no securityContext.
      const container = c ?? {};
      containers.push({
        name: str(container.name),
        container,
        securityContext: record(container.securityContext),
        path: [...paths.spec, key, i],
      });
    }
  }
  const os = record(spec.os);
  return {
    annotations: record(metadata?.annotations) ?? {},
    spec,
    podSecurityContext: record(spec.securityContext),
    containers,
    specPath: paths.spec,
    metadataPath: paths.metadata,
    windows: os !== null && os.name === 'windows',
    userNamespace: spec.hostUsers === false,
    hostPortsDefaultToContainerPorts: isPod && spec.hostNetwork === true,
  };
}
