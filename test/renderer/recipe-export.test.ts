import { describe, expect, it } from 'vitest';
import { LabError } from '../../src/shared/errors';
import { TrainFormState } from '../../src/renderer/src/state/train-form.svelte';
import { FakeClient } from './fake-client';

describe('"Run elsewhere…" on the run form (RecipeExportState)', () => {
  it("writes the form's settings as a torchrun recipe into the chosen folder and shows how to run it", async () => {
    const client = new FakeClient()
      .handle('dialog.pickFolder', () => ({ path: '/gpu/recipes/r1' }))
      .handle('runs.exportRecipe', ({ dir }) => ({ dir, files: ['train.py', 'recipe.json'] }));
    const form = new TrainFormState(client);
    const recipe = form.elsewhere;
    expect(recipe.problem).toBe('Fix the form first: the recipe is the run it describes');
    form.offerDatasets([4]);
    form.values.kTrain = 64;
    expect(recipe.problem).toBe('Choose a folder');
    recipe.toggle();
    expect(recipe.open).toBe(true);
    await recipe.pickFolder();
    await recipe.write();
    expect(client.callsTo('runs.exportRecipe')).toEqual([
      { config: expect.objectContaining({ datasetId: 4, kTrain: 64 }), format: 'torchrun', dir: '/gpu/recipes/r1', force: false },
    ]);
    expect(client.callsTo('runs.start')).toEqual([]);
    expect(recipe.result?.files).toEqual(['train.py', 'recipe.json']);
    expect(recipe.command).toBe('torchrun --standalone --nproc_per_node N /gpu/recipes/r1/train.py --data IMAGEFOLDER --out OUT');
  });

  it("shows the lab's refusal (e.g. DA2 or a folder that holds a recipe) and writes nothing while the form is invalid", async () => {
    const client = new FakeClient().handle('runs.exportRecipe', () => {
      throw new LabError({
        name: 'UserError',
        code: 'Conflict',
        message: '/r already holds train.py. Choose another folder, or allow overwriting.',
        field: 'dir',
      });
    });
    const form = new TrainFormState(client);
    form.elsewhere.dir = '/r';
    await form.elsewhere.write();
    expect(client.callsTo('runs.exportRecipe')).toEqual([]);
    form.offerDatasets([1]);
    await form.elsewhere.write();
    expect(form.elsewhere.error).toMatch(/already holds train\.py/);
    expect(form.elsewhere.result).toBeNull();
  });
});
