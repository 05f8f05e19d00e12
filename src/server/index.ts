export { ApiError, anthropicErrorBody, openaiErrorBody } from './apiError.js';
export { isLoopback, presentsKey } from './auth.js';
export { checkBindAddress, createKnobsServer, type KnobsServer, type KnobsServerOptions } from './server.js';
export { runUntilSignal, type RunUntilSignalOptions } from './runUntilSignal.js';
