/**
 * Each Pod Security Standards check, pass and fail, at its version edges. Expected texts are
 * admission's (reason (detail)), as upstream's policy/check_*_test.go words them.
 */
import { describe, expect, it } from 'vitest';
import { evaluatePodSecurity } from './evaluate.js';
import type { PssLevel } from './types.js';

type Obj = Record<string, unknown>;

/** A container the restricted level accepts. */
function container(name: string, securityContext: Obj = {}, more: Obj = {}): Obj {
  return { name, image: 'registry.k8s.io/pause', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...securityContext }, ...more };
}

/** A Pod the restricted level accepts at every version, changed by `spec` (merged over the top level of the spec). */
function pod(spec: Obj = {}, annotations?: Record<string, string>): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', ...(annotations ? { annotations } : {}) },
    spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [container('a')], ...spec },
  };
}

/** The pod security context of `pod()` with more fields. */
function podSC(more: Obj): Obj {
  return { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, ...more } };
}

/** `check: reason (detail)` of each failing check. */
function judge(obj: Obj, level: PssLevel, version = 'latest'): Record<string, string> {
  const r = evaluatePodSecurity(obj, { level, version })!;
  expect(r.allowed).toBe(r.failures.length === 0);
  return Object.fromEntries(r.failures.map((f) => [f.check, `${f.reason} (${f.detail})`]));
}

interface Case {
  name: string;
  obj: Obj;
  level: PssLevel;
  version?: string;
  expect: Record<string, string>;
}

const cases: Case[] = [
  // privileged
  { name: 'privileged: false is allowed', level: 'baseline', obj: pod({ containers: [container('a', { privileged: false })] }), expect: {} },
  {
    name: 'privileged: two containers',
    level: 'baseline',
    obj: pod({ containers: [container('c'), container('d', { privileged: true }), container('e', { privileged: true })] }),
    expect: { privileged: 'privileged (containers "d", "e" must not set securityContext.privileged=true)' },
  },
  { name: 'privileged: a string is not a bool (the API server refuses it before admission)', level: 'baseline', obj: pod({ containers: [container('a', { privileged: 'true' })] }), expect: {} },
  // hostNamespaces
  {
    name: 'host namespaces: all three',
    level: 'baseline',
    obj: pod({ hostNetwork: true, hostPID: true, hostIPC: true }),
    expect: { hostNamespaces: 'host namespaces (hostNetwork=true, hostPID=true, hostIPC=true)' },
  },
  { name: 'host namespaces: false is allowed', level: 'baseline', obj: pod({ hostNetwork: false, hostPID: false }), expect: {} },
  {
    name: 'host namespaces: a Pod on the host network gets hostPorts from its containerPorts (API defaulting)',
    level: 'baseline',
    obj: pod({ hostNetwork: true, containers: [container('a', {}, { ports: [{ containerPort: 8080 }] })] }),
    expect: { hostNamespaces: 'host namespaces (hostNetwork=true)', hostPorts: 'hostPort (container "a" uses hostPort 8080)' },
  },
  // hostPorts
  { name: 'host ports: 0 is allowed', level: 'baseline', obj: pod({ containers: [container('a', {}, { ports: [{ containerPort: 80, hostPort: 0 }] })] }), expect: {} },
  {
    name: 'host ports: one container',
    level: 'baseline',
    obj: pod({ containers: [container('a', {}, { ports: [{ containerPort: 1 }] }), container('b', {}, { ports: [{ containerPort: 2, hostPort: 20 }] })] }),
    expect: { hostPorts: 'hostPort (container "b" uses hostPort 20)' },
  },
  {
    name: 'host ports: several, sorted as strings, init containers too',
    level: 'baseline',
    obj: pod({
      initContainers: [container('b', {}, { ports: [{ containerPort: 1, hostPort: 10 }, { containerPort: 2, hostPort: 20 }] })],
      containers: [container('c', {}, { ports: [{ containerPort: 3, hostPort: 30 }, { containerPort: 4, hostPort: 10 }] })],
    }),
    expect: { hostPorts: 'hostPort (containers "b", "c" use hostPorts 10, 20, 30)' },
  },
  // hostPathVolumes / restrictedVolumes
  {
    name: 'hostPath volumes at baseline',
    level: 'baseline',
    obj: pod({ volumes: [{ name: 'a', hostPath: { path: '/a' } }, { name: 'e', emptyDir: {} }, { name: 'b', hostPath: {} }] }),
    expect: { hostPathVolumes: 'hostPath volumes (volumes "a", "b")' },
  },
  {
    name: 'hostPath volumes at restricted are restrictedVolumes (override)',
    level: 'restricted',
    obj: pod({ volumes: [{ name: 'a', hostPath: { path: '/a' } }] }),
    expect: { restrictedVolumes: 'restricted volume types (volume "a" uses restricted volume type "hostPath")' },
  },
  { name: 'hostPath: null is unset', level: 'baseline', obj: pod({ volumes: [{ name: 'a', hostPath: null, emptyDir: {} }] }), expect: {} },
  {
    name: 'restricted volumes: every type; a volume with no source is defaulted to emptyDir',
    level: 'restricted',
    obj: pod({
      volumes: [
        ...['emptyDir', 'secret', 'persistentVolumeClaim', 'downwardAPI', 'configMap', 'projected', 'csi', 'ephemeral', 'image'].map((t, i) => ({ name: `a${i + 1}`, [t]: {} })),
        ...['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos'].map((t, i) => ({ name: `b${i + 1}`, [t]: {} })),
        { name: 'c1' },
      ],
    }),
    expect: {
      restrictedVolumes: 'restricted volume types (volumes "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10", "b11", "b12", "b13", "b14", "b15", "b16", "b17", "b18", "b19", "b20", "b21" use restricted volume types '
        + '"awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", "hostPath", "iscsi", "nfs", "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos", "vsphereVolume")',
    },
  },
  { name: 'restricted volumes: nfs is fine at baseline', level: 'baseline', obj: pod({ volumes: [{ name: 'n', nfs: { server: 's', path: '/' } }] }), expect: {} },
  // capabilities_baseline
  {
    name: 'capabilities baseline: non-default ones',
    level: 'baseline',
    obj: pod({ containers: [container('a', { capabilities: { add: ['FOO', 'BAR'] } }), container('b', { capabilities: { add: ['BAZ', 'FOO', 'CHOWN'] } })] }),
    expect: { capabilities_baseline: 'non-default capabilities (containers "a", "b" must not include "BAR", "BAZ", "FOO" in securityContext.capabilities.add)' },
  },
  { name: 'capabilities baseline: the default set', level: 'baseline', obj: pod({ containers: [container('a', { capabilities: { add: ['CHOWN', 'NET_BIND_SERVICE', 'SYS_CHROOT'] } })] }), expect: {} },
  { name: 'capabilities baseline: NET_RAW', level: 'baseline', obj: pod({ containers: [container('a', { capabilities: { add: ['NET_RAW'] } })] }), expect: { capabilities_baseline: 'non-default capabilities (container "a" must not include "NET_RAW" in securityContext.capabilities.add)' } },
  // capabilities_restricted
  {
    name: 'capabilities restricted: drop ALL missing and forbidden adds',
    level: 'restricted',
    obj: pod({
      containers: [
        container('a', { capabilities: { add: ['FOO', 'BAR'] } }),
        container('b', { capabilities: { add: ['BAR', 'BAZ'], drop: ['NET_RAW'] } }),
        container('c', { capabilities: { add: ['CHOWN', 'NET_BIND_SERVICE'], drop: ['ALL', 'SYS_ADMIN'] } }),
      ],
    }),
    expect: { capabilities_restricted: 'unrestricted capabilities (containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add)' },
  },
  { name: 'capabilities restricted: NET_BIND_SERVICE may come back', level: 'restricted', obj: pod({ containers: [container('a', { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } })] }), expect: {} },
  {
    name: 'capabilities restricted: v1.21 still reads the baseline rule',
    level: 'restricted',
    version: 'v1.21',
    obj: pod({ containers: [container('a', { capabilities: { add: ['NET_RAW'] } })] }),
    expect: { capabilities_baseline: 'non-default capabilities (container "a" must not include "NET_RAW" in securityContext.capabilities.add)' },
  },
  { name: 'capabilities restricted: v1.21 does not require drop ALL', level: 'restricted', version: 'v1.21', obj: pod({ containers: [{ name: 'a', securityContext: { allowPrivilegeEscalation: false } }] }), expect: {} },
  {
    name: 'capabilities restricted: v1.22 requires drop ALL',
    level: 'restricted',
    version: 'v1.22',
    obj: pod({ containers: [{ name: 'a', securityContext: { allowPrivilegeEscalation: false } }] }),
    expect: { capabilities_restricted: 'unrestricted capabilities (container "a" must set securityContext.capabilities.drop=["ALL"])' },
  },
  // Windows pods: exempt from allowPrivilegeEscalation, capabilities_restricted, seccompProfile_restricted from 1.25
  {
    name: 'windows pod at v1.24: the three Linux-only controls apply',
    level: 'restricted',
    version: 'v1.24',
    obj: pod({ os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'a' }] }),
    expect: {
      allowPrivilegeEscalation: 'allowPrivilegeEscalation != false (container "a" must set securityContext.allowPrivilegeEscalation=false)',
      capabilities_restricted: 'unrestricted capabilities (container "a" must set securityContext.capabilities.drop=["ALL"])',
      seccompProfile_restricted: 'seccompProfile (pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    },
  },
  { name: 'windows pod at v1.25: exempt', level: 'restricted', version: 'v1.25', obj: pod({ os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'a' }] }), expect: {} },
  {
    name: 'linux pod at v1.25: not exempt',
    level: 'restricted',
    version: 'v1.25',
    obj: pod({ os: { name: 'linux' }, containers: [{ name: 'a', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }], securityContext: { runAsNonRoot: true } }),
    expect: { seccompProfile_restricted: 'seccompProfile (pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")' },
  },
  {
    name: 'windows pod: runAsNonRoot still applies',
    level: 'restricted',
    obj: pod({ os: { name: 'windows' }, securityContext: {}, containers: [{ name: 'a' }] }),
    expect: { runAsNonRoot: 'runAsNonRoot != true (pod or container "a" must set securityContext.runAsNonRoot=true)' },
  },
  // appArmorProfile
  {
    name: 'AppArmor: annotations, only the forbidden ones, sorted, Go-quoted',
    level: 'baseline',
    obj: pod({}, {
      'container.apparmor.security.beta.kubernetes.io/f': 'unknown',
      'container.apparmor.security.beta.kubernetes.io/': 'bogus',
      'container.apparmor.security.beta.kubernetes.io/a': '',
      'container.apparmor.security.beta.kubernetes.io/b': 'runtime/default',
      'container.apparmor.security.beta.kubernetes.io/c': 'localhost/',
      'container.apparmor.security.beta.kubernetes.io/d': 'localhost/foo',
      'container.apparmor.security.beta.kubernetes.io/e': 'unconfined',
      'other.example/x': 'unconfined',
    }),
    expect: {
      appArmorProfile: 'forbidden AppArmor profiles (annotations must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/="bogus"", "container.apparmor.security.beta.kubernetes.io/e="unconfined"", "container.apparmor.security.beta.kubernetes.io/f="unknown"")',
    },
  },
  {
    name: 'AppArmor: pod field Unconfined',
    level: 'baseline',
    obj: pod(podSC({ appArmorProfile: { type: 'Unconfined' } })),
    expect: { appArmorProfile: 'forbidden AppArmor profile (pod must not set AppArmor profile type to "Unconfined")' },
  },
  {
    name: 'AppArmor: pod, init container and annotation',
    level: 'baseline',
    obj: pod({ ...podSC({ appArmorProfile: { type: 'Unconfined' } }), initContainers: [container('bar', { appArmorProfile: { type: 'Unconfined' } })] }, { 'container.apparmor.security.beta.kubernetes.io/bar': 'unconfined\n' }),
    expect: { appArmorProfile: 'forbidden AppArmor profiles (pod and container "bar" and annotation must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/bar="unconfined\\n"")' },
  },
  { name: 'AppArmor: RuntimeDefault and Localhost fields', level: 'baseline', obj: pod({ ...podSC({ appArmorProfile: { type: 'RuntimeDefault' } }), containers: [container('a', { appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } })] }), expect: {} },
  { name: 'AppArmor: a profile without a type', level: 'baseline', obj: pod({ containers: [container('a', { appArmorProfile: {} })] }), expect: { appArmorProfile: 'forbidden AppArmor profile (container "a" must not set AppArmor profile type to "")' } },
  // seLinuxOptions
  {
    name: 'SELinux: pod and containers',
    level: 'baseline',
    obj: pod({
      ...podSC({ seLinuxOptions: { type: 'foo', user: 'u', role: 'r' } }),
      containers: [container('d', { seLinuxOptions: { type: 'container_t' } }), container('e', { seLinuxOptions: { type: 'bar' } }), container('f', { seLinuxOptions: { user: 'u' } }), container('g', { seLinuxOptions: { role: 'r' } })],
    }),
    expect: { seLinuxOptions: 'seLinuxOptions (pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set)' },
  },
  { name: 'SELinux: bad role only', level: 'baseline', obj: pod(podSC({ seLinuxOptions: { role: 'r' } })), expect: { seLinuxOptions: 'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: role may not be set)' } },
  { name: 'SELinux: level alone is allowed', level: 'baseline', obj: pod(podSC({ seLinuxOptions: { level: 's0:c1,c2' } })), expect: {} },
  {
    name: 'SELinux: container_engine_t before 1.31',
    level: 'baseline',
    version: 'v1.30',
    obj: pod({ containers: [container('a', { seLinuxOptions: { type: 'container_engine_t' } })] }),
    expect: { seLinuxOptions: 'seLinuxOptions (container "a" set forbidden securityContext.seLinuxOptions: type "container_engine_t")' },
  },
  { name: 'SELinux: container_engine_t from 1.31', level: 'baseline', version: 'v1.31', obj: pod({ containers: [container('a', { seLinuxOptions: { type: 'container_engine_t' } })] }), expect: {} },
  // procMount
  {
    name: 'procMount: Unmasked and other values',
    level: 'baseline',
    obj: pod({ containers: [container('c', { procMount: 'Default' }), container('d', { procMount: 'Unmasked' }), container('e', { procMount: 'other' })] }),
    expect: { procMount: 'procMount (containers "d", "e" must not set securityContext.procMount to "Unmasked", "other")' },
  },
  {
    name: 'procMount: hostUsers false at baseline v1.34 still fails',
    level: 'baseline',
    version: 'v1.34',
    obj: pod({ hostUsers: false, containers: [container('a', { procMount: 'Unmasked' })] }),
    expect: { procMount: 'procMount (container "a" must not set securityContext.procMount to "Unmasked")' },
  },
  { name: 'procMount: hostUsers false at baseline v1.35 is allowed', level: 'baseline', version: 'v1.35', obj: pod({ hostUsers: false, containers: [container('a', { procMount: 'Unmasked' })] }), expect: {} },
  {
    name: 'procMount: restricted v1.35 keeps the rule for hostUsers false (procMount_restricted)',
    level: 'restricted',
    version: 'v1.35',
    obj: pod({ hostUsers: false, containers: [container('a', { procMount: 'Unmasked' })] }),
    expect: { procMount_restricted: 'procMount (container "a" must not set securityContext.procMount to "Unmasked")' },
  },
  {
    name: 'procMount: restricted v1.34 reads the baseline check',
    level: 'restricted',
    version: 'v1.34',
    obj: pod({ containers: [container('a', { procMount: 'Unmasked' })] }),
    expect: { procMount: 'procMount (container "a" must not set securityContext.procMount to "Unmasked")' },
  },
  // seccompProfile_baseline
  {
    name: 'seccomp baseline v1.18: the alpha annotations',
    level: 'baseline',
    version: 'v1.18',
    obj: pod({ containers: [container('a'), container('b'), container('c')] }, {
      'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
      'container.seccomp.security.alpha.kubernetes.io/a': 'unconfined',
      'container.seccomp.security.alpha.kubernetes.io/b': 'unknown',
      'container.seccomp.security.alpha.kubernetes.io/c': 'docker/default',
      'container.seccomp.security.alpha.kubernetes.io/other': 'unconfined',
    }),
    expect: { seccompProfile_baseline: 'seccompProfile (forbidden annotations container.seccomp.security.alpha.kubernetes.io/a="unconfined", container.seccomp.security.alpha.kubernetes.io/b="unknown", seccomp.security.alpha.kubernetes.io/pod="unconfined")' },
  },
  { name: 'seccomp baseline v1.18: fields are not read', level: 'baseline', version: 'v1.18', obj: pod(podSC({ seccompProfile: { type: 'Unconfined' } })), expect: {} },
  { name: 'seccomp baseline v1.19: annotations are not read', level: 'baseline', version: 'v1.19', obj: pod({}, { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }), expect: {} },
  {
    name: 'seccomp baseline v1.19: pod and containers Unconfined',
    level: 'baseline',
    version: 'v1.19',
    obj: pod({ ...podSC({ seccompProfile: { type: 'Unconfined' } }), containers: [container('a'), container('c', { seccompProfile: { type: 'Unconfined' } }), container('d', { seccompProfile: { type: 'Unconfined' } })] }),
    expect: { seccompProfile_baseline: 'seccompProfile (pod and containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined")' },
  },
  { name: 'seccomp baseline: unset is allowed', level: 'baseline', obj: pod({ securityContext: {} }), expect: {} },
  // seccompProfile_restricted
  {
    name: 'seccomp restricted: pod unset, containers fall through',
    level: 'restricted',
    obj: pod({ securityContext: { runAsNonRoot: true }, containers: [container('a'), container('b'), container('c', { seccompProfile: { type: 'Localhost', localhostProfile: 'p' } })] }),
    expect: { seccompProfile_restricted: 'seccompProfile (pod or containers "a", "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")' },
  },
  { name: 'seccomp restricted: every container set, pod unset', level: 'restricted', obj: pod({ securityContext: { runAsNonRoot: true }, containers: [container('a', { seccompProfile: { type: 'RuntimeDefault' } })] }), expect: {} },
  {
    name: 'seccomp restricted: explicit Unconfined wins over the missing ones',
    level: 'restricted',
    obj: pod({ securityContext: { runAsNonRoot: true }, containers: [container('a'), container('c', { seccompProfile: { type: 'Unconfined' } })] }),
    expect: { seccompProfile_restricted: 'seccompProfile (container "c" must not set securityContext.seccompProfile.type to "Unconfined")' },
  },
  {
    name: 'seccomp restricted v1.18: not required yet, the annotation rule applies',
    level: 'restricted',
    version: 'v1.18',
    obj: pod({ securityContext: { runAsNonRoot: true } }, { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }),
    expect: { seccompProfile_baseline: 'seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined")' },
  },
  // sysctls
  { name: 'sysctls: order kept, not sorted', level: 'baseline', obj: pod(podSC({ sysctls: [{ name: 'b', value: '1' }, { name: 'kernel.shm_rmid_forced', value: '1' }, { name: 'a', value: '1' }] })), expect: { sysctls: 'forbidden sysctls (b, a)' } },
  ...([
    ['net.ipv4.ip_local_reserved_ports', 27],
    ['net.ipv4.tcp_keepalive_time', 29],
    ['net.ipv4.tcp_fin_timeout', 29],
    ['net.ipv4.tcp_keepalive_intvl', 29],
    ['net.ipv4.tcp_keepalive_probes', 29],
    ['net.ipv4.tcp_rmem', 32],
    ['net.ipv4.tcp_wmem', 32],
    ['net.ipv4.tcp_slow_start_after_idle', 37],
    ['net.ipv4.tcp_notsent_lowat', 37],
  ] as const).flatMap(([name, since]): Case[] => [
    { name: `sysctls: ${name} before v1.${since}`, level: 'baseline', version: `v1.${since - 1}`, obj: pod(podSC({ sysctls: [{ name, value: '1' }] })), expect: { sysctls: `forbidden sysctls (${name})` } },
    { name: `sysctls: ${name} from v1.${since}`, level: 'baseline', version: `v1.${since}`, obj: pod(podSC({ sysctls: [{ name, value: '1' }] })), expect: {} },
  ]),
  // windowsHostProcess
  {
    name: 'Windows hostProcess: pod and containers',
    level: 'baseline',
    obj: pod({ ...podSC({ windowsOptions: { hostProcess: true } }), containers: [container('a', { windowsOptions: { hostProcess: true } }), container('b', { windowsOptions: { hostProcess: true } }), container('c', { windowsOptions: { hostProcess: false } })] }),
    expect: { windowsHostProcess: 'hostProcess (pod and containers "a", "b" must not set securityContext.windowsOptions.hostProcess=true)' },
  },
  { name: 'Windows hostProcess: false is allowed', level: 'baseline', obj: pod(podSC({ windowsOptions: { hostProcess: false } })), expect: {} },
  // hostProbesAndHostLifecycle
  { name: 'probe host before v1.34 is not checked', level: 'baseline', version: 'v1.33', obj: pod({ containers: [container('a', {}, { livenessProbe: { httpGet: { host: 'x', port: 80 } } })] }), expect: {} },
  {
    name: 'probe and lifecycle hosts: containers and hosts sorted, deduplicated',
    level: 'baseline',
    version: 'v1.34',
    obj: pod({
      containers: [
        container('invalid2', {}, { readinessProbe: { tcpSocket: { host: 'b.com', port: 1 } }, lifecycle: { preStop: { httpGet: { host: 'a.com', port: 1 } } } }),
        container('invalid1', {}, { startupProbe: { httpGet: { host: 'a.com', port: 1 } }, lifecycle: { postStart: { tcpSocket: { host: 'b.com', port: 1 } } } }),
        container('fine', {}, { livenessProbe: { httpGet: { host: '', port: 1 } } }),
      ],
    }),
    expect: { hostProbesAndHostLifecycle: 'probe or lifecycle host (containers "invalid1", "invalid2" use probe or lifecycle hosts "a.com", "b.com")' },
  },
  {
    name: 'probe host: one container, several hosts',
    level: 'baseline',
    obj: pod({ containers: [container('a', {}, { livenessProbe: { httpGet: { host: '127.0.0.1', port: 1 } }, readinessProbe: { tcpSocket: { host: 'localhost', port: 1 } }, startupProbe: { tcpSocket: { host: '::1', port: 1 } } })] }),
    expect: { hostProbesAndHostLifecycle: 'probe or lifecycle host (container "a" uses probe or lifecycle hosts "127.0.0.1", "::1", "localhost")' },
  },
  // allowPrivilegeEscalation
  { name: 'allowPrivilegeEscalation: not checked before v1.8', level: 'restricted', version: 'v1.7', obj: pod({ containers: [{ name: 'a' }] }), expect: {} },
  {
    name: 'allowPrivilegeEscalation: from v1.8, unset or true',
    level: 'restricted',
    version: 'v1.8',
    obj: pod({ containers: [{ name: 'a' }, { name: 'b', securityContext: { allowPrivilegeEscalation: true } }, { name: 'c', securityContext: {} }, { name: 'd', securityContext: { allowPrivilegeEscalation: false } }] }),
    expect: { allowPrivilegeEscalation: 'allowPrivilegeEscalation != false (containers "a", "b", "c" must set securityContext.allowPrivilegeEscalation=false)' },
  },
  // runAsNonRoot
  { name: 'runAsNonRoot: pod false', level: 'restricted', obj: pod(podSC({ runAsNonRoot: false })), expect: { runAsNonRoot: 'runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)' } },
  {
    name: 'runAsNonRoot: containers false override the pod',
    level: 'restricted',
    obj: pod({ containers: [container('a'), container('b', { runAsNonRoot: true }), container('c', { runAsNonRoot: false }), container('d', { runAsNonRoot: false })] }),
    expect: { runAsNonRoot: 'runAsNonRoot != true (containers "c", "d" must not set securityContext.runAsNonRoot=false)' },
  },
  {
    name: 'runAsNonRoot: pod unset, containers fall through',
    level: 'restricted',
    obj: pod({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [container('a'), container('b'), container('c', { runAsNonRoot: true })] }),
    expect: { runAsNonRoot: 'runAsNonRoot != true (pod or containers "a", "b" must set securityContext.runAsNonRoot=true)' },
  },
  { name: 'runAsNonRoot: every container true', level: 'restricted', obj: pod({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [container('a', { runAsNonRoot: true })] }), expect: {} },
  {
    name: 'runAsNonRoot: hostUsers false at v1.34 still required',
    level: 'restricted',
    version: 'v1.34',
    obj: pod({ hostUsers: false, ...podSC({ runAsNonRoot: false }) }),
    expect: { runAsNonRoot: 'runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)' },
  },
  { name: 'runAsNonRoot: hostUsers false from v1.35 not required', level: 'restricted', version: 'v1.35', obj: pod({ hostUsers: false, ...podSC({ runAsNonRoot: false }) }), expect: {} },
  // runAsUser
  { name: 'runAsUser 0 before v1.23 is allowed', level: 'restricted', version: 'v1.22', obj: pod(podSC({ runAsUser: 0 })), expect: {} },
  { name: 'runAsUser 0 from v1.23: pod', level: 'restricted', version: 'v1.23', obj: pod(podSC({ runAsUser: 0 })), expect: { runAsUser: 'runAsUser=0 (pod must not set runAsUser=0)' } },
  {
    name: 'runAsUser 0: pod and containers',
    level: 'restricted',
    obj: pod({ ...podSC({ runAsUser: 0 }), containers: [container('a', { runAsUser: 1000 }), container('c', { runAsUser: 0 }), container('d', { runAsUser: 0 })] }),
    expect: { runAsUser: 'runAsUser=0 (pod and containers "c", "d" must not set runAsUser=0)' },
  },
  { name: 'runAsUser non-zero', level: 'restricted', obj: pod(podSC({ runAsUser: 1000 })), expect: {} },
  { name: 'runAsUser 0 with hostUsers false at v1.34', level: 'restricted', version: 'v1.34', obj: pod({ hostUsers: false, ...podSC({ runAsUser: 0 }) }), expect: { runAsUser: 'runAsUser=0 (pod must not set runAsUser=0)' } },
  { name: 'runAsUser 0 with hostUsers false from v1.35', level: 'restricted', version: 'v1.35', obj: pod({ hostUsers: false, ...podSC({ runAsUser: 0 }) }), expect: {} },
  { name: 'runAsUser is not a baseline control', level: 'baseline', obj: pod(podSC({ runAsUser: 0, runAsNonRoot: false })), expect: {} },
  // plain passes at restricted latest
  { name: 'procMount Default at restricted', level: 'restricted', obj: pod({ containers: [container('a', { procMount: 'Default' })] }), expect: {} },
  { name: 'probe and lifecycle without host, or an empty one', level: 'restricted', obj: pod({ containers: [container('a', {}, { livenessProbe: { httpGet: { port: 80 } }, readinessProbe: { tcpSocket: { host: '', port: 80 } }, lifecycle: { preStop: { httpGet: { port: 80, path: '/stop' } }, postStart: { exec: { command: ['true'] } } } })] }), expect: {} },
  { name: 'the allowed volume types at restricted', level: 'restricted', obj: pod({ volumes: [{ name: 'c', configMap: { name: 'x' } }, { name: 's', secret: { secretName: 'x' } }, { name: 'e', emptyDir: {} }, { name: 'p', persistentVolumeClaim: { claimName: 'x' } }, { name: 'i', image: { reference: 'x' } }] }), expect: {} },
  { name: 'allowPrivilegeEscalation false everywhere, with ephemeral containers', level: 'restricted', obj: pod({ initContainers: [container('i')], ephemeralContainers: [container('e')] }), expect: {} },
  { name: 'the safe sysctls of v1.0 at v1.0', level: 'baseline', version: 'v1.0', obj: pod(podSC({ sysctls: ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'].map((name) => ({ name, value: '1' })) })), expect: {} },
  // containers of every list
  {
    name: 'ephemeral containers are judged too, in admission order (init, regular, ephemeral)',
    level: 'baseline',
    obj: pod({ initContainers: [container('i', { privileged: true })], containers: [container('c', { privileged: true })], ephemeralContainers: [container('e', { privileged: true })] }),
    expect: { privileged: 'privileged (containers "i", "c", "e" must not set securityContext.privileged=true)' },
  },
];

describe('Pod Security Standards checks', () => {
  for (const c of cases) {
    it(`${c.name} (${c.level} ${c.version ?? 'latest'})`, () => {
      expect(judge(c.obj, c.level, c.version)).toEqual(c.expect);
    });
  }

  it('the message is admission\'s: failing checks in its order, baseline first', () => {
    const r = evaluatePodSecurity(pod({ hostPID: true, ...podSC({ runAsNonRoot: false }), containers: [container('a', { privileged: true })] }), { level: 'restricted', version: 'latest' })!;
    expect(r.failures.map((f) => f.check)).toEqual(['hostNamespaces', 'privileged', 'runAsNonRoot']);
    expect(r.message).toBe('host namespaces (hostPID=true), privileged (container "a" must not set securityContext.privileged=true), runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)');
  });
});
