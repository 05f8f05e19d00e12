import { createKnobsServer, type KnobsServer, type KnobsServerOptions } from '../../src/server/server.js';
import { modelCatalog } from '../../src/models/catalog.js';
import { charBigramModel } from '../providers/fixtures/charBigramModel.js';

export const model = charBigramModel();

/** Starts knobs serve over the test model on 127.0.0.1 with an ephemeral port. */
export async function startServer(options: Partial<KnobsServerOptions> = {}): Promise<{ serve: KnobsServer; url: string }> {
  const serve = createKnobsServer({ catalog: modelCatalog({ tiny: model }), host: '127.0.0.1', port: 0, ...options });
  const { url } = await serve.listen();
  return { serve, url };
}

/** ln softmax in float64. */
export function logSoftmax64(logits: ArrayLike<number>): number[] {
  const values = Array.from(logits);
  const max = Math.max(...values);
  const shift = max + Math.log(values.reduce((sum, value) => sum + Math.exp(value - max), 0));
  return values.map((value) => value - shift);
}

/** A fetch with a hard timeout, for raw requests. */
export function fetchWithTimeout(url: string, init: RequestInit = {}, ms = 10_000): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(ms) });
}

/** Rejects with `label` if `promise` takes longer than `ms` (every await on the network in these tests is bounded). */
export function bounded<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
