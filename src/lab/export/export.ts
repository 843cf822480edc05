import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { bestKTest } from '../../core/ktest';
import {
  EXPORT_FORMATS,
  type ExportFormat,
  ExportResult,
  type PreprocessingConfig,
  type RunExportRequest,
  type WorkflowExportRequest,
} from '../../shared/api/exports';
import { isTorchvisionArch } from '../../shared/models/registry';
import type { RunDetail } from '../../shared/api/runs';
import type { SweepPoint } from '../../shared/api/sweeps';
import { userError } from '../../shared/errors';
import type { Db } from '../../store/db';
import { usableImages } from '../../store/images';
import type { EngineHost } from '../engine';
import { reportCsvFiles } from './export-csv';
import { runReportData, workflowReportData, type ReportData } from './export-data';
import { reportHtml } from './export-html';
import { shownMistakeImageIds, type ReportThumbnails } from './export-outcomes-html';
import {
  abandonExport,
  commitExport,
  exportFsError,
  isFsError,
  prepareExportDir,
  writeStagedFile,
  type ExportTarget,
} from './export-paths';
import type { RunService } from '../runs';
import type { SweepService } from '../sweeps';
import type { WorkflowService } from '../workflows';

export interface ExportServiceOptions {
  db: Db;
  runs: RunService;
  sweeps: SweepService;
  workflows: WorkflowService;
  /** The compute engine: it writes the model files (loading a checkpoint needs tfjs). */
  engine: EngineHost;
  dataDir: string;
  version: string;
  /** The mistakes gallery's thumbnails as data URLs (DatasetImageService.thumbnails): the report shows them. */
  thumbnails: (imageIds: number[]) => Promise<{ imageId: number; dataUrl: string | null }[]>;
}

interface StagedFile {
  name: string;
  format: ExportFormat;
  bytes: number;
}

type ParsedExport<T> = Required<Omit<T, 'overwrite' | 'formats'>> & { formats?: ExportFormat[]; overwrite: boolean };

const PREPROCESSING = 'model/preprocessing.json';
const FILES: Record<ExportFormat, string[]> = {
  csv: ['sweep-points.csv', 'epochs.csv', 'activations.csv', 'speed.csv'],
  json: ['results.json'],
  html: ['report.html'],
  model: ['model/model.json', 'model/weights.bin', PREPROCESSING],
  onnx: ['model/model.onnx', PREPROCESSING],
  safetensors: ['model/model.safetensors', PREPROCESSING],
};
/** The engine's model formats behind each export format that writes a model. */
const MODEL_FORMATS = { model: 'tfjs', onnx: 'onnx', safetensors: 'safetensors' } as const;

/** Writes a run's or a workflow's results (CSV, JSON, a self-contained HTML report) and its model into a folder the user chose. */
export class ExportService {
  #o: ExportServiceOptions;

  constructor(options: ExportServiceOptions) {
    this.#o = options;
  }

  exportRun(request: ParsedExport<RunExportRequest>): Promise<ExportResult> {
    return this.#write(runReportData(this.#deps(), request.id), request);
  }

  exportWorkflow(request: ParsedExport<WorkflowExportRequest>): Promise<ExportResult> {
    return this.#write(workflowReportData(this.#deps(), this.#o.workflows.get(request.id)), request);
  }

  async #write(data: ReportData, request: { formats?: ExportFormat[]; dir: string; overwrite: boolean }): Promise<ExportResult> {
    const modelRun = data.runs.find((r) => r.id === data.modelRunId) ?? this.#o.runs.get(data.modelRunId);
    const torchvision = isTorchvisionArch(modelRun.config.arch, modelRun.config.width);
    const formats = [...new Set(request.formats ?? EXPORT_FORMATS.filter((f) => f !== 'safetensors' || torchvision))];
    const modelFormats = formats.filter((f): f is keyof typeof MODEL_FORMATS => f in MODEL_FORMATS);
    if (modelFormats.length && (!modelRun.checkpointDir || !modelRun.checkpoint))
      throw userError(`Run ${modelRun.id} has no checkpoint to export a model from`, 'formats', 'Conflict');
    if (formats.includes('safetensors') && !torchvision)
      throw userError(
        `Run ${modelRun.id} is a ${modelRun.config.arch}${modelRun.config.width !== 1 ? ` at width ${modelRun.config.width}` : ''}, which torchvision has no model for, so there are no torchvision key names to write; export it as model or onnx instead`,
        'formats',
      );
    const target = await prepareExportDir(request.dir, [...new Set(formats.flatMap((f) => FILES[f]))], {
      overwrite: request.overwrite,
      dataDir: this.#o.dataDir,
    });
    try {
      const files = await this.#stage(target, data, formats, modelRun);
      await commitExport(
        target,
        files.map((f) => f.name),
      );
      return { dir: target.dir, files: files.map(({ name, ...f }) => ({ ...f, path: join(target.dir, name) })) };
    } catch (err) {
      await abandonExport(target);
      throw isFsError(err) ? exportFsError(target.dir, err) : err;
    }
  }

  /** Writes every file of an export into its staging folder; returns them by name relative to the export folder. */
  async #stage(target: ExportTarget, data: ReportData, formats: ExportFormat[], modelRun: RunDetail): Promise<StagedFile[]> {
    const files: StagedFile[] = [];
    const put = async (name: string, format: ExportFormat, content: string) =>
      files.push({ name, format, bytes: await writeStagedFile(target, name, content) });
    if (formats.includes('csv')) for (const [name, csv] of Object.entries(reportCsvFiles(data))) await put(name, 'csv', csv);
    if (formats.includes('json')) await put('results.json', 'json', `${JSON.stringify(data, null, 2)}\n`);
    if (formats.includes('html')) await put('report.html', 'html', reportHtml(data, await this.#reportThumbnails(data)));
    const modelFormats = formats.filter((f): f is keyof typeof MODEL_FORMATS => f in MODEL_FORMATS);
    if (!modelFormats.length) return files;
    const classNames = this.#classNames(modelRun);
    for (const format of modelFormats) {
      if (format === 'safetensors') {
        const name = join('model', 'model.safetensors');
        await mkdir(join(target.staging, 'model'), { recursive: true });
        const { bytes } = await this.#o.engine.run('export-weights', {
          checkpointDir: modelRun.checkpointDir!,
          arch: modelRun.config.arch,
          outFile: join(target.staging, name),
        });
        files.push({ name, format, bytes });
        continue;
      }
      const written = await this.#o.engine.run('export-model', {
        checkpointDir: modelRun.checkpointDir!,
        numClasses: classNames.length,
        outDir: join(target.staging, 'model'),
        format: MODEL_FORMATS[format],
      });
      for (const name of written.files) {
        const bytes = (await stat(join(target.staging, 'model', name))).size;
        files.push({ name: join('model', name), format, bytes });
      }
    }
    // One preprocessing.json serves both model files: test_input_size is the chosen K_test.
    const config = preprocessingConfig(modelRun, this.#parentOf(modelRun), classNames, data.points, this.#o.version);
    await put(PREPROCESSING, modelFormats[0]!, `${JSON.stringify(config, null, 2)}\n`);
    return files;
  }

  /** Thumbnails of the mistakes the report shows (an image that cannot be read is shown by its path only). */
  async #reportThumbnails(data: ReportData): Promise<ReportThumbnails> {
    const ids = shownMistakeImageIds(data.outcomes);
    if (!ids.length) return new Map();
    const thumbs = await this.#o.thumbnails(ids);
    return new Map(thumbs.flatMap((t) => (t.dataUrl ? [[t.imageId, t.dataUrl] as const] : [])));
  }

  #classNames(run: RunDetail): string[] {
    if (run.datasetId === null)
      throw userError(`The dataset of run #${run.id} was removed, so its class names are unknown`, 'id', 'NotFound');
    return [...new Set(usableImages(this.#o.db, run.datasetId).map((i) => i.className))].sort();
  }

  #parentOf(run: RunDetail): RunDetail | null {
    return run.parentId === null ? null : this.#o.runs.get(run.parentId);
  }

  #deps() {
    return { db: this.#o.db, runs: this.#o.runs, sweeps: this.#o.sweeps, version: this.#o.version };
  }
}

/**
 * timm's pretrained_cfg, for our model: the size it was trained (or fine-tuned) at, the test size
 * with the best measured top-1 (the free "test larger" gain), the test transform (crop_pct,
 * interpolation, centre crop) and the normalisation, so the model can be used elsewhere exactly.
 */
export function preprocessingConfig(
  run: RunDetail,
  parent: RunDetail | null,
  classNames: string[],
  points: SweepPoint[],
  version: string,
): PreprocessingConfig {
  const c = run.config;
  const own = points.filter((p) => p.runId === run.id && p.adapter === 'none');
  const best = bestKTest(own);
  const testK = best?.kTest ?? c.kTest;
  const atInput = own.find((p) => p.kTest === c.kTrain)?.top1 ?? (c.kTest === c.kTrain ? run.lastAcc : null);
  return {
    architecture: c.arch,
    width: c.width,
    num_classes: classNames.length,
    label_names: classNames,
    input_size: [3, c.kTrain, c.kTrain],
    test_input_size: [3, testK, testK],
    crop_pct: c.cropPct,
    test_crop_pct: c.cropPct,
    crop_mode: 'center',
    interpolation: c.interpolation,
    mean: c.normalizeValues.mean,
    std: c.normalizeValues.std,
    layout: 'NHWC',
    input_range: [0, 1],
    fine_tuned:
      run.kind === 'finetune' && parent
        ? { parent_run: parent.id, k: c.kTrain, trainable: c.trainable, augment: c.augment, parent_k_train: parent.config.kTrain }
        : null,
    top1: { at_input_size: atInput, at_test_input_size: best?.top1 ?? atInput },
    source: { app: 'FixRes Lab', version, run_id: run.id, exported_at: new Date().toISOString() },
  };
}
