import type { HeadChange } from '../shared/jobs/models';

/**
 * What happens to an imported model's classifier on a dataset. Class names on both sides and
 * the same set: keep it, with its outputs reordered to the dataset's (sorted) class order when
 * they differ. No names on the model but the same count: keep it as is (the order is assumed
 * to match). Anything else: a new classifier for the dataset's classes, seeded, to be trained.
 */
export function headFor(
  model: { numClasses: number; classNames: readonly string[] | null },
  datasetClasses: readonly string[],
  seed: number,
): HeadChange {
  const fresh: HeadChange = { kind: 'new', numClasses: datasetClasses.length, seed };
  if (model.numClasses !== datasetClasses.length) return fresh;
  if (!model.classNames) return { kind: 'keep' };
  const position = new Map(model.classNames.map((name, i) => [name, i]));
  if (position.size !== datasetClasses.length || datasetClasses.some((name) => !position.has(name))) return fresh;
  const order = datasetClasses.map((name) => position.get(name)!);
  return order.every((from, i) => from === i) ? { kind: 'keep' } : { kind: 'reorder', order };
}
