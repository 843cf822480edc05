import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImageSummary, Inspection } from '../../src/shared/api/datasets';
import { CropLabState } from '../../src/renderer/src/state/crop-lab.svelte';
import { DEFAULT_CROP_CONTROLS, normaliseControls } from '../../src/renderer/src/state/crop-settings.svelte';
import { FakeClient } from './fake-client';

const image = (id: number, width: number, height: number): ImageSummary => ({
  id,
  relPath: `cat/${id}.png`,
  className: 'cat',
  split: null,
  status: 'ok',
  error: null,
  width,
  height,
  format: 'png',
});

function datasetClient(): FakeClient {
  const sizes: Inspection['sizes'] = [
    { width: 640, height: 480, count: 30 },
    { width: 500, height: 500, count: 10 },
  ];
  return new FakeClient()
    .handle('datasets.images', () => ({
      total: 3,
      images: [image(1, 640, 480), image(2, 500, 500), { ...image(3, 0, 0), status: 'unreadable' }],
    }))
    .handle('datasets.inspection', () => ({ sizes }) as Inspection)
    .handle('datasets.thumbnails', ({ imageIds }) =>
      imageIds.map((imageId) => ({ imageId, dataUrl: `data:thumb-${imageId}`, error: null })),
    )
    .handle('datasets.preview', ({ imageId }) => ({ dataUrl: `data:preview-${imageId}`, width: 640, height: 480 }))
    .handle('crops.sample', (r) => ({
      width: 640,
      height: 480,
      train: [],
      test: { box: { x: 0, y: 0, w: 1, h: 1 }, resizedWidth: 1, resizedHeight: 1, scale: 1 },
      patches: {
        train: Array.from({ length: r.n ?? 8 }, (_, i) => `data:patch-${r.imageId}-${r.kTrain}-${i}`),
        test: 'data:test',
      },
    }));
}

// Fake timers: the patch debounce runs when the test says so, never on the machine's clock.
const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

describe('crop controls', () => {
  it('clamps to the limits and drags the other end of a range along instead of inverting it', () => {
    const moved = normaliseControls(DEFAULT_CROP_CONTROLS, { scale: [0.9, 1], kTrain: 5000, n: 0.4 });
    expect(moved).toMatchObject({ scale: [0.9, 1], kTrain: 512, n: 1 });
    expect(normaliseControls({ ...DEFAULT_CROP_CONTROLS, scale: [0.5, 0.6] }, { scale: [0.7, 0.6] }).scale).toEqual([0.7, 0.7]);
    expect(normaliseControls({ ...DEFAULT_CROP_CONTROLS, scale: [0.5, 0.6] }, { scale: [0.5, 0.2] }).scale).toEqual([0.2, 0.2]);
  });
});

describe('CropLabState', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('analyses a typed size before any dataset, and follows the controls at once', () => {
    const lab = new CropLabState(new FakeClient());
    lab.setCustomSize({ width: 640, height: 480 });
    expect(lab.shown.map((i) => i.label)).toEqual(['640 × 480 (typed size)']);
    const before = lab.analysis!;
    expect(before.closedForm.alpha).toBeCloseTo(0.809, 3);
    expect(before.monteCarlo.alpha).toBeCloseTo(0.837, 1);
    lab.update({ kTrain: 64, kTest: 64 });
    expect(lab.analysis!.settings.kTrain).toBe(64);
    expect(lab.analysis!.kTestSizesMatch).toBeLessThan(before.kTestSizesMatch);
    expect(lab.settings.preview(640, 480).train).toHaveLength(8);
    lab.dispose();
  });

  it('opens a dataset on its first readable image, with its real sizes, thumbnails and patches', async () => {
    const client = datasetClient();
    const lab = new CropLabState(client, { patchDelayMs: 0 });
    await lab.selectDataset(4);
    expect(lab.images.map((i) => i.id)).toEqual([1, 2]);
    expect(lab.sizes.map((s) => s.count)).toEqual([30, 10]);
    expect(lab.thumbnail(2)).toBe('data:thumb-2');
    expect(lab.shown).toMatchObject([{ imageId: 1, src: 'data:preview-1', width: 640, height: 480 }]);
    await tick();
    expect(lab.patchesFor(1)?.train[0]).toBe('data:patch-1-128-0');

    await lab.selectImage(2, true);
    await tick();
    expect(lab.shown.map((i) => i.imageId)).toEqual([1, 2]);
    expect(lab.patchesFor(2)).not.toBeNull();
    lab.useSizeMatchingKTest();
    expect(lab.settings.controls.kTest).toBe(lab.analysis!.kTestSizesMatch);
    lab.dispose();
  });

  it('asks for patches once the sliders settle, not on every move', async () => {
    const client = datasetClient();
    const lab = new CropLabState(client, { patchDelayMs: 20 });
    await lab.selectDataset(4);
    await tick(20);
    const before = client.callsTo('crops.sample').length;
    for (const k of [40, 48, 56, 64]) {
      lab.update({ kTrain: k });
      await tick(19);
    }
    expect(client.callsTo('crops.sample').slice(before)).toEqual([]);
    await tick(1);
    const after = client.callsTo('crops.sample').slice(before);
    expect(after).toEqual([expect.objectContaining({ imageId: 1, kTrain: 64, patches: true })]);
    expect(lab.patchesFor(1)?.train[0]).toBe('data:patch-1-64-0');
    lab.dispose();
  });

  it('shows a failed patch request next to the patches and keeps the boxes', async () => {
    const client = datasetClient().handle('crops.sample', () => {
      throw new Error('Image cat/1.png cannot be used: unreadable');
    });
    const lab = new CropLabState(client, { patchDelayMs: 0 });
    await lab.selectDataset(4);
    await tick();
    expect(lab.patchError).toMatch(/^Image cat\/1\.png cannot be used: unreadable\. /);
    expect(lab.settings.preview(640, 480).train).toHaveLength(8);
    lab.dispose();
  });
});
