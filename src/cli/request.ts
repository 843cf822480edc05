import { dispatch, createHandlers, type Lab } from '../lab';
import type { Channel, RequestOf, ResponseOf } from '../shared/contract';
import { LabError } from '../shared/errors';
import { FlagError } from './number-flags';

/**
 * Sends one request through the same dispatch the app uses (schema validation, field-level
 * errors). A refused request becomes a FlagError naming the flag of the offending field.
 */
export async function request<C extends Channel>(
  lab: Lab,
  channel: C,
  body: RequestOf<C>,
  flagOf: Record<string, string> = {},
): Promise<ResponseOf<C>> {
  const reply = await dispatch(createHandlers(lab), channel, body);
  if (reply.ok) return reply.value as ResponseOf<C>;
  const field = reply.error.field ?? '';
  const flag = flagOf[field] ?? flagOf[field.split('.')[0]!];
  if (reply.error.name === 'ValidationError' || flag) throw new FlagError(`${reply.error.message}${flag ? ` (--${flag})` : ''}`);
  throw new LabError(reply.error);
}

/** Runs a command body, turning FlagErrors into "error: …" on stderr with exit status 2. */
export async function withFlagErrors(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    return 2;
  }
}
