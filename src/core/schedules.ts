/**
 * Learning-rate schedules as pure functions of an explicit optimiser step (timm's
 * `_get_lr(t)` idea): the value at step t never depends on what ran before, so a resumed run
 * gets exactly the rates an uninterrupted one would.
 */
export type LrSchedule =
  | (Common & { kind: 'constant' })
  /** Multiply by `gamma` at each milestone epoch (PyTorch MultiStepLR, stepped per epoch). */
  | (Common & { kind: 'step'; milestones: number[]; gamma: number })
  /** Half-cosine from baseLr down to minLr over the steps after warm-up (per step). */
  | (Common & { kind: 'cosine'; minLr?: number })
  /** Straight line from baseLr down to minLr over the steps after warm-up (per step). */
  | (Common & { kind: 'linear'; minLr?: number });

interface Common {
  baseLr: number;
  /** Linear warm-up length in epochs (may be fractional); 0 = none. */
  warmupEpochs?: number;
  /** Warm-up starts at baseLr × this factor (default 0.1) and reaches baseLr when it ends. */
  warmupStartFactor?: number;
}

export interface ScheduleTiming {
  stepsPerEpoch: number;
  epochs: number;
}

export const DEFAULT_WARMUP_START_FACTOR = 0.1;

/** The learning rate for optimiser step `step` (0-based; step = epoch · stepsPerEpoch + batch). */
export function learningRateAt(schedule: LrSchedule, step: number, timing: ScheduleTiming): number {
  const total = Math.max(1, timing.stepsPerEpoch * timing.epochs);
  const warmupSteps = Math.min(total, Math.round((schedule.warmupEpochs ?? 0) * timing.stepsPerEpoch));
  if (step < warmupSteps) {
    const start = schedule.warmupStartFactor ?? DEFAULT_WARMUP_START_FACTOR;
    return schedule.baseLr * (start + ((1 - start) * step) / warmupSteps);
  }
  return afterWarmup(schedule, step, warmupSteps, total, timing.stepsPerEpoch);
}

function afterWarmup(s: LrSchedule, step: number, warmupSteps: number, total: number, stepsPerEpoch: number): number {
  const progress = total > warmupSteps ? Math.min(1, (step - warmupSteps) / (total - warmupSteps)) : 1;
  switch (s.kind) {
    case 'constant':
      return s.baseLr;
    case 'step': {
      const epoch = Math.floor(step / stepsPerEpoch);
      const passed = s.milestones.filter((m) => epoch >= m).length;
      return s.baseLr * s.gamma ** passed;
    }
    case 'cosine': {
      const min = s.minLr ?? 0;
      return min + (s.baseLr - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
    case 'linear': {
      const min = s.minLr ?? 0;
      return s.baseLr + (min - s.baseLr) * progress;
    }
  }
}

/** The rate at the first step of every epoch, for previews and charts. */
export function learningRatePerEpoch(schedule: LrSchedule, timing: ScheduleTiming): number[] {
  return Array.from({ length: timing.epochs }, (_, e) => learningRateAt(schedule, e * timing.stepsPerEpoch, timing));
}
