import type { Dataset } from '../../shared/api/datasets';
import type { Run } from '../../shared/api/runs';
import type { Sweep } from '../../shared/api/sweeps';
import type { Workflow } from '../../shared/api/workflows';
import { interruptWork, type WorkIds } from '../../store/abandoned-work';
import type { Db } from '../../store/db';
import type { LabEvents } from '../events';
import type { DeadLab, LabPresence } from '../lab-presence';

const ACTIVE = new Set(['queued', 'running']);

/** The reasons work of a dead lab process gets: what happened and how to continue. */
function reasons(pid: number) {
  const stopped = `The FixRes Lab process that ran this (pid ${pid}) stopped unexpectedly.`;
  return {
    run: `${stopped} Resume it to continue from its last checkpoint.`,
    sweep: `${stopped} Resume it to measure the missing test sizes.`,
    workflow: `${stopped} Resume it to continue from the step where it stopped.`,
    scan: `${stopped} Rescan to finish the scan.`,
  };
}

/** Marks the work a dead lab had claimed as interrupted; returns what changed. */
export function interruptDeadLab(db: Db, dead: DeadLab): WorkIds {
  return interruptWork(db, dead.work, reasons(dead.pid));
}

/**
 * Keeps this lab's presence mark listing its queued and running work (from its own events), and
 * every heartbeat interrupts the work of labs on the same folder that died, telling the clients
 * (`announce`), so a run a killed lab left "running" can be resumed here.
 */
export function watchOtherLabs(
  presence: LabPresence,
  deps: { db: Db; events: LabEvents; announce(ids: WorkIds): void },
): () => void {
  const unsubscribe = deps.events.subscribe((event, payload) => {
    if (event === 'run.updated') presence.claim('runs', (payload as Run).id, ACTIVE.has((payload as Run).status));
    else if (event === 'sweep.updated') presence.claim('sweeps', (payload as Sweep).id, ACTIVE.has((payload as Sweep).status));
    else if (event === 'workflow.updated')
      presence.claim('workflows', (payload as Workflow).id, ACTIVE.has((payload as Workflow).status));
    else if (event === 'dataset.updated')
      presence.claim('scans', (payload as Dataset).id, (payload as Dataset).status === 'scanning');
  });
  presence.watch((dead) => {
    if (!deps.db.open) return;
    deps.announce(interruptDeadLab(deps.db, dead));
  });
  return unsubscribe;
}
