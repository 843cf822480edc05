import { z } from 'zod';

/** Which layers train (DESIGN §1): everything, or the classifier with every BN, the last BN, or none. */
export const TRAINABLE_MODES = ['classifier', 'bn+classifier', 'last-bn+classifier', 'full'] as const;
export const TrainableMode = z.enum(TRAINABLE_MODES);
export type TrainableMode = z.infer<typeof TrainableMode>;

/**
 * Modes that train only the layers after a frozen trunk: on a CPU the trunk runs forward-only on
 * ONNX Runtime (src/engine/train/frozen-trunk-training.ts), so a training step's memory estimate
 * does not apply to them; the engine checks the trunk's forward pass where it runs.
 */
export const HEAD_ONLY_MODES: ReadonlySet<TrainableMode> = new Set(['classifier', 'last-bn+classifier']);

/** The modes a fine-tune request offers today. */
export const FinetuneMode = TrainableMode.exclude(['last-bn+classifier']);
export type FinetuneMode = z.infer<typeof FinetuneMode>;

/** Each mode as pickers and `--help` name it. */
export const TRAINABLE_MODE_LABELS: Record<TrainableMode, string> = {
  classifier: 'classifier',
  'bn+classifier': 'bn+classifier',
  'last-bn+classifier': 'last BN + classifier (official FixRes)',
  full: 'full network',
};
