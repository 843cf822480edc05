import type { Accuracy, ImageSet, PairedGain } from '../../shared/api/sweeps';
import type { Db } from '../../store/db';
import { listPointImages } from '../../store/point-images';
import { listRunPoints } from '../../store/sweeps';
import { accuracyOn, gainBetween, protocolFor, withImages } from './point-statistics';
import { requireRun } from './sweep-views';

/** Two runs at one K_test on the same images (the rows of compareRuns). */
export interface RunComparison {
  kTest: number;
  images: ImageSet;
  first: Accuracy | null;
  second: Accuracy | null;
  /** second − first with McNemar's test (null without per-image results for both). */
  gain: PairedGain | null;
}

/**
 * A fine-tuned (or any) run against its parent, K_test by K_test: both tested as they are, on
 * the held-out half when both have per-image results (else all images), with McNemar's test.
 */
export function compareRuns(db: Db, firstRunId: number, secondRunId: number): RunComparison[] {
  const [first, second] = [firstRunId, secondRunId].map((id) => {
    requireRun(db, id);
    return withImages(
      listRunPoints(db, id).filter((p) => p.adapter === 'none'),
      listPointImages(db, id),
    );
  });
  const { reportOn } = protocolFor([...first!, ...second!]);
  return second!.map((b) => {
    const a = first!.find((m) => m.point.kTest === b.point.kTest) ?? null;
    return {
      kTest: b.point.kTest,
      images: reportOn,
      first: a && accuracyOn(a, reportOn),
      second: accuracyOn(b, reportOn),
      gain: a ? gainBetween(a, b, reportOn) : null,
    };
  });
}
