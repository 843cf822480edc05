import { commandLinePath } from '../../lab';
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/api/exports';
import { openLab } from '../lab-context';
import { FlagError } from '../number-flags';
import { printJson } from '../output';
import { usageFailure } from '../failure';
import { request } from '../request';

export const runsExportUsage = `fixres runs export <id> [--format ${EXPORT_FORMATS.join(',')}] --out DIR [--force] [--json]
                                       write a run's results, HTML report and model (tfjs, ONNX, torchvision safetensors + preprocessing.json)`;
export const workflowExportUsage = `fixres workflow export <id> [--format ${EXPORT_FORMATS.join(',')}] --out DIR [--force] [--json]`;

/** `fixres runs export` and `fixres workflow export`: every format by default, into a folder that must not hold earlier exports unless --force. */
export async function exportCommand(what: 'run' | 'workflow', args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
  });
  const id = Number(positionals[0]);
  if (!Number.isInteger(id) || id <= 0 || !values.out) throw usageFailure(what === 'run' ? runsExportUsage : workflowExportUsage);
  const lab = openLab();
  try {
    const formats = formatList(values.format);
    const body = { id, dir: commandLinePath(values.out), overwrite: Boolean(values.force), ...(formats ? { formats } : {}) };
    const flags = { dir: 'out', formats: 'format' };
    const result =
      what === 'run' ? await request(lab, 'runs.export', body, flags) : await request(lab, 'workflows.export', body, flags);
    if (values.json) printJson(result);
    else for (const f of result.files) process.stdout.write(`${f.format.padEnd(5)} ${String(f.bytes).padStart(9)}  ${f.path}\n`);
    return 0;
  } finally {
    lab.close();
  }
}

function formatList(value: string | undefined): ExportFormat[] | undefined {
  if (value === undefined) return undefined;
  const formats = value.split(',').map((f) => f.trim());
  const unknown = formats.filter((f) => !(EXPORT_FORMATS as readonly string[]).includes(f));
  if (unknown.length)
    throw new FlagError(`--format takes ${EXPORT_FORMATS.join(', ')} (comma-separated), got "${unknown.join(', ')}"`);
  return formats as ExportFormat[];
}
