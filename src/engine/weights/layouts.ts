/** conv weight OIHW (PyTorch) → HWIO (tfjs), values copied. */
export function oihwToHwio(data: Float32Array, [o, i, h, w]: readonly number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let oo = 0; oo < o!; oo++)
    for (let ii = 0; ii < i!; ii++)
      for (let hh = 0; hh < h!; hh++)
        for (let ww = 0; ww < w!; ww++) out[((hh * w! + ww) * i! + ii) * o! + oo] = data[((oo * i! + ii) * h! + hh) * w! + ww]!;
  return out;
}

/** conv weight HWIO (tfjs) → OIHW (PyTorch), values copied. */
export function hwioToOihw(data: Float32Array, [h, w, i, o]: readonly number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let hh = 0; hh < h!; hh++)
    for (let ww = 0; ww < w!; ww++)
      for (let ii = 0; ii < i!; ii++)
        for (let oo = 0; oo < o!; oo++) out[((oo * i! + ii) * h! + hh) * w! + ww] = data[((hh * w! + ww) * i! + ii) * o! + oo]!;
  return out;
}

/** A row-major matrix [rows, cols] → its transpose [cols, rows]. */
export function transpose2d(data: Float32Array, [rows, cols]: readonly number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows!; r++) for (let c = 0; c < cols!; c++) out[c * rows! + r] = data[r * cols! + c]!;
  return out;
}
