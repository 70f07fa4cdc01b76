import { FedLedgerError, parseJsonArgument } from '@fedledger/core';

/** Identifiers (federation ids) are restricted so they are safe inside composite keys and URLs. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** MSP ids as Fabric allows them in practice. */
export const MSP_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const HEX64 = /^[0-9a-f]{64}$/;
/**
 * A composite-key attribute: no control characters (U+0000 is the key separator) and no U+10FFFF
 * (the end-of-range marker), so one attribute can never stand for several.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are what the pattern rejects
export const KEY_ATTRIBUTE_PATTERN = /^[^\u0000-\u001f\u007f\u{10ffff}]+$/u;
const DECIMAL_INTEGER = /^(0|[1-9][0-9]*)$/;

/** Largest round, version or page size accepted; keeps zero-padded key segments fixed-width. */
export const MAX_COUNTER = 999_999;
export const MAX_PAGE_SIZE = 100;

function invalid(message: string): FedLedgerError {
  return new FedLedgerError('INVALID_ARGUMENT', message);
}

/** A federation id argument. */
export function parseId(value: string, name: string): string {
  if (!ID_PATTERN.test(value)) {
    throw invalid(
      `${name} must be 1-64 characters of letters, digits, '.', '_' or '-' starting with a letter or digit, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** An MSP id argument. */
export function parseMspId(value: string, name: string): string {
  if (!MSP_ID_PATTERN.test(value)) {
    throw invalid(`${name} must be an MSP id such as "Org1MSP", got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A decimal integer argument within [min, max]. */
export function parseIntegerArg(value: string, name: string, min: number, max: number): number {
  if (!DECIMAL_INTEGER.test(value)) {
    throw invalid(`${name} must be a decimal integer, got ${JSON.stringify(value)}`);
  }
  const parsed = Number(value);
  if (parsed < min || parsed > max) {
    throw invalid(`${name} must be between ${min} and ${max}, got ${parsed}`);
  }
  return parsed;
}

/** A SHA-256 hex digest argument. */
export function parseHex64(value: string, name: string): string {
  if (!HEX64.test(value)) {
    throw invalid(
      `${name} must be 64 lowercase hex characters (a SHA-256 digest), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** An argument used as one composite-key attribute (e.g. a proposal id), of bounded length. */
export function parseKeyAttribute(value: string, name: string, max: number): string {
  if (!KEY_ATTRIBUTE_PATTERN.test(value)) {
    throw invalid(
      `${name} must be non-empty and free of control characters, got ${JSON.stringify(value)}`,
    );
  }
  if (value.length > max) {
    throw invalid(`${name} must have at most ${max} characters, got ${value.length}`);
  }
  return value;
}

/** A free-text argument of bounded length. */
export function parseText(value: string, name: string, max: number): string {
  if (value.trim().length === 0) {
    throw invalid(`${name} must not be empty`);
  }
  if (value.length > max) {
    throw invalid(`${name} must have at most ${max} characters, got ${value.length}`);
  }
  return value;
}

/** Page size for paginated listings. */
export function parsePageSize(value: string): number {
  return parseIntegerArg(value, 'pageSize', 1, MAX_PAGE_SIZE);
}

/** Parses a JSON argument; malformed JSON becomes INVALID_ARGUMENT naming the argument. */
export function parseJson(value: string, name: string): unknown {
  return parseJsonArgument(value, name);
}
