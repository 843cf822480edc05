import { z } from 'zod';
import { FrechetParams, type ActivationSummary } from '../api/analysis';
import { DataSpec } from './data-spec';
import { EvalModelSource, type ForwardReport, type PassOutcome } from './eval';
import { ModelSpec } from './train';
import { TrainableMode } from '../models/trainable';

/** A Fréchet fit as the adaptation uses it (ZeroTreatment and GEV parameters of src/core/frechet.ts). */
// Not strict: a stored fit arrives with its goodness of fit (ks), which the adaptation does not use; it is dropped.
export const FrechetModelSpec = FrechetParams.pick({ mu: true, sigma: true, xi: true, zeros: true, converged: true });
export type FrechetModelSpec = z.infer<typeof FrechetModelSpec>;

/** How pooled features are summarised and fitted per K_test. */
export const ActivationSettings = z
  .object({
    /** Values kept (uniformly, seeded) for the Fréchet fit. */
    reservoir: z.number().int().positive(),
    seed: z.number().int(),
    /** Shape ξ when fixed (the paper's 0.3), or fit it too. */
    xi: z.number().finite(),
    freeXi: z.boolean(),
  })
  .strict();
export type ActivationSettings = z.infer<typeof ActivationSettings>;

/**
 * The train-resolution distribution the Fréchet adaptation maps test features onto: a fit given
 * by the lab (stored earlier), or pooled features of `data` (usually training images with the
 * run's own training transform at K_train) to fit now.
 */
export const ReferenceSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fit'), fit: FrechetModelSpec }).strict(),
  z.object({ kind: z.literal('features'), data: DataSpec, source: z.enum(['train-augment', 'val-at-k-train']) }).strict(),
]);
export type ReferenceSpec = z.infer<typeof ReferenceSpec>;

/**
 * Decoded copies of the validation images at their original size, kept for the whole sweep (in
 * memory, spilled to a folder of its own that is removed when the sweep ends), so every K_test
 * renders exactly the pixels a fresh decode would give.
 */
export const DecodeOnceSettings = z
  .object({
    /** Folder in which the sweep makes its spill folder. */
    dir: z.string().min(1),
    /** Memory for decoded copies, all sample workers of one source together (MB). */
    memoryMb: z.number().finite().min(0),
    /** Largest spill folder (MB; also at most half the free disk space); a larger set is decoded once per K_test. */
    diskMb: z.number().finite().min(0),
    /** Estimated decoded size of the validation images: Σ width·height·3 bytes. */
    estimatedBytes: z.number().finite().min(0),
  })
  .strict();
export type DecodeOnceSettings = z.infer<typeof DecodeOnceSettings>;

export const SweepInput = z
  .object({
    model: EvalModelSource,
    /** Validation images with the test transform; its `k` is replaced by each K_test (same crop_pct). */
    val: DataSpec,
    kTests: z.array(z.number().int().positive()),
    batchSize: z.number().int().positive(),
    /** Pooled-feature statistics per K_test (needed for the adaptation too). */
    activations: ActivationSettings,
    /** Also evaluate with the test-resolution features mapped onto the reference fit (adapter 'frechet'). */
    adapt: z.object({ reference: ReferenceSpec }).strict().nullable(),
    /** Keep a pass's pooled features in memory for the adaptation up to this size; above it, a second pass. */
    featureBudgetMb: z.number().finite().min(0),
    /** Decode each validation image once for all K_tests (absent or null: once per K_test). */
    decodeOnce: DecodeOnceSettings.nullable().optional(),
  })
  .strict();
export type SweepInput = z.infer<typeof SweepInput>;

/** Whether a sweep decoded each image once or once per K_test, and why. */
export interface SweepDecoding {
  mode: 'once' | 'per-k-test';
  reason: string;
}

/** Accuracy of one K_test with or without the adaptation. */
export interface SweepPointResult {
  kTest: number;
  adapter: 'none' | 'frechet';
  top1: number;
  /** Null with 5 classes or fewer. */
  top5: number | null;
  loss: number;
  n: number;
  /** Seconds and images per second of the forward pass (shared by both adapters of one K_test). */
  seconds: number;
  imgPerSec: number;
  /** Per validation image, in the order of `val.items`: 1 when its top-1 prediction was right. */
  correct: Uint8Array;
  /** The confusion matrix and every validation image's prediction (in the order of `val.items`). */
  outcome: PassOutcome;
}

/** Pooled-feature statistics at one K_test (or of the reference), with the Fréchet fit when one could be made. */
export interface ActivationResult {
  kTest: number;
  summary: ActivationSummary;
  frechet: FrechetParams | null;
  /** Why no fit was made (too few distinct values, …). */
  fitError: string | null;
  /** Why an adaptation sweep has no Fréchet point at this K_test (a fit missing or not converged); null when it has one. */
  adaptNote?: string | null;
}

export interface ReferenceResult extends ActivationResult {
  source: 'train-augment' | 'val-at-k-train' | 'given';
  images: number;
}

export type SweepProgress =
  | {
      type: 'start';
      /** Where the forward passes run: 'onnxruntime', or the tfjs backend. */
      backend: string;
      forward?: ForwardReport;
      kTests: number[];
      images: number;
      decoding: SweepDecoding;
    }
  | {
      type: 'batch';
      phase: 'reference' | 'evaluate' | 'adapt';
      kTest: number | null;
      /** Index of the K_test in the list (0 for the reference pass). */
      index: number;
      done: number;
      total: number;
      imgPerSec: number;
    }
  | { type: 'reference'; reference: ReferenceResult }
  | { type: 'point'; kTest: number; points: SweepPointResult[]; activations: ActivationResult };

export interface SweepResult {
  /** Where the forward passes ran: 'onnxruntime', or the tfjs backend. */
  backend: string;
  forward?: ForwardReport;
  points: SweepPointResult[];
  activations: ActivationResult[];
  reference: ReferenceResult | null;
  decoding: SweepDecoding;
  wallSeconds: number;
  /** Validation images per second over every evaluation pass. */
  imgPerSec: number;
  peakRssMb: number;
}

export interface SweepJob {
  input: SweepInput;
  progress: SweepProgress;
  result: SweepResult;
}

/** A few real training steps at one K, to estimate the cost of training at other K (workflow K_train suggestion). */
export const SpeedProbeInput = z
  .object({
    model: ModelSpec,
    /** Training images with the training transform at the probed K. */
    train: DataSpec,
    batchSize: z.number().int().positive(),
    /** Steps timed after one untimed warm-up step (twice: from the pipeline, then from memory). */
    steps: z.number().int().positive(),
    /** The steps from memory repeat until they have taken at least this long. */
    minSeconds: z.number().nonnegative().optional(),
    /**
     * Also time what a workflow's other jobs pay: a sweep's pass over these validation images (test
     * transform at the probed K, the sweep's forward engine, pooled-feature statistics and their
     * fit) in batches of `batchSize`, and a head-only fine-tune's step in `finetuneMode` fed the same
     * images through the pipeline in training batches.
     */
    alsoTime: z
      .object({
        finetuneMode: TrainableMode,
        val: DataSpec,
        batchSize: z.number().int().positive(),
        activations: ActivationSettings,
      })
      .strict()
      .optional(),
  })
  .strict();
export type SpeedProbeInput = z.infer<typeof SpeedProbeInput>;

export interface SpeedProbeResult {
  backend: string;
  k: number;
  /** Training images per second of the steps alone (batches already in memory: a run's later epochs). */
  imgPerSec: number;
  /** The same steps fed by the data pipeline from the image files (a run's first epoch, decoding included). */
  pipelineImgPerSec: number;
  /** Opening the data, building the model and the warm-up step: what any engine job pays before its first image. */
  setupSeconds: number;
  /** Seconds of the timed steps on batches in memory. */
  seconds: number;
  /** With `alsoTime`: a sweep's pass over validation images and a head-only fine-tune's step. */
  also?: { sweep: TimedSweepPass; finetune: TimedPass };
}

/** One kind of pass the probe timed: what opening it cost (ONNX export, session) and images per second after. */
export interface TimedPass {
  setupSeconds: number;
  imgPerSec: number;
  /** What ran it ('onnxruntime', or the tfjs backend). */
  engine: string;
}

/** A sweep's pass at one K_test: per image from decoded copies, plus decoding the copies and the per-pass statistics. */
export interface TimedSweepPass extends TimedPass {
  /** Seconds per image the first pass spent more than the second: decoding the files into the copies. */
  decodeSeconds: number;
  /** Seconds of summarising the pooled features after a pass (the Fréchet fit), once per K_test. */
  pointSeconds: number;
}

export interface SpeedProbeJob {
  input: SpeedProbeInput;
  progress: { done: number; total: number };
  result: SpeedProbeResult;
}

/**
 * Writes a run's checkpoint model into `outDir`: as a standalone tfjs LayersModel (model.json +
 * weights.bin), or as ONNX (model.onnx: input `image` [N, H, W, 3], outputs `logits` and `pooled`).
 */
export const ExportModelInput = z
  .object({
    checkpointDir: z.string().min(1),
    numClasses: z.number().int().positive(),
    outDir: z.string().min(1),
    /** Default 'tfjs'. */
    format: z.enum(['tfjs', 'onnx']).optional(),
  })
  .strict();
export type ExportModelInput = z.infer<typeof ExportModelInput>;

export interface ExportModelJob {
  input: ExportModelInput;
  progress: never;
  result: { files: string[] };
}
