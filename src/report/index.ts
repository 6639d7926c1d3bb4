import { cyclonedx } from './cyclonedx.js';
import { html } from './html.js';
import { json } from './json.js';
import { markdown } from './markdown.js';
import { sarif } from './sarif.js';
import { table } from './table.js';
import type { ReportWriter } from './types.js';

/** Report formats by --format name. */
export const writers = { table, json, sarif, cyclonedx, html, markdown } satisfies Record<string, ReportWriter>;
export type FormatId = keyof typeof writers;
export const formatIds = Object.keys(writers) as FormatId[];
