import Database from 'better-sqlite3';
import { migrate } from '../../src/store/migrate';
import { migrations } from '../../src/store/migrations/index';

/**
 * Databases as earlier versions of FixRes Lab left them: the schema of migrations 1…k, and rows
 * in the shapes that version's writers stored (taken from the commits named below, not from
 * today's writers). Ids have gaps where rows were deleted, as in a database that was used.
 */

/** The oldest schema with each table. */
export const SCHEMA = { datasets: 1, inspection: 2, runs: 3, analysis: 4, workflows: 5 } as const;

/** `freezeRunConfig` of commit 26172b2 (schema 3): a seeded hold-out of `valFraction`, ImageNet normalisation. */
export function runConfigV1(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    datasetId: 1,
    arch: 'resnet-mini',
    width: 0.5,
    kTrain: 24,
    cropPct: 0.875,
    scale: [0.08, 1],
    ratio: [0.75, 4 / 3],
    augment: 'rrc',
    hflip: true,
    jitter: 0,
    interpolation: 'bilinear',
    valFraction: 0.1,
    epochs: 3,
    batchSize: 8,
    lr: 0.1,
    momentum: 0.9,
    nesterov: false,
    weightDecay: 5e-4,
    labelSmoothing: 0,
    schedule: 'cosine',
    warmupEpochs: 0,
    gamma: 0.1,
    minLr: 0,
    seed: 7,
    kTest: 24,
    trainable: 'full',
    evalBatchSize: 16,
    trainImages: 5,
    valImages: 1,
    ...extra,
  };
}

/** Commit 4fa405a (schema 4): the dataset's own split; `normalize` and its values resolved once. */
export function runConfigV2(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { valFraction: _dropped, ...v1 } = runConfigV1();
  return {
    ...v1,
    normalize: 'dataset',
    normalizeValues: { mean: [0.5, 0.4, 0.3], std: [0.2, 0.2, 0.25] },
    ...extra,
  };
}

/** Commit 811fab1 (schema 5): `decodeCache`. */
export function runConfigV3(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...runConfigV2(), decodeCache: true, ...extra };
}

/** Commit 496c7f3 (schema 5): a workflow's request with every default resolved. */
export const workflowConfigV1 = {
  datasetId: 1,
  budgetMinutes: 30,
  arch: 'resnet-mini',
  width: 1,
  epochs: 3,
  batchSize: 8,
  lr: 0.1,
  warmupEpochs: 0,
  cropPct: 0.875,
  scale: [0.08, 1],
  ratio: [0.75, 4 / 3],
  normalize: 'imagenet',
  seed: 0,
  adapt: false,
  finetune: { mode: 'bn+classifier', augment: 'da1', epochs: 2 },
};

/** Commit 496c7f3: the analyze step's output before 30e55e7 kept the unrounded K_test* and its multiple. */
export const analyzeOutputV1 = {
  kTrain: 24,
  closedFormAlpha: 0.81,
  monteCarloAlpha: 0.84,
  meanTrainOverTest: 1.21,
  fallbackRate: 0.01,
  kTestStar: 28,
  images: 6,
};

const histogram = { accuracy: 0.01, positive: { offset: -300, counts: [1, 2, 3] }, negative: { offset: 0, counts: [] } };
const summary = { n: 10, nonFinite: 0, zeros: 4, mean: 0.5, std: 0.25, min: 0, max: 2, histogram };

/** What a workflow's sweeps found, as the sweep step stored it. */
const sweepOutput = (sweepId: number, runId: number) => ({
  sweepId,
  runId,
  kTests: [16, 24, 28],
  best: { kTest: 28, top1: 0.6 },
  atKTrain: { kTest: 24, top1: 0.5 },
});

/**
 * Writes `file` as a database of schema `version`. Rows: dataset 1 (dataset 2 was deleted),
 * 6 images; from schema 3 run 1 and its fine-tune run 3 (run 2 was deleted) with epochs; from
 * schema 4 sweep points and activation statistics; from schema 5 sweep 1 with its settings and
 * reference, and workflow 2 (workflow 1 was deleted) with every step's output and its summary,
 * naming the fine-tuned run 7 and its sweep 2, deleted since. Run 5's dataset 2 was deleted.
 */
export function writeOldDatabase(file: string, version: number, datasetRoot: string): void {
  const db = new Database(file);
  try {
    migrate(
      db,
      migrations.filter((m) => m.version <= version),
    );
    db.prepare(
      `INSERT INTO datasets (id, root, name, status, scanned_at) VALUES (1, ?, 'pets', 'ready', '2026-11-26T17:00:00Z')`,
    ).run(datasetRoot);
    const image = db.prepare(
      `INSERT INTO images (dataset_id, rel_path, class_name, split, bytes, mtime_ms) VALUES (1, ?, ?, ?, 100, 1)`,
    );
    for (const cls of ['cat', 'dog'])
      for (let i = 0; i < 3; i++) image.run(`${cls}/img-${i}.png`, cls, i === 2 ? 'val' : 'train');
    if (version >= SCHEMA.inspection) {
      db.prepare(`UPDATE images SET status = 'ok', width = 16, height = 12, format = 'png', hash = 'h' || id`).run();
    }
    if (version < SCHEMA.runs) return;
    const config = version >= SCHEMA.workflows ? runConfigV3 : version >= SCHEMA.analysis ? runConfigV2 : runConfigV1;
    const run = db.prepare(
      `INSERT INTO runs (id, kind, name, parent_id, dataset_id, status, config, epochs_done, checkpoint_dir, checkpoint_epoch, checkpoint_batch)
       VALUES (?, ?, ?, ?, 1, 'completed', ?, 1, ?, 0, 0)`,
    );
    run.run(1, 'train', 'old run', null, JSON.stringify(config()), '/old/runs/1');
    run.run(
      3,
      'finetune',
      'old fine-tune',
      1,
      JSON.stringify(config({ parentRunId: 1, trainable: 'bn+classifier', kTest: 28 })),
      '/old/runs/3',
    );
    const epoch = db.prepare(`INSERT INTO epochs (run_id, epoch, phase, loss, acc, lr) VALUES (?, 0, ?, ?, ?, 0.1)`);
    epoch.run(1, 'train', 1.5, 0.5);
    epoch.run(1, 'val', 1.4, 0.6);
    epoch.run(3, 'train', 1.2, 0.6);
    if (version >= SCHEMA.workflows) {
      // A run stored just before `decodeCache` existed (schema 5 already had workflows then).
      // Its dataset (2) was deleted since: the column was cleared, the frozen config still names it.
      db.prepare(
        `INSERT INTO runs (id, kind, name, dataset_id, status, config) VALUES (5, 'train', 'run before the decode cache', NULL, 'failed', ?)`,
      ).run(JSON.stringify(runConfigV2({ datasetId: 2 })));
    }
    if (version < SCHEMA.analysis) return;
    const point = db.prepare(
      `INSERT INTO sweep_points (run_id, k_test, adapter, top1, top5, loss, n) VALUES (1, ?, 'none', ?, NULL, 1, 2)`,
    );
    point.run(24, 0.5);
    point.run(28, 0.6);
    db.prepare(
      `INSERT INTO activation_stats (run_id, k_test, n, non_finite, mean, std, zero_frac, min, max, histogram, frechet_mu, frechet_sigma, frechet_xi, frechet_zeros, frechet_ks)
       VALUES (1, 24, 10, 0, 0.5, 0.25, 0.4, 0, 2, ?, 0.4, 0.3, 0.3, 'censored', 0.05)`,
    ).run(JSON.stringify(histogram));
    if (version < SCHEMA.workflows) return;
    const settings = {
      kTests: [16, 24, 28],
      kTrain: 24,
      kTestStar: 28,
      cropPct: 0.875,
      reference: 'train-augment',
      referenceImages: 2000,
      reservoir: 20000,
      xi: 0.3,
      freeXi: false,
      batchSize: 16,
    };
    const reference = {
      source: 'train-augment',
      kTrain: 24,
      images: 5,
      summary,
      frechet: { mu: 0.4, sigma: 0.3, xi: 0.3, zeros: 'censored', ks: 0.05 },
    };
    db.prepare(
      `INSERT INTO sweeps (id, run_id, adapter, status, settings, reference) VALUES (1, 1, 'frechet', 'completed', ?, ?)`,
    ).run(JSON.stringify(settings), JSON.stringify(reference));
    db.prepare(`UPDATE sweep_points SET sweep_id = 1`).run();
    const workflowSummary = {
      kTrain: 24,
      kTestStar: 28,
      trainRunId: 1,
      finetuneRunId: 7,
      atKTrain: { kTest: 24, top1: 0.5 },
      bestTested: { kTest: 28, top1: 0.6 },
      frechet: null,
      finetuned: null,
      finetunedBest: null,
      best: { kTest: 28, top1: 0.6, series: 'baseline' },
      gain: 0.1,
      phases: [{ step: 'train', seconds: 12, peakRssMb: 300, imgPerSec: 50 }],
      totalSeconds: 12,
    };
    db.prepare(
      `INSERT INTO workflows (id, name, dataset_id, status, config, summary) VALUES (2, 'old workflow', 1, 'completed', ?, ?)`,
    ).run(JSON.stringify(workflowConfigV1), JSON.stringify(workflowSummary));
    const outputs: Record<string, unknown> = {
      plan: { kTrain: 24, source: 'given', suggestion: null },
      train: { runId: 1, kTrain: 24, lastAcc: 0.6 },
      analyze: analyzeOutputV1,
      sweep: sweepOutput(1, 1),
      adapt: { skipped: true },
      finetune: { runId: 7, kTrain: 28, lastAcc: 0.7 },
      'sweep-finetuned': sweepOutput(2, 7),
      summary: workflowSummary,
    };
    const step = db.prepare(
      `INSERT INTO workflow_steps (workflow_id, position, step, status, run_id, sweep_id, output) VALUES (2, ?, ?, 'completed', ?, ?, ?)`,
    );
    Object.entries(outputs).forEach(([name, output], position) =>
      step.run(position, name, name === 'train' ? 1 : null, name === 'sweep' ? 1 : null, JSON.stringify(output)),
    );
    if (version >= LASTING_IDS) {
      // From schema 6 ids are AUTOINCREMENT: the deleted rows' ids stayed counted, as the app left them.
      const counted = { datasets: 2, images: 6, runs: 7, sweeps: 2, workflows: 2 };
      const set = db.prepare(`UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?`);
      for (const [table, seq] of Object.entries(counted)) set.run(seq, table);
    }
  } finally {
    db.close();
  }
}

/** The schema from which ids are never reused (migration 006). */
const LASTING_IDS = 6;
