import type { ScanReport } from '../model/report.js';

export interface RenderOptions {
  color: boolean;
  /** Terminal width; writers wrap or truncate to it. */
  width: number;
  /** List mitigated findings in full (they are always in the JSON). */
  showMitigated?: boolean;
}

/** One report format. Adding a format is one file and one line in index.ts. */
export interface ReportWriter {
  id: string;
  description: string;
  render(report: ScanReport, opts: RenderOptions): string;
}
