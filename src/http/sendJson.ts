import type { ServerResponse } from 'node:http';

/**
 * Sends a JSON answer with its length, plus any `headers` (which may override the type).
 *
 * @example
 * sendJson(response, 200, { status: 'ok' });
 * sendJson(response, 404, { error: 'nothing here' }, { 'cache-control': 'no-store' });
 */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}
