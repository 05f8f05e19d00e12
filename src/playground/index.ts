/** `knobs playground`: the page's server, its JSON API and the seams tests use. */
export { createApiHandler, type PlaygroundApiOptions, type PlaygroundInfo } from './api.js';
export { openaiTopLogprobs, type TopLogprobs, type TopLogprobsSource } from './openai.js';
export { startPlayground, type PlaygroundOptions, type RunningPlayground } from './server.js';
export { createStaticHandler, defaultStaticDir, hasBuiltPage } from './static.js';
