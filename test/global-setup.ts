import { helmPath } from './helpers/helm.js';

/** Extract the reference helm once before the workers start, so they never race for it. */
export default function setup(): void {
  helmPath();
}
