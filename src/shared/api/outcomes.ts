import { z } from 'zod';
import { ImageId } from './datasets';
import { endpoint } from './endpoint';
import { RunId } from './runs';

/** Where a model is wrong: the confusion matrix, per-class accuracy and the misclassified images of a measured point. */

export const OutcomeAdapter = z.enum(['none', 'frechet']);
/** What measured it: a K_test sweep, the last epoch's validation, or `fixres eval`. */
export const OutcomeSource = z.enum(['sweep', 'training', 'evaluation']);

/** One measured point: a run at a K_test, tested as is or with the Fréchet adaptation. */
export const OutcomeKey = z.object({ runId: RunId, kTest: z.number().int().positive(), adapter: OutcomeAdapter }).strict();
export type OutcomeKey = z.infer<typeof OutcomeKey>;

/** The stored matrix of a point: class names in label order, and confusion[true][predicted] counts. */
export const ConfusionMatrix = z
  .object({ classNames: z.array(z.string()), confusion: z.array(z.array(z.number().int().nonnegative())) })
  .strict();
export type ConfusionMatrix = z.infer<typeof ConfusionMatrix>;

/** A measured point as the pickers list it, with the series it belongs to (as on the Resolution chart). */
export const OutcomePoint = z.object({
  runId: RunId,
  kTest: z.number().int(),
  adapter: OutcomeAdapter,
  source: OutcomeSource,
  series: z.enum(['baseline', 'frechet', 'finetuned']),
  /** "#4 trained at 24", "#7 fine-tuned (last-bn+classifier, DA1) at 32". */
  label: z.string(),
  n: z.number().int(),
  correct: z.number().int(),
  top1: z.number().nullable(),
  createdAt: z.string(),
});
export type OutcomePoint = z.infer<typeof OutcomePoint>;

export const ClassAccuracy = z.object({
  name: z.string(),
  /** Validation images of the class, and how many the model got right. */
  n: z.number().int(),
  correct: z.number().int(),
  accuracy: z.number().nullable(),
  /** The class most of its mistakes went to, and how many. */
  confusedWith: z.object({ name: z.string(), count: z.number().int() }).nullable(),
});
export type ClassAccuracy = z.infer<typeof ClassAccuracy>;

export const OutcomeDetail = OutcomePoint.extend({
  classNames: z.array(z.string()),
  confusion: z.array(z.array(z.number().int())),
  perClass: z.array(ClassAccuracy),
});
export type OutcomeDetail = z.infer<typeof OutcomeDetail>;

/** A misclassified validation image; imageId is null when its dataset no longer lists it (for thumbnails). */
export const Mistake = z.object({
  imageId: ImageId.nullable(),
  relPath: z.string(),
  trueClass: z.number().int(),
  predictedClass: z.number().int(),
  /** Softmax probability the model gave its (wrong) prediction. */
  confidence: z.number(),
});
export type Mistake = z.infer<typeof Mistake>;

export const MistakesRequest = OutcomeKey.extend({
  /** Only images of this true class / predicted as this class (label indices). */
  trueClass: z.number().int().min(0).optional(),
  predictedClass: z.number().int().min(0).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(48),
}).strict();
export type MistakesRequest = z.input<typeof MistakesRequest>;

export const outcomesApi = {
  /** Every measured point of a run and of its fine-tuned children (a fine-tuned run answers for its parent's family). */
  'outcomes.points': endpoint(z.object({ runId: RunId }).strict(), z.array(OutcomePoint)),
  'outcomes.get': endpoint(OutcomeKey, OutcomeDetail),
  /** Misclassified images, most confident first. */
  'outcomes.mistakes': endpoint(MistakesRequest, z.object({ total: z.number().int(), items: z.array(Mistake) })),
};

export const outcomesEvents = {
  /** A point's confusion matrix and mistakes were stored (a sweep measured it, a run finished, an evaluation ran). */
  'outcome.saved': OutcomeKey,
};
