import { failActiveScans } from '../../store/abandoned-work';
import type { Db } from '../../store/db';
import { interruptActiveRuns } from '../../store/runs';
import { interruptActiveSweeps } from '../../store/sweeps';
import { interruptActiveWorkflows } from '../../store/workflows';

/**
 * Marks the work a previous lab process left unfinished: runs, sweeps and workflows queued or
 * running become interrupted (resumable), scans still scanning fail (a rescan finishes them).
 */
export function interruptAbandonedWork(db: Db): void {
  interruptActiveRuns(
    db,
    'FixRes Lab closed while this run was queued or running. Resume it to continue from its last checkpoint.',
  );
  interruptActiveSweeps(db, 'FixRes Lab closed during this sweep. Resume it to measure the missing test sizes.');
  interruptActiveWorkflows(db, 'FixRes Lab closed during this workflow. Resume it to continue from the step where it stopped.');
  failActiveScans(db, 'The scan was interrupted when the app closed. Rescan to finish it.');
}
