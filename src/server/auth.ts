import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-fixres-token';
export const TOKEN_COOKIE = 'fixres_token';

/** A fresh random token for one server launch. */
export function createToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
export function tokensEqual(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieToken(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return rest.join('=');
  }
  return null;
}

/**
 * Browsers send Origin on cross-site requests and WebSocket upgrades; only our own origin may
 * drive the API, so another page open on this machine cannot. No Origin (curl, the CLI) is fine:
 * those callers must still present the token.
 */
export function originAllowed(req: IncomingMessage, ownOrigin: string): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === ownOrigin;
}
