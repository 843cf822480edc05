import * as tf from '@tensorflow/tfjs-core';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { writeFileAtomic } from './atomic-write';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/**
 * A tfjs IOHandler over a folder (model.json + weight shards), for every backend: tfjs-node's
 * file:// exists only with the native backend. Saves write weights.bin then model.json, each
 * atomically; loads check every file and say which one is wrong.
 */
export function fileSystemIO(dir: string): Required<Pick<tf.io.IOHandler, 'save' | 'load'>> {
  return {
    async save(artifacts) {
      await mkdir(dir, { recursive: true });
      // model.save hands over one buffer; joining it would copy every weight once more.
      const data = artifacts.weightData ?? new ArrayBuffer(0);
      const weights = new Uint8Array(data instanceof ArrayBuffer ? data : tf.io.CompositeArrayBuffer.join(data));
      await writeFileAtomic(join(dir, WEIGHTS_BIN), weights);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_core}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await writeFileAtomic(join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weights.byteLength,
        },
      };
    },
    async load() {
      const modelJson = await readModelJson(dir);
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const shards = await Promise.all(manifest.flatMap((group) => group.paths).map((p) => readShard(dir, p)));
        const specs = tf.io.getWeightSpecs(manifest);
        const data = tf.io.concatenateArrayBuffers(shards);
        checkWeightBytes(dir, specs, data.byteLength);
        return [specs, data];
      });
    },
  };
}

async function readModelJson(dir: string): Promise<tf.io.ModelJSON> {
  const file = join(dir, MODEL_JSON);
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`Model folder not found: ${dir}`);
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) throw new Error(`Not a TensorFlow.js model: ${dir} has no ${MODEL_JSON}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`Not a TensorFlow.js model: ${file} is not valid JSON (${(err as Error).message})`);
  }
  const model = json as Partial<tf.io.ModelJSON> | null;
  if (!model || typeof model !== 'object' || !model.modelTopology || !Array.isArray(model.weightsManifest)) {
    throw new Error(`Not a TensorFlow.js model: ${file} lacks "modelTopology" or "weightsManifest"`);
  }
  return model as tf.io.ModelJSON;
}

async function readShard(dir: string, path: string): Promise<ArrayBuffer> {
  const rel = normalize(path);
  if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) {
    throw new Error(`Refusing weight file "${path}" listed in ${join(dir, MODEL_JSON)}: it is outside the model folder`);
  }
  const bytes = await readFile(join(dir, rel)).catch(() => null);
  if (!bytes) throw new Error(`Weight file "${path}" listed in ${join(dir, MODEL_JSON)} is missing`);
  // A large file's Buffer owns its ArrayBuffer: hand that over rather than copy it (small ones share Node's pool).
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer as ArrayBuffer;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const BYTES_PER_DTYPE: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, float16: 2, uint16: 2 };

function checkWeightBytes(dir: string, specs: tf.io.WeightsManifestEntry[], actual: number): void {
  let expected = 0;
  for (const spec of specs) {
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    const size = spec.shape.reduce((a, b) => a * b, 1);
    expected += size * (BYTES_PER_DTYPE[dtype] ?? 4);
  }
  if (expected !== actual) {
    throw new Error(
      `Weight files of ${dir} hold ${actual} bytes but model.json describes ${expected}: truncated or mismatched shards`,
    );
  }
}
