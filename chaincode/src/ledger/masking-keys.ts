import { FedLedgerError } from '@fedledger/core';
import type { Context } from 'fabric-contract-api';
import { KEY } from '../state/keys';
import { maskingKeyRecord } from '../state/privacy';
import type { LoadedFederation } from './federation-state';
import { isSecure } from './secure-round';
import { listRecords } from './store';

/**
 * A secure-aggregation federation starts only once every participant registered its masking key:
 * each update is masked against every other participant, so a missing key would make a round
 * impossible to mask (or leave one pair unmasked).
 */
export async function requireMaskingKeys(
  ctx: Context,
  federation: LoadedFederation,
): Promise<void> {
  if (!isSecure(federation.record)) return;
  const registered = (
    await listRecords(ctx, maskingKeyRecord, KEY.maskingKey, [federation.record.id])
  ).map((k) => k.mspId);
  const missing = federation.participants.filter((msp) => !registered.includes(msp));
  if (missing.length > 0) {
    throw new FedLedgerError(
      'FAILED_PRECONDITION',
      `federation ${federation.record.id} uses secure aggregation; ${missing.join(', ')} must register a masking key (RegisterMaskingKey) before it starts`,
    );
  }
}
