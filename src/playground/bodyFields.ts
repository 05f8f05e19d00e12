import { ApiError } from '../http/apiError.js';

/** A string field of a body, or a 400 naming the field. */
export function stringField(body: Record<string, unknown>, name: string, maxLength = 100_000): string {
  const value = body[name];
  if (typeof value !== 'string' || value.length > maxLength) {
    throw new ApiError(400, `${name} = ${JSON.stringify(value)?.slice(0, 80)} is not valid: expected a string of at most ${maxLength} characters`);
  }
  return value;
}

/** An array of token ids in [0, vocabSize), or a 400 naming the first bad entry. */
export function tokenIdsField(body: Record<string, unknown>, name: string, vocabSize: number, maxLength = 100_000): number[] {
  const value = body[name];
  if (!Array.isArray(value) || value.length > maxLength) {
    throw new ApiError(400, `${name} is not valid: expected an array of at most ${maxLength} token ids`);
  }
  value.forEach((id, index) => {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new ApiError(400, `${name}[${index}] = ${JSON.stringify(id)} is out of range: expected an integer in [0, ${vocabSize})`);
    }
  });
  return value as number[];
}
