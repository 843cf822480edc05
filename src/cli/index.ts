import { analyzeCommand, analyzeUsage } from './commands/analyze';
import { cropsCommand, cropsUsage } from './commands/crops';
import { datasetCommand, datasetUsage } from './commands/dataset';
import { fitFrechetCommand, fitFrechetUsage } from './commands/fit-frechet';
import { evalCommand, evalUsage } from './commands/eval';
import { resumeCommand, resumeUsage, runsCommand, runsUsage } from './commands/runs';
import { doctorCommand, doctorUsage } from './commands/doctor';
import { serveCommand, serveUsage } from './commands/serve';
import { trainCommand, trainUsage } from './commands/train';
import { finetuneCommand, finetuneUsage } from './commands/finetune';
import { speedCommand, speedUsage } from './commands/speed';
import { sweepCommand, sweepUsage } from './commands/sweep';
import { workflowCommand, workflowUsage } from './commands/workflow';
import { guardProcess, unhandledErrorLog } from '../lab/process-guard';

const commands: Record<string, (args: string[]) => Promise<number>> = {
  dataset: datasetCommand,
  crops: cropsCommand,
  doctor: doctorCommand,
  serve: serveCommand,
  analyze: analyzeCommand,
  'fit-frechet': fitFrechetCommand,
  train: trainCommand,
  runs: runsCommand,
  resume: resumeCommand,
  eval: evalCommand,
  sweep: sweepCommand,
  finetune: finetuneCommand,
  workflow: workflowCommand,
  speed: speedCommand,
};

const usage = `FixRes Lab — train small, test large

usage:
  ${datasetUsage}
  ${cropsUsage}
  ${doctorUsage}
  ${serveUsage}
  ${analyzeUsage}
  ${fitFrechetUsage}
  ${trainUsage}
  ${runsUsage}
  ${resumeUsage}
  ${evalUsage}
  ${sweepUsage}
  ${finetuneUsage}
  ${workflowUsage}
  ${speedUsage}

Data lives in $FIXRES_HOME (default ~/.fixres-lab).`;

/** The `fixres` command line: thin commands over the same lab services the app uses. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage}\n`);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`fixres: unknown command "${name}"\n\n${usage}\n`);
    return 2;
  }
  // A stray rejection must not end `fixres serve` (or a long training command) and every job with it.
  const unguard = guardProcess((error) => process.stderr.write(unhandledErrorLog(error)));
  try {
    return await command(rest);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  } finally {
    unguard();
  }
}
