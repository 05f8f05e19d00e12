import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './apiError.js';

/**
 * Reads a request body of at most `limit` bytes. A larger body is a 413 `ApiError`: the
 * rest is read and dropped (so the client gets the answer instead of a reset connection),
 * up to 16 × `limit`; beyond that, or when Content-Length already says so, the answer comes
 * at once and the connection is closed.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const drainCap = limit * 16;
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > drainCap) {
      reject(tooLarge(declared, limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    request.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > drainCap) {
        done = true;
        reject(tooLarge(size, limit));
      } else if (size <= limit) {
        chunks.push(chunk);
      }
    });
    request.on('end', () => {
      if (done) return;
      done = true;
      if (size > limit) reject(tooLarge(size, limit));
      else resolve(Buffer.concat(chunks));
    });
    request.on('error', (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
  });
}

function tooLarge(size: number, limit: number): ApiError {
  return new ApiError(413, `request body of ${size} bytes is too large: expected at most ${limit} bytes`, { code: 'request_too_large' });
}

/** Parses a JSON object body; anything else is a 400 `ApiError`. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) throw new ApiError(400, 'the request body is empty: expected a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new ApiError(400, `could not parse the JSON body of the request: ${(error as Error).message}`, { code: 'invalid_json' });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError(400, `the request body must be a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'null' : typeof value}`);
  }
  return value as Record<string, unknown>;
}

/** Sends a JSON answer. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** A server-sent events stream: `data:` lines (OpenAI) or `event:` + `data:` pairs (Anthropic). */
export interface EventStream {
  send(data: unknown, event?: string): void;
  /** Sends a raw `data:` payload (OpenAI's `[DONE]`). */
  sendRaw(data: string): void;
  end(): void;
}

/** Starts a server-sent events answer. */
export function startEventStream(response: ServerResponse, headers: Record<string, string> = {}): EventStream {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', ...headers });
  response.flushHeaders();
  return {
    send(data, event) {
      if (response.writableEnded || response.destroyed) return;
      response.write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
    },
    sendRaw(data) {
      if (response.writableEnded || response.destroyed) return;
      response.write(`data: ${data}\n\n`);
    },
    end() {
      if (!response.writableEnded) response.end();
    },
  };
}
