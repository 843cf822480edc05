import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A small RAM file system mounted for one test: a disk that can be filled up or turned read-only. */
export interface Tmpfs {
  dir: string;
  /** Fills the remaining space with a file, so the next write gets ENOSPC. */
  fill(): void;
  /** Removes the filler. */
  free(): void;
  /** Remounts read-only (true) or read-write (false), as a failing disk or a locked-down folder would be. Nothing may hold a file open for writing there. */
  setReadOnly(readOnly: boolean): void;
  unmount(): void;
}

/** Why a tmpfs cannot be mounted here (not root, no CAP_SYS_ADMIN in a container), or null when it can. */
export const tmpfsUnavailable: string | null = probe();

function probe(): string | null {
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const dir = join('/tmp', `fixres-tmpfs-probe-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
    execFileSync('umount', [dir], { stdio: 'pipe' });
    return null;
  } catch (err) {
    return `mount -t tmpfs failed: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Mounts a tmpfs of `sizeMb` at `dir` (created if needed). Check `tmpfsUnavailable` first. */
export function mountTmpfs(dir: string, sizeMb: number): Tmpfs {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir]);
  const filler = join(dir, '.filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(1 << 16);
      try {
        for (;;) {
          const { bavail, bsize } = statfsSync(dir);
          if (bavail === 0) break;
          writeSync(fd, chunk, 0, Math.min(chunk.length, bavail * bsize));
        }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    setReadOnly(readOnly) {
      // Linux refuses a read-only remount while a file is open for writing: try again briefly.
      for (let attempt = 0; ; attempt++) {
        try {
          execFileSync('mount', ['-o', `remount,${readOnly ? 'ro' : 'rw'}`, dir], { stdio: 'pipe' });
          return;
        } catch (err) {
          if (attempt === 200) throw err;
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        }
      }
    },
    unmount() {
      execFileSync('umount', ['-l', dir]);
    },
  };
}
