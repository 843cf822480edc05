import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-fixres-token';

/** A fresh random secret for one server launch (the API token, and separately the page session). */
export function createToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The page's session cookie. Browsers scope cookies by host, not port, so every other service on
 * 127.0.0.1 the user visits receives it: it carries its own secret (never the API token), only
 * serves this server's built files, and is named after the port so servers on other ports neither
 * read nor overwrite it.
 */
export interface SessionCookie {
  name: string;
  secret: string;
}

export function createSessionCookie(port: number): SessionCookie {
  return { name: `fixres_session_${port}`, secret: createToken() };
}

/** The Set-Cookie header value: HttpOnly (no script reads it), SameSite=Strict (no other site sends it). */
export function sessionCookieHeader(cookie: SessionCookie): string {
  return `${cookie.name}=${cookie.secret}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
export function tokensEqual(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether the request carries this server's session cookie. */
export function hasSession(req: IncomingMessage, cookie: SessionCookie): boolean {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === cookie.name && tokensEqual(cookie.secret, rest.join('='))) return true;
  }
  return false;
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
