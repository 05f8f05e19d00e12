import type { RunProgress } from './runExperiment.js';

/**
 * A duration as `m:ss` (or `h:mm:ss` from one hour).
 *
 * @example
 * formatDuration(75_000); // '1:15'
 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/**
 * One line of progress: a bar, done / total, percent, elapsed time and the ETA (from
 * this session's pace; `--:--` before the first completion), and failures if any.
 *
 * @example
 * formatProgress({ done: 12, total: 48, resumed: 0, failed: 0, elapsedMs: 3000, etaMs: 9000 }, 20);
 * // '[#####---------------] 12/48  25%  0:03 elapsed  ETA 0:09'
 */
export function formatProgress(progress: RunProgress, width = 30): string {
  const fraction = progress.total === 0 ? 1 : progress.done / progress.total;
  const filled = Math.round(fraction * width);
  const eta = progress.etaMs === undefined ? '--:--' : formatDuration(progress.etaMs);
  const failed = progress.failed > 0 ? `  ${progress.failed} failed` : '';
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${progress.done}/${progress.total} ${String(Math.floor(fraction * 100)).padStart(3)}%  ${formatDuration(progress.elapsedMs)} elapsed  ETA ${eta}${failed}`;
}
