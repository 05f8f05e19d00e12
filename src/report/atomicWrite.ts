import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

let counter = 0;
const temporaryPath = (path: string): string => `${path}.tmp-${process.pid}-${Date.now().toString(36)}-${counter++}`;

/**
 * Writes a file atomically: the data goes to a temporary file beside the target, which
 * is then renamed over it (atomic on POSIX file systems), so a reader or a crash never
 * sees a half-written file. Creates missing directories.
 *
 * @example
 * await writeFileAtomic('knobs-report/index.html', html);
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryPath(path);
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Copies a file atomically (copy to a temporary file, then rename; see `writeFileAtomic`).
 *
 * @example
 * await copyFileAtomic(fontFiles().regular, 'knobs-report/fonts/DejaVuSans.ttf');
 */
export async function copyFileAtomic(source: string, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryPath(path);
  try {
    await copyFile(source, temporary);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
