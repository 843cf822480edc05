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

  it('retries any failure once, so a message borrowed from another file is replaced by its own', async () => {
    let calls = 0;
    const op = async () => {
      calls++;
      throw new Error(
        calls === 1 ? 'Input buffer has corrupt header: buffer is not in a known format' : 'VipsJpeg: Premature end',
      );
    };
    await expect(withVipsErrorRetry(op)).rejects.toThrow('Premature end');
    expect(calls).toBe(2);
    expect(await withVipsErrorRetry(async () => 7)).toBe(7);
  });
});
