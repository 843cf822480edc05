import { describe, expect, it } from 'vitest';
import { readTorchCheckpoint } from '../../../src/engine/weights/torch-checkpoint';
import { findStateDict } from '../../../src/engine/weights/state-dict';
import { asFloat32, EXPECTED, plain, weightsFixture } from './fixtures';

const expectedState = Object.fromEntries(
  Object.entries(EXPECTED).map(([k, v]) => [k, { shape: v.shape, values: asFloat32(v.values) }]),
);

function stateOf(file: string) {
  const { value, format } = readTorchCheckpoint(weightsFixture(file), file);
  const found = findStateDict(value);
  return { format, ...found, plain: Object.fromEntries([...found.weights].map(([k, t]) => [k, plain(t)])) };
}

describe('readTorchCheckpoint', () => {
  it.each([
    ['plain.pth', 'torch-zip'],
    ['deflated.pth', 'torch-zip'],
    ['zip64.pth', 'torch-zip'],
    ['big-endian.pth', 'torch-zip'],
    ['legacy.pth', 'torch-legacy'],
  ])(
    'reads %s (%s) to the values PyTorch holds: fp16, bf16, int64, transposed and offset views, shared storages',
    (file, format) => {
      const read = stateOf(file);
      expect(read.format).toBe(format);
      expect(read.plain).toEqual(expectedState);
    },
  );

  it('finds the weights of a FixRes-style {"model": {"module.…"}} checkpoint and strips the prefix', () => {
    const read = stateOf('fixres-style.pth');
    expect(read.where).toBe('model');
    expect(read.strippedPrefix).toBe('module.');
    expect(read.plain).toEqual(expectedState);
  });

  it('finds the weights under "state_dict"', () => {
    const read = stateOf('state-dict-wrapped.pth');
    expect(read.where).toBe('state_dict');
    expect(read.plain).toEqual(expectedState);
  });

  it('refuses a pickle that asks for os.system, naming it, without running anything', () => {
    expect(() => readTorchCheckpoint(weightsFixture('forbidden-global.pth'), 'evil.pth')).toThrow(
      /^evil\.pth cannot be read as a PyTorch checkpoint: refusing to load: the file asks for (posix|os)\.system/,
    );
  });

  it.each(['plain.pth', 'legacy.pth'])('refuses %s truncated at every length with a clear error', (file) => {
    const bytes = weightsFixture(file);
    for (let length = 0; length < bytes.length; length++) {
      let error: unknown = null;
      try {
        readTorchCheckpoint(bytes.subarray(0, length), 'w.pth');
      } catch (err) {
        error = err;
      }
      expect(error, `length ${length}`).toBeInstanceOf(Error);
      expect((error as Error).message, `length ${length}`).toMatch(
        /^w\.pth (cannot be read as a PyTorch checkpoint|is not a readable zip archive): /,
      );
    }
  });

  it('refuses a damaged storage by its CRC', () => {
    const bytes = weightsFixture('plain.pth').slice();
    const at = new TextDecoder('latin1').decode(bytes).indexOf('plain/data/0') + 200;
    bytes[at] = bytes[at]! ^ 0xff;
    expect(() => readTorchCheckpoint(bytes, 'w.pth')).toThrow(/CRC check|malformed|bad signature/);
  });
});
