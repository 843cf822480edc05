/** Fine-tunes of trained runs with the sweep of the child chained behind them. */
export { FinetuneService } from './finetunes';
