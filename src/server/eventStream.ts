import type { ServerResponse } from 'node:http';

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
