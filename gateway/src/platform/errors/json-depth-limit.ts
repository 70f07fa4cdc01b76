/**
 * Deepest JSON nesting a request body may have. The deepest real body (a federation with its
 * strategy, hyper-parameters and feature scaling) is 3 levels; 64 leaves room for any future DTO,
 * while a 2,000-deep body used to exhaust the recursion of validation and answer 500.
 */
export const MAX_JSON_DEPTH = 64;

/** A body-parser error (status and type read by the error mapping) for a body nested too deep. */
class JsonTooDeepError extends Error {
  readonly status = 400;
  readonly type = 'entity.too.deep';
}

/**
 * A body-parser `verify` hook: scans the raw body once, counting brackets outside strings, and
 * refuses it before `JSON.parse` or any recursive code sees it. Linear time, no recursion itself.
 */
export function rejectJsonDeeperThan(
  maxDepth: number,
): (request: unknown, response: unknown, body: Buffer) => void {
  return (_request, _response, body) => {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < body.length; i++) {
      const byte = body[i];
      if (inString) {
        if (byte === 0x5c)
          i++; // backslash: skip the escaped character
        else if (byte === 0x22) inString = false;
      } else if (byte === 0x22) {
        inString = true;
      } else if (byte === 0x5b || byte === 0x7b) {
        depth++;
        if (depth > maxDepth)
          throw new JsonTooDeepError(`JSON nested deeper than ${maxDepth} levels`);
      } else if (byte === 0x5d || byte === 0x7d) {
        depth--;
      }
    }
  };
}
