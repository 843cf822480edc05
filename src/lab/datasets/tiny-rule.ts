import { medianShortSide, tinyThreshold, type TinyBasis } from '../../core/dataset-stats';
import { HParams } from '../../shared/hparams/train';
import { defaultOf } from '../../shared/hparams/introspect';
import type { Db } from '../../store/db';
import { imageSizes } from '../../store/images';

/** The K a run trains at unless told otherwise. */
const DEFAULT_K_TRAIN = defaultOf(HParams.shape.kTrain) as number;

/** The shorter side below which a dataset's images count as tiny (tinyThreshold), with its reason. */
export function tinyRuleOf(db: Db, datasetId: number, requestedK?: number): { side: number; basis: TinyBasis } {
  const median = requestedK === undefined ? medianShortSide(imageSizes(db, datasetId)) : null;
  return tinyThreshold({ requestedK, defaultK: DEFAULT_K_TRAIN, medianShortSide: median });
}
