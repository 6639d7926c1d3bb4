import { helm } from './test/helpers/helm.js';
const r = helm(['template', 'rel', process.argv[2]!]);
console.log(r.status, r.stdout, r.stderr);
