import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSystemIO } from '../../../src/engine/checkpoint/fs-io-handler';
import { createModel } from '../../../src/engine/models/create-model';
import { jobErrorInfo } from '../../../src/engine/process/job-error';
import { ENGINE_BROKEN_ERRORS } from '../../../src/shared/engine-protocol';
import { useTestBackend } from '../../helpers/tf-backend';
import { enginePids } from '../helpers/processes';
import { startTrainingLab, type TrainingLab } from '../helpers/training-lab';

let t: TrainingLab;
beforeAll(async () => {
  await useTestBackend();
  t = await startTrainingLab();
});
afterAll(() => t.close());

/** Whether util-linux's prlimit can lower another process's limits here. */
function hasPrlimit(): boolean {
  try {
    execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A LayersModel that flattens its input into the classifier: it works at one input size only. */
function flattenModel(): tfl.LayersModel {
  return tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [12, 12, 3] }), tfl.layers.dense({ units: 4 })] });
}

/** Starts a run, waits for the queue, and returns the run as stored. */
async function runToEnd(config: ReturnType<TrainingLab['tiny']>) {
  const run = t.lab.runs.start(config);
  await t.lab.jobs.idle();
  return t.lab.runs.get(run.id);
}

describe('the engine fails a job', () => {
  it('fails a run whose pretrained model is not a tfjs model, with the file named, storing no epoch or checkpoint, and trains the next one', async () => {
    const dir = join(t.dir, 'not-a-model');
    mkdirSync(dir);
    const modelJson = (json: object) => () => writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    const cases: [string, () => unknown, RegExp][] = [
      ['no model.json', () => undefined, /has no model\.json/],
      ['broken JSON', () => writeFileSync(join(dir, 'model.json'), '{"modelTopology": '), /model\.json is not valid JSON/],
      ['another format', modelJson({ format: 'keras-h5' }), /model\.json lacks "modelTopology"/],
      ['a GraphModel', modelJson({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }), /GraphModel/],
      ['no global pooling', () => flattenModel().save(fileSystemIO(dir)), /no global pooling layer/],
    ];
    const pooled = join(t.dir, 'pooled');
    await createModel({ arch: 'resnet-mini', numClasses: 4, width: 0.25, seed: 1 }).save(fileSystemIO(pooled));
    const weights = readFileSync(join(pooled, 'weights.bin'));
    const manifest = JSON.parse(readFileSync(join(pooled, 'model.json'), 'utf8'));
    cases.push(
      [
        'a truncated shard',
        () => withPooled({ weights: weights.subarray(0, 100) }),
        /Weight files of .* hold 100 bytes but model\.json describes \d+: truncated or mismatched shards/,
      ],
      ['a missing shard', () => withPooled({}), /Weight file "\.\/weights\.bin" listed in .*model\.json is missing/],
      ['a shard outside the folder', () => withPooled({ paths: ['../pooled/weights.bin'] }), /outside the model folder/],
    );
    function withPooled(o: { weights?: Buffer; paths?: string[] }): void {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
      const json = structuredClone(manifest);
      if (o.paths) json.weightsManifest[0].paths = o.paths;
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
      if (o.weights) writeFileSync(join(dir, 'weights.bin'), o.weights);
    }

    for (const [what, prepare, reason] of cases) {
      await prepare();
      const run = await runToEnd(t.tiny({ pretrainedDir: dir, epochs: 1 }));
      expect(run, what).toMatchObject({
        status: 'failed',
        epochsDone: 0,
        checkpoint: null,
        epochs: [],
        error: expect.stringMatching(reason),
      });
      expect(run.error, what).toContain(dir);
      // Nothing but the folder's mark of ownership (made when the run was stored).
      const files = existsSync(run.checkpointDir!) ? readdirSync(run.checkpointDir!) : [];
      expect(
        files.filter((f) => f !== 'owner.json'),
        what,
      ).toEqual([]);
    }
    expect((await runToEnd(t.tiny({ epochs: 1 }))).status).toBe('completed');
  });

  it('fails a run whose loss turns NaN with the epoch, batch and learning rate, and trains the next one', async () => {
    const dir = join(t.dir, 'nan-model');
    await createModel({ arch: 'resnet-mini', numClasses: 4, width: 0.25, seed: 1 }).save(fileSystemIO(dir));
    const weights = readFileSync(join(dir, 'weights.bin'));
    new Float32Array(weights.buffer, weights.byteOffset, weights.length / 4).fill(NaN);
    writeFileSync(join(dir, 'weights.bin'), weights);
    const run = await runToEnd(t.tiny({ pretrainedDir: dir }));
    expect(run).toMatchObject({ status: 'failed', epochsDone: 0, checkpoint: null });
    expect(run.error).toMatch(/loss became NaN at epoch 1, batch 1 \(learning rate 0\.05/);
    expect((await runToEnd(t.tiny({ epochs: 1 }))).status).toBe('completed');
  });

  it.skipIf(!hasPrlimit())(
    'fails a run that runs the engine out of memory with that reason; the queued run after it trains on a restarted engine',
    async () => {
      await runToEnd(t.tiny({ epochs: 1 }));
      const compute = enginePids().at(-1)!;
      const mappedBytes = Number(readFileSync(`/proc/${compute}/stat`, 'utf8').split(') ')[1]!.split(' ')[20]);
      // The machine "has" 300 MB more than the engine already maps: a 512×512 batch of 32 needs far more.
      execFileSync('prlimit', ['--pid', String(compute), `--as=${mappedBytes + 300 * 1024 ** 2}`]);
      const big = t.lab.runs.start(t.tiny({ kTrain: 512, batchSize: 32, epochs: 1 }));
      const next = t.lab.runs.start(t.tiny({ epochs: 1 }));
      await t.lab.jobs.idle();
      // In the run's own terms, whether V8 died (the process) or an allocation failed (the job).
      expect(t.lab.runs.get(big.id)).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(
          /^K 512 × batch 32 needs ~[\d.]+ GB; the JavaScript CPU backend ran out of memory \(.+; this machine has \d+ GB of memory\): lower the batch to ≤ 16$/,
        ),
      });
      expect(t.lab.runs.get(next.id).status).toBe('completed');
    },
  );

  it('names a failed allocation in the engine as running out of memory', () => {
    for (const message of [
      'Array buffer allocation failed',
      'Invalid typed array length: 12884901888',
      'WebAssembly.Memory.grow(): Maximum memory size exceeded',
    ]) {
      expect(jobErrorInfo(new RangeError(message))).toEqual({
        name: 'OutOfMemory',
        code: 'Environment',
        message: `The engine ran out of memory (${message}). Lower the batch size or K, or free memory; the engine was restarted.`,
      });
    }
    expect(jobErrorInfo(new Error('Folder not found: /x'))).toEqual({
      name: 'Error',
      code: 'Internal',
      message: 'Folder not found: /x',
    });
  });

  it('names a WebAssembly trap or abort so the lab replaces the process: out of memory when it is the heap, else a trap', () => {
    const trap = (message: string) => Object.assign(new Error(message), { name: 'RuntimeError' });
    for (const err of [
      trap('memory access out of bounds'),
      new Error('The checkpoint in /runs/1/ckpt cannot be read: memory access out of bounds'),
      trap('Aborted(OOM). Build with -sASSERTIONS for more info.'),
    ])
      expect(jobErrorInfo(err).name, err.message).toBe('OutOfMemory');
    for (const err of [trap('unreachable'), new Error('Aborted(native code called abort())')])
      expect(jobErrorInfo(err), err.message).toEqual({
        name: 'EngineTrapped',
        code: 'Internal',
        message: `The engine's WebAssembly runtime failed (${err.message}); the engine was restarted. Try again, or report it if it repeats.`,
      });
    for (const name of ['OutOfMemory', 'EngineTrapped']) expect(ENGINE_BROKEN_ERRORS.has(name)).toBe(true);
  });
});
