/** K_test sweeps of trained runs and the charts read from their points. */
export { SweepService } from './sweeps';
export { activationsView, resolutionChart, toSweep } from './sweep-views';
export { runFamily, seriesLabel, type SeriesKind } from './run-family';
