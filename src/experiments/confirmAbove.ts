/**
 * Above this many paid requests, a run asks for confirmation (`--yes` skips it). Its own
 * file, so that the CLI's help can name it without loading the experiment code.
 *
 * @example
 * previewRun(spec).paid > CONFIRM_ABOVE; // then ask before sending
 */
export const CONFIRM_ABOVE = 100;
