/**
 * A lab process that writes all the time, for the kill -9 test: it trains run after run (an epoch
 * transaction and a checkpoint every few hundred ms), rescans a large dataset in a loop (one big
 * transaction each) and stores sweep points, until it is killed.
 *
 * Usage: node --import tsx lab-child.ts <dataDir> <trainingDataset> <largeDataset>
 * Prints "engines <pid>…" once training runs, then "ready".
 */
import { createLab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/node-engine';
import { RunConfig } from '../../../src/shared/api/runs';
import { saveSweepPoint } from '../../../src/store/analysis';
import { enginePids } from './processes';

const [home, trainingRoot, largeRoot] = process.argv.slice(2) as [string, string, string];
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

const firstProgress = new Promise<void>((resolve) => {
  const off = lab.events.subscribe((event) => {
    if (event === 'run.progress') {
      off();
      resolve();
    }
  });
});
void (async () => {
  for (;;) {
    lab.runs.start(config);
    await lab.jobs.idle();
  }
})();
await firstProgress;
process.stdout.write(`engines ${enginePids().join(' ')}\n`);

void (async () => {
  for (;;) await lab.datasets.rescan(large.id).scanned;
})();
void (async () => {
  for (let i = 0; ; i++) {
    const runId = lab.runs.list()[0]!.id;
    saveSweepPoint(lab.db, { runId, kTest: 8 + (i % 64), adapter: 'none', top1: (i % 100) / 100, top5: null, loss: 1, n: 8 });
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
})();
process.stdout.write('ready\n');
