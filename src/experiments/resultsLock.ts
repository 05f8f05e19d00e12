import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { KnobsError } from '../core/errors.js';

/** Lock files held by this process (two runs in one process must not share a file either). */
const HELD = new Set<string>();

/** Another live process is writing the same results file. */
export class ResultsLockedError extends KnobsError {
  override name = 'ResultsLockedError';
}

/** A held lock; `release` removes it (idempotent). */
export interface ResultsLock {
  readonly path: string;
  release(): void;
}

/**
 * Takes `<results>.lock` so that two runs never append to one results file at once (they
 * would duplicate rows). The lock file holds the owner's process id; a lock left by a
 * process that no longer exists (killed with SIGKILL) is stale and taken over. Throws
 * `ResultsLockedError` naming the live owner.
 *
 * @example
 * const lock = lockResults('runs/sweep.jsonl');
 * try { ... } finally { lock.release(); }
 */
export function lockResults(results: string, pid: number = process.pid): ResultsLock {
  const path = `${results}.lock`;
  if (HELD.has(resolve(path))) throw new ResultsLockedError(`${results} is being written by another run in this process: wait for it to end`);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${pid}\n`);
      closeSync(fd);
      HELD.add(resolve(path));
      let held = true;
      return {
        path,
        release() {
          if (!held) return;
          held = false;
          HELD.delete(resolve(path));
          rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(path);
      if (owner !== undefined && owner !== pid && isAlive(owner)) {
        throw new ResultsLockedError(`${results} is being written by process ${owner} (${path}): wait for that run to end, or stop it, before running into the same file`);
      }
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new ResultsLockedError(`cannot take ${path}: another run keeps taking it`);
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
