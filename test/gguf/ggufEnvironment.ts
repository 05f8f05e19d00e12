/**
 * Whether node-llama-cpp and its prebuilt llama.cpp binary work on this machine. Tests that
 * need them skip with the reason when not (and say so once on stderr); the others always run.
 */
import { GgufLoadError, GgufUnavailableError, loadLlama, loadNodeLlamaCpp, NODE_LLAMA_CPP_VERSION, type NodeLlamaCpp } from '../../src/models/ggufRuntime.js';

/** The settings of every GGUF test: CPU only, one thread (fast and steady on a busy 2-core machine). */
export const TEST_SETTINGS = { gpu: false, threads: 1 } as const;

export type GgufEnvironment = { readonly ok: true; readonly runtime: NodeLlamaCpp } | { readonly ok: false; readonly reason: string };

let environment: Promise<GgufEnvironment> | undefined;

/**
 * Loads node-llama-cpp and its binary once per test file.
 *
 * @example
 * const gguf = await ggufEnvironment();
 * if (!gguf.ok) skip(gguf.reason);
 */
export function ggufEnvironment(): Promise<GgufEnvironment> {
  environment ??= (async (): Promise<GgufEnvironment> => {
    try {
      const runtime = await loadNodeLlamaCpp('gguf:test');
      await loadLlama(runtime, TEST_SETTINGS);
      return { ok: true, runtime };
    } catch (error) {
      let reason: string;
      if (error instanceof GgufUnavailableError) reason = `node-llama-cpp is not installed (npm install --no-save node-llama-cpp@${NODE_LLAMA_CPP_VERSION})`;
      else if (error instanceof GgufLoadError) reason = `node-llama-cpp's prebuilt binary does not load on this machine: ${error.message}`;
      else throw error;
      process.stderr.write(`GGUF model tests skipped: ${reason}\n`);
      return { ok: false, reason };
    }
  })();
  return environment;
}
