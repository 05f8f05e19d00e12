/**
 * What the audit tests share: a character model small enough that `top_logprobs: 20` lists
 * its whole vocabulary (14 characters and the end token), `knobs serve` over it on
 * 127.0.0.1, and proxies in front of it that drop, rewrite or refuse a field — real HTTP
 * servers, as a misbehaving gateway would be.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { modelCatalog } from '../../src/models/catalog.js';
import type { LanguageModel } from '../../src/models/languageModel.js';
import { createKnobsServer, type KnobsServer } from '../../src/server/server.js';
import { charBigramModel } from '../providers/fixtures/charBigramModel.js';

/** The training text: 14 distinct characters, so the model's vocabulary is 15 tokens with the end token. */
export const AUDIT_TEXT = 'the cat sat on the mat. a rat ate the hat. the cat and the rat sat on a mat. tea at ten. no, not that one.';

/**
 * A character bigram model over `AUDIT_TEXT` whose smoothing differs by token:
 * P(next | last) ∝ count(last, next) + 0.2 + 0.01 · next, so that every token has some
 * probability after every character and no two tokens tie (a tie at a cut would make the
 * audit avoid that position). Its logits are those log-probabilities, as for every model
 * `knobs serve` runs. The end token (the last id) follows the text's last character.
 */
export const auditModel = tieFreeBigram(AUDIT_TEXT);

function tieFreeBigram(text: string): LanguageModel & { readonly chars: readonly string[] } {
  const base = charBigramModel(text);
  const chars = base.chars;
  const vocabSize = base.vocabSize;
  const eos = vocabSize - 1;
  const index = new Map(chars.map((char, id) => [char, id]));
  const ids = [...text].map((char) => index.get(char) as number);
  ids.push(eos);
  const counts = new Float64Array(vocabSize * vocabSize);
  for (let i = 1; i < ids.length; i++) counts[(ids[i - 1] as number) * vocabSize + (ids[i] as number)]! += 1;
  const rows = new Map<number, Float32Array>();
  const row = (last: number): Float32Array => {
    let logits = rows.get(last);
    if (logits) return logits;
    const weights = Array.from({ length: vocabSize }, (_, next) => (counts[last * vocabSize + next] as number) + 0.2 + 0.01 * next);
    const total = weights.reduce((a, b) => a + b, 0);
    logits = Float32Array.from(weights, (weight) => Math.log(weight / total));
    rows.set(last, logits);
    return logits;
  };
  return {
    ...base,
    id: 'test:tie-free-bigram',
    nextLogits(context, out) {
      const logits = row(context[context.length - 1] ?? eos);
      if (out && out.length === vocabSize) {
        out.set(logits);
        return out;
      }
      return Float32Array.from(logits);
    },
  };
}

/** Prompts whose last characters give different next-character distributions. */
export const AUDIT_PROMPTS = ['the c', 'a rat', 'on th', 'no, n', 'tea a', 'the '];

/** Starts `knobs serve` over the audit model (`tiny`) on an ephemeral port. */
export async function startAuditServer(): Promise<{ serve: KnobsServer; url: string }> {
  const serve = createKnobsServer({ catalog: modelCatalog({ tiny: auditModel }), host: '127.0.0.1', port: 0 });
  const { url } = await serve.listen();
  return { serve, url };
}

/** What a proxy does with a request body: forward it changed, or answer itself. */
export type ProxyRule = (body: Record<string, unknown>) => { forward: Record<string, unknown> } | { status: number; answer: unknown };

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * A proxy on 127.0.0.1 in front of `upstream` (a knobs serve URL): every POST body goes
 * through `rule`, which may change it before forwarding or answer in its place; GETs are
 * forwarded as they are.
 */
export async function startProxy(upstream: string, rule: ProxyRule): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    void (async () => {
      const text = request.method === 'POST' ? await readBody(request) : undefined;
      let body = text;
      if (text !== undefined) {
        const outcome = rule(JSON.parse(text) as Record<string, unknown>);
        if ('answer' in outcome) {
          response.writeHead(outcome.status, { 'content-type': 'application/json' });
          response.end(JSON.stringify(outcome.answer));
          return;
        }
        body = JSON.stringify(outcome.forward);
      }
      const answer = await fetch(`${upstream}${request.url ?? '/'}`, { method: request.method ?? 'GET', headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body } : {}) });
      const bytes = Buffer.from(await answer.arrayBuffer());
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      response.end(bytes);
    })().catch((error: unknown) => {
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A rule that drops one field. */
export const strip = (field: string): ProxyRule => (body) => {
  const { [field]: _dropped, ...rest } = body;
  return { forward: rest };
};
