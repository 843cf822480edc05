import { describeIssue, parseJobInput, ToEngineMessage, type FromEngine } from '../../shared/engine-protocol';
import type { ErrorInfo } from '../../shared/errors';
import { jobErrorInfo } from './job-error';
import type { JobHandlers } from './jobs';
import type { ParentPort } from './port';

/**
 * Runs the jobs the lab sends: every message is checked against the protocol's schemas first,
 * so a malformed one is answered with an error (for its job, when it names one) and the
 * process carries on; progress, results and failures go back as messages.
 */
export function serveJobs(port: ParentPort, handlers: JobHandlers): void {
  const running = new Map<string, AbortController>();

  port.onMessage((raw) => {
    const parsed = ToEngineMessage.safeParse(raw);
    if (!parsed.success) {
      refuse(port, raw, `The engine refused a malformed message (${describeIssue(parsed.error)})`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'cancel') {
      running.get(message.jobId)?.abort();
      return;
    }
    const { jobId, kind } = message;
    const input = parseJobInput(kind, message.input);
    if (!input.ok) {
      port.send({ type: 'error', jobId, error: invalid('InvalidJobInput', input.message) });
      return;
    }
    const controller = new AbortController();
    running.set(jobId, controller);
    const handler = handlers[kind] as (input: unknown, ctx: unknown) => Promise<unknown>;
    const ctx = { signal: controller.signal, progress: (progress: unknown) => port.send({ type: 'progress', jobId, progress }) };
    // Through a promise, so a handler that throws before its first await fails its job, not the process.
    Promise.resolve()
      .then(() => handler(input.input, ctx))
      .then((result) => port.send({ type: 'result', jobId, result }))
      .catch((err: unknown) => port.send({ type: 'error', jobId, error: jobErrorInfo(err) }))
      // Only a channel that is gone refuses even the error; the lab then learns from the exit.
      .catch((err: unknown) => process.stderr.write(`FixRes engine: job ${jobId} could not report its end: ${String(err)}\n`))
      .finally(() => running.delete(jobId));
  });

  port.send({ type: 'ready', pid: process.pid });
}

/** Answers a message that failed its schema: as its job's error when it names a job, else as a refusal. */
function refuse(port: ParentPort, raw: unknown, message: string): void {
  const jobId = typeof raw === 'object' && raw !== null ? (raw as { jobId?: unknown }).jobId : undefined;
  const reply: FromEngine =
    typeof jobId === 'string' && jobId.length > 0 && jobId.length <= 100
      ? { type: 'error', jobId, error: invalid('InvalidEngineMessage', message) }
      : { type: 'refused', reason: message };
  port.send(reply);
}

function invalid(name: string, message: string): ErrorInfo {
  return { name, code: 'Invalid', message };
}
