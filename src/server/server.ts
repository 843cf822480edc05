import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { type Handlers, dispatch, type LabEvents } from '../lab';
import type { Envelope } from '../shared/envelope';
import {
  createSessionCookie,
  createToken,
  hasSession,
  originAllowed,
  sessionCookieHeader,
  TOKEN_HEADER,
  tokensEqual,
  type SessionCookie,
} from './auth';
import { SECURITY_HEADERS } from './csp';
import { readRendererFile } from './static-files';

export interface ServerOptions {
  handlers: Handlers;
  events: LabEvents;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
  limits?: ServerLimits;
}

/** Guards against clients that hold connections open (slow-loris) or stop reading events. */
export interface ServerLimits {
  /** Time to send the request headers (default 10 s). */
  headersTimeoutMs?: number;
  /** Time to send the whole request (default 60 s). */
  requestTimeoutMs?: number;
}

export interface RunningServer {
  /** The URL to open, token included. */
  url: string;
  port: number;
  token: string;
  /** The page's session cookie (its own secret, named after the port), as `name=value`. */
  sessionCookie: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_BODY_BYTES = 1 << 20;
/** Events queued for a WebSocket client that stopped reading; past this it is dropped (it reconnects). */
const MAX_BUFFERED_EVENT_BYTES = 8 << 20;

/**
 * Web mode: the built renderer and the lab API over HTTP + WebSocket, on loopback only,
 * behind a per-launch token (query on first load, then a session cookie of its own for the
 * page and its assets, and the token in a header for API calls so other pages cannot forge them).
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? createToken();
  let origin = '';
  let session: SessionCookie | null = null;

  const headersTimeout = options.limits?.headersTimeoutMs ?? 10_000;
  const requestTimeout = Math.max(headersTimeout, options.limits?.requestTimeoutMs ?? 60_000);
  const timeouts = { headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(1000, headersTimeout / 2) };
  const server = createServer(timeouts, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `Internal error: ${(err as Error).message}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = parseTarget(req, origin);
    if (!url) return send(res, 400, 'text/plain; charset=utf-8', 'Bad request target.');
    if (!originAllowed(req, origin)) return send(res, 403, 'text/plain; charset=utf-8', 'Cross-origin requests are refused.');

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'Use POST.');
      if (!tokensEqual(token, header(req, TOKEN_HEADER))) return unauthorized(res);
      const body = await readJson(req);
      if (!body.ok) {
        // The rest of an oversized body is not read: answer, then close the connection.
        if (body.status === 413) res.setHeader('connection', 'close');
        const refused: Envelope<never> = { ok: false, error: { name: 'BadRequest', code: 'Invalid', message: body.message } };
        return sendJson(res, body.status, refused);
      }
      const envelope = await dispatch(options.handlers, url.pathname.slice('/api/'.length), body.value);
      return sendJson(res, 200, envelope);
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed.');
    const queryToken = url.searchParams.get('token');
    const authorised = tokensEqual(token, queryToken) || (session !== null && hasSession(req, session));
    if (!authorised) return unauthorized(res);
    const file = await readRendererFile(options.rendererDir, url.pathname);
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', 'Not found.');
    if (session && tokensEqual(token, queryToken)) res.setHeader('set-cookie', sessionCookieHeader(session));
    res.setHeader('cache-control', url.pathname === '/' ? 'no-store' : 'private, max-age=3600');
    send(res, 200, file.type, file.body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = parseTarget(req, origin);
    if (!url) return void socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    if (url.pathname !== '/events' || !originAllowed(req, origin) || !tokensEqual(token, url.searchParams.get('token'))) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Clients only listen: a malformed or oversized frame closes that client (1002/1009), never the server.
      ws.on('error', () => ws.terminate());
      wss.emit('connection', ws, req);
    });
  });
  const unsubscribe = options.events.subscribe((event, payload) => {
    const frame = JSON.stringify({ event, payload });
    for (const client of wss.clients) {
      if (client.readyState !== client.OPEN) continue;
      if (client.bufferedAmount > MAX_BUFFERED_EVENT_BYTES) client.terminate();
      else client.send(frame);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${HOST}:${port}`;
  session = createSessionCookie(port);

  return {
    url: `${origin}/?token=${token}`,
    port,
    token,
    sessionCookie: `${session.name}=${session.secret}`,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The request target as a URL on our origin; null when it is not a valid one. */
function parseTarget(req: IncomingMessage, origin: string): URL | null {
  try {
    return new URL(req.url ?? '/', origin);
  } catch {
    return null;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function unauthorized(res: ServerResponse): void {
  send(
    res,
    401,
    'text/plain; charset=utf-8',
    'Unauthorized: open the URL printed by `fixres serve` (it carries the access token).',
  );
}

type BodyResult = { ok: true; value: unknown } | { ok: false; status: 400 | 413; message: string };

async function readJson(req: IncomingMessage): Promise<BodyResult> {
  const tooLarge: BodyResult = { ok: false, status: 413, message: `Request body too large (limit ${MAX_BODY_BYTES} bytes)` };
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return tooLarge;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return tooLarge;
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false, status: 400, message: 'Request body is not valid JSON' };
  }
}
