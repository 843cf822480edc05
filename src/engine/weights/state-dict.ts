import type { PickleValue } from './pickle';
import type { WeightTensor } from './weight-tensor';

/** Weights by PyTorch key (`conv1.weight`, `layer1.0.bn1.running_mean`, …). */
export type StateDict = Map<string, WeightTensor>;

/** Keys under which training scripts keep the weights: FixRes and DeiT `model`, Lightning `state_dict`, … */
const WRAPPERS = ['state_dict', 'model', 'model_state', 'model_state_dict', 'net', 'network', 'module', 'ema', 'model_ema'];

/** Prefixes DataParallel / DistributedDataParallel (`module.`) and some wrappers (`model.`) put on every key. */
const PREFIXES = ['module.', 'model.'];

/**
 * Finds the state_dict inside a checkpoint: the object itself when its values are tensors, else
 * the first of the usual wrapper keys (`{"model": …}` as the official FixRes code saves, or
 * `{"state_dict": …}`) that holds one. A prefix every key shares (`module.`) is removed.
 * `where` says which key it came from ("" for a plain state_dict).
 */
export function findStateDict(checkpoint: PickleValue): { weights: StateDict; where: string; strippedPrefix: string } {
  const found = locate(checkpoint, '', 0);
  if (!found) {
    const keys = checkpoint instanceof Map ? [...checkpoint.keys()].map(String).slice(0, 12).join(', ') : typeof checkpoint;
    throw new Error(
      `no state_dict in the file: no dict of tensors at the top level or under ${WRAPPERS.join(', ')} (found: ${keys})`,
    );
  }
  const { map, where } = found;
  const weights: StateDict = new Map();
  for (const [key, value] of map) if (typeof key === 'string' && isTensor(value)) weights.set(key, value);
  let strippedPrefix = '';
  for (const prefix of PREFIXES) {
    if (weights.size && [...weights.keys()].every((k) => k.startsWith(prefix))) {
      strippedPrefix += prefix;
      const renamed: StateDict = new Map([...weights].map(([k, v]) => [k.slice(prefix.length), v]));
      weights.clear();
      renamed.forEach((v, k) => weights.set(k, v));
    }
  }
  return { weights, where, strippedPrefix };
}

function locate(value: PickleValue, where: string, depth: number): { map: Map<PickleValue, PickleValue>; where: string } | null {
  if (!(value instanceof Map) || depth > 3) return null;
  const values = [...value.values()];
  if (values.length && values.filter(isTensor).length >= values.length / 2) return { map: value, where };
  for (const key of WRAPPERS) {
    const inner = locate(value.get(key), where ? `${where}.${key}` : key, depth + 1);
    if (inner) return inner;
  }
  return null;
}

function isTensor(value: PickleValue): value is WeightTensor {
  return typeof value === 'object' && value !== null && 'data' in value && (value as WeightTensor).data instanceof Float32Array;
}
