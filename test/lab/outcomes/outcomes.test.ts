import { describe, expect, it } from 'vitest';
import { LabEvents } from '../../../src/lab/events';
import { outcomeDetail, outcomeMistakes, outcomePoints, perClassAccuracy } from '../../../src/lab/outcomes/outcome-views';
import { mistakesOf, recordOutcome } from '../../../src/lab/outcomes/record-outcome';
import { MistakesRequest } from '../../../src/shared/api/outcomes';
import { openDatabase, type Db } from '../../../src/store/db';
import { deleteRun, insertRun } from '../../../src/store/runs';
import { frozenRunConfig } from '../../helpers/frozen-config';

const classNames = ['cat', 'dog', 'fox'];
// Six validation images: cat, cat, dog, dog, fox, fox.
const items = [0, 0, 1, 1, 2, 2].map((label, i) => ({ relPath: `val/${classNames[label]}/${i}.png`, label }));
// cat→cat, cat→dog (0.9), dog→dog, dog→fox (0.6), fox→dog (0.75), fox→fox
const predicted = [0, 1, 1, 2, 1, 2];
const confidence = [0.8, 0.9, 0.7, 0.6, 0.75, 0.99];
const confusion = [
  [1, 1, 0],
  [0, 1, 1],
  [0, 1, 1],
];
const outcome = { confusion, items: { predicted: Int32Array.from(predicted), confidence: Float32Array.from(confidence) } };

function labWithFamily(): { db: Db; events: LabEvents; saved: unknown[] } {
  const { db } = openDatabase(':memory:');
  const insert = (kind: 'train' | 'finetune', parentId: number | null) =>
    insertRun(db, {
      kind,
      name: kind,
      parentId,
      datasetId: null,
      config: frozenRunConfig({ kTrain: 24, kTest: 32 }, { isFineTune: kind === 'finetune' }),
      checkpointDir: (id) => `/tmp/outcomes-${id}`,
    });
  insert('train', null); // #1
  insert('finetune', 1); // #2
  const events = new LabEvents();
  const saved: unknown[] = [];
  events.subscribe((e, p) => e === 'outcome.saved' && saved.push(p));
  return { db, events, saved };
}

const record = (lab: { db: Db; events: LabEvents }, runId: number, kTest: number, adapter: 'none' | 'frechet' = 'none') =>
  recordOutcome(lab.db, lab.events, { runId, kTest, adapter, source: 'sweep', classNames, items, outcome });

describe('where a model is wrong (outcomes)', () => {
  it('takes as mistakes exactly the images whose top-1 prediction is not their label, with its confidence', () => {
    expect(mistakesOf(items, outcome)).toEqual([
      { relPath: 'val/cat/1.png', trueClass: 0, predictedClass: 1, confidence: expect.closeTo(0.9, 6) },
      { relPath: 'val/dog/3.png', trueClass: 1, predictedClass: 2, confidence: expect.closeTo(0.6, 6) },
      { relPath: 'val/fox/4.png', trueClass: 2, predictedClass: 1, confidence: expect.closeTo(0.75, 6) },
    ]);
  });

  it('skips images the pass did not evaluate and refuses predictions that do not match the images one to one', () => {
    const partial = {
      confusion,
      items: { predicted: Int32Array.from([-1, 1, 1, 2, 1, 2]), confidence: Float32Array.from(confidence) },
    };
    expect(mistakesOf(items, partial).map((m) => m.relPath)).not.toContain('val/cat/0.png');
    const short = { confusion, items: { predicted: Int32Array.from([0]), confidence: Float32Array.from([1]) } };
    expect(() => mistakesOf(items, short)).toThrow(/1 predictions for 6 images/);
  });

  it('gives per-class accuracy and the class most of each class’s mistakes went to', () => {
    expect(perClassAccuracy(classNames, confusion)).toEqual([
      { name: 'cat', n: 2, correct: 1, accuracy: 0.5, confusedWith: { name: 'dog', count: 1 } },
      { name: 'dog', n: 2, correct: 1, accuracy: 0.5, confusedWith: { name: 'fox', count: 1 } },
      { name: 'fox', n: 2, correct: 1, accuracy: 0.5, confusedWith: { name: 'dog', count: 1 } },
    ]);
    expect(
      perClassAccuracy(
        ['a', 'b'],
        [
          [3, 0],
          [0, 0],
        ],
      ),
    ).toEqual([
      { name: 'a', n: 3, correct: 3, accuracy: 1, confusedWith: null },
      { name: 'b', n: 0, correct: 0, accuracy: null, confusedWith: null },
    ]);
  });

  it('stores a point’s matrix with its totals, tells the clients, and lists the family’s points by series', () => {
    const lab = labWithFamily();
    record(lab, 1, 32);
    record(lab, 1, 48, 'frechet');
    record(lab, 2, 32);
    expect(lab.saved).toEqual([
      { runId: 1, kTest: 32, adapter: 'none' },
      { runId: 1, kTest: 48, adapter: 'frechet' },
      { runId: 2, kTest: 32, adapter: 'none' },
    ]);
    const points = outcomePoints(lab.db, 2); // a fine-tuned run answers for its parent's family
    expect(points.map((p) => [p.runId, p.kTest, p.series, p.n, p.correct])).toEqual([
      [1, 48, 'frechet', 6, 3],
      [1, 32, 'baseline', 6, 3],
      [2, 32, 'finetuned', 6, 3],
    ]);
    expect(points[1]!.top1).toBe(0.5);
    const detail = outcomeDetail(lab.db, { runId: 1, kTest: 32, adapter: 'none' });
    expect(detail).toMatchObject({ classNames, confusion, series: 'baseline', label: '#1 trained at 24' });
    expect(detail.perClass.map((c) => c.accuracy)).toEqual([0.5, 0.5, 0.5]);
  });

  it('pages mistakes most confident first, filtered by true or predicted class', () => {
    const lab = labWithFamily();
    record(lab, 1, 32);
    const page = (extra: object) =>
      outcomeMistakes(lab.db, MistakesRequest.parse({ runId: 1, kTest: 32, adapter: 'none', ...extra }));
    const all = page({});
    expect(all.total).toBe(3);
    expect(all.items.map((m) => m.relPath)).toEqual(['val/cat/1.png', 'val/fox/4.png', 'val/dog/3.png']);
    expect(all.items.every((m) => m.imageId === null)).toBe(true); // the run has no dataset to look thumbnails up in
    expect(page({ predictedClass: 1 }).items.map((m) => m.relPath)).toEqual(['val/cat/1.png', 'val/fox/4.png']);
    expect(page({ trueClass: 1 })).toMatchObject({ total: 1, items: [{ relPath: 'val/dog/3.png' }] });
    expect(page({ limit: 1, offset: 1 })).toMatchObject({ total: 3, items: [{ relPath: 'val/fox/4.png' }] });
  });

  it('replaces a point measured again instead of adding its mistakes twice', () => {
    const lab = labWithFamily();
    record(lab, 1, 32);
    const better = {
      confusion: [
        [2, 0, 0],
        [0, 2, 0],
        [0, 1, 1],
      ],
      items: { predicted: Int32Array.from([0, 0, 1, 1, 1, 2]), confidence: Float32Array.from(confidence) },
    };
    recordOutcome(lab.db, lab.events, {
      runId: 1,
      kTest: 32,
      adapter: 'none',
      source: 'training',
      classNames,
      items,
      outcome: better,
    });
    expect(outcomeDetail(lab.db, { runId: 1, kTest: 32, adapter: 'none' })).toMatchObject({ source: 'training', correct: 5 });
    expect(outcomeMistakes(lab.db, MistakesRequest.parse({ runId: 1, kTest: 32, adapter: 'none' })).total).toBe(1);
  });

  it('says to run a sweep for a point never measured, and forgets a deleted run’s points', () => {
    const lab = labWithFamily();
    record(lab, 1, 32);
    expect(() => outcomeDetail(lab.db, { runId: 1, kTest: 64, adapter: 'none' })).toThrow(
      /no confusion matrix at K_test 64: run a sweep/,
    );
    deleteRun(lab.db, 1);
    expect(() => outcomePoints(lab.db, 1)).toThrow(/#1/);
    expect(lab.db.prepare('SELECT COUNT(*) AS n FROM point_mistakes').get()).toEqual({ n: 0 });
  });
});
