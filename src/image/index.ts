/** Image archives, layer streams and the merged file view (issue 10). */
export { ImageError, DEFAULT_IMAGE_LIMITS, imageLimits, type ImageLimits } from './limits.js';
export { layerTarChunks, sniffCompression, type Compression } from './decompress.js';
export { readMergedFiles, MergedView, type LayerSource, type WantsFile, type ReadFilesOptions } from './merged-view.js';
export { LayoutReader, parsePlatform, formatPlatform, selectPlatform, normaliseDockerName, type FoundImage, type Platform, type Descriptor } from './layout.js';
export { openStore, DirStore, TarStore, type FileStore } from './store.js';
export { parseArchiveRef, resolveArchive, resolvedImage, ociLayoutProvider, dockerArchiveProvider } from './providers.js';
