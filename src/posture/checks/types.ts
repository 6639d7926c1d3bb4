/** A best-practice posture check: the PostureCheck contract plus what the documentation lists. */
import type { PostureCheck } from '../../model/stages.js';

export interface BestPracticeCheck extends PostureCheck {
  /** One line: what the check requires and why. */
  doc: string;
  /** The peers' equivalent checks, which the severity was weighed against. */
  peers: string;
}
