import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../../../src/engine/backend/select-backend';
import { openForwardPass } from '../../../src/engine/eval/open-forward';
import { createModel } from '../../../src/engine/models/create-model';
import type { BackendReport } from '../../../src/shared/jobs/doctor';
import { useTestBackend } from '../../helpers/tf-backend';

let backend: BackendReport;
beforeAll(async () => {
  await useTestBackend();
  backend = await ensureBackend();
});

/** A model with a layer ONNX export does not know (LeakyReLU). */
function unexportable(): tfl.LayersModel {
  const input = tfl.input({ shape: [null, null, 3] });
  const y = tfl.layers.leakyReLU({ name: 'leaky' }).apply(input) as tfl.SymbolicTensor;
  const pooled = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(y) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2 }).apply(pooled) as tfl.SymbolicTensor });
}

describe('openForwardPass', () => {
  it('runs the lab models on ONNX Runtime on a CPU backend', async () => {
    const pass = await openForwardPass(createModel({ arch: 'resnet-mini', numClasses: 2, width: 0.25 }), {
      features: true,
      source: null,
      backend,
    });
    expect(pass.report.engine).toBe('onnxruntime');
    await pass.dispose();
  });

  it('falls back to tfjs, saying why, for a model ONNX cannot express; refuses when ONNX Runtime was asked for', async () => {
    const model = unexportable();
    const pass = await openForwardPass(model, { features: true, source: null, backend });
    expect(pass.report).toMatchObject({
      engine: 'tfjs',
      reason: expect.stringMatching(/^ONNX Runtime cannot run this model \(ONNX export: layer "leaky" \(LeakyReLU\)/),
    });
    await pass.dispose();
    await expect(openForwardPass(model, { features: true, source: null, backend, requested: 'onnxruntime' })).rejects.toThrow(
      /layer "leaky"/,
    );
  });
});
