/**
 * `creativity-knobs/playground` (Node): `knobs playground`, the page's server, its JSON API
 * and the seams tests use.
 *
 * @example
 * import { localCatalog } from 'creativity-knobs/models';
 * import { startPlayground } from 'creativity-knobs/playground';
 * const playground = await startPlayground({ catalog: localCatalog(), port: 0 });
 *
 * @module creativity-knobs/playground
 */
export { createApiHandler, type PlaygroundApiOptions, type PlaygroundInfo } from './api.js';
export { openaiTopLogprobs, type TopLogprobs, type TopLogprobsSource } from './openai.js';
export { startPlayground, type PlaygroundOptions, type RunningPlayground } from './server.js';
export { createStaticHandler, defaultStaticDir, hasBuiltPage } from './static.js';
