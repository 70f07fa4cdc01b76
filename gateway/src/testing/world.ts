// The contract API logs every decorator at info level; keep test output readable. Set before the
// chaincode's contracts load (this module's requires run in source order).
process.env['CORE_CHAINCODE_LOGGING_LEVEL'] ??= 'error';

import { contracts } from '@fedledger/chaincode';
import {
  InProcessWorld as SimulatedChannel,
  type InProcessWorldOptions,
} from '@fedledger/simulator';

export { ManualClock } from '@fedledger/simulator';

/** An in-process channel running the fedledger chaincode's contracts (tests and the in-process demo). */
export class InProcessWorld extends SimulatedChannel {
  constructor(options: Omit<InProcessWorldOptions, 'contracts'> = {}) {
    super({ ...options, contracts });
  }
}
