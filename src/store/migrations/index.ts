import type { Migration } from '../migrate';
import { datasetsAndImages } from './001-datasets';
import { dataInspection } from './002-data-inspection';
import { runsAndEpochs } from './003-runs';
import { sweepsAndActivationStats } from './004-analysis';
import { sweepsAndWorkflows } from './005-workflows';
import { identityAndLastingIds } from './006-identity';
import { forgottenDatasets } from './009-forgotten-datasets';

/** Forward-only, numbered, one file each. Never edit a released migration: add the next one. */
export const migrations: readonly Migration[] = [
  datasetsAndImages,
  dataInspection,
  runsAndEpochs,
  sweepsAndActivationStats,
  sweepsAndWorkflows,
  identityAndLastingIds,
  // 007 and 008 are taken by work in progress on other branches; each is inserted in order when it lands.
  forgottenDatasets,
];
