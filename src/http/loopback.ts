/**
 * Whether `host` names this machine's loopback interface: `localhost`, 127.0.0.0/8, `::1`
 * (bare or in brackets, as in URLs and Host headers), or IPv4-mapped 127.0.0.1. The one
 * test behind `knobs serve`'s bind check, the playground's Host check and an experiment's
 * "no paid API" check of a base URL. Pass a host without its port.
 *
 * @example
 * isLoopback('127.0.0.1'); // true
 * isLoopback('[::1]'); // true
 * isLoopback('0.0.0.0'); // false
 */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}
