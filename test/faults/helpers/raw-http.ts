import { connect, type Socket } from 'node:net';

/**
 * Sends raw bytes to 127.0.0.1:port and collects the reply until the server closes, `timeoutMs`
 * passes, or (with `untilHeaders`) the reply's header block is complete. The timeout is only a
 * bound (every reply the tests expect ends with a close or with headers): generous for a loaded machine.
 */
export function rawExchange(
  port: number,
  request: string | Buffer,
  timeoutMs = 20_000,
  options: { untilHeaders?: boolean } = {},
): Promise<{ reply: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    const finish = (closedByServer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ reply: Buffer.concat(chunks).toString('latin1'), closedByServer });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (d) => {
      chunks.push(d);
      if (options.untilHeaders && Buffer.concat(chunks).includes('\r\n\r\n')) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
  });
}

/** The status code of a raw HTTP reply ("HTTP/1.1 400 …" → 400), or null for none. */
export function statusOf(reply: string): number | null {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(reply);
  return m ? Number(m[1]) : null;
}

/** A WebSocket upgrade request for `target` (not necessarily a valid URL). */
export function upgradeRequest(target: string, headers: Record<string, string> = {}): string {
  const lines = [
    `GET ${target} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** A connection that sends one header byte at a time and never finishes its request (slow-loris). */
export function slowLoris(port: number, everyMs: number): { socket: Socket; closed: Promise<void>; stop(): void } {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  const request = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ' + 'a'.repeat(10_000);
  let i = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed && i < request.length) socket.write(request[i++]!);
  }, everyMs);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return {
    socket,
    closed,
    stop() {
      clearInterval(timer);
      socket.destroy();
    },
  };
}
