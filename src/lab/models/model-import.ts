import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { ImportModelRequest, Model } from '../../shared/api/models';
import { userError } from '../../shared/errors';
import { ARCH_NAMES, MODELS, type ArchName } from '../../shared/models/registry';
import { databaseId } from '../../store/lasting-ids';
import { getRun } from '../../store/runs';
import type { Db } from '../../store/db';
import * as store from '../../store/models';
import type { EngineHost } from '../engine';
import { readClassesFile, readSidecarConfig, resolvePreprocessing } from './model-sidecars';
import { toModel } from './model-view';

/**
 * Imports a weights file: its config and class names read first (flags win), the engine reads
 * and stores the weights into a temporary folder, the counts are checked against the file's
 * classifier, then the row is stored and the folder renamed to the model's. A refusal at any
 * step leaves no row and no folder.
 */
export async function importModel(
  o: { db: Db; engine: EngineHost; modelsRoot: string },
  request: ImportModelRequest,
): Promise<Model> {
  const sidecar = await readSidecarConfig(request.file);
  const configArch = sidecar?.config.architecture;
  if (configArch && configArch in MODELS && request.arch && configArch !== request.arch) {
    throw userError(`${sidecar.file} says the model is a ${configArch}, but --arch says ${request.arch}`, 'arch');
  }
  const arch = request.arch ?? (configArch && configArch in MODELS ? (configArch as ArchName) : null);
  if (!arch) {
    const said = configArch
      ? `${sidecar?.file} names ${configArch}, which the lab does not build`
      : 'no config.json next to it names one';
    throw userError(`Which architecture are these weights? ${said}: give --arch (${ARCH_NAMES.join(', ')})`, 'arch');
  }
  const r = { ...request, arch };
  const recipe = sidecar?.config.recipe ?? null;
  const classNames = r.classesFile ? await readClassesFile(r.classesFile) : (sidecar?.config.labelNames ?? null);
  const preprocessing = resolvePreprocessing(r.arch, r, sidecar?.config ?? null);
  const temporary = join(o.modelsRoot, `.import-${randomBytes(4).toString('hex')}`);
  await mkdir(o.modelsRoot, { recursive: true });
  try {
    const result = await o.engine.run('import-weights', { file: r.file, arch: r.arch, outDir: temporary });
    const expect = (count: number | null | undefined, what: string, field: string) => {
      if (count != null && count !== result.numClasses)
        throw userError(`The file's classifier has ${result.numClasses} classes but ${what} ${count}`, field);
    };
    expect(r.numClasses, '--num-classes says', 'numClasses');
    expect(classNames?.length, r.classesFile ? 'the classes file lists' : `${sidecar?.file} names`, 'classesFile');
    expect(sidecar?.config.numClasses, `${sidecar?.file} says`, 'file');
    const row = store.insertModel(o.db, {
      name: r.name ?? basename(r.file, extname(r.file)),
      arch: r.arch,
      width: result.width,
      blocks: result.blocks,
      numClasses: result.numClasses,
      classNames,
      preprocessing,
      file: r.file,
      sha256: result.sha256,
      format: result.format,
      bytes: result.bytes,
      weightsAt: result.weightsAt,
      strippedPrefix: result.strippedPrefix,
      params: result.params,
      importSeconds: result.seconds,
      recipeRunId: recipe?.runId != null && recipe.labId === databaseId(o.db) && getRun(o.db, recipe.runId) ? recipe.runId : null,
      externalTraining: recipe,
      checkpointDir: (id) => join(o.modelsRoot, String(id)),
    });
    try {
      const dir = await moveIntoFreeFolder(temporary, row.checkpoint_dir);
      if (dir !== row.checkpoint_dir) store.setModelCheckpointDir(o.db, row.id, dir);
      return toModel(store.getModel(o.db, row.id)!);
    } catch (err) {
      store.deleteModel(o.db, row.id);
      throw err;
    }
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}

/**
 * Renames `from` to `to`, or to `to-2`, `to-3`, … when a folder of that name holds something: a
 * replaced or emptied lab.sqlite starts its ids at 1 again, and another database's model folders
 * are never written into.
 */
async function moveIntoFreeFolder(from: string, to: string): Promise<string> {
  for (let n = 1; ; n++) {
    const dir = n === 1 ? to : `${to}-${n}`;
    try {
      await rename(from, dir);
      return dir;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    }
  }
}
