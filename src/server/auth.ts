import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Whether a request presents the server's key, as `Authorization: Bearer KEY` (OpenAI
 * clients, and the Anthropic SDK) or `x-api-key: KEY` (Anthropic). Compares SHA-256
 * digests in constant time; the key is never logged.
 *
 * @example
 * presentsKey(request, process.env.KNOBS_SERVE_KEY as string);
 */
export function presentsKey(request: IncomingMessage, key: string): boolean {
  const expected = digest(key);
  const authorization = request.headers.authorization;
  const candidates: string[] = [];
  if (typeof authorization === 'string' && /^bearer\s+/i.test(authorization)) candidates.push(authorization.replace(/^bearer\s+/i, '').trim());
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string') candidates.push(apiKey.trim());
  return candidates.some((candidate) => timingSafeEqual(digest(candidate), expected));
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
