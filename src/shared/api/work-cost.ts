import { z } from 'zod';

/** When a piece of engine work (a run, a sweep, a workflow step) ran, what it cost, and how it ended. */
export const workCost = {
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** Seconds the engine spent on it, over every start and resume. */
  wallSeconds: z.number(),
  /** Images per second: training images for a run (its last session), validation images for a sweep. */
  imgPerSec: z.number().nullable(),
  peakRssMb: z.number().nullable(),
  error: z.string().nullable(),
};
