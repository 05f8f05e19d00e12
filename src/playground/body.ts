import type { IncomingMessage } from 'node:http';
import { PlaygroundRequestError } from './errors.js';

/** Largest request body the API reads (a long context is a few hundred kilobytes of JSON). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Reads a request body as JSON. The request must say `Content-Type: application/json`
 * (which also keeps other web pages from posting to the API without a CORS preflight,
 * which the server never grants). Rejects with a 400/413/415 `PlaygroundRequestError`.
 */
export async function readJsonBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new PlaygroundRequestError(415, `Content-Type = ${JSON.stringify(type ?? '')} is not accepted: expected application/json`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new PlaygroundRequestError(413, `request body is over ${limit} bytes: expected at most ${limit}`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new PlaygroundRequestError(400, `request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** The object a JSON body must be, or a 400 naming what was received. */
export function expectObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PlaygroundRequestError(400, `request body = ${JSON.stringify(value)?.slice(0, 80)} is not an object: expected {"model": ..., ...}`);
  }
  return value as Record<string, unknown>;
}

/** A string field of a body, or a 400 naming the field. */
export function stringField(body: Record<string, unknown>, name: string, maxLength = 100_000): string {
  const value = body[name];
  if (typeof value !== 'string' || value.length > maxLength) {
    throw new PlaygroundRequestError(400, `${name} = ${JSON.stringify(value)?.slice(0, 80)} is not valid: expected a string of at most ${maxLength} characters`);
  }
  return value;
}

/** An array of token ids in [0, vocabSize), or a 400 naming the first bad entry. */
export function tokenIdsField(body: Record<string, unknown>, name: string, vocabSize: number, maxLength = 100_000): number[] {
  const value = body[name];
  if (!Array.isArray(value) || value.length > maxLength) {
    throw new PlaygroundRequestError(400, `${name} is not valid: expected an array of at most ${maxLength} token ids`);
  }
  value.forEach((id, index) => {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new PlaygroundRequestError(400, `${name}[${index}] = ${JSON.stringify(id)} is out of range: expected an integer in [0, ${vocabSize})`);
    }
  });
  return value as number[];
}
