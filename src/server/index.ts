export { ApiError } from '../http/apiError.js';
export { isLoopback } from '../http/loopback.js';
export { anthropicErrorBody, openaiErrorBody } from './errorBodies.js';
export { presentsKey } from './auth.js';
export { checkBindAddress, createKnobsServer, type KnobsServer, type KnobsServerOptions } from './server.js';
export { runUntilSignal, type RunUntilSignalOptions } from './runUntilSignal.js';
