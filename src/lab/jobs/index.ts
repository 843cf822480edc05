/** What every kind of job shares: the compute queue, ends the database refused, abandoned work, work cost. */
export { JobQueue, type QueuedJob } from './job-queue';
export { UnsavedEnds } from './unsaved-ends';
export { interruptAbandonedWork } from './interrupted-work';
export { workCostOf } from './work-cost';
