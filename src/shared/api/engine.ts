import { z } from 'zod';
import { DoctorReport } from '../jobs/doctor';
import { endpoint } from './endpoint';

/** The compute engine's backend report for the status bar, with when it was taken. */
export const EngineStatus = DoctorReport.extend({ checkedAt: z.string() });
export type EngineStatus = z.infer<typeof EngineStatus>;

export const engineApi = {
  /** The compute engine's backend (cached; `refresh` asks the engine again). */
  'engine.status': endpoint(z.object({ refresh: z.boolean().optional() }).strict(), EngineStatus),
};
