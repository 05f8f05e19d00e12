import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidParameterError } from '../core/errors.js';
import { isLoopback } from '../http/loopback.js';
import { createApiHandler, type PlaygroundApiOptions } from './api.js';
import { createStaticHandler, defaultStaticDir } from './static.js';

/** Options of `startPlayground`. */
export interface PlaygroundOptions extends PlaygroundApiOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on: loopback only (default `127.0.0.1`). */
  readonly host?: string;
  /** Directory of the built page (default: the package's `dist/web/`). */
  readonly staticDir?: string;
}

/** A running playground. */
export interface RunningPlayground {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * Starts the playground's HTTP server: the built page and its JSON API (`createApiHandler`).
 * Requests whose `Host` is not a loopback name are refused, so that another web site cannot
 * reach the API through DNS rebinding.
 *
 * @example
 * const playground = await startPlayground({ catalog: localCatalog() });
 * console.log(playground.url); // http://127.0.0.1:41234/
 * await playground.close();
 */
export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidParameterError('port', port, 'an integer in [0, 65535]');
  const host = options.host ?? '127.0.0.1';
  const loopbackOnly = isLoopback(host);
  const api = createApiHandler(options);
  const files = createStaticHandler(options.staticDir ?? defaultStaticDir());

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (loopbackOnly && !isLoopback((request.headers.host ?? '').replace(/:\d+$/, ''))) {
      response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`Host ${JSON.stringify(request.headers.host ?? '')} is refused: the playground answers only on 127.0.0.1 or localhost\n`);
      return;
    }
    if (await api(request, response)) return;
    if (await files(request, response)) return;
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(`${request.url ?? ''} does not exist\n`);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${address.port}/`,
    port: address.port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
