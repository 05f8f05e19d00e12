import type { IncomingMessage, ServerResponse } from 'node:http';
import { endianness } from 'node:os';
import { KnobsError } from '../core/errors.js';
import { UnknownModelError, type ModelCatalog } from '../models/catalog.js';
import type { LanguageModel } from '../models/languageModel.js';
import { ENGINE_NAMES } from '../samplers/profiles.js';
import { ApiError } from '../http/apiError.js';
import { readJsonBody } from '../http/jsonBody.js';
import { sendJson } from '../http/sendJson.js';
import { stringField, tokenIdsField } from './bodyFields.js';
import type { TopLogprobsSource } from './openai.js';

/** What the JSON API serves from. */
export interface PlaygroundApiOptions {
  /** The models the page may pick (`localCatalog()`): unknown ids are a 404. */
  readonly catalog: ModelCatalog;
  /** Present when the server has an OpenAI key: the source of remote top log-probabilities. */
  readonly topLogprobs?: TopLogprobsSource;
  /** Version string reported by `/api/info`. */
  readonly version?: string;
}

/** The shape of `GET /api/info`. */
export interface PlaygroundInfo {
  readonly version: string;
  readonly models: readonly { id: string; title: string }[];
  readonly engines: readonly string[];
  readonly openai: boolean;
}

/**
 * The playground's JSON API. Everything else (every sampler, every chart) runs in the
 * page; the API only does what needs the models on this machine:
 *
 * - `GET  /api/info` → `PlaygroundInfo`
 * - `GET  /api/model?model=ID` → `{id, vocabSize, stopTokens}`
 * - `GET  /api/vocab?model=ID` → the text of every token id, a JSON array of strings
 * - `POST /api/encode {model, text}` → `{tokens}`
 * - `POST /api/decode {model, tokens}` → `{text}`
 * - `POST /api/logits {model, context}` → the full next-token logits as little-endian
 *   float32 (`application/octet-stream`, 4 × vocabSize bytes; −Infinity stays −Infinity),
 *   so the page samples from exactly what `knobs generate` samples from
 * - `POST /api/openai/top-logprobs {prompt, model}` → `{model, tokens, logprobs}` (only
 *   when the server has `OPENAI_API_KEY`)
 *
 * Errors are `{"error": message}` with a 4xx/5xx status. Returns a handler that resolves
 * to `false` for paths outside `/api/`.
 *
 * @example
 * const api = createApiHandler({ catalog: localCatalog() });
 * createServer(async (request, response) => {
 *   if (!(await api(request, response))) response.writeHead(404).end();
 * }).listen(8080, '127.0.0.1');
 */
export function createApiHandler(options: PlaygroundApiOptions): (request: IncomingMessage, response: ServerResponse) => Promise<boolean> {
  const vocabCache = new Map<string, string>();

  const open = (id: string): Promise<LanguageModel> => options.catalog.open(id);
  const model = (body: Record<string, unknown>): Promise<LanguageModel> => open(stringField(body, 'model', 1000));

  const routes: Record<string, (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>> = {
    'GET /api/info': async (_request, response) => {
      const info: PlaygroundInfo = {
        version: options.version ?? '0.0.0',
        models: options.catalog.list(),
        engines: ENGINE_NAMES,
        openai: options.topLogprobs !== undefined,
      };
      reply(response, 200, info);
    },
    'GET /api/model': async (_request, response, url) => {
      const loaded = await open(url.searchParams.get('model') ?? '');
      reply(response, 200, { id: loaded.id, vocabSize: loaded.vocabSize, stopTokens: loaded.stopTokens });
    },
    'GET /api/vocab': async (_request, response, url) => {
      const id = url.searchParams.get('model') ?? '';
      const loaded = await open(id);
      let text = vocabCache.get(loaded.id);
      if (text === undefined) {
        const tokens = new Array<string>(loaded.vocabSize);
        for (let token = 0; token < loaded.vocabSize; token++) tokens[token] = safeTokenText(loaded, token);
        text = JSON.stringify(tokens);
        vocabCache.set(loaded.id, text);
      }
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'private, max-age=3600' });
      response.end(text);
    },
    'POST /api/encode': async (request, response) => {
      const body = await readJsonBody(request, BODY_OPTIONS);
      const loaded = await model(body);
      reply(response, 200, { tokens: loaded.encode(stringField(body, 'text')) });
    },
    'POST /api/decode': async (request, response) => {
      const body = await readJsonBody(request, BODY_OPTIONS);
      const loaded = await model(body);
      reply(response, 200, { text: loaded.decode(tokenIdsField(body, 'tokens', loaded.vocabSize)) });
    },
    'POST /api/logits': async (request, response) => {
      const body = await readJsonBody(request, BODY_OPTIONS);
      const loaded = await model(body);
      const logits = await loaded.nextLogits(tokenIdsField(body, 'context', loaded.vocabSize));
      if (logits.length !== loaded.vocabSize) {
        throw new ApiError(500, `model ${loaded.id} returned ${logits.length} logits: expected vocabSize = ${loaded.vocabSize}`);
      }
      const bytes = littleEndianFloat32(logits);
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(bytes.length),
        'x-vocab-size': String(loaded.vocabSize),
        'cache-control': 'no-store',
      });
      response.end(bytes);
    },
    'POST /api/openai/top-logprobs': async (request, response) => {
      if (!options.topLogprobs) {
        throw new ApiError(503, 'OpenAI top log-probabilities need OPENAI_API_KEY in the environment of `knobs playground`');
      }
      const body = await readJsonBody(request, BODY_OPTIONS);
      const prompt = stringField(body, 'prompt', 20_000);
      const name = body.model === undefined ? 'gpt-4o-mini' : stringField(body, 'model', 200);
      reply(response, 200, await options.topLogprobs(prompt, name));
    },
  };

  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/api/')) return false;
    const route = routes[`${request.method ?? 'GET'} ${url.pathname}`];
    try {
      if (!route) {
        const allowed = Object.keys(routes).filter((key) => key.endsWith(` ${url.pathname}`));
        if (allowed.length > 0) throw new ApiError(405, `${request.method} ${url.pathname} is not allowed: expected ${allowed.join(' or ')}`);
        throw new ApiError(404, `${url.pathname} does not exist: expected one of ${Object.keys(routes).join(', ')}`);
      }
      await route(request, response, url);
    } catch (error) {
      if (response.headersSent) {
        response.destroy(error as Error);
        return true;
      }
      if (error instanceof ApiError) reply(response, error.status, { error: error.message });
      else if (error instanceof UnknownModelError) reply(response, 404, { error: `model ${JSON.stringify(error.id)} does not exist: expected ${error.allowed}` });
      else if (error instanceof KnobsError || error instanceof RangeError) reply(response, 400, { error: error.message });
      else reply(response, 500, { error: `unexpected error: ${error instanceof Error ? error.message : String(error)}` });
    }
    return true;
  };
}

/** Largest request body the API reads (a long context is a few hundred kilobytes of JSON). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** JSON bodies must say `Content-Type: application/json`, so other web pages cannot post without a CORS preflight (never granted). */
const BODY_OPTIONS = { limit: MAX_BODY_BYTES, requireJsonType: true } as const;

/** Every JSON answer of the API: never cached. */
function reply(response: ServerResponse, status: number, value: unknown): void {
  sendJson(response, status, value, { 'cache-control': 'no-store' });
}

function safeTokenText(model: LanguageModel, token: number): string {
  try {
    return model.tokenText(token);
  } catch {
    return ''; // ids that are no token (an unassigned slot) have no text
  }
}

/**
 * The logits as little-endian float32 bytes, whatever the machine's byte order. Always a
 * copy: a model may reuse its output buffer for the next request before this one is sent.
 */
function littleEndianFloat32(logits: Float32Array): Buffer {
  if (endianness() === 'LE') return Buffer.from(logits.slice().buffer);
  const bytes = Buffer.alloc(logits.length * 4);
  for (let i = 0; i < logits.length; i++) bytes.writeFloatLE(logits[i] as number, i * 4);
  return bytes;
}
