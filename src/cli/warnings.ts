/**
 * Prints the knobs an engine ignored (`KnobsSampler.warnings`) on standard error, one line
 * each, so that standard output stays the table or the JSON.
 *
 * @example
 * printWarnings(['transformers.js ignores top_p (p = 0.9): ...']); // stderr: "warning: transformers.js ignores top_p ..."
 */
export function printWarnings(warnings: readonly string[]): void {
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
}
