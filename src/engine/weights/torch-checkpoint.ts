import { unpickle, unpickleAt, type PickleValue } from './pickle';
import { findTorchGlobal, torchBuild, torchPersistentLoad, StorageRef } from './torch-pickle';
import { materializeTensors } from './torch-tensors';
import { DTYPE_BYTES } from './weight-tensor';
import { openZip } from './zip-archive';

/** The two layouts `torch.save` has written: a zip archive (PyTorch ≥ 1.6) or the legacy pickle stream. */
export type TorchFormat = 'torch-zip' | 'torch-legacy';

const PICKLE_OPTIONS = { findGlobal: findTorchGlobal, persistentLoad: torchPersistentLoad, build: torchBuild };

/** True when `bytes` starts like a zip archive. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * Reads a `torch.save` file without running it: the restricted pickle reader builds the object
 * (dicts, tensors), and each tensor's values come from its storage. Returns the object with
 * WeightTensors in place of tensors.
 */
export function readTorchCheckpoint(bytes: Uint8Array, source = 'the file'): { format: TorchFormat; value: PickleValue } {
  const wrap = (err: unknown) => {
    const message = (err as Error).message;
    return new Error(message.startsWith(source) ? message : `${source} cannot be read as a PyTorch checkpoint: ${message}`);
  };
  try {
    return isZip(bytes)
      ? { format: 'torch-zip', value: readZipCheckpoint(bytes, source) }
      : { format: 'torch-legacy', value: readLegacyCheckpoint(bytes) };
  } catch (err) {
    throw wrap(err);
  }
}

/** PyTorch ≥ 1.6: `<prefix>/data.pkl` with storages in `<prefix>/data/<key>` and an optional `<prefix>/byteorder`. */
function readZipCheckpoint(bytes: Uint8Array, source: string): PickleValue {
  const zip = openZip(bytes, source);
  const pickles = zip.names.filter((n) => n === 'data.pkl' || /^[^/]+\/data\.pkl$/.test(n));
  if (pickles.length !== 1) {
    throw new Error(
      `the archive holds ${pickles.length} data.pkl files; a torch.save archive holds one (is it a TorchScript file?)`,
    );
  }
  const prefix = pickles[0]!.slice(0, -'data.pkl'.length);
  const byteorder = zip.names.includes(`${prefix}byteorder`)
    ? new TextDecoder().decode(zip.read(`${prefix}byteorder`)).trim()
    : 'little';
  if (byteorder !== 'little' && byteorder !== 'big') throw new Error(`unknown byte order "${byteorder}"`);
  const root = unpickle(zip.read(pickles[0]!), PICKLE_OPTIONS);
  return materializeTensors(root, {
    littleEndian: byteorder === 'little',
    bytesOf: (key) => {
      const name = `${prefix}data/${key}`;
      if (!zip.names.includes(name)) throw new Error(`the archive has no storage "${name}" (truncated?)`);
      return zip.read(name);
    },
  });
}

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;
const refuseAll = (module: string, name: string) => findTorchGlobal(module, name);

/**
 * PyTorch < 1.6: five pickles (magic number, protocol 1001, system info, the object, its storage
 * keys), then each storage as an 8-byte element count and its raw bytes, in key order.
 */
function readLegacyCheckpoint(bytes: Uint8Array): PickleValue {
  if (bytes[0] !== 0x80) throw new Error('it is neither a zip archive nor a pickle (not a torch.save file)');
  const magic = unpickleAt(bytes, 0, { findGlobal: refuseAll });
  if (magic.value !== LEGACY_MAGIC) throw new Error('it is a pickle but not a torch.save file (no torch magic number)');
  const protocol = unpickleAt(bytes, magic.end, { findGlobal: refuseAll });
  if (protocol.value !== LEGACY_PROTOCOL) throw new Error(`unknown torch.save protocol ${String(protocol.value)}`);
  const info = unpickleAt(bytes, protocol.end, { findGlobal: refuseAll });
  const littleEndian = !(info.value instanceof Map) || info.value.get('little_endian') !== false;
  const storages = new Map<string, StorageRef>();
  const main = unpickleAt(bytes, info.end, {
    ...PICKLE_OPTIONS,
    persistentLoad: (pid) => {
      const ref = torchPersistentLoad(pid);
      const root = new StorageRef(ref.dtype, ref.key, (pid as PickleValue[])[4] as number);
      if (!storages.has(ref.key)) storages.set(ref.key, root);
      return ref;
    },
  });
  const keys = unpickleAt(bytes, main.end, { findGlobal: refuseAll });
  if (!Array.isArray(keys.value) || !keys.value.every((k) => typeof k === 'string'))
    throw new Error('its storage key list is malformed');
  const located = new Map<string, Uint8Array>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = keys.end;
  for (const key of keys.value as string[]) {
    const storage = storages.get(key);
    if (!storage) throw new Error(`storage ${key} is listed but no tensor uses it`);
    if (at + 8 > bytes.length) throw new Error(`storage ${key} is missing (truncated?)`);
    const count = Number(view.getBigInt64(at, littleEndian));
    const length = count * DTYPE_BYTES[storage.dtype];
    if (count !== storage.numel || at + 8 + length > bytes.length) {
      throw new Error(
        `storage ${key} should hold ${storage.numel} values; the file has ${count} and ${bytes.length - at - 8} bytes left (truncated?)`,
      );
    }
    located.set(key, bytes.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  return materializeTensors(main.value, {
    littleEndian,
    bytesOf: (key) => {
      const data = located.get(key);
      if (!data) throw new Error(`storage ${key} is not in the file`);
      return data;
    },
  });
}
