import type { LoadOptions } from '../models/embeddedData.js';
import { isModelId, openModel } from '../models/openModel.js';
import { createProvider, type ProviderOptions } from '../providers/index.js';
import type { Provider } from '../providers/types.js';
import type { ProviderTarget } from './job.js';
import type { ProviderFactory } from './runExperiment.js';

/** Model name → model, as the local provider looks its models up. */
export type ModelResolver = NonNullable<ProviderOptions['modelResolver']>;

/** Options of `providerFactory`. */
export interface ProviderFactoryOptions {
  /** Build progress of the embedded model (first use only). */
  readonly load?: LoadOptions;
  /** Retries of the SDKs inside one request (their default is 2). */
  readonly maxRetries?: number;
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The model resolver of the local provider: the embedded models (`embedded`,
 * `embedded:brown-knN`) and GGUF files (`gguf:PATH`), each opened once however many requests ask for it at the same time.
 *
 * @example
 * const resolve = localModelResolver();
 * (await resolve('embedded'))?.id; // 'embedded:brown-kn4'
 */
export function localModelResolver(load: LoadOptions = {}): ModelResolver {
  const opened = new Map<string, ReturnType<typeof openModel>>();
  return (name: string) => {
    if (!isModelId(name)) return undefined;
    let model = opened.get(name);
    if (!model) {
      model = openModel(name, load);
      opened.set(name, model);
    }
    return model;
  };
}

/**
 * Makes providers for experiment targets with `createProvider`: the target's base URL,
 * server kind and key variable (keys are read from the environment by the provider, never
 * passed around), and the embedded models for `local`.
 *
 * @example
 * const providerFor = providerFactory();
 * const provider = providerFor({ provider: 'local', model: 'embedded' });
 */
export function providerFactory(options: ProviderFactoryOptions = {}): ProviderFactory {
  let resolver: ModelResolver | undefined;
  return (target: ProviderTarget): Provider => {
    if (target.provider === 'local') resolver ??= localModelResolver(options.load);
    return createProvider(target.provider, {
      ...(target.baseUrl === undefined ? {} : { baseURL: target.baseUrl }),
      ...(target.server === undefined ? {} : { server: target.server }),
      ...(target.apiKeyEnv === undefined ? {} : { apiKeyEnv: target.apiKeyEnv }),
      ...(resolver === undefined ? {} : { modelResolver: resolver }),
      ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.env === undefined ? {} : { env: options.env }),
    });
  };
}
