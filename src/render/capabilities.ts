/**
 * `.Capabilities` as helm v4.1.4 builds it for `helm template` (pkg/chart/common/capabilities.go):
 * the default Kubernetes version (client-go's minor + 1: v1.35.0 for helm v4.1.4), the
 * default API version list (client-go's scheme plus apiextensions, in scheme order), and
 * helm's BuildInfo. `--kube-version` goes through k8s.io/apimachinery's ParseGeneric and
 * `--api-versions` are appended to the default list.
 *
 * In templates the value is a `*common.Capabilities` (a pointer to struct): KubeVersion is a
 * `common.KubeVersion` struct with `String`/`GitVersion` methods, APIVersions a
 * `common.VersionSet` (`[]string`) with `Has`, HelmVersion a `version.BuildInfo` struct.
 */
import { InputError } from '../model/errors.js';
import { registerJsonFields } from './encoding/index.js';
import {
  GoStruct, T, goFunc, namedType, quote as goQuote, sliceOf, structType, withType, type GoMethod, type GoValue,
} from './template/index.js';

/** helm v4.1.4's default Kubernetes version. */
export const DEFAULT_KUBE_VERSION = 'v1.35.0';

/** helm v4.1.4's DefaultVersionSet, in its order. */
export const DEFAULT_API_VERSIONS: readonly string[] = Object.freeze([
  'v1',
  'admissionregistration.k8s.io/v1',
  'admissionregistration.k8s.io/v1alpha1',
  'admissionregistration.k8s.io/v1beta1',
  'internal.apiserver.k8s.io/v1alpha1',
  'apps/v1',
  'apps/v1beta1',
  'apps/v1beta2',
  'authentication.k8s.io/v1',
  'authentication.k8s.io/v1alpha1',
  'authentication.k8s.io/v1beta1',
  'authorization.k8s.io/v1',
  'authorization.k8s.io/v1beta1',
  'autoscaling/v1',
  'autoscaling/v2',
  'autoscaling/v2beta1',
  'autoscaling/v2beta2',
  'batch/v1',
  'batch/v1beta1',
  'certificates.k8s.io/v1',
  'certificates.k8s.io/v1beta1',
  'certificates.k8s.io/v1alpha1',
  'coordination.k8s.io/v1alpha2',
  'coordination.k8s.io/v1beta1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'discovery.k8s.io/v1beta1',
  'events.k8s.io/v1',
  'events.k8s.io/v1beta1',
  'extensions/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta2',
  'flowcontrol.apiserver.k8s.io/v1beta3',
  'networking.k8s.io/v1',
  'networking.k8s.io/v1beta1',
  'node.k8s.io/v1',
  'node.k8s.io/v1alpha1',
  'node.k8s.io/v1beta1',
  'policy/v1',
  'policy/v1beta1',
  'rbac.authorization.k8s.io/v1',
  'rbac.authorization.k8s.io/v1beta1',
  'rbac.authorization.k8s.io/v1alpha1',
  'resource.k8s.io/v1',
  'resource.k8s.io/v1beta2',
  'resource.k8s.io/v1beta1',
  'resource.k8s.io/v1alpha3',
  'scheduling.k8s.io/v1alpha1',
  'scheduling.k8s.io/v1beta1',
  'scheduling.k8s.io/v1',
  'storage.k8s.io/v1beta1',
  'storage.k8s.io/v1',
  'storage.k8s.io/v1alpha1',
  'storagemigration.k8s.io/v1beta1',
  'apiextensions.k8s.io/v1beta1',
  'apiextensions.k8s.io/v1',
]);

/** helm v4.1.4's version.BuildInfo. */
export const HELM_BUILD_INFO = Object.freeze({
  Version: 'v4.1.4',
  GitCommit: '05fa37973dc9e42b76e1d2883494c87174b6074f',
  GitTreeState: 'clean',
  GoVersion: 'go1.25.9',
  KubeClientVersion: 'v1.35',
});

/** common.KubeVersion. */
export interface KubeVersion {
  /** Full version as given, `v`-prefixed (GitVersion). */
  version: string;
  /** Normalised (`v` + major.minor[.patch]) for constraint checks; String(). */
  normalized: string;
  major: string;
  minor: string;
}

export const DEFAULT_KUBE: Readonly<KubeVersion> = Object.freeze({
  version: DEFAULT_KUBE_VERSION, normalized: DEFAULT_KUBE_VERSION, major: '1', minor: '35',
});

/**
 * helm's common.ParseKubeVersion (k8s.io/apimachinery ParseGeneric). Throws InputError worded
 * like `helm template --kube-version`: `invalid kube version 'x': illegal version string "x"`.
 */
export function parseKubeVersion(version: string): KubeVersion {
  const fail = (msg: string): never => {
    throw new InputError(`invalid kube version '${version}': ${msg}`);
  };
  const m = /^[ \t\n\f\r\v]*v?([0-9]+(?:\.[0-9]+)*)(.*)$/s.exec(version);
  if (!m) fail(`could not parse ${goQuote(version)} as version`);
  const components = m![1]!.split('.');
  if (components.length < 2) fail(`illegal version string ${goQuote(version)}`);
  const nums: bigint[] = [];
  components.forEach((comp, i) => {
    if (i === 0 && comp.startsWith('0') && comp !== '0') {
      fail(`illegal zero-prefixed version component ${goQuote(comp)} in ${goQuote(version)}`);
    }
    const n = BigInt(comp);
    if (n > 0xffffffffffffffffn) {
      fail(`illegal non-numeric version component ${goQuote(comp)} in ${goQuote(version)}: strconv.ParseUint: parsing ${goQuote(comp)}: value out of range`);
    }
    nums.push(n);
  });
  const gitVersion = version.startsWith('v') ? version : `v${version}`;
  return {
    version: gitVersion,
    normalized: `v${nums.join('.')}`,
    major: nums[0]!.toString(),
    minor: nums[1]!.toString(),
  };
}

// --- Go types

const sig0 = goFunc('func() string', () => '').type;

const kubeVersionMethods: Record<string, GoMethod> = {
  String: { type: sig0, impl: (recv) => String((recv as GoStruct).fields.normalizedVersion || (recv as GoStruct).fields.Version) },
  GitVersion: { type: sig0, impl: (recv) => String((recv as GoStruct).fields.Version) },
};
export const KUBE_VERSION_TYPE = structType('common.KubeVersion', [
  ['Version', T.string], ['normalizedVersion', T.string], ['Major', T.string], ['Minor', T.string],
], kubeVersionMethods);
registerJsonFields(KUBE_VERSION_TYPE, [
  { field: 'Version', name: 'Version' }, { field: 'Major', name: 'Major' }, { field: 'Minor', name: 'Minor' },
]);

const hasSig = goFunc('func(string) bool', () => false).type;
export const VERSION_SET_TYPE = namedType('common.VersionSet', sliceOf(T.string), {
  Has: { type: hasSig, impl: (recv, v) => (recv as GoValue[]).includes(v as string) },
});

export const BUILD_INFO_TYPE = structType('version.BuildInfo', [
  ['Version', T.string], ['GitCommit', T.string], ['GitTreeState', T.string], ['GoVersion', T.string], ['KubeClientVersion', T.string],
]);
registerJsonFields(BUILD_INFO_TYPE, [
  { field: 'Version', name: 'version', omitempty: true },
  { field: 'GitCommit', name: 'git_commit', omitempty: true },
  { field: 'GitTreeState', name: 'git_tree_state', omitempty: true },
  { field: 'GoVersion', name: 'go_version', omitempty: true },
  { field: 'KubeClientVersion', name: 'kube_client_version' },
]);

export const CAPABILITIES_TYPE = structType('common.Capabilities', [
  ['KubeVersion', KUBE_VERSION_TYPE], ['APIVersions', VERSION_SET_TYPE], ['HelmVersion', BUILD_INFO_TYPE],
]);

export interface CapabilitiesOptions {
  /** `--kube-version` (parsed with parseKubeVersion). */
  kubeVersion?: string | KubeVersion;
  /** `--api-versions`, appended to the default list (comma-separated entries are split like cobra does). */
  apiVersions?: string[];
}

export interface Capabilities {
  kube: KubeVersion;
  apiVersions: string[];
}

export function makeCapabilities(opts: CapabilitiesOptions = {}): Capabilities {
  const kube = opts.kubeVersion === undefined || opts.kubeVersion === ''
    ? { ...DEFAULT_KUBE }
    : typeof opts.kubeVersion === 'string' ? parseKubeVersion(opts.kubeVersion) : opts.kubeVersion;
  const extra: string[] = [];
  for (const a of opts.apiVersions ?? []) extra.push(...splitStringSlice(a));
  return { kube, apiVersions: [...DEFAULT_API_VERSIONS, ...extra] };
}

/** pflag's StringSlice: each flag value is read as one CSV record. */
export function splitStringSlice(v: string): string[] {
  if (v === '') return [];
  const out: string[] = [];
  let cur = '';
  let i = 0;
  let quoted = false;
  let fieldStart = true;
  while (i < v.length) {
    const c = v[i]!;
    if (fieldStart && c === '"') { quoted = true; fieldStart = false; i++; continue; }
    fieldStart = false;
    if (quoted) {
      if (c === '"') {
        if (v[i + 1] === '"') { cur += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      cur += c; i++; continue;
    }
    if (c === ',') { out.push(cur); cur = ''; fieldStart = true; i++; continue; }
    cur += c; i++;
  }
  out.push(cur);
  return out;
}

/** The `*common.Capabilities` value templates see. */
export function capabilitiesValue(c: Capabilities): GoStruct {
  return new GoStruct(CAPABILITIES_TYPE, {
    KubeVersion: new GoStruct(KUBE_VERSION_TYPE, {
      Version: c.kube.version, normalizedVersion: c.kube.normalized, Major: c.kube.major, Minor: c.kube.minor,
    }),
    APIVersions: withType([...c.apiVersions], VERSION_SET_TYPE),
    HelmVersion: new GoStruct(BUILD_INFO_TYPE, { ...HELM_BUILD_INFO }),
  }, true);
}
