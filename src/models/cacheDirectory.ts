import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The directory where creativity-knobs caches built models:
 * `KNOBS_CACHE_DIR` if set, else `$XDG_CACHE_HOME/creativity-knobs`, else the platform's
 * user cache directory (`~/.cache` on Linux and other Unix, `~/Library/Caches` on macOS,
 * `%LOCALAPPDATA%` on Windows) + `/creativity-knobs`.
 *
 * @example
 * knobsCacheDirectory({ KNOBS_CACHE_DIR: '/tmp/k' }); // '/tmp/k'
 */
export function knobsCacheDirectory(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.KNOBS_CACHE_DIR) return env.KNOBS_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'creativity-knobs');
  const home = env.HOME ?? homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'creativity-knobs');
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'creativity-knobs');
  return join(home, '.cache', 'creativity-knobs');
}
