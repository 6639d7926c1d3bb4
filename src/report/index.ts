import { cyclonedx } from './cyclonedx.js';
import { html } from './html.js';
import { json } from './json.js';
import { markdown } from './markdown.js';
import { sarif } from './sarif.js';
import { table } from './table.js';
import type { ReportWriter } from './types.js';

/** Report formats by --format name (src/report/formats.ts lists them for the CLI and loads this module when asked). */
export const writers = { table, json, sarif, cyclonedx, html, markdown } satisfies Record<string, ReportWriter>;
