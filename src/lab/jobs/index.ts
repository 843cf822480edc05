/** What every kind of job shares: one lifecycle, the compute queue, ends the database refused, abandoned work, work cost. */
export { assertResumable, failureOf, JobLifecycle, type JobContext, type JobFailure, type JobWork } from './job-lifecycle';
export { JobQueue, type QueuedJob } from './job-queue';
export { ProgressThrottle } from './progress-throttle';
export { UnsavedEnds } from './unsaved-ends';
export { interruptAbandonedWork } from './interrupted-work';
export { workCostOf } from './work-cost';
export { interruptDeadLab, watchOtherLabs } from './dead-labs';
