/** K_test sweeps of trained runs and the charts read from their points. */
export { SweepService } from './sweeps';
export type { RunComparison } from './run-comparison';
export { activationsView, resolutionChart, toSweep } from './sweep-views';
export {
  accuracyOn,
  bestOn,
  gainBetween,
  pairedGainOn,
  protocolFor,
  warningsFor,
  withImages,
  type MeasuredPoint,
} from './point-statistics';
export { runFamily, seriesLabel, type SeriesKind } from './run-family';
export { evenlySpaced } from './sweep-inputs';
