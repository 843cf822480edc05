import type { Migration } from '../migrate';
import { datasetsAndImages } from './001-datasets';
import { dataInspection } from './002-data-inspection';
import { runsAndEpochs } from './003-runs';
import { sweepsAndActivationStats } from './004-analysis';
import { sweepsAndWorkflows } from './005-workflows';
import { identityAndLastingIds } from './006-identity';
import { importedModels } from './007-models';
import { pointImages } from './008-point-images';
import { forgottenDatasets } from './009-forgotten-datasets';
import { outcomes } from './010-outcomes';
import { recipeModels } from './011-recipe-models';

/** Forward-only, numbered, one file each. Never edit a released migration: add the next one. */
export const migrations: readonly Migration[] = [
  datasetsAndImages,
  dataInspection,
  runsAndEpochs,
  sweepsAndActivationStats,
  sweepsAndWorkflows,
  identityAndLastingIds,
  importedModels,
  pointImages,
  forgottenDatasets,
  outcomes,
  recipeModels,
];
