import type { IncomingMessage } from 'node:http';
import { formatValue } from '../core/errors.js';
import { ApiError } from './apiError.js';

/** Options of `readJsonBody`. */
export interface JsonBodyOptions {
  /** Largest body in bytes; a larger one is a 413. */
  readonly limit: number;
  /**
   * Refuse (415) a request whose `Content-Type` is not `application/json` (default false).
   * Browsers send that type only after a CORS preflight, which a server that never grants
   * one thereby turns into a refusal: other web pages cannot post to it.
   */
  readonly requireJsonType?: boolean;
}

/**
 * Reads a request body that must be a JSON object, for every server of the package. Every
 * failure is an `ApiError`: 415 for another `Content-Type` (when `requireJsonType`), 413
 * for a body over `limit` bytes, 400 for an empty body, invalid JSON or JSON that is not
 * an object. A body over the limit is read on and dropped up to 16 × `limit`, so that the
 * client gets the 413 instead of a reset connection; beyond that (or when Content-Length
 * already says so) the answer comes at once and the server should close the connection.
 *
 * @example
 * const body = await readJsonBody(request, { limit: 1024 * 1024 }); // { model: 'embedded', ... }
 */
export async function readJsonBody(request: IncomingMessage, options: JsonBodyOptions): Promise<Record<string, unknown>> {
  if (options.requireJsonType) {
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (type !== 'application/json') throw new ApiError(415, `Content-Type = ${JSON.stringify(type)} is not accepted: expected application/json`, { code: 'unsupported_media_type' });
  }
  const body = await readBytes(request, options.limit);
  if (body.length === 0) throw new ApiError(400, 'request body is empty: expected a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new ApiError(400, `request body is not valid JSON: ${(error as Error).message}`, { code: 'invalid_json' });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError(400, `request body = ${formatValue(value)} is not a JSON object: expected {"model": ..., ...}`);
  }
  return value as Record<string, unknown>;
}

function readBytes(request: IncomingMessage, limit: number): Promise<Buffer> {
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
