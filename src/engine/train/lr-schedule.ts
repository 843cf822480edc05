import type { LrSchedule } from '../../core/schedules';
import type { ScheduleSpec } from '../../shared/jobs/train';

/** The job's schedule spec as core's schedule function takes it. */
export function toLrSchedule(spec: ScheduleSpec, baseLr: number): LrSchedule {
  const common = { baseLr, warmupEpochs: spec.warmupEpochs, warmupStartFactor: spec.warmupStartFactor };
  switch (spec.kind) {
    case 'constant':
      return { ...common, kind: 'constant' };
    case 'step':
      return { ...common, kind: 'step', milestones: spec.milestones ?? [], gamma: spec.gamma ?? 0.1 };
    case 'cosine':
    case 'linear':
      return { ...common, kind: spec.kind, minLr: spec.minLr ?? 0 };
  }
}
