// The seed scripts' reference data, read from the shared reference directory when it is
// beside the checkout (as in CI), else from the copy shipped in the package.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const shared = fileURLToPath(new URL('../../../shared/reference/seed-examples.json', import.meta.url));
const shipped = fileURLToPath(new URL('../../src/examples/seed-examples.json', import.meta.url));

export const referencePath = existsSync(shared) ? shared : shipped;
export const shippedPath = shipped;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const reference: any = JSON.parse(readFileSync(referencePath, 'utf8'));

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const difference = Math.abs((actual[i] as number) - (expected[i] as number));
    if (!(difference <= tolerance)) {
      throw new Error(`index ${i}: ${actual[i]} differs from ${expected[i]} by ${difference} > ${tolerance}`);
    }
  }
}
