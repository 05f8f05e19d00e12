import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidParameterError, KnobsError } from '../core/errors.js';
import { ProviderError } from '../providers/errors.js';
import type { ModelCatalog } from '../models/catalog.js';
import { getProfile } from '../samplers/profiles.js';
import { anthropicModelList, countTokens, messages } from './anthropicRoutes.js';
import { ApiError } from '../http/apiError.js';
import { readJsonBody } from '../http/jsonBody.js';
import { isLoopback } from '../http/loopback.js';
import { sendJson } from '../http/sendJson.js';
import { presentsKey } from './auth.js';
import { anthropicErrorBody, openaiErrorBody } from './errorBodies.js';
import type { ServeContext } from './context.js';
import { chatCompletions, completions, openaiModelList } from './openaiRoutes.js';

/** Options of `createKnobsServer`. */
export interface KnobsServerOptions {
  /** The models served, by the ids of requests' `model` field. */
  readonly catalog: ModelCatalog;
  /** Model ids listed by `/v1/models` (default: `catalog.list()`); the catalog may serve more. */
  readonly models?: readonly string[];
  /** Address to listen on (default `127.0.0.1`). Any non-loopback address requires `authKey`. */
  readonly host?: string;
  /** Port (default 8765; 0 picks a free one). */
  readonly port?: number;
  /** When set, every request must present it (`Authorization: Bearer KEY` or `x-api-key: KEY`) or get 401. */
  readonly authKey?: string;
  /** Largest request body in bytes (default 1 MiB); larger bodies get 413. */
  readonly bodyLimitBytes?: number;
  /** Largest `max_tokens` (default 4096). */
  readonly maxTokensLimit?: number;
  /** Engine profile when a request names none (default `knobs`). */
  readonly engine?: string;
  /** Receives one line per request (method, path, status, milliseconds); never headers or keys. */
  readonly log?: (line: string) => void;
}

/** A running (or ready) `knobs serve`. */
export interface KnobsServer {
  readonly server: Server;
  /** Starts listening; resolves to the base URL (`http://127.0.0.1:8765`). */
  listen(): Promise<{ url: string; host: string; port: number }>;
  /**
   * Stops accepting connections, lets requests in flight finish for up to `graceMs`
   * (default 5000), then aborts the rest and closes every connection.
   */
  close(graceMs?: number): Promise<void>;
  /** Requests being answered now. */
  readonly active: number;
}

type Api = 'openai' | 'anthropic';

const ROUTES: Readonly<Record<string, { method: string; api: Api; handler: typeof chatCompletions }>> = {
  '/v1/chat/completions': { method: 'POST', api: 'openai', handler: chatCompletions },
  '/v1/completions': { method: 'POST', api: 'openai', handler: completions },
  '/v1/messages': { method: 'POST', api: 'anthropic', handler: messages },
  '/v1/messages/count_tokens': { method: 'POST', api: 'anthropic', handler: countTokens },
};

/**
 * `knobs serve` as a library: an HTTP server speaking OpenAI's `/v1/models`,
 * `/v1/completions` and `/v1/chat/completions` (with SSE streaming, n, seed, stop,
 * logprobs, top_logprobs, every knob as an extra field and a `chain` field) and
 * Anthropic's `/v1/messages` (with its SSE event sequence) and `/v1/messages/count_tokens`,
 * over local language models; `GET /health` answers `{status: "ok"}`.
 * Invalid requests get each API's own error shape and status. Bodies are size-limited;
 * malformed JSON is a 400, never a crash. It listens on loopback unless given an auth key.
 *
 * @example
 * const serve = createKnobsServer({ catalog: modelCatalog({ embedded: model }), port: 0 });
 * const { url } = await serve.listen();
 * const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused' });
 * await client.chat.completions.create({ model: 'embedded', messages: [{ role: 'user', content: 'Hi' }], seed: 1 });
 * await serve.close();
 */
export function createKnobsServer(options: KnobsServerOptions): KnobsServer {
  const host = options.host ?? '127.0.0.1';
  checkBindAddress(host, options.authKey !== undefined);
  const engine = getProfile(options.engine ?? 'knobs').name;
  const context: ServeContext = {
    models: options.models ?? options.catalog.list().map((model) => model.id),
    catalog: options.catalog,
    engine,
    maxTokensLimit: options.maxTokensLimit ?? 4096,
    started: Math.floor(Date.now() / 1000),
  };
  const bodyLimit = options.bodyLimitBytes ?? 1024 * 1024;
  const controllers = new Set<AbortController>();
  let closing = false;

  const server = createServer((request, response) => {
    const controller = new AbortController();
    controllers.add(controller);
    const started = performance.now();
    response.on('close', () => {
      if (!response.writableFinished) controller.abort();
      controllers.delete(controller);
      options.log?.(`${request.method ?? '?'} ${pathOf(request)} ${response.statusCode} ${Math.round(performance.now() - started)}ms`);
      if (closing) server.closeIdleConnections();
    });
    if (closing) response.setHeader('connection', 'close');
    handle(request, response, controller.signal).catch(() => {
      if (!response.headersSent) sendJson(response, 500, openaiErrorBody(new ApiError(500, 'internal error')));
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse, signal: AbortSignal): Promise<void> {
    const path = pathOf(request);
    const method = request.method ?? 'GET';
    const route = ROUTES[path];
    const api: Api = route?.api ?? (path.startsWith('/v1/messages') || (path.startsWith('/v1/models') && request.headers['anthropic-version'] !== undefined) ? 'anthropic' : 'openai');
    try {
      if (options.authKey !== undefined && !presentsKey(request, options.authKey)) {
        throw new ApiError(401, api === 'anthropic' ? 'invalid x-api-key' : 'Incorrect API key provided: present the key of knobs serve as "Authorization: Bearer KEY" or "x-api-key: KEY"', { code: 'invalid_api_key' });
      }
      if (route) {
        if (method !== route.method) throw new ApiError(405, `${method} is not allowed on ${path}: use ${route.method}`, { code: 'method_not_allowed' });
        const body = await readJsonBody(request, { limit: bodyLimit });
        await route.handler(body, context, response, signal);
        return;
      }
      if (method === 'GET' && path === '/v1/models') {
        sendJson(response, 200, api === 'anthropic' ? anthropicModelList(context) : openaiModelList(context));
        return;
      }
      if (method === 'GET' && path.startsWith('/v1/models/')) {
        const id = decodeURIComponent(path.slice('/v1/models/'.length));
        if (!context.models.includes(id) && !context.catalog.has(id)) throw new ApiError(404, `The model \`${id}\` does not exist or is not served here`, { param: 'model', code: 'model_not_found' });
        sendJson(response, 200, api === 'anthropic' ? { type: 'model', id, display_name: id, created_at: new Date(context.started * 1000).toISOString() } : { id, object: 'model', created: context.started, owned_by: 'knobs' });
        return;
      }
      if (method === 'GET' && path === '/health') {
        sendJson(response, 200, { status: 'ok', models: context.models });
        return;
      }
      throw new ApiError(404, `Unknown request URL: ${method} ${path}`, { code: 'unknown_url' });
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError === undefined) return;
      if (apiError.status >= 500) options.log?.(`error: ${(error as Error).message}`);
      if (!response.headersSent) {
        sendJson(response, apiError.status, api === 'anthropic' ? anthropicErrorBody(apiError) : openaiErrorBody(apiError), apiError.status === 413 ? { connection: 'close' } : {});
      } else if (!response.writableEnded) {
        response.write(api === 'anthropic' ? `event: error\ndata: ${JSON.stringify(anthropicErrorBody(apiError))}\n\n` : `data: ${JSON.stringify(openaiErrorBody(apiError))}\n\n`);
        response.end();
      }
    }
  }

  return {
    server,
    get active() {
      return controllers.size;
    },
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 8765, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve({ url: `http://${shown}:${address.port}`, host: address.address, port: address.port });
        });
      });
    },
    async close(graceMs = 5000) {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + graceMs;
      while (controllers.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      for (const controller of controllers) controller.abort();
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * Refuses to bind a non-loopback address without an auth key: `knobs serve` is open to
 * anyone who can reach it otherwise.
 *
 * @example
 * checkBindAddress('0.0.0.0', false); // throws InvalidParameterError naming --host and --auth-key-env
 */
export function checkBindAddress(host: string, hasKey: boolean): void {
  if (!isLoopback(host) && !hasKey) {
    throw new InvalidParameterError('--host', host, 'a loopback address (127.0.0.1, ::1, localhost); binding any other address requires an auth key (--auth-key-env NAME)');
  }
}

function pathOf(request: IncomingMessage): string {
  const raw = (request.url ?? '/').split('?')[0] ?? '/';
  const trimmed = raw.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** Maps what a handler threw to an answer; `undefined` when the client has gone (nothing to answer). */
function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof ProviderError && error.kind === 'aborted') return undefined;
  if (error instanceof ProviderError && error.kind === 'not_found') return new ApiError(404, error.message, { param: 'model', code: 'model_not_found' });
  if (error instanceof KnobsError) return new ApiError(400, error.message, { param: (error as { parameter?: string }).parameter ?? null });
  return new ApiError(500, `internal error: ${error instanceof Error ? error.message : String(error)}`);
}
