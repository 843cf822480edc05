import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Work a lab process has queued or running, by kind: what becomes abandoned if that process dies. */
export interface ClaimedWork {
  runs: number[];
  sweeps: number[];
  workflows: number[];
  /** Datasets it is scanning. */
  scans: number[];
}

export type WorkKind = keyof ClaimedWork;

/** A lab process found dead, with the work it had claimed. */
export interface DeadLab {
  pid: number;
  work: ClaimedWork;
}

export interface PresenceOptions {
  pid?: number;
  /** How often the mark is touched and the other marks are checked (default 2 s). */
  heartbeatMs?: number;
  /** A mark not touched for this long belongs to a dead or hung process, whatever its pid says (default 30 s). */
  staleMs?: number;
}

/** This process's mark in a data folder, and whether another live process had the folder open when it was made. */
export interface LabPresence {
  othersOpen: boolean;
  /** Records work this process has queued or running (or no longer has). */
  claim(kind: WorkKind, id: number, active: boolean): void;
  /** Checks the other marks every heartbeat; `onDead` gets each lab found dead once, after its mark is gone. */
  watch(onDead: (dead: DeadLab) => void): void;
  /** Labs whose marks were already dead when this one opened (their work is this lab's to interrupt). */
  readonly deadAtStart: DeadLab[];
  release(): void;
}

interface Mark {
  pid: number;
  host: string;
  work: ClaimedWork;
}

const emptyWork = (): ClaimedWork => ({ runs: [], sweeps: [], workflows: [], scans: [] });

/**
 * Marks a data folder as open by this process (`<dataDir>/open-labs/<pid>`, a JSON file with the
 * work it has queued or running, touched every heartbeat). Several processes may share a folder —
 * the app, `fixres workflow` in one terminal, `fixres runs list` in another — and only the first
 * may treat runs left 'running' as abandoned: the others would interrupt live work. A lab that
 * dies (kill -9, a crash) leaves its mark behind: it is dead when its process is gone (same
 * machine) or its mark has not been touched for `staleMs` (a hung process, a reused pid, another
 * machine on a shared folder). The survivors then interrupt exactly the work that lab had claimed.
 */
export function registerLabPresence(dataDir: string, options: PresenceOptions = {}): LabPresence {
  const pid = options.pid ?? process.pid;
  const heartbeatMs = options.heartbeatMs ?? 2000;
  const staleMs = options.staleMs ?? 30_000;
  const dir = join(dataDir, 'open-labs');
  mkdirSync(dir, { recursive: true });
  const mark = join(dir, String(pid));
  const work = emptyWork();
  /** Whether `work` changed since the mark was last written (a full or read-only disk refused it). */
  let unsaved = false;
  const write = () => {
    const temp = `${mark}.tmp`;
    writeFileSync(temp, JSON.stringify({ pid, host: hostname(), work } satisfies Mark));
    renameSync(temp, mark);
    unsaved = false;
  };
  /** Writes the mark where the disk lets it; never throws (claims come from event listeners). */
  const trySave = () => {
    try {
      write();
    } catch {
      unsaved = true; // the next heartbeat tries again
    }
  };

  /** Marks of other processes, split into live ones and dead ones (whose marks are removed). */
  const survey = (): { othersOpen: boolean; dead: DeadLab[] } => {
    let othersOpen = false;
    const dead: DeadLab[] = [];
    for (const name of readdirSync(dir)) {
      const other = Number(name);
      if (!Number.isInteger(other) || other <= 0 || other === pid) continue;
      const file = join(dir, name);
      const found = readMark(file, other);
      if (!found) continue; // removed by another survivor meanwhile
      if (isLive(found, staleMs)) othersOpen = true;
      else {
        rmSync(file, { force: true });
        dead.push({ pid: other, work: found.mark.work });
      }
    }
    return { othersOpen, dead };
  };

  const atStart = survey();
  write();
  let timer: NodeJS.Timeout | null = null;
  let released = false;
  return {
    othersOpen: atStart.othersOpen,
    deadAtStart: atStart.dead,
    claim(kind, id, active) {
      const list = work[kind];
      const at = list.indexOf(id);
      if (active === at >= 0 || released) return;
      if (active) list.push(id);
      else list.splice(at, 1);
      trySave();
    },
    watch(onDead) {
      timer ??= setInterval(() => {
        try {
          if (unsaved) write();
          const now = new Date();
          utimesSync(mark, now, now);
          for (const dead of survey().dead) onDead(dead);
        } catch {
          // A data folder that turned read-only or full: the next heartbeat tries again.
        }
      }, heartbeatMs);
      timer.unref();
    },
    release() {
      released = true;
      if (timer) clearInterval(timer);
      rmSync(mark, { force: true });
    },
  };
}

/** A mark and when it was last touched; older marks are empty files (no work, no host). */
function readMark(file: string, pid: number): { mark: Mark; touchedAt: number } | null {
  try {
    const touchedAt = statSync(file).mtimeMs;
    const text = readFileSync(file, 'utf8');
    const parsed = (text ? JSON.parse(text) : {}) as Partial<Mark>;
    return { mark: { pid, host: parsed.host ?? '', work: { ...emptyWork(), ...parsed.work } }, touchedAt };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // A mark being rewritten (or damaged): treat as live with no claims until its heartbeat says otherwise.
    return { mark: { pid, host: '', work: emptyWork() }, touchedAt: Date.now() };
  }
}

/** Alive: touched recently, and (on this machine, or for a mark that does not say) its process exists. */
function isLive({ mark, touchedAt }: { mark: Mark; touchedAt: number }, staleMs: number): boolean {
  if (Date.now() - touchedAt > staleMs) return false;
  return mark.host !== '' && mark.host !== hostname() ? true : isAlive(mark.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** A killed process its parent has not reaped yet still answers signals; on Linux /proc says it is a zombie. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z';
  } catch {
    return false;
  }
}
