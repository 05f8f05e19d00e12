/**
 * The page's view of the playground's JSON API (`src/playground/api.ts`). Only what needs
 * the models on the machine goes through here: token texts, encoding, decoding and the
 * next-token logits; every sampler runs in the page.
 */

/** A model the server offers. */
export interface ModelSummary {
  readonly id: string;
  readonly title: string;
}

/** `GET /api/info`. */
export interface ServerInfo {
  readonly version: string;
  readonly models: readonly ModelSummary[];
  readonly engines: readonly string[];
  readonly openai: boolean;
}

/** `GET /api/model`. */
export interface ModelInfo {
  readonly id: string;
  readonly vocabSize: number;
  readonly stopTokens: readonly number[];
}

/** An answer of the API that is not a success, with the server's message. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function check(response: Response): Promise<Response> {
  if (response.ok) return response;
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as { error?: string };
    if (body.error) message = body.error;
  } catch {
    // not JSON: keep the status line
  }
  throw new ApiError(response.status, message);
}

async function getJson<T>(path: string): Promise<T> {
  return (await (await check(await fetch(path))).json()) as T;
}

async function postJson<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await (await check(response)).json()) as T;
}

/** What the server offers; `undefined` when the page is opened without the playground server. */
export async function fetchInfo(): Promise<ServerInfo | undefined> {
  try {
    return await getJson<ServerInfo>('api/info');
  } catch {
    return undefined;
  }
}

/** Size and stop tokens of a model. */
export function fetchModel(model: string): Promise<ModelInfo> {
  return getJson<ModelInfo>(`api/model?model=${encodeURIComponent(model)}`);
}

const vocabularies = new Map<string, Promise<readonly string[]>>();

/** The text of every token id of a model (fetched once per page). */
export function fetchVocab(model: string): Promise<readonly string[]> {
  let vocab = vocabularies.get(model);
  if (!vocab) {
    vocab = getJson<string[]>(`api/vocab?model=${encodeURIComponent(model)}`);
    vocab.catch(() => vocabularies.delete(model));
    vocabularies.set(model, vocab);
  }
  return vocab;
}

/** Text to token ids with the model's tokenizer. */
export async function encode(model: string, text: string): Promise<number[]> {
  return (await postJson<{ tokens: number[] }>('api/encode', { model, text })).tokens;
}

/** Token ids to text with the model's tokenizer. */
export async function decode(model: string, tokens: readonly number[]): Promise<string> {
  return (await postJson<{ text: string }>('api/decode', { model, tokens })).text;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The model's full next-token logits after `context`, sent as little-endian float32:
 * exactly the numbers `knobs generate` samples from.
 */
export async function fetchLogits(model: string, context: readonly number[], signal?: AbortSignal): Promise<Float32Array> {
  const response = await check(
    await fetch('api/logits', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, context }), signal }),
  );
  const buffer = await response.arrayBuffer();
  if (littleEndian) return new Float32Array(buffer);
  const view = new DataView(buffer);
  const logits = new Float32Array(buffer.byteLength / 4);
  for (let i = 0; i < logits.length; i++) logits[i] = view.getFloat32(i * 4, true);
  return logits;
}

/** The top log-probabilities of the first token OpenAI would write after `prompt`. */
export function fetchOpenAiTopLogprobs(prompt: string, model: string): Promise<{ model: string; tokens: string[]; logprobs: number[] }> {
  return postJson('api/openai/top-logprobs', { prompt, model });
}
