/**
 * `container.writable-root-fs`: a container without securityContext.readOnlyRootFilesystem:
 * true can have its binaries and configuration changed by an intruder, who can also drop tools
 * there. LOW, as Trivy rates it: it limits what an intrusion can do, it does not prevent one.
 */
import type { PostureFinding, RenderedResource } from '../../model/stages.js';
import type { BestPracticeCheck } from './types.js';
import { containerWord, finding, podTemplates, record } from './workload.js';

export const writableRootFs: BestPracticeCheck = {
  id: 'container.writable-root-fs',
  title: 'Writable root filesystem',
  severity: 'LOW',
  fix: 'Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where the program writes.',
  doc: 'Each container sets securityContext.readOnlyRootFilesystem: true.',
  peers: 'Trivy KSV014 (LOW), kube-linter no-read-only-root-fs, Polaris notReadOnlyRootFilesystem (warning), kube-score container-security-context-readonlyrootfilesystem, Checkov CKV_K8S_22',
  check(r: RenderedResource): PostureFinding[] {
    const out: PostureFinding[] = [];
    for (const pod of podTemplates(r)) {
      for (const c of pod.containers) {
        if (record(c.container.securityContext)?.readOnlyRootFilesystem === true) continue;
        out.push(finding('container.writable-root-fs', r, pod, c.name, `${containerWord(c)} has a writable root filesystem`, [[...c.path, 'securityContext', 'readOnlyRootFilesystem']]));
      }
    }
    return out;
  },
};
