import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { writeFileAtomic } from '../checkpoint/atomic-write';
import { latestCheckpointFolder } from '../checkpoint/checkpoint';
import { EXPORTER_VERSION, exportOnnx } from './export-onnx';

const ONNX_FILE = 'model.onnx';
const STAMP_FILE = 'model.onnx.json';

/** Identifies the weights and topology of a checkpoint folder, and the exporter that wrote its ONNX file. */
async function fingerprint(folder: string): Promise<string> {
  const hash = createHash('sha256').update(`exporter ${EXPORTER_VERSION}\n`);
  for (const name of ['model.json', 'weights.bin']) hash.update(await readFile(join(folder, name)));
  return hash.digest('hex');
}

/**
 * The ONNX form of `model`, the model of the latest checkpoint in `checkpointDir`: read from
 * `model.onnx` next to the checkpoint's weights when its stamp matches their hash, else exported
 * and written there (atomically) for the next job. A checkpoint folder that cannot be written
 * (read-only disk) still gets its export, in memory. Returns a file path or the bytes.
 */
export async function checkpointOnnx(checkpointDir: string, model: tfl.LayersModel): Promise<string | Uint8Array> {
  const folder = await latestCheckpointFolder(checkpointDir);
  if (!folder) return exportOnnx(model).bytes;
  const stamp = await fingerprint(folder);
  const cached = await readFile(join(folder, STAMP_FILE), 'utf8').catch(() => null);
  if (
    cached !== null &&
    safeStamp(cached) === stamp &&
    (await access(join(folder, ONNX_FILE)).then(
      () => true,
      () => false,
    ))
  ) {
    return join(folder, ONNX_FILE);
  }
  const { bytes } = exportOnnx(model);
  try {
    await writeFileAtomic(join(folder, ONNX_FILE), bytes);
    await writeFileAtomic(join(folder, STAMP_FILE), JSON.stringify({ fingerprint: stamp, exporter: EXPORTER_VERSION }));
  } catch {
    // Not cached (read-only or full disk): this job still runs on the bytes.
  }
  return bytes;
}

function safeStamp(text: string): string | null {
  try {
    return (JSON.parse(text) as { fingerprint?: string }).fingerprint ?? null;
  } catch {
    return null;
  }
}
