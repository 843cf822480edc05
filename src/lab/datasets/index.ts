/** Datasets: opening and scanning folders, their images and previews, crops, apparent-size analysis, sample sets, data specs. */
export { DatasetService, type OpenedDataset } from './datasets';
export { DatasetImageService } from './dataset-images';
export { CropService } from './crops';
export { SampleService, SYNTH_DEFAULTS } from './samples';
export { AnalysisService, apparentSize, fitFrechetColumn, type ParsedApparentSizeRequest } from './analysis';
export { buildDataSpec } from './data-spec';
export { ThumbnailCache, thumbnailCacheBytes } from './thumbnail-cache';
export { datasetGoneError } from './forgotten';
