import { CliFailure, reportFailure } from './failure';
import { analyzeCommand, analyzeUsage } from './commands/analyze';
import { cropsCommand, cropsUsage } from './commands/crops';
import { datasetCommand, datasetUsage } from './commands/dataset';
import { dbCommand, dbUsage } from './commands/db';
import { fitFrechetCommand, fitFrechetUsage } from './commands/fit-frechet';
import { evalCommand, evalUsage } from './commands/eval';
import { resumeCommand, resumeUsage, runsCommand, runsUsage } from './commands/runs';
import { doctorCommand, doctorUsage } from './commands/doctor';
import { serveCommand, serveUsage } from './commands/serve';
import { trainCommand, trainHelp, trainUsage } from './commands/train';
import { finetuneCommand, finetuneHelp, finetuneUsage } from './commands/finetune';
import { speedCommand, speedUsage } from './commands/speed';
import { sweepCommand, sweepHelp, sweepUsage } from './commands/sweep';
import { workflowCommand, workflowHelp, workflowUsage } from './commands/workflow';
import { guardProcess, unhandledErrorLog } from '../lab';
import { modelCommand, modelUsage } from './commands/model';
import { predictCommand, predictUsage } from './commands/predict';

interface Command {
  run: (args: string[]) => Promise<number>;
  usage: string;
  /** One line per flag, for `fixres <command> --help` (commands whose flags come from the hyperparameter schema). */
  flags?: string;
}

const commands: Record<string, Command> = {
  dataset: { run: datasetCommand, usage: datasetUsage },
  crops: { run: cropsCommand, usage: cropsUsage },
  doctor: { run: doctorCommand, usage: doctorUsage },
  serve: { run: serveCommand, usage: serveUsage },
  analyze: { run: analyzeCommand, usage: analyzeUsage },
  'fit-frechet': { run: fitFrechetCommand, usage: fitFrechetUsage },
  train: { run: trainCommand, usage: trainUsage, flags: trainHelp },
  runs: { run: runsCommand, usage: runsUsage },
  resume: { run: resumeCommand, usage: resumeUsage },
  eval: { run: evalCommand, usage: evalUsage },
  sweep: { run: sweepCommand, usage: sweepUsage, flags: sweepHelp },
  finetune: { run: finetuneCommand, usage: finetuneUsage, flags: finetuneHelp },
  workflow: { run: workflowCommand, usage: workflowUsage, flags: workflowHelp },
  speed: { run: speedCommand, usage: speedUsage },
  model: { run: modelCommand, usage: modelUsage },
  predict: { run: predictCommand, usage: predictUsage },
  db: { run: dbCommand, usage: dbUsage },
};

const usage = `FixRes Lab — train small, test large

usage:
${Object.values(commands)
  .map((c) => `  ${c.usage}`)
  .join('\n')}

\`fixres <command> --help\` explains a command's options. Data lives in $FIXRES_HOME (default ~/.fixres-lab).`;

const HELP = new Set(['--help', '-h']);

/** `fixres <command> --help`: the command's usage (and its flags, one per line). */
export function commandHelp(name: string): string | null {
  const command = commands[name];
  if (!command) return null;
  return `usage: ${command.usage}${command.flags ? `\n\noptions:\n${command.flags}` : ''}\n`;
}

/** The `fixres` command line: thin commands over the same lab services the app uses. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || HELP.has(name) || name === 'help') {
    const about = name === 'help' && rest[0] ? commandHelp(rest[0]) : null;
    process.stdout.write(about ?? `${usage}\n`);
    return name ? 0 : 2;
  }
  // Options end at "--"; a help flag before it asks for this command's usage instead of running it.
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  const json = options.includes('--json');
  const command = commands[name];
  if (!command) return reportFailure(new CliFailure(`unknown command "${name}"\n\n${usage}`, 'Invalid', {}, 2), json);
  if (options.some((a) => HELP.has(a))) {
    process.stdout.write(commandHelp(name)!);
    return 0;
  }
  // A stray rejection must not end `fixres serve` (or a long training command) and every job with it.
  const unguard = guardProcess((error) => process.stderr.write(unhandledErrorLog(error)));
  try {
    return await command.run(rest);
  } catch (err) {
    return reportFailure(err, json);
  } finally {
    unguard();
  }
}
