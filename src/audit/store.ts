import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { InvalidInputError, KnobsError } from '../core/errors.js';
import { canonicalJson } from '../experiments/canonicalJson.js';
import type { TargetAnswer, TargetRequest } from './types.js';

/** A requests file that does not belong to this audit, or that exists without `resume`/`overwrite`. */
export class AuditStoreError extends KnobsError {
  override name = 'AuditStoreError';
}

/** Lines written between two fsyncs. */
const SYNC_EVERY = 256;

/**
 * The key of a request: the first 20 hex digits of the SHA-256 of the canonical JSON of
 * the target's description and everything the request asks (prompt, fields, seed, token
 * limit, alternatives, whether tokens are named by id). The same request of the same audit has the same key in every run.
 *
 * @example
 * requestKey({ kind: 'openai' }, request); // a 20-character hex string
 */
export function requestKey(target: Readonly<Record<string, unknown>>, request: TargetRequest): string {
  const identity = { target, prompt: request.prompt, fields: request.fields, seed: request.seed, maxTokens: request.maxTokens, topLogprobs: request.topLogprobs, tokenIds: request.tokenIds };
  return createHash('sha256').update(canonicalJson(identity)).digest('hex').slice(0, 20);
}

/**
 * The answers of an audit's requests in a JSONL file, so that an audit stopped at any point
 * (Ctrl-C, a crash, a rate limit) resumes where it was: a header line naming the target,
 * then one line per answered request with its prompt, fields, seed and answer. Lines are
 * fsynced every 256 lines and on close; a torn last line is cut off when the file is
 * opened again.
 *
 * @example
 * const store = AuditStore.open('audit.jsonl', target.description, { resume: true });
 * store.get(key) ?? store.put(key, request, await target.send(request));
 */
export class AuditStore {
  private readonly answers = new Map<string, TargetAnswer>();
  private fd: number | undefined;
  private unsynced = 0;

  private constructor(readonly path: string) {}

  /** Opens (or creates) the file; with `resume` the answers already in it are reused. */
  static open(path: string, target: Readonly<Record<string, unknown>>, options: { resume?: boolean; overwrite?: boolean } = {}): AuditStore {
    const store = new AuditStore(path);
    let validBytes = 0;
    let hasHeader = false;
    if (existsSync(path)) {
      const bytes = readFileSync(path);
      validBytes = bytes.lastIndexOf(0x0a) + 1;
      const lines = bytes.subarray(0, validBytes).toString('utf8').split('\n').filter((line) => line.trim() !== '');
      if (lines.length > 0 && !options.resume && !options.overwrite) {
        throw new AuditStoreError(`${path} already holds an audit's requests: pass --resume to continue it, or --overwrite to start again`);
      }
      if (options.resume && !options.overwrite) {
        lines.forEach((line, index) => {
          let value: { type?: string; key?: string; answer?: TargetAnswer; target?: unknown };
          try {
            value = JSON.parse(line) as typeof value;
          } catch {
            throw new InvalidInputError(`${path} line ${index + 1} is not JSON: the requests file is damaged before its last line`);
          }
          if (value.type === 'audit') {
            hasHeader = true;
            if (canonicalJson(value.target) !== canonicalJson(target)) {
              throw new AuditStoreError(`${path} belongs to an audit of another target (${JSON.stringify(value.target)}): use another --out, or --overwrite`);
            }
          } else if (value.type === 'request' && typeof value.key === 'string' && value.answer !== undefined) {
            store.answers.set(value.key, value.answer);
          }
        });
      } else validBytes = 0;
      truncateSync(path, validBytes);
    }
    store.fd = openSync(path, 'a');
    if (!hasHeader) store.write({ type: 'audit', format: 1, target, created_at: new Date().toISOString() });
    return store;
  }

  /** Answers found in the file when it was opened, plus those put since. */
  get size(): number {
    return this.answers.size;
  }

  get(key: string): TargetAnswer | undefined {
    return this.answers.get(key);
  }

  put(key: string, request: TargetRequest, answer: TargetAnswer): void {
    this.answers.set(key, answer);
    const { signal: _signal, ...asked } = request;
    this.write({ type: 'request', key, ...asked, answer });
  }

  private write(line: unknown): void {
    if (this.fd === undefined) throw new InvalidInputError(`${this.path} is closed`);
    const buffer = Buffer.from(`${JSON.stringify(line)}\n`, 'utf8');
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(this.fd, buffer, offset, buffer.length - offset);
    if (++this.unsynced >= SYNC_EVERY) {
      fsyncSync(this.fd);
      this.unsynced = 0;
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }
}
