/**
 * Reads of the machine's clock or time zone by template functions (`now`, `date`, `toDate`, a
 * time in zone "Local", …). A render that made any depends on when and where it ran, not only
 * on the chart and the values: its results are not kept for later runs (commands/scan/deployment.ts).
 * Random strings, keys and certificates are not counted: any run could have drawn them.
 */
export const ambientReads = { count: 0 };
