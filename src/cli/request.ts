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
  if (reply.error.name === 'ValidationError' || flag)
    throw Object.assign(new FlagError(`${reply.error.message}${flag ? ` (--${flag})` : ''}`), field ? { field } : {});
  // The reply's name, field and code say what kind of failure it is.
  throw new LabError(reply.error);
}
