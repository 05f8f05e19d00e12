/**
 * The runtimes of the adapter tests are optional peers: CI installs them under `.peers/` and
 * links them in (.ci/run); a machine without one skips its tests with the reason (said
 * once on stderr), so that `npm install && npm test` passes anywhere.
 */

/** A runtime that loaded, or why not. */
export type Peer<T> = { readonly ok: true; readonly module: T } | { readonly ok: false; readonly reason: string };

const loaded = new Map<string, Promise<Peer<unknown>>>();

/**
 * Imports `specifier` once per test file; a missing package gives `ok: false` with the
 * install line (any other failure is thrown: a broken install must fail the tests).
 *
 * @example
 * const ort = await peer<typeof import('onnxruntime-node')>('onnxruntime-node', 'npm install --ignore-scripts onnxruntime-node@1.30.0');
 * if (!ort.ok) context.skip(ort.reason);
 */
export function peer<T>(specifier: string, install: string): Promise<Peer<T>> {
  let result = loaded.get(specifier);
  if (!result) {
    result = (async (): Promise<Peer<unknown>> => {
      try {
        return { ok: true, module: (await import(specifier)) as unknown };
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        const message = String((error as Error | undefined)?.message);
        const missing = code === 'ERR_MODULE_NOT_FOUND' || /cannot find (module|package)|failed to (resolve|load url)|could not resolve/i.test(message);
        if (!missing || !message.includes(specifier)) throw error;
        const reason = `${specifier} is not installed (${install})`;
        process.stderr.write(`adapter tests skipped: ${reason}\n`);
        return { ok: false, reason };
      }
    })();
    loaded.set(specifier, result);
  }
  return result as Promise<Peer<T>>;
}

/** How each is installed: the optional peers as .ci/run does it (pinned, beside the project, linked in), the rest by npm install. */
export const INSTALL = {
  transformers: 'an optional peer: .ci/run installs it under .peers/ with `npm install --prefix .peers --ignore-scripts @huggingface/transformers@4.3.2 onnxruntime-node@1.30.0` and links it into node_modules',
  onnxruntime: 'an optional peer: .ci/run installs it under .peers/ with `npm install --prefix .peers --ignore-scripts onnxruntime-node@1.30.0` and links it into node_modules',
  devDependency: 'a devDependency: run npm install',
} as const;
