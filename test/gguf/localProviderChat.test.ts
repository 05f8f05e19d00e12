import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { modelCatalog } from '../../src/models/catalog.js';
import { openGgufModel, type GgufModel } from '../../src/models/ggufModel.js';
import { createLocalProvider } from '../../src/providers/local.js';
import { renderChatPrompt } from '../../src/providers/chatTemplate.js';
import { ggufEnvironment, TEST_SETTINGS, type GgufEnvironment } from './ggufEnvironment.js';
import { buildTinyLlama, writeTinyLlama } from './tinyLlama.js';

const directory = mkdtempSync(join(tmpdir(), 'knobs-gguf-chat-'));
const tiny = buildTinyLlama({ tokenizer: 'bpe' });
const path = writeTinyLlama(directory, tiny);
let environment: GgufEnvironment;
let model: GgufModel | undefined;

beforeAll(async () => {
  environment = await ggufEnvironment();
  if (environment.ok) model = await openGgufModel(path, { ...TEST_SETTINGS, runtime: environment.runtime });
});
afterAll(async () => {
  await model?.close();
  rmSync(directory, { recursive: true, force: true });
});

function needsLlama(context: TestContext): GgufModel {
  if (!environment.ok || !model) context.skip(environment.ok ? 'model did not open' : environment.reason);
  return model as GgufModel;
}

describe('the local provider on a GGUF model with a chat template', () => {
  it("renders chat messages with the model's template, not the plain-text format", async (context) => {
    const gguf = needsLlama(context);
    const messages = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'hi' },
    ];
    const provider = createLocalProvider({ catalog: modelCatalog({ tiny: gguf }) });
    const result = await provider.complete({ model: 'tiny', messages, maxTokens: 3, seed: 1 });
    expect(result.status).toBe('ok');
    const templated = gguf.chatPrompt(messages).tokens.length;
    expect(result.usage?.promptTokens).toBe(templated);
    expect(templated).not.toBe(gguf.encode(renderChatPrompt(messages)).length);
  });
});
