/**
 * `creativity-knobs/server` (Node): `knobs serve` as a library, OpenAI- and
 * Anthropic-compatible HTTP endpoints over local models, and its HTTP toolkit.
 *
 * @example
 * import { createKnobsServer } from 'creativity-knobs/server';
 * import { localCatalog } from 'creativity-knobs/models';
 * const serve = createKnobsServer({ catalog: localCatalog(), port: 0 });
 * const { url } = await serve.listen();
 *
 * @module creativity-knobs/server
 */
export { ApiError } from '../http/apiError.js';
export { isLoopback } from '../http/loopback.js';
export { anthropicErrorBody, openaiErrorBody } from './errorBodies.js';
export { presentsKey } from './auth.js';
export { checkBindAddress, createKnobsServer, type KnobsServer, type KnobsServerOptions } from './server.js';
export { runUntilSignal, type RunUntilSignalOptions } from './runUntilSignal.js';
