import { describe, expect, it } from 'vitest';
import { hwioToOihw, oihwToHwio, transpose2d } from '../../../src/engine/weights/layouts';

const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => i);

describe('weight layouts', () => {
  // 70 output channels: more than two tiles of the blocked transpose, with a partial last one.
  it.each([
    [70, 3, 7, 7],
    [70, 33, 1, 1],
    [5, 70, 3, 3],
    [1, 1, 1, 1],
  ])('moves OIHW [%i, %i, %i, %i] to HWIO element by element, and back', (o, i, h, w) => {
    const data = ramp(o * i * h * w);
    const hwio = oihwToHwio(data, [o, i, h, w]);
    for (let oo = 0; oo < o; oo++)
      for (let ii = 0; ii < i; ii++)
        for (let hh = 0; hh < h; hh++)
          for (let ww = 0; ww < w; ww++)
            if (hwio[((hh * w + ww) * i + ii) * o + oo] !== data[((oo * i + ii) * h + hh) * w + ww])
              throw new Error(`HWIO[${hh},${ww},${ii},${oo}] is wrong`);
    expect(hwioToOihw(hwio, [h, w, i, o])).toEqual(data);
  });

  it('transposes a matrix wider and taller than a tile', () => {
    const data = ramp(37 * 90);
    const t = transpose2d(data, [37, 90]);
    for (let r = 0; r < 37; r++) for (let c = 0; c < 90; c++) expect(t[c * 37 + r]).toBe(data[r * 90 + c]);
  });
});
