import { MaxPoolGrad, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { maxPoolGradInfo, type MaxPoolGradArgs } from '../../kernels/pool-geometry';

/**
 * One thread per input element x[b, r, c, d]: it visits every pooling window that covers it, finds
 * that window's first maximum (row-major, strict `>`; NaN and −∞ never win, as in the cpu backend) and adds the window's dy when that maximum is this element.
 */
class FirstMaxPoolGradProgram implements WebGPUProgram {
  variableNames = ['dy', 'x'];
  uniforms = 'strides : vec2<i32>, pads : vec2<i32>, filterDims : vec2<i32>, outDims : vec2<i32>,';
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  outputShape: number[];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  shaderKey = 'fixresFirstMaxPoolGrad';

  constructor(inShape: number[]) {
    this.outputShape = inShape;
    this.dispatchLayout = webgpu_util.flatDispatchLayout(inShape);
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, inShape, this.workgroupSize);
  }

  getUserCode(): string {
    return `
      fn firstMaxTap(batch : i32, oR : i32, oC : i32, d : i32) -> i32 {
        var best = 0.0;
        var tap = -1;
        for (var wR = 0; wR < uniforms.filterDims.x; wR++) {
          let xR = oR * uniforms.strides.x - uniforms.pads.x + wR;
          if (xR < 0 || xR >= uniforms.xShape[1]) { continue; }
          for (var wC = 0; wC < uniforms.filterDims.y; wC++) {
            let xC = oC * uniforms.strides.y - uniforms.pads.y + wC;
            if (xC < 0 || xC >= uniforms.xShape[2]) { continue; }
            let value = getX(batch, xR, xC, d);
            // Before the first pick, anything above −∞ (≥ the lowest finite f32) and not NaN.
            if ((tap < 0 && value >= -3.4028234663852886e38) || (tap >= 0 && value > best)) {
              best = value;
              tap = wR * uniforms.filterDims.y + wC;
            }
          }
        }
        return tap;
      }

      fn main(index : i32) {
        if (index < uniforms.size) {
          let coords = getCoordsFromIndex(index);
          let batch = coords[0];
          let r = coords[1];
          let c = coords[2];
          let d = coords[3];
          var total = 0.0;
          for (var wR = 0; wR < uniforms.filterDims.x; wR++) {
            let top = r + uniforms.pads.x - wR;
            if (top < 0 || top % uniforms.strides.x != 0) { continue; }
            let oR = top / uniforms.strides.x;
            if (oR >= uniforms.outDims.x) { continue; }
            for (var wC = 0; wC < uniforms.filterDims.y; wC++) {
              let left = c + uniforms.pads.y - wC;
              if (left < 0 || left % uniforms.strides.y != 0) { continue; }
              let oC = left / uniforms.strides.y;
              if (oC >= uniforms.outDims.y) { continue; }
              if (firstMaxTap(batch, oR, oC, d) == wR * uniforms.filterDims.y + wC) {
                total += getDy(batch, oR, oC, d);
              }
            }
          }
          setOutputAtIndex(index, total);
        }
      }
    `;
  }
}

/**
 * MaxPool's gradient routed to the first maximum of each window. tfjs-webgpu's own routes it to the
 * last (its position pass keeps `value >= max`), so at ties — every all-zero window after a ReLU —
 * it disagrees with the cpu backend and with PyTorch.
 */
function maxPoolGrad(args: MaxPoolGradArgs & { backend: unknown }): TensorInfo {
  const { dy, input: x } = args.inputs;
  const info = maxPoolGradInfo(args);
  const uniforms = [
    { type: 'int32', data: [info.strideHeight, info.strideWidth] },
    { type: 'int32', data: [info.padInfo.top, info.padInfo.left] },
    { type: 'int32', data: [info.filterHeight, info.filterWidth] },
    { type: 'int32', data: [info.outHeight, info.outWidth] },
  ];
  return (args.backend as WebGPUBackend).runWebGPUProgram(new FirstMaxPoolGradProgram(x.shape), [dy, x], x.dtype, uniforms);
}

/** Registers in place of webgpu's MaxPoolGrad. */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'webgpu',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
