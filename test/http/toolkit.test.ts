import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/http/apiError.js';
import { readJsonBody } from '../../src/http/jsonBody.js';
import { isLoopback } from '../../src/http/loopback.js';
import { sendJson } from '../../src/http/sendJson.js';

describe('isLoopback', () => {
  it('takes localhost, 127.0.0.0/8 and ::1 (bare or bracketed), and nothing else', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.2', '128.0.0.1', '127.0.0.1.example.com', 'localhost.example.com', '']) expect(isLoopback(host), host).toBe(false);
  });
});

// One real server on 127.0.0.1 that reads bodies with the toolkit, as both servers do.
let server: Server;
let port = 0;
beforeAll(async () => {
  server = createServer((request, response) => {
    const requireJsonType = request.url === '/strict';
    readJsonBody(request, { limit: 64, requireJsonType }).then(
      (body) => sendJson(response, 200, body),
      (error: unknown) => {
        const apiError = error as ApiError;
        sendJson(response, apiError.status, { message: apiError.message, code: apiError.code }, apiError.status === 413 ? { connection: 'close' } : {});
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Posts raw bytes over a socket and returns the status and the JSON answer. */
function post(path: string, body: string, type = 'application/json'): Promise<{ status: number; body: { message?: string; code?: string | null } & Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': type } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('readJsonBody over a real socket', () => {
  it('returns the object of a JSON body', async () => {
    expect(await post('/', '{"model":"tiny","n":2}')).toEqual({ status: 200, body: { model: 'tiny', n: 2 } });
  });

  it('answers 400 for an empty body, invalid JSON and JSON that is no object', async () => {
    expect(await post('/', '')).toEqual({ status: 400, body: { message: 'request body is empty: expected a JSON object', code: null } });
    const invalid = await post('/', '{"model": ');
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toMatch(/^request body is not valid JSON: /);
    expect(invalid.body.code).toBe('invalid_json');
    expect(await post('/', '[1,2]')).toEqual({ status: 400, body: { message: 'request body = [1,2] is not a JSON object: expected {"model": ..., ...}', code: null } });
  });

  it('answers 413 for a body over the limit (6 + 100 + 2 = 108 bytes), read to its end first', async () => {
    expect(await post('/', `{"a":"${'x'.repeat(100)}"}`)).toEqual({ status: 413, body: { message: 'request body of 108 bytes is too large: expected at most 64 bytes', code: 'request_too_large' } });
  });

  it('refuses another Content-Type with 415 only when asked to', async () => {
    expect(await post('/strict', '{"a":1}', 'text/plain')).toEqual({ status: 415, body: { message: 'Content-Type = "text/plain" is not accepted: expected application/json', code: 'unsupported_media_type' } });
    expect(await post('/', '{"a":1}', 'application/x-www-form-urlencoded')).toEqual({ status: 200, body: { a: 1 } });
    expect((await post('/strict', '{"a":1}', 'application/json; charset=utf-8')).status).toBe(200);
  });
});
