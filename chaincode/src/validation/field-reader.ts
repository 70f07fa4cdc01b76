import { FedLedgerError, type ErrorCode } from '@fedledger/core';

const HEX64 = /^[0-9a-f]{64}$/;

/** Bounds for a numeric field; both inclusive. */
export interface NumberBounds {
  min?: number;
  max?: number;
}

/**
 * Reads typed fields out of an untrusted JSON value, failing with one error code and a message that
 * names the exact path and what was expected. Used for transaction arguments (INVALID_ARGUMENT) and
 * for records read back from the ledger (INTERNAL: stored data that does not match its type).
 */
export class FieldReader {
  readonly #record: Record<string, unknown>;
  readonly #path: string;
  readonly #code: ErrorCode;
  readonly #seen = new Set<string>();

  constructor(value: unknown, path: string, code: ErrorCode) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new FedLedgerError(code, `${path} must be a JSON object, got ${describe(value)}`);
    }
    this.#record = value as Record<string, unknown>;
    this.#path = path;
    this.#code = code;
  }

  /** Fails with this reader's code, naming `field` under this reader's path. */
  fail(field: string, problem: string): never {
    throw new FedLedgerError(this.#code, `${this.#path}.${field} ${problem}`);
  }

  /** The error code this reader fails with. */
  get code(): ErrorCode {
    return this.#code;
  }

  has(field: string): boolean {
    return this.#record[field] !== undefined;
  }

  string(
    field: string,
    opts: { min?: number; max?: number; pattern?: RegExp; patternHint?: string } = {},
  ): string {
    const value = this.#take(field);
    if (typeof value !== 'string') {
      return this.fail(field, `must be a string, got ${describe(value)}`);
    }
    checkString(value, opts, (problem) => this.fail(field, problem));
    return value;
  }

  optionalString(field: string, opts: { min?: number; max?: number } = {}): string | undefined {
    return this.#optional(field, () => this.string(field, opts));
  }

  hex64(field: string): string {
    return this.string(field, {
      pattern: HEX64,
      patternHint: '64 lowercase hex characters (SHA-256)',
    });
  }

  nullableHex64(field: string): string | null {
    return this.#record[field] === null ? (this.#take(field) as null) : this.hex64(field);
  }

  number(field: string, bounds: NumberBounds = {}): number {
    const value = this.#take(field);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return this.fail(field, `must be a finite number, got ${describe(value)}`);
    }
    checkBounds(value, bounds, (problem) => this.fail(field, problem));
    return value;
  }

  optionalNumber(field: string, bounds: NumberBounds = {}): number | undefined {
    return this.#optional(field, () => this.number(field, bounds));
  }

  integer(field: string, bounds: NumberBounds = {}): number {
    const value = this.number(field, bounds);
    if (!Number.isSafeInteger(value)) {
      return this.fail(field, `must be an integer, got ${value}`);
    }
    return value;
  }

  optionalInteger(field: string, bounds: NumberBounds = {}): number | undefined {
    return this.#optional(field, () => this.integer(field, bounds));
  }

  boolean(field: string): boolean {
    const value = this.#take(field);
    if (typeof value !== 'boolean') {
      return this.fail(field, `must be true or false, got ${describe(value)}`);
    }
    return value;
  }

  literal<T extends string>(field: string, allowed: readonly T[]): T {
    const value = this.#take(field);
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      return this.fail(
        field,
        `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describe(value)}`,
      );
    }
    return value as T;
  }

  /** A nested object, read with a reader of the same code. */
  object(field: string): FieldReader {
    return new FieldReader(this.#take(field), `${this.#path}.${field}`, this.#code);
  }

  /** The raw value of a field, for callers that validate it themselves (e.g. strategy config). */
  raw(field: string): unknown {
    return this.#take(field);
  }

  optionalRaw(field: string): unknown {
    return this.#optional(field, () => this.#take(field));
  }

  array(field: string, opts: { min?: number; max?: number } = {}): unknown[] {
    const value = this.#take(field);
    if (!Array.isArray(value)) {
      return this.fail(field, `must be an array, got ${describe(value)}`);
    }
    if (opts.min !== undefined && value.length < opts.min) {
      return this.fail(field, `must have at least ${opts.min} item(s), got ${value.length}`);
    }
    if (opts.max !== undefined && value.length > opts.max) {
      return this.fail(field, `must have at most ${opts.max} items, got ${value.length}`);
    }
    return value;
  }

  /** An array of objects, each read with its own reader. */
  objectArray<T>(
    field: string,
    read: (item: FieldReader) => T,
    opts: { min?: number; max?: number } = {},
  ): T[] {
    return this.array(field, opts).map((item, i) => {
      const reader = new FieldReader(item, `${this.#path}.${field}[${i}]`, this.#code);
      const result = read(reader);
      reader.done();
      return result;
    });
  }

  stringArray(
    field: string,
    opts: { min?: number; max?: number; unique?: boolean; itemMax?: number; pattern?: RegExp } = {},
  ): string[] {
    const items = this.array(field, opts);
    items.forEach((item, i) => {
      if (typeof item !== 'string') {
        this.fail(`${field}[${i}]`, `must be a string, got ${describe(item)}`);
      }
      checkString(item, { min: 1, max: opts.itemMax ?? 256, pattern: opts.pattern }, (problem) =>
        this.fail(`${field}[${i}]`, problem),
      );
    });
    const strings = items as string[];
    if (opts.unique) {
      const duplicate = strings.find((item, i) => strings.indexOf(item) !== i);
      if (duplicate !== undefined) {
        this.fail(field, `must not repeat ${JSON.stringify(duplicate)}`);
      }
    }
    return strings;
  }

  /** An object whose values are all finite numbers (e.g. metrics). */
  numberMap(field: string, opts: { maxEntries?: number } = {}): Record<string, number> {
    return readNumberMap(
      this.#take(field),
      `${this.#path}.${field}`,
      this.#code,
      opts.maxEntries ?? 64,
    );
  }

  optionalNumberMap(field: string): Record<string, number> | undefined {
    return this.#optional(field, () => this.numberMap(field));
  }

  /** Rejects fields nobody read, so typos in argument JSON are reported instead of ignored. */
  done(): void {
    const unknown = Object.keys(this.#record).filter((key) => !this.#seen.has(key));
    if (unknown.length > 0) {
      throw new FedLedgerError(
        this.#code,
        `${this.#path} has unknown field(s): ${unknown.join(', ')}`,
      );
    }
  }

  #take(field: string): unknown {
    this.#seen.add(field);
    const value = this.#record[field];
    if (value === undefined) {
      return this.fail(field, 'is required');
    }
    return value;
  }

  /** Reads a field that may be absent: `read()` when present, else `undefined` (and the field counts as seen). */
  #optional<T>(field: string, read: () => T): T | undefined {
    if (this.has(field)) return read();
    this.#seen.add(field);
    return undefined;
  }
}

/** Reads `{ name: finite number }`; names must be 1–64 characters. */
export function readNumberMap(
  value: unknown,
  path: string,
  code: ErrorCode,
  maxEntries: number,
): Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FedLedgerError(
      code,
      `${path} must be a JSON object of numbers, got ${describe(value)}`,
    );
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > maxEntries) {
    throw new FedLedgerError(
      code,
      `${path} has ${entries.length} entries; at most ${maxEntries} are allowed`,
    );
  }
  const result: Record<string, number> = {};
  for (const [name, item] of entries) {
    if (name.length === 0 || name.length > 64) {
      throw new FedLedgerError(code, `${path} key ${JSON.stringify(name)} must be 1-64 characters`);
    }
    if (name === '__proto__') {
      // Assigning it would set the result's prototype and silently drop the metric.
      throw new FedLedgerError(code, `${path} key "__proto__" is not allowed`);
    }
    if (typeof item !== 'number' || !Number.isFinite(item)) {
      throw new FedLedgerError(
        code,
        `${path}.${name} must be a finite number, got ${describe(item)}`,
      );
    }
    result[name] = item;
  }
  return result;
}

/** A short description of a JSON value's type for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'string')
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

function checkString(
  value: string,
  opts: { min?: number; max?: number; pattern?: RegExp | undefined; patternHint?: string },
  fail: (problem: string) => never,
): void {
  const min = opts.min ?? 0;
  if (value.length < min) {
    fail(min === 1 ? 'must not be empty' : `must have at least ${min} characters`);
  }
  if (opts.max !== undefined && value.length > opts.max) {
    fail(`must have at most ${opts.max} characters, got ${value.length}`);
  }
  if (opts.pattern && !opts.pattern.test(value)) {
    fail(
      `must be ${opts.patternHint ?? `a string matching ${String(opts.pattern)}`}, got ${describe(value)}`,
    );
  }
}

function checkBounds(value: number, bounds: NumberBounds, fail: (problem: string) => never): void {
  if (bounds.min !== undefined && value < bounds.min) {
    fail(`must be at least ${bounds.min}, got ${value}`);
  }
  if (bounds.max !== undefined && value > bounds.max) {
    fail(`must be at most ${bounds.max}, got ${value}`);
  }
}
