import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/lab/dispatch';
import { createHandlers } from '../../../src/lab/handlers/index';
import { RunExportRequest, type RunExportRequest as Request } from '../../../src/shared/api/exports';
import { mountTmpfs, tmpfsUnavailable } from '../helpers/tmpfs';
import { startTrainingLab, type TrainingLab } from '../helpers/training-lab';

let t: TrainingLab;
let runId: number;
let out: string;
beforeAll(async () => {
  t = await startTrainingLab();
  runId = (await t.trainToEnd({ epochs: 1 })).id;
  out = join(t.dir, 'exports');
  mkdirSync(out);
});
afterAll(() => t.close());

const exportRun = (request: Omit<Request, 'id'>) =>
  t.lab.exports.exportRun(RunExportRequest.parse({ id: runId, formats: ['csv', 'json', 'html'], ...request }));

/** Every file and folder under `dir`, relative, with its size (folders as -1): what "nothing written" is checked against. */
function tree(dir: string, prefix = ''): Record<string, number> {
  const entries: Record<string, number> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = join(prefix, e.name);
    if (e.isDirectory()) Object.assign(entries, { [rel]: -1 }, tree(join(dir, e.name), rel));
    else entries[rel] = statSync(join(dir, e.name), { throwIfNoEntry: false })?.size ?? -2;
  }
  return entries;
}

describe('export folders are checked before anything is written', () => {
  it('refuses relative folders, "..", files, paths through a file and the data folder (also through a link), naming the folder and writing nothing', async () => {
    writeFileSync(join(out, 'file.txt'), 'not a folder');
    symlinkSync(t.home, join(out, 'to-data'));
    const before = tree(t.dir);
    const cases: [string, RegExp][] = [
      ['exports/run', /Choose an absolute folder to export into \(got "exports\/run"\)/],
      [`${out}/a/../b`, /without "\.\."/],
      [`${out}/..`, /without "\.\."/],
      [join(out, 'file.txt'), /exports\/file\.txt exists and is not a folder/],
      [
        join(out, 'file.txt', 'run'),
        /Cannot export to .*exports\/file\.txt\/run: a part of the path is a file, not a folder\. Nothing was written/,
      ],
      [join(t.home, 'exports'), /outside FixRes Lab's data folder/],
      [join(out, 'to-data', 'exports'), /outside FixRes Lab's data folder \(.*home\/exports is inside/],
    ];
    for (const [dir, message] of cases) {
      await expect(exportRun({ dir }), dir).rejects.toMatchObject({
        name: 'UserError',
        field: 'dir',
        message: expect.stringMatching(message),
      });
    }
    expect(tree(t.dir)).toEqual(before);

    // Through the API the same refusal reaches the client with its field; URL encoding is a name, never decoded.
    const handlers = createHandlers(t.lab);
    const refused = await dispatch(handlers, 'runs.export', { id: runId, dir: `${out}/x/../../home`, formats: ['json'] });
    expect(refused).toMatchObject({ ok: false, error: { name: 'UserError', field: 'dir' } });
    const encoded = await dispatch(handlers, 'runs.export', { id: runId, dir: join(out, '%2e%2e', '%2E%2E'), formats: ['json'] });
    expect(encoded).toMatchObject({ ok: true, value: { dir: join(out, '%2e%2e', '%2E%2E') } });
    expect(readdirSync(join(out, '%2e%2e', '%2E%2E'))).toEqual(['results.json']);
  });

  it('refuses to overwrite an earlier export unless asked, then replaces only its own files, and never writes through a link', async () => {
    const dir = join(out, 'again');
    const first = await exportRun({ dir });
    expect(first.files.map((f) => f.path.slice(dir.length + 1)).sort()).toEqual(
      ['activations.csv', 'epochs.csv', 'report.html', 'results.json', 'speed.csv', 'sweep-points.csv'].sort(),
    );
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const victim = join(t.dir, 'victim.txt');
    writeFileSync(victim, 'outside');
    symlinkSync(victim, join(dir, 'report.html.link'));
    const before = tree(dir);
    const results = readFileSync(join(dir, 'results.json'));

    await expect(exportRun({ dir })).rejects.toThrow(
      /again already holds .*results\.json.*Choose another folder, or allow overwriting/,
    );
    expect(tree(dir)).toEqual(before);
    expect(readFileSync(join(dir, 'results.json'))).toEqual(results);

    // A link where a report file goes counts as taken, and overwriting replaces the link, not what it points to.
    const linked = join(out, 'linked');
    mkdirSync(linked);
    symlinkSync(victim, join(linked, 'report.html'));
    await expect(exportRun({ dir: linked, formats: ['html'] })).rejects.toThrow(/already holds report\.html/);
    await exportRun({ dir: linked, formats: ['html'], overwrite: true });
    expect(readFileSync(victim, 'utf8')).toBe('outside');
    expect(readFileSync(join(linked, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/i);

    await exportRun({ dir, overwrite: true });
    expect(Object.keys(tree(dir)).sort()).toEqual(Object.keys(before).sort());
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(dir).filter((f) => f.startsWith('.fixres-export-'))).toEqual([]);
  });

  it('exports into the folder a linked folder points to, and refuses a model folder that is a file or a link', async () => {
    const real = join(t.dir, 'real-exports');
    mkdirSync(real);
    symlinkSync(real, join(out, 'link'));
    const result = await exportRun({ dir: join(out, 'link'), formats: ['json'] });
    expect(result).toMatchObject({ dir: real, files: [{ path: join(real, 'results.json'), format: 'json' }] });

    writeFileSync(join(real, 'model'), 'a file where the model folder goes');
    await expect(exportRun({ dir: real, formats: ['model'] })).rejects.toThrow(/real-exports\/model exists and is not a folder/);
    const modelLinked = join(out, 'model-linked');
    mkdirSync(modelLinked);
    symlinkSync(t.home, join(modelLinked, 'model'));
    await expect(exportRun({ dir: modelLinked, formats: ['model'] })).rejects.toThrow(
      /model-linked\/model exists and is not a folder/,
    );
    expect(readdirSync(modelLinked)).toEqual(['model']);
  });

  it.skipIf(tmpfsUnavailable)(
    `fails an export into a read-only or full folder with a clear message naming it, leaving nothing half-written${tmpfsUnavailable ? ` (skipped: ${tmpfsUnavailable})` : ''}`,
    async () => {
      const disk = mountTmpfs(join(t.dir, 'disk'), 1);
      try {
        const dir = join(disk.dir, 'export');
        mkdirSync(dir);
        writeFileSync(join(dir, 'keep.txt'), 'kept');
        disk.setReadOnly(true);
        await expect(exportRun({ dir })).rejects.toThrow(`Cannot export to ${dir}: read-only file system. Nothing was written.`);
        await expect(exportRun({ dir: join(dir, 'new') })).rejects.toThrow(
          `Cannot export to ${join(dir, 'new')}: read-only file system.`,
        );
        disk.setReadOnly(false);

        // Room for the small files but not the model: the export fails as a whole.
        disk.fill();
        const filler = join(disk.dir, '.filler');
        truncateSync(filler, statSync(filler).size - 24 * 1024);
        const before = tree(disk.dir);
        const attempt = exportRun({ dir: join(dir, 'full', 'run'), formats: ['csv', 'json', 'html', 'model'] });
        await expect(attempt).rejects.toThrow(
          /Cannot export to .*export\/full\/run: no space left on device\. Nothing was written\./,
        );
        expect(tree(disk.dir)).toEqual(before);
        disk.free();
        const done = await exportRun({ dir: join(dir, 'full', 'run'), formats: ['csv', 'json', 'html', 'model'] });
        expect(done.files.map((f) => f.path.slice(done.dir.length + 1))).toContain('model/weights.bin');
      } finally {
        disk.unmount();
      }
    },
  );
});
