import { z } from 'zod';
import { KSize } from './fields';

/** What only the one-click workflow asks: its time budget and whether to add the Fréchet series. */
export const WorkflowHParams = z.object({
  /** Time the whole workflow may take; the suggested K_train is the largest that fits it. */
  budgetMinutes: z
    .number()
    .gt(0)
    .max(10_080)
    .meta({ label: 'Time budget', unit: 'minutes', help: 'Time the whole workflow may take: the suggested K_train fits it' })
    .default(10),
  /** Run the Fréchet adaptation series. */
  adapt: z.boolean().meta({ label: 'Fréchet adaptation series', help: 'Sweep with the Fréchet adaptation too' }).default(true),
  /** The payoff experiment: also train at a large K, and fine-tune the small model at it. */
  payoff: z
    .boolean()
    .meta({
      label: 'Train small vs train large',
      help: 'Also train at a large K_train, test it, and fine-tune the small model at that size: accuracy against training time and memory',
    })
    .default(false),
  /** The large K_train of the payoff experiment; default 1.75 × K_train (the paper's 224/128), on the sweep grid. */
  kLarge: KSize.meta({ label: 'Large K_train', unit: 'px', help: 'The large training size (default: 1.75 × K_train)', valueName: 'K' }).optional(),
});
