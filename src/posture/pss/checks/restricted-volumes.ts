/** Only the inline volume types that need no node access (upstream policy/check_restrictedVolumes.go). */
import type { PssCheck, PssViolation } from '../types.js';
import { HOST_PATH_VOLUMES_ID } from './host-path-volumes.js';
import { isSet, join, joinQuote, list, pluralize, record, sortedSet, str } from '../util.js';

export const ALLOWED_VOLUME_SOURCES: readonly string[] = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret',
];

/** The other sources of a core/v1 VolumeSource, in upstream's order of naming them. */
export const RESTRICTED_VOLUME_SOURCES: readonly string[] = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd',
  'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk',
  'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
];

export const restrictedVolumes: PssCheck = {
  id: 'restrictedVolumes',
  level: 'restricted',
  doc: 'Inline volumes are limited to configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret (replaces hostPathVolumes).',
  title: 'Restricted volume type',
  fix: 'Use only configMap, secret, emptyDir, projected, downwardAPI, csi, ephemeral, image or persistentVolumeClaim volumes.',
  severity: 'MEDIUM',
  versions: [
    {
      since: 0,
      overrides: [HOST_PATH_VOLUMES_ID],
      evaluate(pod) {
        const names: string[] = [];
        const types: string[] = [];
        const violations: PssViolation[] = [];
        const volumes = list(pod.spec.volumes);
        for (let i = 0; i < volumes.length; i++) {
          const v = record(volumes[i]) ?? {};
          if (ALLOWED_VOLUME_SOURCES.some((s) => isSet(v[s]))) continue;
          // A volume with no source is defaulted to emptyDir by the API server before admission.
          const type = RESTRICTED_VOLUME_SOURCES.find((s) => isSet(v[s]));
          if (type === undefined) continue;
          names.push(str(v.name));
          types.push(type);
          violations.push({ container: null, path: join(pod.specPath, 'volumes', i, type), value: v[type] });
        }
        if (names.length === 0) return null;
        const distinct = sortedSet(types);
        return {
          reason: 'restricted volume types',
          detail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('restricted volume type', 'restricted volume types', distinct.length)} ${joinQuote(distinct)}`,
          violations,
        };
      },
    },
  ],
};
