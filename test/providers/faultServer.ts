import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the fault server does with the k-th request (0-based). */
export type Fault = (request: IncomingMessage, response: ServerResponse, body: string) => void;

/** A loopback HTTP server that answers request k with `faults[min(k, last)]`, counting requests and keeping their bodies. */
export async function startFaultServer(faults: readonly Fault[]): Promise<{ url: string; count: () => number; bodies: string[]; headers: IncomingMessage['headers'][]; close: () => Promise<void> }> {
  let count = 0;
  const bodies: string[] = [];
  const headers: IncomingMessage['headers'][] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      bodies.push(body);
      headers.push(request.headers);
      const fault = faults[Math.min(count, faults.length - 1)] as Fault;
      count++;
      fault(request, response, body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => count,
    bodies,
    headers,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export const json =
  (status: number, body: unknown, extraHeaders: Record<string, string> = {}): Fault =>
  (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...extraHeaders });
    response.end(JSON.stringify(body));
  };

export const raw =
  (status: number, text: string, contentType = 'application/json'): Fault =>
  (_request, response) => {
    response.writeHead(status, { 'content-type': contentType });
    response.end(text);
  };

/** Never answers (the client's timeout fires). */
export const hang: Fault = () => undefined;

/** Drops the connection without an answer. */
export const drop: Fault = (request) => {
  request.socket.destroy();
};

export const chatCompletion = (text: string, extra: Record<string, unknown> = {}): unknown => ({
  id: 'chatcmpl-test',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  system_fingerprint: 'fp_test',
  choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
  ...extra,
});

export const claudeMessage = (text: string): unknown => ({
  id: 'msg_test',
  type: 'message',
  role: 'assistant',
  model: 'claude-haiku-4-5',
  content: [{ type: 'text', text }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 5, output_tokens: 2 },
});
