import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseClassList, parseTimmConfig, type TimmConfig } from '../../core/timm-config';
import type { ImportModelRequest, ModelPreprocessing } from '../../shared/api/models';
import { errorCodeOf, userError } from '../../shared/errors';
import { MODELS, type ArchName } from '../../shared/models/registry';

/** Files next to a weights file that describe it, in the order they are looked for (timm's, then FixRes Lab's export). */
const CONFIG_FILES = ['config.json', 'preprocessing.json'];

/** The timm-style config next to `weightsFile`, if there is one. */
export async function readSidecarConfig(weightsFile: string): Promise<{ file: string; config: TimmConfig } | null> {
  for (const name of CONFIG_FILES) {
    const file = join(dirname(weightsFile), name);
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) continue;
    try {
      return { file, config: parseTimmConfig(JSON.parse(text)) };
    } catch (err) {
      throw userError(
        `${file} next to the weights cannot be used: ${(err as Error).message}. Fix or move it, or pass the preprocessing as flags.`,
        'file',
      );
    }
  }
  return null;
}

/** Class names from a classes file (one per line, a JSON list, or an {index: name} map). */
export async function readClassesFile(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw userError(
      `Cannot read the classes file ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`,
      'classesFile',
      errorCodeOf(err),
    );
  });
  try {
    return parseClassList(text);
  } catch (err) {
    throw userError(`The classes file ${basename(file)} cannot be used: ${(err as Error).message}`, 'classesFile');
  }
}

/**
 * The model's preprocessing: flags first, then the config next to the weights, then the
 * architecture's defaults (timm's resolve_data_config order). A test size defaults to the train
 * size when only that was given.
 */
export function resolvePreprocessing(arch: ArchName, request: ImportModelRequest, config: TimmConfig | null): ModelPreprocessing {
  const defaults = MODELS[arch].preprocessing;
  const flags = {
    inputSize: request.kTrain,
    testInputSize: request.testInputSize,
    cropPct: request.cropPct,
    mean: request.mean,
    std: request.std,
    interpolation: request.interpolation,
  };
  const fromConfig = config
    ? {
        inputSize: config.inputSize ?? undefined,
        testInputSize: config.testInputSize ?? undefined,
        cropPct: config.cropPct ?? undefined,
        mean: config.mean ?? undefined,
        std: config.std ?? undefined,
        interpolation: config.interpolation ?? undefined,
      }
    : {};
  const usedFlags = Object.values(flags).some((v) => v !== undefined);
  const usedConfig = Object.values(fromConfig).some((v) => v !== undefined);
  const pick = <K extends keyof typeof flags>(key: K) => flags[key] ?? fromConfig[key];
  const inputSize = pick('inputSize') ?? defaults.inputSize;
  return {
    inputSize,
    testInputSize: pick('testInputSize') ?? (pick('inputSize') !== undefined ? inputSize : defaults.testInputSize),
    cropPct: pick('cropPct') ?? defaults.cropPct,
    mean: [...(pick('mean') ?? defaults.mean)] as [number, number, number],
    std: [...(pick('std') ?? defaults.std)] as [number, number, number],
    interpolation: pick('interpolation') ?? defaults.interpolation,
    source: usedFlags && usedConfig ? 'config+flags' : usedFlags ? 'flags' : usedConfig ? 'config' : 'defaults',
  };
}
