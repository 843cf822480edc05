/**
 * A lab process that writes all the time, for the kill -9 test: it trains run after run (an epoch
 * transaction and a checkpoint every few hundred ms), rescans a large dataset in a loop (one big
 * transaction each) and, with sweep-first, sweeps a trained run over and over between runs (a
 * point and its activation statistics per K_test, in one transaction each), until it is killed.
 *
 * Usage: node --import tsx lab-child.ts <dataDir> <trainingDataset> <largeDataset> [run-first|sweep-first]
 * Prints "engines <pid>…" once training runs, then "ready", then "sweep-point" whenever a K_test is stored.
 */
import { createLab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine';
import { RunConfig } from '../../../src/shared/api/runs';
import { SweepRequest } from '../../../src/shared/api/sweeps';
import { enginePids } from './processes';

const [home, trainingRoot, largeRoot, order = 'run-first'] = process.argv.slice(2) as [string, string, string, string?];
process.env.FIXRES_BACKEND = 'cpu';
const lab = createLab({ dataDir: home, spawnEngine: spawnNodeEngine, transport: 'web', version: 'lab-child' });

const training = await (await lab.datasets.open(trainingRoot)).scanned;
const large = await (await lab.datasets.open(largeRoot)).scanned;
const config = RunConfig.parse({
  datasetId: training.id,
  width: 0.25,
  kTrain: 8,
  epochs: 8,
  batchSize: 8,
  lr: 0.05,
  scale: [0.5, 1],
});

// With sweep-first, the sweeps go to a run with a checkpoint (an earlier child's), trained here if there is none.
async function sweptRun(): Promise<number> {
  const found = lab.runs.list().find((r) => r.checkpoint !== null);
  if (found) return found.id;
  const run = lab.runs.start({ ...config, epochs: 1 });
  await lab.jobs.idle();
  return run.id;
}
const sweepRequest =
  order === 'sweep-first' ? SweepRequest.parse({ runId: await sweptRun(), kTests: [4, 6, 8, 10, 12, 14] }) : null;

const firstProgress = new Promise<void>((resolve) => {
  const off = lab.events.subscribe((event) => {
    if (event === 'run.progress' || event === 'sweep.progress') {
      off();
      resolve();
    }
  });
});
// Runs and sweeps take turns on the compute engine, in the order asked for.
const loops = {
  run: async () => {
    for (;;) await lab.runs.settled(lab.runs.start(config).id);
  },
  sweep: async () => {
    for (;;) await lab.sweeps.settled(lab.sweeps.start(sweepRequest!).id);
  },
};
// Run-first children are killed before the first run ends, so they start no sweeps.
for (const loop of sweepRequest ? [loops.sweep, loops.run] : [loops.run]) void loop();
await firstProgress;
process.stdout.write(`engines ${enginePids().join(' ')}\n`);

void (async () => {
  for (;;) await lab.datasets.rescan(large.id).scanned;
})();
lab.events.subscribe((event) => {
  if (event === 'sweep.point') process.stdout.write('sweep-point\n');
});
process.stdout.write('ready\n');
