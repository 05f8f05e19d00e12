/**
 * The engines whose sampling semantics are available as profiles (`--engine`), in the
 * order `knobs engines` lists them. A module of its own, with no imports, so that the CLI
 * can name the engines in its help texts without loading the samplers.
 *
 * @example
 * ENGINE_NAMES.includes('vllm'); // true
 */
export const ENGINE_NAMES = ['knobs', 'llama.cpp', 'hf', 'vllm', 'sglang', 'ollama', 'ollama-go', 'koboldcpp', 'exllamav2', 'transformers.js', 'node-llama-cpp'] as const;
/** One of `ENGINE_NAMES`. */
export type EngineName = (typeof ENGINE_NAMES)[number];
