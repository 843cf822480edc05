/** K_test sweeps of trained runs and the charts read from their points. */
export { SweepService, type RunComparison } from './sweeps';
export { activationsView, resolutionChart } from './sweep-views';
export {
  accuracyOn,
  bestOn,
  gainBetween,
  protocolFor,
  warningsFor,
  withImages,
  type MeasuredPoint,
} from './point-statistics';
