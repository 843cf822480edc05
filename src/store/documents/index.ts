import { FeatureHistogram } from '../../shared/api/analysis';
import { SweepReference, SweepSettings } from '../../shared/api/sweeps';
import { runConfigDocument } from './run-config';
import { stepOutputDocuments, workflowSummaryDocument } from './step-outputs';
import { DocumentHistory, type StoredDocument } from './stored-document';
import { workflowConfigDocument } from './workflow-config';

export { runConfigDocument, stepOutputDocuments, workflowConfigDocument, workflowSummaryDocument };
export type { StepOutputOf } from './step-outputs';
export { StoredDocumentError, type StoredDocument } from './stored-document';

/** A sweep's resolved settings (`sweeps.settings`). */
export const sweepSettingsDocument = DocumentHistory.start('sweep settings', SweepSettings).done({ unmarkedUpTo: 1 });

/** The train-resolution fit a Fréchet sweep maps onto (`sweeps.reference`). */
export const sweepReferenceDocument = DocumentHistory.start('sweep reference', SweepReference).done({ unmarkedUpTo: 1 });

/** Pooled features on geometric buckets (`activation_stats.histogram`). */
export const histogramDocument = DocumentHistory.start('activation histogram', FeatureHistogram).done({ unmarkedUpTo: 1 });

/** Every stored document, for the test that pins their shapes. */
export const ALL_DOCUMENTS = {
  runConfig: runConfigDocument,
  workflowConfig: workflowConfigDocument,
  workflowSummary: workflowSummaryDocument,
  sweepSettings: sweepSettingsDocument,
  sweepReference: sweepReferenceDocument,
  histogram: histogramDocument,
  ...Object.fromEntries(Object.entries(stepOutputDocuments).map(([step, d]) => [`step-${step}`, d])),
} satisfies Record<string, StoredDocument<unknown>>;
