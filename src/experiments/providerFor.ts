import type { ModelCatalog } from '../models/catalog.js';
import type { LoadOptions } from '../models/embeddedData.js';
import { localCatalog } from '../models/localModels.js';
import { createProvider } from '../providers/index.js';
import type { Provider } from '../providers/types.js';
import type { ProviderTarget } from './job.js';
import type { ProviderFactory } from './runExperiment.js';

/** Options of `providerFactory`. */
export interface ProviderFactoryOptions {
  /** Build progress of the embedded model (first use only). */
  readonly load?: LoadOptions;
  /** Models of the `local` provider (default: `localCatalog` with `load`, opening any `gguf:PATH` the spec names). */
  readonly catalog?: ModelCatalog;
  /** Retries of the SDKs inside one request (their default is 2). */
  readonly maxRetries?: number;
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Makes providers for experiment targets with `createProvider`: the target's base URL,
 * server kind and key variable (keys are read from the environment by the provider, never
 * passed around), and the models of this machine for `local` (one catalog for the whole run).
 *
 * @example
 * const providerFor = providerFactory();
 * const provider = providerFor({ provider: 'local', model: 'embedded' });
 */
export function providerFactory(options: ProviderFactoryOptions = {}): ProviderFactory {
  let catalog = options.catalog;
  return (target: ProviderTarget): Provider => {
    if (target.provider === 'local') catalog ??= localCatalog({ ...options.load, anyGguf: true });
    return createProvider(target.provider, {
      ...(target.baseUrl === undefined ? {} : { baseURL: target.baseUrl }),
      ...(target.server === undefined ? {} : { server: target.server }),
      ...(target.apiKeyEnv === undefined ? {} : { apiKeyEnv: target.apiKeyEnv }),
      ...(catalog === undefined ? {} : { catalog }),
      ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.env === undefined ? {} : { env: options.env }),
    });
  };
}
