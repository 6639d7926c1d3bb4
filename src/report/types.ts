/** Report writers implement src/model/stages.ts's ReportWriter. */
export type { ReportRenderOptions as RenderOptions, ReportWriter } from '../model/stages.js';
