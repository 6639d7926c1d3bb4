/** No hostPath volumes (upstream policy/check_hostPathVolumes.go). */
import type { PssCheck, PssViolation } from '../types.js';
import { isSet, join, joinQuote, list, pluralize, record, str } from '../util.js';

export const HOST_PATH_VOLUMES_ID = 'hostPathVolumes';

export const hostPathVolumes: PssCheck = {
  id: HOST_PATH_VOLUMES_ID,
  level: 'baseline',
  doc: 'HostPath volumes must be forbidden: spec.volumes[*].hostPath unset.',
  title: 'hostPath volume',
  fix: 'Replace hostPath volumes with emptyDir, configMap, secret or a persistentVolumeClaim.',
  severity: 'HIGH',
  versions: [
    {
      since: 0,
      evaluate(pod) {
        const names: string[] = [];
        const violations: PssViolation[] = [];
        const volumes = list(pod.spec.volumes);
        for (let i = 0; i < volumes.length; i++) {
          const v = record(volumes[i]);
          if (v === null || !isSet(v.hostPath)) continue;
          names.push(str(v.name));
          violations.push({ container: null, path: join(pod.specPath, 'volumes', i, 'hostPath'), value: v.hostPath });
        }
        if (names.length === 0) return null;
        return { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}`, violations };
      },
    },
  ],
};
