import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, isAbsolute } from 'node:path';
import type {
  ImportModelRequest,
  Model,
  ParsedModelExportRequest,
  ParsedPredictRequest,
  PredictResult,
} from '../../shared/api/models';
import { ImportModelRequest as ImportSchema, UseModelRequest } from '../../shared/api/models';
import { RunConfig, type Run } from '../../shared/api/runs';
import type { RunService } from '../runs';
import type { Db } from '../../store/db';
import * as store from '../../store/models';
import type { EngineHost } from '../engine';
import type { LabEvents } from '../events';
import { missingRow } from '../missing-row';
import { exportModel } from './model-export';
import { resolveModelRef } from './model-refs';
import { importModel } from './model-import';
import { toModel } from './model-view';

export interface ModelServiceOptions {
  db: Db;
  /**
   * The engine that reads weights and runs predictions. The lab passes its image engine, so an
   * import or a prediction never waits behind a training run in the compute queue.
   */
  engine: EngineHost;
  events: LabEvents;
  /** Imported models' checkpoints live in <modelsRoot>/<id>/. */
  modelsRoot: string;
  /** The lab's data folder: exports go elsewhere. */
  dataDir: string;
  runs: RunService;
}

/** Evaluation batch for predictions: a few images at a time keep memory low at large K. */
const PREDICT_BATCH = 8;

/**
 * Imported models: PyTorch weights in (safetensors or torch.save, read without running them),
 * stored with their provenance as a lab checkpoint; listed, removed, run on images and exported
 * back as safetensors. Putting one to work on a dataset is a run of kind `import` (RunService).
 */
export class ModelService {
  #o: ModelServiceOptions;

  constructor(options: ModelServiceOptions) {
    this.#o = options;
  }

  async import(request: ImportModelRequest): Promise<Model> {
    const model = await importModel(this.#o, ImportSchema.parse(request));
    this.#o.events.emit('model.updated', model);
    return model;
  }

  list(): Model[] {
    return store.listModels(this.#o.db).map(toModel);
  }

  get(id: number): Model {
    return toModel(this.#row(id));
  }

  /** Removes a model and its checkpoint; runs made from it keep their own. */
  async remove(id: number): Promise<{ removed: boolean }> {
    const row = store.getModel(this.#o.db, id);
    if (!row) return { removed: false };
    const removed = store.deleteModel(this.#o.db, id);
    if (isInside(this.#o.modelsRoot, row.checkpoint_dir)) await rm(row.checkpoint_dir, { recursive: true, force: true });
    this.#o.events.emit('model.removed', { id });
    return { removed };
  }

  /** A model's (or a run's) logits, probabilities and top-k classes for image files at K_test. */
  async predict(request: ParsedPredictRequest): Promise<PredictResult> {
    if (!request.images?.length) return this.#predictFiles(request, request.files ?? []);
    // Sent images go to a private folder for the engine to read, and are removed afterwards.
    const dir = await mkdtemp(join(tmpdir(), 'fixres-predict-'));
    try {
      const files = await Promise.all(
        request.images.map(async (image, i) => {
          const file = join(dir, `${i}-${image.name.replace(/[^\w.-]/g, '_')}`);
          await writeFile(file, Buffer.from(image.dataBase64, 'base64'));
          return file;
        }),
      );
      const result = await this.#predictFiles(request, files);
      const names = new Map(files.map((file, i) => [file, request.images![i]!.name]));
      return { ...result, predictions: result.predictions.map((p) => ({ ...p, path: names.get(p.path) ?? p.path })) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async #predictFiles(request: ParsedPredictRequest, files: string[]): Promise<PredictResult> {
    const source = resolveModelRef(this.#o.db, request.model);
    const kTest = request.kTest ?? source.preprocessing.testInputSize;
    const cropPct = request.cropPct ?? source.preprocessing.cropPct;
    const result = await this.#o.engine.run('predict', {
      checkpointDir: source.checkpointDir,
      files,
      k: kTest,
      cropPct,
      interpolation: source.preprocessing.interpolation,
      normalize: { mean: source.preprocessing.mean, std: source.preprocessing.std },
      topK: Math.min(request.topK, source.numClasses),
      batchSize: PREDICT_BATCH,
    });
    return {
      kTest,
      cropPct,
      backend: result.backend,
      predictions: result.rows.map((row) => ({
        path: row.path,
        logits: row.logits,
        top: row.top.map((t) => ({ ...t, className: source.classNames?.[t.index] ?? null })),
      })),
    };
  }

  /** Writes a model's (or a fine-tuned run's) weights with torchvision key names, and its config. */
  export(request: ParsedModelExportRequest): Promise<{ dir: string; files: string[] }> {
    return exportModel(this.#o.engine, resolveModelRef(this.#o.db, request.model), request, this.#o.dataDir);
  }

  /**
   * Starts a run of kind `import`: the model on a dataset at its own preprocessing (K_train,
   * crop_pct, interpolation, mean/std), its classifier kept or, when it does not fit the
   * dataset's classes, trained anew on the frozen trunk (a linear probe, test transform off).
   */
  use(request: UseModelRequest): Run {
    const r = UseModelRequest.parse(request);
    const model = this.get(r.modelId);
    const p = model.preprocessing;
    return this.#o.runs.start(
      RunConfig.parse({
        datasetId: r.datasetId,
        modelId: model.id,
        ...(r.name ? { name: r.name } : {}),
        arch: model.arch,
        width: model.width,
        ...(model.blocks ? { blocks: model.blocks } : {}),
        kTrain: r.kTrain ?? p.inputSize,
        kTest: r.kTrain ?? p.inputSize,
        cropPct: p.cropPct,
        interpolation: p.interpolation,
        ...(r.epochs ? { epochs: r.epochs } : {}),
        ...(r.batchSize ? { batchSize: r.batchSize } : {}),
        ...(r.lr ? { lr: r.lr } : {}),
        ...(r.seed !== undefined ? { seed: r.seed } : {}),
        ...(r.backend ? { backend: r.backend } : {}),
      }),
    );
  }

  #row(id: number): store.ModelRow {
    const row = store.getModel(this.#o.db, id);
    if (!row) throw missingRow(this.#o.db, 'model', id, 'id');
    return row;
  }
}

function isInside(root: string, dir: string): boolean {
  const rel = relative(root, dir);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
