import type { KTrainSuggestion } from '../../shared/api/workflows';
import type { ParsedSuggestRequest } from './workflow-suggest';

/**
 * How long a plan stands for the same request: about the time between pressing Plan and Start.
 * Longer, and the machine's speed (or the dataset's runs) may have moved under it.
 */
export const PLAN_REUSE_SECONDS = 15 * 60;

/**
 * The plans made recently, by the request they answer: Start takes the plan the user just saw
 * (after Plan) instead of probing again for the same answer. Each plan is taken at most once.
 */
export class RecentPlans {
  #plans = new Map<string, { plan: KTrainSuggestion; at: number }>();
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now() / 1000) {
    this.#now = now;
  }

  remember(request: ParsedSuggestRequest, plan: KTrainSuggestion): void {
    this.#plans.set(keyOf(request), { plan, at: this.#now() });
  }

  /** The plan made for this very request less than PLAN_REUSE_SECONDS ago, else undefined. */
  take(request: ParsedSuggestRequest): KTrainSuggestion | undefined {
    const key = keyOf(request);
    const found = this.#plans.get(key);
    this.#plans.delete(key);
    return found && this.#now() - found.at < PLAN_REUSE_SECONDS ? found.plan : undefined;
  }
}

/** The request's fields in one order, unset ones left out: the same request gives the same key. */
function keyOf(request: ParsedSuggestRequest): string {
  const fields = Object.entries(request).filter(([, value]) => value !== undefined);
  return JSON.stringify(fields.sort(([a], [b]) => (a < b ? -1 : 1)));
}
