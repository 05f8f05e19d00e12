import type { Kernel } from './kernel.js';
import { TsKernel } from './tsKernel.js';
import { createWasmKernel } from './wasmKernel.js';

export type { Kernel } from './kernel.js';

/**
 * Which kernel runs the fast path's passes over the vocabulary: `'wasm'` (WebAssembly SIMD),
 * `'ts'` (pure TypeScript, identical results), or `'auto'` (WebAssembly where available,
 * else TypeScript).
 */
export type KernelChoice = 'auto' | 'wasm' | 'ts';

let wasm: Kernel | null | undefined;
let ts: Kernel | undefined;

/**
 * The process-wide kernel of a kind, created on first use and shared by every sampler (the
 * passes are synchronous, so one set of buffers suffices; they grow to the largest
 * vocabulary seen). `'wasm'` falls back to TypeScript where WebAssembly SIMD is missing.
 *
 * @example
 * getKernel('auto').kind; // 'wasm' in Node 20 and current browsers
 */
export function getKernel(choice: KernelChoice = 'auto'): Kernel {
  if (choice !== 'ts') {
    if (wasm === undefined) wasm = createWasmKernel();
    if (wasm) return wasm;
  }
  return (ts ??= new TsKernel());
}

/**
 * A kernel of its own (not shared): for a sampler whose callers write rows straight into
 * its memory (`KnobsSampler.inputBuffer`).
 *
 * @example
 * createKernel('auto').logits; // this kernel's input buffer
 */
export function createKernel(choice: KernelChoice = 'auto'): Kernel {
  if (choice !== 'ts') {
    const kernel = createWasmKernel();
    if (kernel) return kernel;
  }
  return new TsKernel();
}

/**
 * Whether the WebAssembly SIMD kernel can run here.
 *
 * @example
 * wasmKernelAvailable(); // true on Node 20 and current browsers
 */
export function wasmKernelAvailable(): boolean {
  if (wasm === undefined) wasm = createWasmKernel();
  return wasm !== null;
}
