import { AllowedCallable, type PickleValue } from './pickle';
import type { DtypeName } from './weight-tensor';

/**
 * A storage a torch pickle names by its persistent id: its element type, key and length; `base`
 * is where a view (legacy files) starts inside the storage of that key, in elements.
 */
export class StorageRef {
  constructor(
    readonly dtype: DtypeName,
    readonly key: string,
    readonly numel: number,
    readonly base = 0,
  ) {}
}

/** A tensor as the pickle describes it: a strided view into a storage (not yet read). */
export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: readonly number[],
    readonly stride: readonly number[],
  ) {}
}

/** A torch storage class named by the pickle (`torch.FloatStorage`, …), i.e. an element type. */
class StorageType {
  constructor(readonly dtype: DtypeName) {}
}

const STORAGE_TYPES: Record<string, DtypeName> = {
  DoubleStorage: 'F64',
  FloatStorage: 'F32',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
};

/** torch dtype objects, as `_rebuild_tensor_v3` passes them. */
const DTYPES: Record<string, DtypeName> = {
  float64: 'F64',
  double: 'F64',
  float32: 'F32',
  float: 'F32',
  float16: 'F16',
  half: 'F16',
  bfloat16: 'BF16',
  int64: 'I64',
  long: 'I64',
  int32: 'I32',
  int: 'I32',
  int16: 'I16',
  short: 'I16',
  int8: 'I8',
  uint8: 'U8',
  bool: 'BOOL',
};

class TorchDtype {
  constructor(readonly dtype: DtypeName) {}
}

/** Classes `_rebuild_from_type_v2` may name: a plain tensor or a Parameter, both read as their data. */
const TENSOR_TYPES = new Set(['torch.Tensor', 'torch.nn.parameter.Parameter', 'torch._tensor.Tensor']);
class TensorType {}

const rebuildTensor = (what: string, [storage, offset, size, stride]: readonly PickleValue[]): TensorRef => {
  if (!(storage instanceof StorageRef)) throw new Error(`${what}: the first argument is not a storage`);
  if (!isCount(offset) || !isCountList(size) || !isCountList(stride) || size.length !== stride.length) {
    throw new Error(`${what}: offset, size and stride are not non-negative integers of one rank`);
  }
  return new TensorRef(storage, offset, size, stride);
};

const tensorArg = (what: string, value: PickleValue): TensorRef => {
  if (!(value instanceof TensorRef)) throw new Error(`${what}: the argument is not a tensor`);
  return value;
};

const CALLABLES: Record<string, (args: readonly PickleValue[]) => PickleValue> = {
  'collections.OrderedDict': (args) => {
    const map = new Map<PickleValue, PickleValue>();
    const pairs = args[0];
    if (Array.isArray(pairs)) for (const pair of pairs) if (Array.isArray(pair) && pair.length === 2) map.set(pair[0], pair[1]);
    return map;
  },
  'torch._utils._rebuild_tensor': (args) => rebuildTensor('_rebuild_tensor', args),
  'torch._utils._rebuild_tensor_v2': (args) => rebuildTensor('_rebuild_tensor_v2', args),
  'torch._utils._rebuild_tensor_v3': (args) => {
    const ref = rebuildTensor('_rebuild_tensor_v3', args);
    const dtype = args[6];
    if (!(dtype instanceof TorchDtype)) throw new Error('_rebuild_tensor_v3: the dtype argument is not a torch dtype');
    const storage = new StorageRef(dtype.dtype, ref.storage.key, ref.storage.numel, ref.storage.base);
    return new TensorRef(storage, ref.offset, ref.shape, ref.stride);
  },
  'torch._utils._rebuild_parameter': (args) => tensorArg('_rebuild_parameter', args[0]),
  'torch._utils._rebuild_parameter_with_state': (args) => tensorArg('_rebuild_parameter_with_state', args[0]),
  'torch._tensor._rebuild_from_type_v2': ([func, type, args]) => {
    if (!(func instanceof AllowedCallable) || !(type instanceof TensorType) || !Array.isArray(args)) {
      throw new Error('_rebuild_from_type_v2: expected an allowed rebuild function, a tensor class and arguments');
    }
    return func.call(args);
  },
};

/**
 * The globals a state_dict pickle may name, as the restricted reader resolves them; anything
 * else is refused by name, since a pickle that imports other things may be built to run code.
 */
export function findTorchGlobal(module: string, name: string): PickleValue {
  const qualified = `${module}.${name}`;
  const callable = CALLABLES[qualified];
  if (callable) return new AllowedCallable(qualified, callable);
  if (module === 'torch' && Object.hasOwn(STORAGE_TYPES, name)) return new StorageType(STORAGE_TYPES[name]!);
  if (module === 'torch' && Object.hasOwn(DTYPES, name)) return new TorchDtype(DTYPES[name]!);
  if (TENSOR_TYPES.has(qualified)) return new TensorType();
  throw new Error(
    `refusing to load: the file asks for ${qualified}, which a state_dict does not need ` +
      '(only tensors, storages and dicts are allowed; nothing from the file was run). ' +
      "If it is a training checkpoint, save only its weights: torch.save(checkpoint['model'], 'weights.pth').",
  );
}

/**
 * Resolves torch's persistent id to a StorageRef: `('storage', StorageType, key, location, numel)`
 * in zip archives, with a sixth item `view_metadata` (None or `(view_key, offset, size)`) in
 * legacy files.
 */
export function torchPersistentLoad(pid: PickleValue): StorageRef {
  if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length < 5 || pid.length > 6) {
    throw new Error(`unknown persistent id ${describe(pid)}`);
  }
  const [, type, key, , numel, view] = pid as PickleValue[];
  if (!(type instanceof StorageType)) throw new Error('a storage with an unknown element type');
  if (typeof key !== 'string' || !/^[\w.-]+$/.test(key))
    throw new Error(`a storage key ${describe(key)} that is not a plain name`);
  if (!isCount(numel)) throw new Error(`storage ${key} has a size ${describe(numel)} that is not a count`);
  if (view === undefined || view === null) return new StorageRef(type.dtype, key, numel);
  const [, offset, size] = Array.isArray(view) ? view : [];
  if (!isCount(offset) || !isCount(size) || offset + size > numel) {
    throw new Error(`storage ${key} has a view ${describe(view)} outside its ${numel} elements`);
  }
  return new StorageRef(type.dtype, key, size, offset);
}

/** BUILD as a state_dict uses it: attribute state (`_metadata`) on an OrderedDict, which carries no weights. */
export function torchBuild(target: PickleValue, state: PickleValue): boolean {
  return target instanceof Map && (state instanceof Map || state === null);
}

function isCount(value: PickleValue): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isCountList(value: PickleValue): value is number[] {
  return Array.isArray(value) && value.every(isCount);
}

function describe(value: PickleValue): string {
  try {
    return JSON.stringify(value)?.slice(0, 80) ?? String(value);
  } catch {
    return String(value);
  }
}
