/**
 * `env.literal-secret`: a container environment variable whose name says it holds a secret
 * (password, token, secret, API or private key, credentials) and whose value is written in the
 * manifest (`value:`, not `valueFrom.secretKeyRef`). Anyone who can read the Deployment (or the
 * chart's values, or helm's release Secret) reads the secret, and it cannot be rotated without a
 * new release. HIGH. Not flagged: names that point to a secret elsewhere (`…_FILE`, `…_PATH`,
 * `…_NAME`, `…_CMD` (a command that prints it), `ALLOW_EMPTY_PASSWORD`, etcd's
 * `…_INITIAL_CLUSTER_TOKEN`, an identifier…), empty values, booleans, paths and settings that
 * point to a key file, and `$(OTHER_VAR)` references.
 */
import type { PostureFinding, RenderedResource } from '../../model/stages.js';
import type { BestPracticeCheck } from './types.js';
import { containerWord, finding, list, podTemplates, record, str } from './workload.js';

const SECRET_NAME = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)(_|$)/;
const REFERENCE_NAME = /(_FILE|_FILES|_PATH|_DIR|_NAME|_NAMES|_REF|_KEY_ID|_ENABLED|_LENGTH|_MIN_LENGTH|_TTL|_EXPIRY|_EXPIRATION|_AUTH_METHOD|_TYPE|_HEADER|_URL|_ENDPOINT|_CMD|_COMMAND|_AUTHENTICATION)$|^ALLOW_EMPTY_|_INITIAL_CLUSTER_TOKEN$/;
const NOT_A_SECRET_VALUE = /^(true|false|yes|no|on|off|none|null|0|1|-)$/i;

/** Whether an env entry carries a literal secret: by its name and value. */
export function literalSecret(name: string, value: string): boolean {
  const upper = name.toUpperCase().replace(/[-.]/g, '_');
  if (!SECRET_NAME.test(upper) || REFERENCE_NAME.test(upper)) return false;
  const v = value.trim();
  // a path, or settings that point to a key file (etcd's `jwt,priv-key=/opt/…`), name where the secret is
  return v !== '' && !NOT_A_SECRET_VALUE.test(v) && !v.startsWith('/') && !v.includes('=/') && !/^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(v);
}

export const envLiteralSecret: BestPracticeCheck = {
  id: 'env.literal-secret',
  title: 'Secret as a literal env value',
  severity: 'HIGH',
  fix: 'Put the value in a Secret and use env.valueFrom.secretKeyRef (charts often have an existingSecret value).',
  doc: 'Environment variables named like secrets take their value from a Secret, not from the manifest.',
  peers: 'kube-linter env-var-secret, Polaris sensitiveContainerEnvVar (warning), Checkov CKV_K8S_35',
  check(r: RenderedResource): PostureFinding[] {
    const out: PostureFinding[] = [];
    for (const pod of podTemplates(r)) {
      for (const c of pod.containers) {
        const env = list(c.container.env);
        for (let i = 0; i < env.length; i++) {
          const e = record(env[i]);
          if (e === null || typeof e.value !== 'string' || !literalSecret(str(e.name), e.value)) continue;
          out.push(finding('env.literal-secret', r, pod, c.name, `${containerWord(c)} sets ${str(e.name)} to a literal value in the manifest`, [[...c.path, 'env', i, 'value']]));
        }
      }
    }
    return out;
  },
};
