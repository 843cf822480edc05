import type { ToEngine } from '../shared/engine-protocol';
import { jobErrorInfo } from './process/job-error';
import { jobHandlers } from './process/jobs';
import { connectParentPort } from './process/port';

/** Engine process entry: runs jobs sent by the lab, reports progress, results and errors as messages. */
const port = connectParentPort();
const running = new Map<string, AbortController>();

port.onMessage((message: ToEngine) => {
  if (message.type === 'cancel') {
    running.get(message.jobId)?.abort();
    return;
  }
  const { jobId, kind, input } = message;
  const controller = new AbortController();
  running.set(jobId, controller);
  const handler = jobHandlers[kind] as (input: unknown, ctx: unknown) => Promise<unknown>;
  handler(input, {
    signal: controller.signal,
    progress: (progress: unknown) => port.send({ type: 'progress', jobId, progress }),
  })
    .then((result) => port.send({ type: 'result', jobId, result }))
    .catch((err: unknown) => port.send({ type: 'error', jobId, error: jobErrorInfo(err) }))
    .finally(() => running.delete(jobId));
});

port.send({ type: 'ready', pid: process.pid });
