import { z } from 'zod';

/** What only the one-click workflow asks: its time budget and whether to add the Fréchet series. */
export const WorkflowHParams = z.object({
  /** Time the whole workflow may take; the suggested K_train is the largest that fits it. */
  budgetMinutes: z
    .number()
    .gt(0)
    .max(10_080)
    .meta({ label: 'Time budget', unit: 'minutes', help: 'Time the whole workflow may take: the suggested K_train fits it' })
    .default(30),
  /** Run the Fréchet adaptation series. */
  adapt: z.boolean().meta({ label: 'Fréchet adaptation series', help: 'Sweep with the Fréchet adaptation too' }).default(true),
});
