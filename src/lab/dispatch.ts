import { api, isChannel, type Channel, type ParsedRequestOf, type ResponseOf } from '../shared/contract';
import type { Envelope } from '../shared/envelope';
import { toErrorInfo } from '../shared/errors';

export type Handlers = { [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C> };

/**
 * The one entry every adapter uses: refuses unknown channels, validates the request with the
 * contract's schema (field-level message), runs the handler, and wraps the outcome as data.
 */
export async function dispatch(handlers: Handlers, channel: unknown, rawRequest: unknown): Promise<Envelope<unknown>> {
  if (!isChannel(channel)) {
    return {
      ok: false,
      error: { name: 'UnknownChannel', code: 'Invalid', message: `Unknown request channel: ${String(channel).slice(0, 100)}` },
    };
  }
  const parsed = api[channel].request.safeParse(rawRequest ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.');
    return {
      ok: false,
      error: {
        name: 'ValidationError',
        code: 'Invalid',
        message: field ? `${field}: ${issue.message}` : issue.message,
        ...(field ? { field } : {}),
      },
    };
  }
  try {
    const handler = handlers[channel] as (r: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    return { ok: false, error: toErrorInfo(err) };
  }
}
