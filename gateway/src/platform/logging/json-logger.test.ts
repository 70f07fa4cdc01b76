import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonLogger } from './json-logger';

describe('JsonLogger', () => {
  it('writes one JSON object per line with structured fields and context', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('info', 'Org1MSP', (line) => lines.push(line));
    logger.log(
      { msg: 'update submitted', federationId: 'f', round: 2, block: 5n },
      'participation',
    );
    logger.warn('plain text');
    logger.error('failed', 'stack trace', 'http');
    logger.debug('hidden');
    logger.verbose('hidden too');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(records.length, 3);
    assert.deepEqual(
      { ...records[0], time: 't' },
      {
        time: 't',
        level: 'info',
        org: 'Org1MSP',
        context: 'participation',
        msg: 'update submitted',
        federationId: 'f',
        round: 2,
        block: '5',
      },
    );
    assert.deepEqual([records[1]?.['level'], records[1]?.['msg']], ['warn', 'plain text']);
    assert.deepEqual(
      [records[2]?.['level'], records[2]?.['context'], records[2]?.['stack']],
      ['error', 'http', 'stack trace'],
    );
  });

  it('honours the level, lets a record name its org, and is quiet when silent', () => {
    const lines: string[] = [];
    new JsonLogger('debug', 'Org1MSP', (line) => lines.push(line)).debug({
      msg: 'x',
      org: 'Org2MSP',
    });
    assert.equal((JSON.parse(lines[0]) as { org: string }).org, 'Org2MSP');
    const silent: string[] = [];
    const logger = new JsonLogger('silent', 'Org1MSP', (line) => silent.push(line));
    logger.error(new Error('boom'));
    assert.deepEqual(silent, []);
    const errors: string[] = [];
    new JsonLogger('error', 'O', (line) => errors.push(line)).error(new Error('boom'));
    assert.equal((JSON.parse(errors[0]) as { msg: string }).msg, 'boom');
  });
});
