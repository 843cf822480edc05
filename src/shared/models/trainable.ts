import { z } from 'zod';

/**
 * Which layers train (DESIGN §1): everything, or the classifier with every BN, or the classifier
 * alone. `last-bn+classifier` is the official FixRes fine-tune: only the classifier has
 * gradients; the BN right before pooling re-estimates its running statistics (train mode, γ/β
 * frozen); the rest runs in inference mode.
 */
export const TRAINABLE_MODES = ['last-bn+classifier', 'bn+classifier', 'classifier', 'full'] as const;
export const TrainableMode = z.enum(TRAINABLE_MODES);
export type TrainableMode = z.infer<typeof TrainableMode>;

/**
 * Modes that train only the layers after a frozen trunk: on a CPU the trunk runs forward-only on
 * ONNX Runtime (src/engine/train/frozen-trunk-training.ts), so a training step's memory estimate
 * does not apply to them; the engine checks the trunk's forward pass where it runs. A workflow's
 * plan costs their fine-tune as a forward pass per image.
 */
export const HEAD_ONLY_MODES: ReadonlySet<TrainableMode> = new Set(['classifier', 'last-bn+classifier']);

/** The modes a fine-tune offers: all of them, the official recipe first (its default). */
export const FinetuneMode = TrainableMode;
export type FinetuneMode = z.infer<typeof FinetuneMode>;

/** Each mode as pickers and `--help` name it. */
export const TRAINABLE_MODE_LABELS: Record<TrainableMode, string> = {
  'last-bn+classifier': 'last BN + classifier (official FixRes)',
  'bn+classifier': 'bn+classifier',
  classifier: 'classifier',
  full: 'full network',
};
