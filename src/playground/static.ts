import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Where the built page lives: `dist/web/` of the package (Vite writes it there, next to
 * the compiled library, so it ships with the package). Works from the compiled
 * `dist/playground/` and from `src/playground/` under the test runner.
 *
 * @example
 * defaultStaticDir(); // '<package>/dist/web/'
 */
export function defaultStaticDir(): string {
  const candidates = [new URL('../web/', import.meta.url), new URL('../../dist/web/', import.meta.url)].map((url) => fileURLToPath(url));
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? (candidates[0] as string);
}

/**
 * Whether the page has been built into `dir`.
 *
 * @example
 * hasBuiltPage(defaultStaticDir()); // true after `npm run build`
 */
export function hasBuiltPage(dir: string): boolean {
  return existsSync(join(dir, 'index.html'));
}

/**
 * Serves the built page from `root`: `/` is `index.html`; hashed files under `/assets/`
 * are cached for a year, the rest revalidate. Paths that leave `root` are 404.
 * Resolves to `false` when no file matches.
 *
 * @example
 * const page = createStaticHandler(defaultStaticDir());
 * createServer(async (request, response) => {
 *   if (!(await page(request, response))) response.writeHead(404).end();
 * }).listen(8080, '127.0.0.1');
 */
export function createStaticHandler(root: string): (request: IncomingMessage, response: ServerResponse) => Promise<boolean> {
  const base = resolve(root);
  return async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      return false;
    }
    if (pathname.endsWith('/')) pathname += 'index.html';
    const file = resolve(base, `.${pathname}`);
    if (file !== base && !file.startsWith(base + sep)) return false;
    try {
      if (!(await stat(file)).isFile()) return false;
    } catch {
      return false;
    }
    const body = await readFile(file);
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': String(body.length),
      'cache-control': pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
    return true;
  };
}
