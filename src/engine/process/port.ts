import type { FromEngine } from '../../shared/engine-protocol';

/** The engine's link to the lab: Electron's utilityProcess parentPort, or Node's IPC channel. */
export interface ParentPort {
  send(message: FromEngine): void;
  /** Messages as they arrive: unchecked (serveJobs checks them). */
  onMessage(listener: (message: unknown) => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function connectParentPort(): ParentPort {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      send: (m) => electronPort.postMessage(m),
      onMessage: (l) => electronPort.on('message', (e) => l(e.data)),
    };
  }
  if (typeof process.send === 'function') {
    // The lab died (even by SIGKILL): stop, rather than train on for a run nobody records.
    process.once('disconnect', () => process.exit(0));
    return {
      send: (m) => process.send!(m),
      onMessage: (l) => process.on('message', (m) => l(m)),
    };
  }
  throw new Error('The engine must be started by FixRes Lab (no parent IPC channel).');
}
