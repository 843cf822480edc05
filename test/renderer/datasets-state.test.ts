import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/shared/api/datasets';
import { DatasetsState } from '../../src/renderer/src/state/datasets.svelte';
import { FakeClient } from './fake-client';
import { makeDataset } from './fixtures';

describe('DatasetsState', () => {
  it('opens the folder picked in the native dialog, and opens nothing when the dialog is dismissed', async () => {
    let picked: string | null = '/data/pets';
    const client = new FakeClient()
      .handle('dialog.pickFolder', () => ({ path: picked }))
      .handle('datasets.open', ({ root }) => makeDataset({ id: 4, root }));
    const datasets = new DatasetsState(client);
    await datasets.pickAndOpen();
    expect(client.callsTo('datasets.open')).toEqual([{ root: '/data/pets' }]);
    expect(datasets.selected?.root).toBe('/data/pets');
    picked = null;
    await datasets.pickAndOpen();
    expect(client.callsTo('datasets.open')).toHaveLength(1);
    expect(datasets.error).toBeNull();
  });

  it('cancels the sample being prepared and shows its cancellation where the sample was asked for', async () => {
    let fail: (err: Error) => void = () => {};
    const client = new FakeClient()
      .handle('datasets.trySample', () => new Promise<Dataset>((_, reject) => (fail = reject)))
      .handle('datasets.cancelSample', ({ kind }) => {
        fail(new Error(`Sample dataset cancelled (${kind})`));
        return { cancelled: true };
      });
    const datasets = new DatasetsState(client);
    const trying = datasets.trySample('synthetic');
    expect(datasets.sample).toMatchObject({ kind: 'synthetic' });
    await datasets.cancelSample();
    await trying;
    expect(client.callsTo('datasets.cancelSample')).toEqual([{ kind: 'synthetic' }]);
    expect(datasets.sample).toBeNull();
    expect(datasets.error).toMatch(/^Sample dataset cancelled \(synthetic\)\. /);
    expect(datasets.items).toEqual([]);
  });

  it('drops a folder whose first scan found nothing, says why, and ignores the open reply that crossed the news', async () => {
    const client = new FakeClient();
    const datasets = new DatasetsState(client);
    const stop = datasets.listen();
    let reply: (d: Dataset) => void = () => {};
    client.handle('datasets.open', () => new Promise<Dataset>((resolve) => (reply = resolve)));
    const opening = datasets.open('/data/empty');
    client.emit('dataset.removed', { id: 7, root: '/data/empty', reason: 'No images found in /data/empty.' });
    reply(makeDataset({ id: 7, root: '/data/empty', status: 'scanning' }));
    await opening;
    expect(datasets.items).toEqual([]);
    expect(datasets.selected).toBeNull();
    expect(datasets.error).toBe(
      'Nothing was added from /data/empty: No images found in /data/empty. Open a folder that holds one sub-folder of images per class.',
    );
    stop();
  });

  it('removes a dataset another window forgot, without an error', async () => {
    const client = new FakeClient().handle('datasets.list', () => [makeDataset({ id: 1 }), makeDataset({ id: 2, root: '/b' })]);
    const datasets = new DatasetsState(client);
    const stop = datasets.listen();
    await datasets.load();
    client.emit('dataset.removed', { id: 2, root: null, reason: null });
    expect(datasets.items.map((d) => d.id)).toEqual([1]);
    expect(datasets.selected?.id).toBe(1);
    expect(datasets.error).toBeNull();
    stop();
  });
});
