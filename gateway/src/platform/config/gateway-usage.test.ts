import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENV } from './gateway-config';
import { GATEWAY_USAGE } from './gateway-usage';

test('the --help text names every environment variable the gateway reads', () => {
  for (const name of [...Object.values(ENV), 'FEDLEDGER_TF_BACKEND']) {
    assert.match(
      GATEWAY_USAGE,
      new RegExp(`\\b${name}\\b`),
      `${name} is missing from the --help text`,
    );
  }
});
