import { join } from 'node:path';
import type { ParsedModelExportRequest } from '../../shared/api/models';
import type { EngineHost } from '../engine';
import { abandonExport, commitExport, prepareExportDir, writeStagedFile } from '../export';
import type { ResolvedModel } from './model-refs';

const CONFIG = 'config.json';
/** The model file each format writes. */
const MODEL_FILE = { safetensors: 'model.safetensors', onnx: 'model.onnx' } as const;

/**
 * Writes `dir/model.safetensors` (torchvision key names: PyTorch's load_state_dict(strict=True)
 * takes it for the same architecture) or `dir/model.onnx` (NHWC images of any size in, logits
 * and pooled features out), and `dir/config.json` in timm's layout (architecture,
 * num_classes, pretrained_cfg with the train size, the test size to use, crop_pct,
 * interpolation, mean and std; label names), which `fixres model import` reads back. Both are
 * staged and moved in together; existing files are kept unless `force`.
 */
export async function exportModel(
  engine: EngineHost,
  model: ResolvedModel,
  request: ParsedModelExportRequest,
  dataDir: string,
): Promise<{ dir: string; files: string[] }> {
  const files = [MODEL_FILE[request.format], CONFIG];
  const target = await prepareExportDir(request.dir, files, { overwrite: request.force, dataDir });
  try {
    if (request.format === 'onnx')
      await engine.run('export-model', {
        checkpointDir: model.checkpointDir,
        numClasses: model.numClasses,
        outDir: target.staging,
        format: 'onnx',
      });
    else
      await engine.run('export-weights', {
        checkpointDir: model.checkpointDir,
        arch: model.arch,
        outFile: join(target.staging, MODEL_FILE.safetensors),
      });
    await writeStagedFile(target, CONFIG, `${JSON.stringify(timmConfig(model, request.kTest), null, 2)}\n`);
    await commitExport(target, files);
  } catch (err) {
    await abandonExport(target);
    throw err;
  }
  return { dir: target.dir, files };
}

/** timm's config.json for the exported weights (test size: `kTest`, else the model's). */
function timmConfig(model: ResolvedModel, kTest: number | undefined): Record<string, unknown> {
  const p = model.preprocessing;
  const testSize = kTest ?? p.testInputSize;
  return {
    architecture: model.arch,
    num_classes: model.numClasses,
    ...(model.width !== 1 ? { model_args: { width: model.width } } : {}),
    pretrained_cfg: {
      input_size: [3, p.inputSize, p.inputSize],
      test_input_size: [3, testSize, testSize],
      crop_pct: p.cropPct,
      test_crop_pct: p.cropPct,
      crop_mode: 'center',
      interpolation: p.interpolation,
      mean: p.mean,
      std: p.std,
      num_classes: model.numClasses,
      first_conv: 'conv1',
      classifier: 'fc',
    },
    ...(model.classNames ? { label_names: model.classNames } : {}),
    exported_by: `FixRes Lab, from ${model.label}`,
  };
}
