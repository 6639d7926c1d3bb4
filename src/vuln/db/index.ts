/** The local vulnerability database: store, import, update, status. */
export { openDb, memoryDb, defaultDbDir, baseEcosystem, VulnDb, DB_FILE, SCHEMA_VERSION } from './store.js';
export type { DbStatus, SourceInfo, OpenOptions, QueryOptions } from './store.js';
export { importPath, importPaths, parseOsvYaml } from './import.js';
export type { ImportOptions, ImportInput, ImportProgress, ImportSummary, SkippedRecord, ImportLimits } from './import.js';
export { updateDb, updatePlan, progressPrinter, DEFAULT_OSV_BASE_URL, DEFAULT_NVD_BASE_URL, DEFAULT_ECOSYSTEMS } from './update.js';
export type { UpdateOptions, UpdateSummary, UpdateProgress, NvdUpdateOptions } from './update.js';
export { DownloadError } from './http.js';
export type { FetchOptions, DownloadProgress } from './http.js';
export { renderStatusText, renderStatusJson, statusReport, STALE_AFTER_DAYS } from './status.js';
export type { StatusReport } from './status.js';
export { nvdToOsv } from './nvd.js';
export { parseCpe } from './cpe.js';
export type { Cpe } from './cpe.js';
export { validateOsvRecord, RecordError, timestampMs } from './validate.js';
