/**
 * The runtimes the adapters work with are optional peers of creativity-knobs: never among its
 * dependencies, imported (dynamically) only by the adapter that needs one, so that the root
 * package and the other adapters run without them.
 */
import { KnobsError } from '../core/errors.js';

/**
 * An adapter's runtime is not installed.
 *
 * @example
 * throw new RuntimeUnavailableError('creativity-knobs/transformers', '@huggingface/transformers', 'npm install @huggingface/transformers@4');
 * // message: "creativity-knobs/transformers needs @huggingface/transformers, which is not installed: run `npm install @huggingface/transformers@4` ..."
 */
export class RuntimeUnavailableError extends KnobsError {
  override name = 'RuntimeUnavailableError';
  constructor(
    readonly adapter: string,
    readonly runtime: string,
    readonly install: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${adapter} needs ${runtime}, which is not installed: run \`${install}\` in your project ` +
        `(it is an optional peer of creativity-knobs, installed only by those who use ${adapter}).`,
      options,
    );
  }
}

/**
 * Imports a runtime by its package name, turning "not found" into `RuntimeUnavailableError`
 * (other failures, such as a native binary that does not load, are rethrown as they are).
 *
 * @example
 * const transformers = await importRuntime<TransformersModule>('creativity-knobs/transformers', '@huggingface/transformers', 'npm install @huggingface/transformers@4');
 */
export async function importRuntime<T>(adapter: string, specifier: string, install: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    // Node says ERR_MODULE_NOT_FOUND; bundlers and test runners (Vite: 'Could not resolve') say it in words
    const code = (error as { code?: unknown }).code;
    const message = String((error as Error | undefined)?.message);
    const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /could not resolve|cannot find (module|package)|failed to (resolve|load url)/i.test(message);
    if (notFound && message.includes(specifier)) throw new RuntimeUnavailableError(adapter, specifier, install, { cause: error });
    throw error;
  }
}
