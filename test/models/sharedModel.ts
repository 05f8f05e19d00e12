import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEmbeddedData, type EmbeddedData } from '../../src/models/embeddedData.js';

/**
 * One cache directory for every test that needs the embedded model, so that the whole suite
 * builds it at most once (test files running in parallel wait on the build lock) and later
 * runs reuse it (the file is versioned and checksummed, so a stale one is rebuilt).
 */
export const TEST_CACHE_DIRECTORY = process.env.KNOBS_TEST_CACHE_DIR ?? join(tmpdir(), 'creativity-knobs-test-cache');

/** The embedded model's data from the shared test cache. */
export function sharedEmbeddedData(): Promise<EmbeddedData> {
  return loadEmbeddedData({ cacheDirectory: TEST_CACHE_DIRECTORY });
}
