import type { z } from 'zod';

/** One request/response pair of the contract. Requests are validated at every adapter; responses type the clients. */
export interface Endpoint<Req extends z.ZodType, Res extends z.ZodType> {
  request: Req;
  response: Res;
}

export function endpoint<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res): Endpoint<Req, Res> {
  return { request, response };
}
