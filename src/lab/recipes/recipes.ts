import { join } from 'node:path';
import { ExportRecipeRequest, type ExportRecipeResult, type FrozenRunConfig, type RunConfig } from '../../shared/api/runs';
import { userError } from '../../shared/errors';
import type { Db } from '../../store/db';
import { databaseId } from '../../store/lasting-ids';
import type { EngineHost } from '../engine';
import { abandonExport, commitExport, prepareExportDir, writeStagedFile } from '../export';
import { datasetClassNames, resolveModelRef } from '../models';
import type { RunService } from '../runs';
import { INIT_WEIGHTS, torchrunRecipe } from './recipe-config';
import { TORCHRUN_TRAIN_PY } from './torchrun-script';

export interface RecipeServiceOptions {
  db: Db;
  runs: RunService;
  /** Writes a fine-tune's starting weights (the image engine: never queued behind training). */
  engine: EngineHost;
  /** The lab's data folder: recipes go elsewhere. */
  dataDir: string;
}

/**
 * Runs handed to PyTorch: `train.py` + `recipe.json` reproduce a run under `torchrun` (DDP), and a
 * fine-tune's recipe carries its parent's weights as `init.safetensors`. The result comes back with
 * `fixres model import`, which reads the run id from its config.json.
 */
export class RecipeService {
  #o: RecipeServiceOptions;

  constructor(options: RecipeServiceOptions) {
    this.#o = options;
  }

  async export(request: ExportRecipeRequest): Promise<ExportRecipeResult> {
    const r = ExportRecipeRequest.parse(request);
    const { run, config } = r.config ? this.#planned(r.config) : this.#stored(r.id!);
    if (run.datasetId === null) throw userError(`The dataset of run #${run.id} was removed: its classes are unknown`, 'id');
    const recipe = torchrunRecipe(run, config, datasetClassNames(this.#o.db, run.datasetId), databaseId(this.#o.db));
    const files = ['train.py', 'recipe.json', ...(recipe.init ? [INIT_WEIGHTS] : [])];
    const target = await prepareExportDir(r.dir, files, { overwrite: r.force, dataDir: this.#o.dataDir });
    try {
      await writeStagedFile(target, 'train.py', TORCHRUN_TRAIN_PY);
      await writeStagedFile(target, 'recipe.json', `${JSON.stringify(recipe, null, 2)}\n`);
      if (recipe.init) {
        const parent = resolveModelRef(this.#o.db, { runId: run.parentId! });
        await this.#o.engine.run('export-weights', {
          checkpointDir: parent.checkpointDir,
          arch: parent.arch,
          outFile: join(target.staging, INIT_WEIGHTS),
        });
      }
      await commitExport(target, files);
    } catch (err) {
      await abandonExport(target);
      throw err;
    }
    return { dir: target.dir, files };
  }

  #stored(id: number): { run: RecipeRun; config: FrozenRunConfig } {
    const run = this.#o.runs.get(id);
    return { run, config: run.config };
  }

  /** The run form's settings, frozen as starting them would; the recipe then names no run. */
  #planned(cfg: RunConfig): { run: RecipeRun; config: FrozenRunConfig } {
    const plan = this.#o.runs.plan(cfg);
    return {
      run: { id: null, kind: plan.kind, name: plan.name, parentId: plan.parentId, datasetId: plan.datasetId },
      config: plan.config,
    };
  }
}

type RecipeRun = Parameters<typeof torchrunRecipe>[0] & { datasetId: number | null };
