import { parseArgs } from 'node:util';
import { recoverLabDatabase, type LabRecovery, defaultDataDir } from '../../lab';
import { printJson } from '../output';

export const dbUsage = `fixres db recover [--force] [--row-by-row] [--json]  copy what can be read of a damaged lab.sqlite into a new one`;

/** `fixres db recover`: works on the data folder's files without opening the lab (whose start refuses a damaged database). */
export async function dbCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, force: { type: 'boolean' }, 'row-by-row': { type: 'boolean' } },
  });
  if (positionals[0] !== 'recover' || positionals.length !== 1) {
    process.stderr.write(`usage: ${dbUsage}\n`);
    return 2;
  }
  const report = await recoverLabDatabase(defaultDataDir(), { force: values.force, rowByRow: values['row-by-row'] });
  if (values.json) printJson(report);
  else process.stdout.write(describeRecovery(report));
  return 0;
}

/** The human-readable report: what was saved, what was lost, where the damaged file is. */
export function describeRecovery(r: LabRecovery): string {
  const lines = [`Recovered ${r.database} (${r.method}${r.fallbackReason ? `: ${r.fallbackReason}` : ''}).`, '', 'Saved:'];
  const width = Math.max(...r.tables.map((t) => t.table.length));
  for (const t of r.tables) {
    const lost = t.damagedPlaces
      ? `   ${t.damagedPlaces} damaged place${t.damagedPlaces === 1 ? '' : 's'}: the rows stored there are lost`
      : '';
    lines.push(`  ${t.table.padEnd(width)}  ${String(t.rows).padStart(7)} rows${lost}`);
  }
  if (r.lostAndFound) lines.push(`  ${r.lostAndFound} rows SQLite could not place are in the table lost_and_found.`);
  if (r.repairs.length) {
    lines.push('', 'References to lost rows, settled as deleting those rows would have:');
    for (const f of r.repairs) {
      lines.push(
        `  ${f.table}.${f.column} → ${f.parent}: ${f.removed ? `${f.removed} rows removed` : `${f.cleared} references cleared`}`,
      );
    }
  }
  if (r.newIdentity)
    lines.push(
      '',
      "The database's identity was lost: it has a new one, so its run folders will be reported as another database's.",
    );
  lines.push(
    '',
    `The damaged file is kept as ${r.damagedKeptAs}.`,
    'What cannot be saved: rows stored on damaged pages. Rescan datasets whose images are missing; checkpoints on disk are untouched.',
  );
  return `${lines.join('\n')}\n`;
}
