import { describe, expect, it } from 'vitest';
import { withVipsErrorRetry } from '../../../src/engine/data/vips-retry';

describe('withVipsErrorRetry', () => {
  it('runs an operation again when libvips lost its error message, recovering the real reason', async () => {
    let calls = 0;
    const op = async () => {
      calls++;
      throw new Error(calls === 1 ? 'unknown error' : 'VipsJpeg: Premature end of input file');
    };
    await expect(withVipsErrorRetry(op)).rejects.toThrow('Premature end');
    expect(calls).toBe(2);
  });

  it('does not retry an error that already says what is wrong, nor a success', async () => {
    let calls = 0;
    await expect(
      withVipsErrorRetry(async () => {
        calls++;
        throw new Error('Input buffer contains unsupported image format');
      }),
    ).rejects.toThrow('unsupported');
    expect(await withVipsErrorRetry(async () => 7)).toBe(7);
    expect(calls).toBe(1);
  });
});
