import { FeatureHistogram } from '../../shared/api/analysis';
import { ConfusionMatrix } from '../../shared/api/outcomes';
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

/** The reference as the first sweeps stored it: a fit without its convergence flag (frozen, never edited). */
const SweepReferenceV1 = SweepReference.extend({ frechet: SweepReference.shape.frechet.omit({ converged: true }) });

/**
 * The train-resolution fit a Fréchet sweep maps onto (`sweeps.reference`). Version 2 records
 * whether the fit converged; a version 1 fit says nothing (absent), and is used as before.
 */
export const sweepReferenceDocument = DocumentHistory.start('sweep reference', SweepReferenceV1)
  .then(SweepReference, (v1) => v1)
  .done({ unmarkedUpTo: 1 });

/** Pooled features on geometric buckets (`activation_stats.histogram`). */
export const histogramDocument = DocumentHistory.start('activation histogram', FeatureHistogram).done({ unmarkedUpTo: 1 });

/** A measured point's class names and confusion matrix (`point_outcomes.matrix`). */
export const confusionMatrixDocument = DocumentHistory.start('confusion matrix', ConfusionMatrix).done({ unmarkedUpTo: 1 });

/** Every stored document, for the test that pins their shapes. */
export const ALL_DOCUMENTS = {
  runConfig: runConfigDocument,
  workflowConfig: workflowConfigDocument,
  workflowSummary: workflowSummaryDocument,
  sweepSettings: sweepSettingsDocument,
  sweepReference: sweepReferenceDocument,
  histogram: histogramDocument,
  confusionMatrix: confusionMatrixDocument,
  ...Object.fromEntries(Object.entries(stepOutputDocuments).map(([step, d]) => [`step-${step}`, d])),
} satisfies Record<string, StoredDocument<unknown>>;
