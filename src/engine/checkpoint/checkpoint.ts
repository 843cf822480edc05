import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochSummary } from '../../shared/jobs/train';
import type { LoopState } from '../train/loop-state';
import { bindBatchNormToTrainable } from '../models/batch-norm-mode';
import { fileSystemIO } from './fs-io-handler';
import { fsyncDir, writeFileAtomic } from './atomic-write';

const LATEST = 'latest.json';
const STATE = 'state.json';
const OPTIMIZER = 'optimizer.bin';

/** What a checkpoint holds besides the model: position, optimiser slot layout, and the run's identity. */
export interface CheckpointState extends LoopState {
  version: 1;
  /**
   * All randomness of a run derives from its seeds and (epoch, index) keys (core/rng streamFor),
   * so the seed plus the position above is the complete RNG state.
   */
  seed: number;
  /** Hash of the training configuration; a resume with another configuration is refused. */
  configKey: string;
  savedAt: string;
  optimizerSlots: tf.io.WeightsManifestEntry[];
  /**
   * The summaries of every finished epoch. A resume reports them again, so epoch rows the lab
   * could not store (a full disk after this checkpoint was written) are not lost. Absent in
   * checkpoints of older versions.
   */
  history?: EpochSummary[];
}

export interface SaveCheckpointOptions {
  model: tfl.LayersModel;
  /** Momentum buffers by parameter key. */
  slots: tf.NamedTensorMap;
  state: LoopState;
  seed: number;
  configKey: string;
  /** Summaries of the finished epochs (see CheckpointState.history). */
  history?: EpochSummary[];
}

/**
 * Writes a complete checkpoint into a fresh sub-folder (every file fsynced), renames it into
 * place, then atomically repoints latest.json at it and removes older ones. A crash at any
 * point leaves latest.json naming a complete checkpoint (the old or the new).
 */
export async function saveCheckpoint(dir: string, o: SaveCheckpointOptions): Promise<string> {
  try {
    return await writeCheckpoint(dir, o);
  } catch (err) {
    throw checkpointWriteError(dir, err as NodeJS.ErrnoException);
  }
}

/** Why a disk refused a write, in words (the codes a full, read-only or locked-down disk gives). */
const WRITE_FAILURES: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EIO: 'input/output error',
};

/** A checkpoint the disk refused, said so the user knows what to fix and that the previous one is kept. */
function checkpointWriteError(dir: string, err: NodeJS.ErrnoException): Error {
  const reason = (err.code && WRITE_FAILURES[err.code]) ?? err.message;
  return new Error(
    `Cannot save the checkpoint in ${dir}: ${reason}. The previous checkpoint is kept; fix the disk and resume the run.`,
    { cause: err },
  );
}

async function writeCheckpoint(dir: string, o: SaveCheckpointOptions): Promise<string> {
  await mkdir(dir, { recursive: true });
  const name = `ckpt-e${pad(o.state.epoch)}-b${pad(o.state.batch)}-${randomBytes(3).toString('hex')}`;
  const temp = join(dir, `.tmp-${name}`);
  await mkdir(temp);
  try {
    await o.model.save(fileSystemIO(temp));
    const { data, specs } = await tf.io.encodeWeights(o.slots);
    await writeFileAtomic(join(temp, OPTIMIZER), new Uint8Array(data));
    const state: CheckpointState = {
      version: 1,
      ...o.state,
      seed: o.seed,
      configKey: o.configKey,
      savedAt: new Date().toISOString(),
      optimizerSlots: specs,
      history: o.history ?? [],
    };
    await writeFileAtomic(join(temp, STATE), JSON.stringify(state));
    await rename(temp, join(dir, name));
    await fsyncDir(dir);
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
  await writeFileAtomic(join(dir, LATEST), JSON.stringify({ name }));
  await removeAllBut(dir, name);
  return join(dir, name);
}

export interface LoadedCheckpoint {
  model: tfl.LayersModel;
  /** Momentum buffers; the caller disposes them after restoring. */
  slots: tf.NamedTensorMap;
  state: CheckpointState;
}

/** The folder of the checkpoint latest.json names, or null when `dir` has none (or an unreadable pointer). */
export async function latestCheckpointFolder(dir: string): Promise<string | null> {
  const pointer = await readFile(join(dir, LATEST), 'utf8').catch(() => null);
  if (pointer === null) return null;
  try {
    return join(dir, (JSON.parse(pointer) as { name: string }).name);
  } catch {
    return null;
  }
}

/** Loads the checkpoint latest.json names, or null when `dir` has none yet. */
export async function loadLatestCheckpoint(dir: string): Promise<LoadedCheckpoint | null> {
  const pointer = await readFile(join(dir, LATEST), 'utf8').catch(() => null);
  if (pointer === null) return null;
  let folder = dir;
  try {
    folder = join(dir, (JSON.parse(pointer) as { name: string }).name);
    const state = JSON.parse(await readFile(join(folder, STATE), 'utf8')) as CheckpointState;
    if (state.version !== 1) throw new Error(`unknown version ${state.version}`);
    const model = await tfl.loadLayersModel(fileSystemIO(folder));
    bindBatchNormToTrainable(model);
    const bytes = await readFile(join(folder, OPTIMIZER));
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return { model, slots: tf.io.decodeWeights(buffer, state.optimizerSlots), state };
  } catch (err) {
    throw new Error(`The checkpoint in ${folder} cannot be read: ${(err as Error).message}`);
  }
}

async function removeAllBut(dir: string, keep: string): Promise<void> {
  for (const entry of await readdir(dir)) {
    if (entry !== keep && (entry.startsWith('ckpt-') || entry.startsWith('.tmp-ckpt-'))) {
      await rm(join(dir, entry), { recursive: true, force: true });
    }
  }
}

function pad(n: number): string {
  return String(n).padStart(4, '0');
}
