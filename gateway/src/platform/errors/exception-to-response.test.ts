import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BadRequestException,
  NotFoundException,
  InternalServerErrorException,
  PayloadTooLargeException,
} from '@nestjs/common';
import { ERROR_CODES, FedLedgerError } from '@fedledger/core';
import { exceptionToResponse } from './exception-to-response';
import { HTTP_STATUS_BY_CODE, httpStatusFor } from './http-status';
import { RequestValidationError, flattenValidationErrors } from './request-validation.error';

describe('error mapping', () => {
  it('maps every stable code to exactly the documented status', () => {
    assert.deepEqual(Object.keys(HTTP_STATUS_BY_CODE).sort(), [...ERROR_CODES].sort());
    const expected: Record<string, number> = {
      INVALID_ARGUMENT: 422,
      SHAPE_MISMATCH: 422,
      NON_FINITE_VALUE: 422,
      DIGEST_MISMATCH: 422,
      NOT_FOUND: 404,
      FORBIDDEN: 403,
      UNAUTHENTICATED: 401,
      CONFLICT: 409,
      ALREADY_EXISTS: 409,
      ROUND_CLOSED: 409,
      ROUND_NOT_OPEN: 409,
      QUORUM_NOT_MET: 409,
      FAILED_PRECONDITION: 409,
      BUDGET_EXCEEDED: 409,
      BACKEND_UNAVAILABLE: 409,
      PRIVACY_BUDGET_EXHAUSTED: 409,
      PAYLOAD_TOO_LARGE: 413,
      LEDGER_UNAVAILABLE: 503,
      BLOB_UNAVAILABLE: 503,
      INTERNAL: 500,
    };
    for (const code of ERROR_CODES) assert.equal(httpStatusFor(code), expected[code], code);
  });

  it('answers domain errors with their code, reason and details', () => {
    assert.deepEqual(
      exceptionToResponse(new FedLedgerError('ROUND_CLOSED', 'round 2 is closed', { round: 2 })),
      {
        status: 409,
        body: { code: 'ROUND_CLOSED', message: 'round 2 is closed', details: { round: 2 } },
      },
    );
  });

  it('answers request validation failures with 400 and the fields', () => {
    const error = new RequestValidationError([
      { field: 'rounds', problems: ['rounds must be an integer number'] },
    ]);
    const { status, body } = exceptionToResponse(error);
    assert.equal(status, 400);
    assert.equal(body.code, 'INVALID_ARGUMENT');
    assert.deepEqual(body.details, {
      fields: [{ field: 'rounds', problems: ['rounds must be an integer number'] }],
    });
  });

  it('flattens nested validation errors into dotted paths', () => {
    const fields = flattenValidationErrors([
      {
        property: 'strategy',
        children: [{ property: 'name', constraints: { isIn: 'bad name' }, children: [] }],
      },
      { property: 'rounds', constraints: { isInt: 'not int', min: 'too small' }, children: [] },
    ]);
    assert.deepEqual(fields, [
      { field: 'strategy.name', problems: ['bad name'] },
      { field: 'rounds', problems: ['not int', 'too small'] },
    ]);
  });

  it('maps framework and body-parser errors, and hides unexpected ones as 500 INTERNAL', () => {
    assert.equal(
      exceptionToResponse(new NotFoundException('Cannot GET /x')).body.code,
      'NOT_FOUND',
    );
    assert.deepEqual(exceptionToResponse(new BadRequestException('bad json')).status, 400);
    assert.equal(
      exceptionToResponse(new PayloadTooLargeException()).body.code,
      'PAYLOAD_TOO_LARGE',
    );
    assert.deepEqual(exceptionToResponse(new InternalServerErrorException('boom')), {
      status: 500,
      body: { code: 'INTERNAL', message: 'boom', details: null },
    });
    const tooLarge = Object.assign(new Error('request entity too large'), {
      type: 'entity.too.large',
      status: 413,
    });
    assert.deepEqual(exceptionToResponse(tooLarge), {
      status: 413,
      body: { code: 'PAYLOAD_TOO_LARGE', message: 'request entity too large', details: null },
    });
    const parse = Object.assign(new Error('Unexpected token'), {
      type: 'entity.parse.failed',
      status: 400,
    });
    assert.equal(exceptionToResponse(parse).body.code, 'INVALID_ARGUMENT');
    assert.deepEqual(exceptionToResponse(new Error('secret internals')), {
      status: 500,
      body: { code: 'INTERNAL', message: 'internal error', details: null },
    });
    assert.equal(exceptionToResponse('thrown string').status, 500);
  });
});
