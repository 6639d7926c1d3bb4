import type { ReportWriter } from './types.js';

/** DESIGN.md's JSON report, schema version 1, exactly as built. */
export const json: ReportWriter = {
  id: 'json',
  description: 'the JSON report (schema version 1)',
  render: (report) => `${JSON.stringify(report, null, 2)}\n`,
};
