import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src/lab/lab';
import { SweepRequest, type SweepPoint } from '../../../src/shared/api/sweeps';
import { WorkflowRequest, type Workflow } from '../../../src/shared/api/workflows';
import { writePatternFolder } from '../../helpers/pattern-images';
import { killNewestEngine } from '../helpers/processes';
import { nextEvent, startTrainingLab, type TrainingLab } from '../helpers/training-lab';

let t: TrainingLab;
let runId: number;
beforeAll(async () => {
  t = await startTrainingLab();
  const run = await t.trainToEnd({ epochs: 2 });
  expect(run.status).toBe('completed');
  runId = run.id;
});
afterAll(() => t.close());

/** The K_test values each `sweep.point` event of `sweepId` reports from now on. */
function measuredPoints(lab: Lab, sweepId: number): { kTests: number[]; off(): void } {
  const kTests: number[] = [];
  const off = lab.events.subscribe((event, payload) => {
    const p = payload as { sweepId: number; kTest: number };
    if (event === 'sweep.point' && p.sweepId === sweepId) kTests.push(p.kTest);
  });
  return { kTests, off };
}

/** What a point measures (timings left out: they differ between sessions). */
const measuresOf = (points: SweepPoint[]) => points.map((p) => [p.adapter, p.kTest, p.top1, p.top5, p.loss, p.n]);

const byStep = (w: Workflow) => Object.fromEntries(w.steps.map((s) => [s.step, s]));

describe('the compute engine is killed during the FixRes workflow', () => {
  it('interrupts a sweep whose engine is killed mid-sweep, with the reason, and resumes with only the missing K_test values to the same points', async () => {
    const kTests = [6, 8, 12, 16];
    const reference = await t.lab.sweeps.settled(t.lab.sweeps.start(SweepRequest.parse({ runId, kTests })).id);
    expect(reference).toMatchObject({ status: 'completed', done: kTests.length });
    const expected = measuresOf(t.lab.sweeps.get(reference.id).points);

    const started = t.lab.sweeps.start(SweepRequest.parse({ runId, kTests }));
    await nextEvent(t.lab, 'sweep.point', (p) => p.sweepId === started.id);
    killNewestEngine();
    const interrupted = await t.lab.sweeps.settled(started.id);
    expect(interrupted).toMatchObject({
      status: 'interrupted',
      error: expect.stringMatching(/compute engine stopped unexpectedly \(killed by SIGKILL\)/),
    });
    expect(interrupted.done).toBeGreaterThanOrEqual(1);
    expect(interrupted.done).toBeLessThan(kTests.length);
    const kept = t.lab.sweeps.get(started.id).points.map((p) => p.kTest);

    const resumedPoints = measuredPoints(t.lab, started.id);
    t.lab.sweeps.resume(started.id);
    const resumed = await t.lab.sweeps.settled(started.id);
    resumedPoints.off();
    expect(resumed).toMatchObject({ status: 'completed', done: kTests.length, error: null });
    expect(resumedPoints.kTests.sort((a, b) => a - b)).toEqual(kTests.filter((k) => !kept.includes(k)));
    expect(measuresOf(t.lab.sweeps.get(started.id).points)).toEqual(expected);
  });

  it('interrupts a workflow killed in its train step and again in its sweep step, and resumes each time at that step, continuing its run and sweep', async () => {
    const request = WorkflowRequest.parse({
      datasetId: t.datasetId,
      kTrain: 8,
      width: 0.25,
      epochs: 3,
      batchSize: 8,
      lr: 0.05,
      scale: [0.5, 1],
      kTests: [6, 8, 12],
      adapt: false,
      // One fine-tune candidate: the kills are in the train and sweep steps; the fine-tune step only has to finish.
      finetune: { epochs: 1, candidates: 1 },
    });
    const started = await t.lab.workflows.start(request);
    const trainRunId = () => byStep(t.lab.workflows.get(started.id)).train!.runId;
    // Once epoch 0 is stored: the run has something to resume from, and two epochs are left to kill it in.
    await nextEvent(t.lab, 'run.updated', (r) => r.id === trainRunId() && r.epochsDone === 1);
    killNewestEngine();
    const inTrain = await t.lab.workflows.settled(started.id);
    expect(inTrain).toMatchObject({
      status: 'interrupted',
      currentStep: 'train',
      error: expect.stringMatching(/^train: Run #\d+ interrupted: The compute engine stopped unexpectedly \(killed by SIGKILL\)/),
    });
    const run = t.lab.runs.get(trainRunId()!);
    expect(run.status).toBe('interrupted');
    expect(run.epochsDone).toBeGreaterThanOrEqual(1);

    t.lab.workflows.resume(started.id);
    const sweepId = () => byStep(t.lab.workflows.get(started.id)).sweep!.sweepId;
    await nextEvent(t.lab, 'sweep.point', (p) => p.sweepId === sweepId());
    killNewestEngine();
    const inSweep = await t.lab.workflows.settled(started.id);
    expect(inSweep).toMatchObject({
      status: 'interrupted',
      currentStep: 'sweep',
      error: expect.stringMatching(
        /^sweep: Sweep #\d+ interrupted: The compute engine stopped unexpectedly \(killed by SIGKILL\)/,
      ),
    });
    expect(byStep(inSweep).train).toMatchObject({ status: 'completed', runId: run.id });
    const sweep = t.lab.sweeps.get(sweepId()!);
    expect(sweep.status).toBe('interrupted');

    const remeasured = measuredPoints(t.lab, sweep.id);
    t.lab.workflows.resume(started.id);
    const done = await t.lab.workflows.settled(started.id);
    remeasured.off();
    expect(done).toMatchObject({ status: 'completed', error: null });
    const steps = byStep(done);
    expect(steps.sweep).toMatchObject({ status: 'completed', sweepId: sweep.id });
    expect(remeasured.kTests).toHaveLength(3 - sweep.done);
    expect(t.lab.runs.get(run.id)).toMatchObject({ status: 'completed', epochsDone: 3 });
    // Resuming continued the same run: the workflow trained once.
    expect(t.lab.runs.list().filter((r) => r.kind === 'train' && r.name.startsWith(done.name))).toHaveLength(1);
    expect(done.summary!.trainRunId).toBe(run.id);
  });

  it('interrupts a workflow whose engine is killed during a speed probe of its plan step, and resumes at the plan step', async () => {
    // A dataset with no training history: the plan step probes the training speed to choose K_train.
    await writePatternFolder(join(t.dir, 'fresh'), { perClass: 10, size: 24 });
    const fresh = await (await t.lab.datasets.open(join(t.dir, 'fresh'))).scanned;
    // Listening before the start: the plan step may queue its probe before start() returns.
    const probing = nextEvent(t.lab, 'jobs.changed', (jobs) =>
      jobs.some((j) => j.kind === 'speed-probe' && j.state === 'running'),
    );
    const started = await t.lab.workflows.start(
      WorkflowRequest.parse({
        datasetId: fresh.id,
        width: 0.25,
        epochs: 1,
        batchSize: 8,
        budgetMinutes: 1,
        finetune: { epochs: 1 },
      }),
    );
    await probing;
    killNewestEngine();
    const inPlan = await t.lab.workflows.settled(started.id);
    expect(inPlan).toMatchObject({
      status: 'interrupted',
      currentStep: 'plan',
      error: expect.stringMatching(/^plan: The compute engine stopped unexpectedly \(killed by SIGKILL\)/),
    });
    expect(byStep(inPlan).plan!.status).toBe('interrupted');

    t.lab.workflows.resume(started.id);
    await nextEvent(t.lab, 'workflow.updated', (w) => w.id === started.id && byStep(w).plan!.status === 'completed');
    t.lab.workflows.cancel(started.id);
    const cancelled = await t.lab.workflows.settled(started.id);
    expect(cancelled.status).toBe('cancelled');
    expect(byStep(cancelled).plan!.output).toMatchObject({ source: 'suggested', kTrain: expect.any(Number) });
  });
});
