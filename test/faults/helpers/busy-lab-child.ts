/**
 * A lab process that trains and scans on a shared data folder until it is killed, for the test of
 * two labs on one folder. Usage: node --import tsx busy-lab-child.ts <dataDir> <trainingDataset> <largeDataset>
 * Prints "running <runId> <queuedRunId> <scanningDatasetId>" once its run trains, its second run
 * waits in the queue and its large dataset is being read.
 */
import { createLab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine/node-engine';
import { RunConfig } from '../../../src/shared/api/runs';

const [home, trainingRoot, largeRoot] = process.argv.slice(2) as [string, string, string];
process.env.FIXRES_BACKEND = 'cpu';
const lab = createLab({ dataDir: home, spawnEngine: spawnNodeEngine, transport: 'web', version: 'busy-lab-child' });

const training = await (await lab.datasets.open(trainingRoot)).scanned;
const config = RunConfig.parse({
  datasetId: training.id,
  width: 0.25,
  kTrain: 8,
  epochs: 30,
  batchSize: 8,
  lr: 0.05,
  scale: [0.5, 1],
});
/** Resolves at the first event of `name` that `match` accepts. */
const first = (name: string, match: (payload: unknown) => boolean = () => true) =>
  new Promise<void>((resolve) => {
    const off = lab.events.subscribe((event, payload) => {
      if (event === name && match(payload)) {
        off();
        resolve();
      }
    });
  });
// The run trains while the large scan reads: both are under way when the line is printed.
const trained = first('run.progress');
const running = lab.runs.start(config);
const queued = lab.runs.start(config);
const reading = first('dataset.scanProgress', (p) => (p as { phase?: string }).phase === 'reading');
const scanning = (await lab.datasets.open(largeRoot)).dataset;
await Promise.all([trained, reading]);
process.stdout.write(`running ${running.id} ${queued.id} ${scanning.id}\n`);
