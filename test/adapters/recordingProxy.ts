/**
 * A recording HTTP proxy on 127.0.0.1 for tests: forwards every request to `target` over a
 * real socket and keeps the JSON body it carried, so a test sees exactly what the server
 * received from an SDK client. Responses (streams included) are piped back as they come.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';

/** One request as the server received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, unknown> | null;
}

/** A running proxy. */
export interface RecordingProxy {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a proxy in front of `target` (a base URL such as `http://127.0.0.1:8765`).
 *
 * @example
 * const proxy = await startRecordingProxy(serverUrl);
 * // point the client at `${proxy.url}/v1`, then read proxy.requests
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  const upstream = new URL(target);
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const raw = Buffer.concat(chunks);
      let body: Record<string, unknown> | null = null;
      try {
        body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : null;
      } catch {
        body = null;
      }
      requests.push({ method: incoming.method ?? 'GET', path: incoming.url ?? '/', body });
      const headers = { ...incoming.headers, host: upstream.host, 'content-length': String(raw.length) };
      const forward = httpRequest({ hostname: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers }, (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      });
      forward.on('error', (error) => {
        outgoing.writeHead(502, { 'content-type': 'text/plain' });
        outgoing.end(String(error));
      });
      forward.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
