import { describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../../src/shared/envelope';
import { useBothAdapters } from '../helpers/both-adapters';

vi.mock('electron', async () => (await import('../../helpers/electron-mock')).electronModule);

const both = useBothAdapters();

const run = (extra: Record<string, unknown>) => ({ datasetId: 1, ...extra });

/** [what, channel, request, the field the refusal must name]; `json: false` marks values only IPC can carry. */
const INVALID: { what: string; channel: string; request: Record<string, unknown>; field: string; json?: false }[] = [
  { what: 'K_train 0', channel: 'runs.start', request: run({ kTrain: 0 }), field: 'kTrain' },
  { what: 'K_train negative', channel: 'runs.start', request: run({ kTrain: -32 }), field: 'kTrain' },
  { what: 'K_train absurdly large', channel: 'runs.start', request: run({ kTrain: 100_000 }), field: 'kTrain' },
  { what: 'K_train fractional', channel: 'runs.start', request: run({ kTrain: 31.5 }), field: 'kTrain' },
  { what: 'K_test 0', channel: 'runs.start', request: run({ kTest: 0 }), field: 'kTest' },
  { what: 'scale min > max', channel: 'runs.start', request: run({ scale: [0.9, 0.1] }), field: 'scale' },
  { what: 'scale 0', channel: 'runs.start', request: run({ scale: [0, 1] }), field: 'scale.0' },
  { what: 'ratio 0', channel: 'runs.start', request: run({ ratio: [0, 1] }), field: 'ratio.0' },
  { what: 'ratio negative', channel: 'runs.start', request: run({ ratio: [-1, 2] }), field: 'ratio.0' },
  { what: 'ratio min > max', channel: 'runs.start', request: run({ ratio: [2, 0.5] }), field: 'ratio' },
  { what: 'lr NaN', channel: 'runs.start', request: run({ lr: NaN }), field: 'lr', json: false },
  { what: 'lr Infinity', channel: 'runs.start', request: run({ lr: Infinity }), field: 'lr', json: false },
  { what: 'lr null (NaN in JSON)', channel: 'runs.start', request: run({ lr: null }), field: 'lr' },
  { what: 'lr "NaN"', channel: 'runs.start', request: run({ lr: 'NaN' }), field: 'lr' },
  { what: 'lr 0', channel: 'runs.start', request: run({ lr: 0 }), field: 'lr' },
  { what: 'batch 0', channel: 'runs.start', request: run({ batchSize: 0 }), field: 'batchSize' },
  { what: 'batch too large', channel: 'runs.start', request: run({ batchSize: 1e6 }), field: 'batchSize' },
  { what: 'epochs beyond the limit', channel: 'runs.start', request: run({ epochs: 1001 }), field: 'epochs' },
  { what: 'epochs 0', channel: 'runs.start', request: run({ epochs: 0 }), field: 'epochs' },
  {
    what: 'warm-up longer than training',
    channel: 'runs.start',
    request: run({ epochs: 2, warmupEpochs: 5 }),
    field: 'warmupEpochs',
  },
  { what: 'width 0', channel: 'runs.start', request: run({ width: 0 }), field: 'width' },
  { what: 'momentum 1', channel: 'runs.start', request: run({ momentum: 1 }), field: 'momentum' },
  { what: 'seed negative', channel: 'runs.start', request: run({ seed: -1 }), field: 'seed' },
  { what: 'crop_pct 0', channel: 'runs.start', request: run({ cropPct: 0 }), field: 'cropPct' },
  { what: 'blocks 0', channel: 'runs.start', request: run({ blocks: [0, 1, 1] }), field: 'blocks.0' },
  { what: 'unknown architecture', channel: 'runs.start', request: run({ arch: 'vgg16' }), field: 'arch' },
  { what: 'a name of 10 000 characters', channel: 'runs.start', request: run({ name: 'n'.repeat(10_000) }), field: 'name' },
  {
    what: 'a model path with NUL',
    channel: 'runs.start',
    request: run({ pretrainedDir: '/tmp/model\0x' }),
    field: 'pretrainedDir',
  },
  {
    what: 'parent and pretrained',
    channel: 'runs.start',
    request: run({ parentRunId: 1, pretrainedDir: '/m' }),
    field: 'pretrainedDir',
  },
  { what: 'no dataset', channel: 'runs.start', request: {}, field: 'datasetId' },
  { what: 'Crop Lab K 0', channel: 'crops.sample', request: { kTrain: 0, width: 100, height: 100 }, field: 'kTrain' },
  { what: 'Crop Lab ratio 0', channel: 'crops.sample', request: { ratio: [0, 1], width: 100, height: 100 }, field: 'ratio.0' },
  {
    what: 'Crop Lab scale min > max',
    channel: 'crops.sample',
    request: { scale: [1, 0.5], width: 9, height: 9 },
    field: 'scale',
  },
  {
    what: 'α with K 0',
    channel: 'analysis.apparentSize',
    request: { kTrain: 0, source: { kind: 'size', width: 9, height: 9 } },
    field: 'kTrain',
  },
  { what: 'split 100 %', channel: 'datasets.setSplit', request: { id: 1, valFraction: 1, seed: 0 }, field: 'valFraction' },
];

function expectFieldRefusal(reply: Envelope<unknown>, field: string, what: string): void {
  expect(reply.ok, what).toBe(false);
  if (reply.ok) return;
  expect(reply.error, what).toMatchObject({ name: 'ValidationError', field });
  expect(reply.error.message.startsWith(`${field}: `), `${what}: "${reply.error.message}"`).toBe(true);
  expect(reply.error.message, `${what}: the field is named once`).not.toMatch(new RegExp(`^${field}: ${field.split('.')[0]}:`));
}

describe('invalid settings are refused by the schema with the field named, and nothing is stored', () => {
  it('over HTTP (web mode)', async () => {
    for (const c of INVALID.filter((c) => c.json !== false)) {
      const { status, reply } = await both.web.call(c.channel, c.request);
      expect(status, c.what).toBe(200);
      expectFieldRefusal(reply, c.field, c.what);
    }
    expect(both.web.lab.runs.list()).toEqual([]);
  });

  it('over Electron IPC, NaN and Infinity included', async () => {
    for (const c of INVALID) {
      const reply = await both.ipc(c.channel, c.request);
      expectFieldRefusal(reply, c.field, c.what);
    }
    expect(both.web.lab.runs.list()).toEqual([]);
  });
});
