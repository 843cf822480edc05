import { workCostOf } from '../jobs';
import type { EpochRow, Run, RunDetail } from '../../shared/api/runs';
import type { EpochPhaseRow, RunRow } from '../../store/runs';

/** A stored run as the contract shows it. */
export function toRun(row: RunRow): Run {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    parentId: row.parent_id,
    datasetId: row.dataset_id,
    status: row.status,
    config: row.config,
    backend: row.backend,
    createdAt: row.created_at,
    ...workCostOf(row),
    epochsDone: row.epochs_done,
    checkpointDir: row.checkpoint_dir,
    checkpoint: row.checkpoint_epoch === null ? null : { epoch: row.checkpoint_epoch, batch: row.checkpoint_batch ?? 0 },
    lastAcc: row.last_acc,
  };
}

export function toRunDetail(row: RunRow, epochs: EpochPhaseRow[]): RunDetail {
  return { ...toRun(row), epochs: epochs.map(toEpochRow) };
}

function toEpochRow(e: EpochPhaseRow): EpochRow {
  return {
    epoch: e.epoch,
    phase: e.phase,
    loss: e.loss,
    acc: e.acc,
    top5: e.top5,
    lr: e.lr,
    imgPerSec: e.img_per_sec,
    seconds: e.seconds,
  };
}
