/** Where a model is wrong: stored confusion matrices and mistakes of measured points, and their views. */
export { mistakesOf, recordOutcome, type PassToRecord } from './record-outcome';
export {
  outcomeDetail,
  outcomeMistakes,
  outcomePoints,
  outcomesWithMistakes,
  perClassAccuracy,
  type OutcomeWithMistakes,
} from './outcome-views';
