import type { KnobsServer } from './server.js';

/** Options of `runUntilSignal`. */
export interface RunUntilSignalOptions {
  /** Signals that stop the server (default SIGINT and SIGTERM). */
  readonly signals?: readonly NodeJS.Signals[];
  /** How long requests in flight may finish after the first signal (default 5000 ms); a second signal stops at once. */
  readonly graceMs?: number;
  /** Told which signal arrived, before closing. */
  readonly onSignal?: (signal: NodeJS.Signals) => void;
}

/**
 * Keeps a listening server up until SIGINT or SIGTERM, then shuts it down cleanly: no new
 * connections, requests in flight get `graceMs` to finish, the rest are aborted. A second
 * signal skips the grace period. Resolves to the signal once every connection is closed,
 * and removes its signal handlers.
 *
 * @example
 * await serve.listen();
 * const signal = await runUntilSignal(serve, { onSignal: (s) => console.error(`stopping (${s})`) });
 */
export function runUntilSignal(serve: KnobsServer, options: RunUntilSignalOptions = {}): Promise<NodeJS.Signals> {
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  return new Promise((resolve, reject) => {
    let received: NodeJS.Signals | undefined;
    const handler = (signal: NodeJS.Signals): void => {
      if (received !== undefined) {
        serve.server.closeAllConnections();
        return;
      }
      received = signal;
      options.onSignal?.(signal);
      serve.close(options.graceMs ?? 5000).then(
        () => {
          for (const name of signals) process.off(name, handler);
          resolve(signal);
        },
        (error: unknown) => {
          for (const name of signals) process.off(name, handler);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    };
    for (const name of signals) process.on(name, handler);
  });
}
