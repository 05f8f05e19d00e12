import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { collectProblems } from '../browser.js';

export { CHROMIUM, hasChromium, launchChromium } from '../browser.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Builds the page from the current sources into a fresh temporary directory (so that a
 * test never runs a stale bundle, and never races another build of dist/web). Returns the
 * directory and a function that removes it.
 */
export function buildPage(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'knobs-playground-web-'));
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', join(root, 'web', 'vite.config.ts'), '--outDir', dir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`vite build failed (status ${result.status}):\n${result.stderr}${result.stdout}`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every console error, uncaught exception and failed request of a page, for the tests to fail on. */
export function collectErrors(page: Page): string[] {
  return collectProblems(page);
}
