import type { Kernel } from './kernel.js';
import { TsKernel } from './tsKernel.js';
import { createWasmKernel } from './wasmKernel.js';

export type { Kernel } from './kernel.js';

/**
 * Which kernel runs the passes over the vocabulary: `'wasm'` (WebAssembly SIMD), `'ts'`
 * (pure TypeScript, identical results), `'auto'` (WebAssembly where available, else
 * TypeScript), or `'reference'` (no fast path: every stage runs as its reference sampler).
 */
export type KernelChoice = 'auto' | 'wasm' | 'ts' | 'reference';

let wasm: Kernel | null | undefined;
let ts: Kernel | undefined;

/**
 * The process-wide kernel of a kind, created on first use and shared by every sampler (the
 * passes are synchronous, so one set of buffers suffices; they grow to the largest
 * vocabulary seen). `'wasm'` falls back to TypeScript where WebAssembly SIMD is missing;
 * `'reference'` gives null.
 *
 * @example
 * getKernel('auto')?.kind; // 'wasm' in Node 20 and current browsers
 */
export function getKernel(choice: KernelChoice = 'auto'): Kernel | null {
  if (choice === 'reference') return null;
  if (choice !== 'ts') {
    if (wasm === undefined) wasm = createWasmKernel();
    if (wasm) return wasm;
  }
  return (ts ??= new TsKernel());
}

/** Whether the WebAssembly SIMD kernel can run here. */
export function wasmKernelAvailable(): boolean {
  if (wasm === undefined) wasm = createWasmKernel();
  return wasm !== null;
}
