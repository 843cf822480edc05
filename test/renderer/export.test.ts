import { describe, expect, it } from 'vitest';
import { ExportState } from '../../src/renderer/src/state/export.svelte';
import { DEFAULT_EXPORT_FORMATS, WorkflowExportRequest } from '../../src/shared/api/exports';
import { FakeClient } from './fake-client';

describe('ExportState', () => {
  it('sends the ticked formats in a stable order to the run or workflow channel', async () => {
    const client = new FakeClient()
      .handle('runs.export', (r) => ({ dir: r.dir, files: [{ path: `${r.dir}/report.html`, format: 'html', bytes: 10 }] }))
      .handle('workflows.export', (r) => ({ dir: r.dir, files: [] }));
    const run = new ExportState(client, { kind: 'run', id: 4 });
    expect(run.problem).toBe('Choose a folder');
    run.dir = ' /tmp/out ';
    for (const f of run.formats) if (f !== 'json' && f !== 'html') run.toggle(f);
    run.toggle('model');
    await run.export();
    expect(client.callsTo('runs.export')).toEqual([
      { id: 4, formats: ['json', 'html', 'model'], dir: '/tmp/out', overwrite: false },
    ]);
    expect(run.result?.files).toHaveLength(1);
    const workflow = new ExportState(client, { kind: 'workflow', id: 2 });
    workflow.dir = '/tmp/w';
    workflow.overwrite = true;
    await workflow.export();
    expect(client.callsTo('workflows.export')).toEqual([
      { id: 2, dir: '/tmp/w', overwrite: true }, // untouched: the lab's default, as from the CLI
    ]);
  });

  it('starts with the formats the lab writes when none are named (the CLI default): the model included', () => {
    const state = new ExportState(new FakeClient(), { kind: 'workflow', id: 1 });
    expect(state.formats).toEqual(DEFAULT_EXPORT_FORMATS);
    expect(state.formats).toContain('model');
    expect(WorkflowExportRequest.parse({ id: 1, dir: '/tmp/x' }).formats).toBeUndefined(); // the lab decides, for both
  });

  it('keeps a refused export as its error and sends nothing without a format', async () => {
    const client = new FakeClient().handle('runs.export', () => {
      throw new Error('/tmp/out already holds report.html. Choose another folder, or allow overwriting.');
    });
    const state = new ExportState(client, { kind: 'run', id: 1 });
    state.dir = '/tmp/out';
    await state.export();
    expect(state.error).toMatch(/already holds/);
    for (const f of [...state.formats]) state.toggle(f);
    expect(state.problem).toBe('Choose at least one format');
    await state.export();
    expect(client.callsTo('runs.export')).toHaveLength(1);
  });
});
