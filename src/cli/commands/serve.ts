import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createHandlers, guardProcess } from '../../lab';
import { startServer } from '../../server/server';
import { commandLinePath } from '../../lab';
import { CliFailure } from '../failure';
import { openLab, packageRoot } from '../lab-context';
import { FlagError } from '../number-flags';

export const serveUsage = `fixres serve [--port N]              web mode on 127.0.0.1 (a free port unless --port)`;

export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, 'renderer-dir': { type: 'string' } } });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new FlagError(`--port must be a whole number from 0 to 65535, got "${values.port}"`);
  const dirFlag = values['renderer-dir'] ?? process.env.FIXRES_RENDERER_DIR;
  const rendererDir = dirFlag ? commandLinePath(dirFlag) : join(packageRoot, 'out', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html')))
    throw new CliFailure(
      `no built renderer in ${rendererDir}. Run \`npm run build\` (or \`npm run serve\`, which builds).`,
      'Environment',
    );
  const lab = openLab();
  const server = await startServer({ handlers: createHandlers(lab), events: lab.events, rendererDir, port });
  // The CLI's guard logs an escaped error; open pages list it in their status bar.
  const unguard = guardProcess(({ source, message }) => lab.events.emit('app.error', { source, message }));
  process.stdout.write(
    `FixRes Lab (web mode) is running at:\n\n  ${server.url}\n\nData folder: ${lab.dataDir}\nPress Ctrl+C to stop.\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  unguard();
  await server.close();
  lab.close();
  return 0;
}
