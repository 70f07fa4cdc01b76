import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Contract, Network, ProposalOptions } from '@hyperledger/fabric-gateway';
import { CommitError, StatusCode } from '@hyperledger/fabric-gateway';
import { CONTRACT, TRANSIENT } from '@fedledger/core';
import { FabricLedgerClient } from './fabric-ledger-client';

interface Call {
  contract: string;
  kind: 'evaluate' | 'submit';
  name: string;
  args: Array<string | Uint8Array>;
  transient: Record<string, string | Uint8Array> | undefined;
}

/** A Network whose contracts record calls and answer from a script. */
function fakeNetwork(answer: (call: Call) => Uint8Array | Error): {
  network: Network;
  calls: Call[];
} {
  const calls: Call[] = [];
  const contract = (chaincode: string, name: string | undefined): Contract => {
    assert.equal(chaincode, 'fedledger');
    const run = (
      kind: Call['kind'],
      tx: string,
      options?: ProposalOptions,
    ): Promise<Uint8Array> => {
      const call: Call = {
        contract: name as string,
        kind,
        name: tx,
        args: options?.arguments ?? [],
        transient: options?.transientData,
      };
      calls.push(call);
      const result = answer(call);
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
    };
    // A CommitError stands for a transaction that was ordered but invalidated at commit.
    const submitAsync = async (tx: string, options?: ProposalOptions) => {
      let result: Uint8Array | CommitError;
      try {
        result = await run('submit', tx, options);
      } catch (error) {
        if (!(error instanceof CommitError)) throw error;
        result = error;
      }
      const status =
        result instanceof CommitError
          ? {
              successful: false,
              code: result.code,
              transactionId: result.transactionId,
              blockNumber: 7n,
            }
          : { successful: true, code: StatusCode.VALID, transactionId: 't', blockNumber: 7n };
      return {
        getStatus: () => Promise.resolve(status),
        getResult: () => (result instanceof CommitError ? new Uint8Array() : result),
      };
    };
    return {
      evaluate: (tx: string, options?: ProposalOptions) => run('evaluate', tx, options),
      submitAsync,
    } as unknown as Contract;
  };
  return { network: { getContract: contract } as unknown as Network, calls };
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

describe('FabricLedgerClient', () => {
  it('evaluates reads, submits writes, and passes weights only in the transient map', async () => {
    const { network, calls } = fakeNetwork(() => json({ ok: true }));
    const client = new FabricLedgerClient(network, 'fedledger');
    await client.getFederation('f1');
    await client.listFederations(10, 'bm');
    const weights = new Uint8Array([1, 2, 3]);
    await client.submitUpdate(
      {
        federationId: 'f1',
        round: 2,
        numSamples: 40,
        digest: 'ab',
        metrics: { loss: 0.5, acc: 0.75 },
      },
      weights,
    );
    await client.createFederation({ id: 'f2' } as never, weights);
    await client.getKeyHistory('fl.federation', ['f1']);
    await client.recordPrediction({
      federationId: 'f1',
      version: 3,
      inputHash: 'i',
      outputHash: 'o',
      count: 2,
    });
    assert.deepEqual(
      calls.map((call) => [call.contract, call.kind, call.name]),
      [
        [CONTRACT.federation, 'evaluate', 'GetFederation'],
        [CONTRACT.federation, 'evaluate', 'ListFederations'],
        [CONTRACT.round, 'submit', 'SubmitUpdate'],
        [CONTRACT.federation, 'submit', 'CreateFederation'],
        [CONTRACT.audit, 'evaluate', 'GetKeyHistory'],
        [CONTRACT.model, 'submit', 'RecordPrediction'],
      ],
    );
    assert.deepEqual(calls[1]?.args, ['10', 'bm']);
    assert.deepEqual(calls[2]?.args, ['f1', '2', '40', 'ab', '{"acc":0.75,"loss":0.5}']);
    assert.deepEqual(calls[2]?.transient, { [TRANSIENT.weights]: weights });
    assert.deepEqual(calls[3]?.args, ['{"id":"f2"}']);
    assert.deepEqual(calls[3]?.transient, { [TRANSIENT.initialWeights]: weights });
    assert.deepEqual(calls[4]?.args, ['fl.federation', '["f1"]']);
    assert.deepEqual(calls[5]?.args, ['f1', '3', 'i', 'o', '2']);
    assert.equal(calls[0]?.transient, undefined);
  });

  it('decodes global weights from base64 text', async () => {
    const { network } = fakeNetwork(() => new TextEncoder().encode('AQID'));
    assert.deepEqual(
      await new FabricLedgerClient(network, 'fedledger').getGlobalWeights('f', 1),
      new Uint8Array([1, 2, 3]),
    );
  });

  it('retries a submit that hit an MVCC read conflict, then maps persistent failures', async () => {
    let attempts = 0;
    const retried: Array<[string, number]> = [];
    const { network } = fakeNetwork(() => {
      attempts += 1;
      return attempts === 1
        ? new CommitError({ code: StatusCode.MVCC_READ_CONFLICT, transactionId: 't' })
        : json({ version: 1 });
    });
    const client = new FabricLedgerClient(network, 'fedledger', {
      retry: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 },
      onConflictRetry: (transaction, error) => retried.push([transaction, error.code]),
    });
    assert.deepEqual(await client.acceptInvitation('f'), { version: 1 });
    assert.equal(attempts, 2);
    assert.deepEqual(retried, [['AcceptInvitation', StatusCode.MVCC_READ_CONFLICT]]);

    const failing = fakeNetwork(
      () => new CommitError({ code: StatusCode.MVCC_READ_CONFLICT, transactionId: 't' }),
    );
    await assert.rejects(
      new FabricLedgerClient(failing.network, 'fedledger', {
        retry: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
      }).approveModel('f', 1),
      /^FedLedgerError: CONFLICT/,
    );
    assert.equal(failing.calls.length, 2);
    const lostRace = fakeNetwork(
      () => new CommitError({ code: StatusCode.MVCC_READ_CONFLICT, transactionId: 't' }),
    );
    await assert.rejects(
      new FabricLedgerClient(lostRace.network, 'fedledger', {
        retry: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 },
      }).aggregate('f', 1),
      /^FedLedgerError: CONFLICT/,
    );
    assert.equal(lostRace.calls.length, 1, 'an Aggregate that lost to another is not retried');
    const evaluateError = fakeNetwork(
      () => new Error('chaincode response 500, NOT_FOUND: no federation f'),
    );
    await assert.rejects(
      new FabricLedgerClient(evaluateError.network, 'fedledger').getFederation('f'),
      (error: unknown) => (error as { code: string }).code === 'NOT_FOUND',
    );
  });

  it('implements every LedgerApi method with one ledger call each', async () => {
    const { network, calls } = fakeNetwork((call) =>
      call.name === 'GetGlobalWeights' ? new TextEncoder().encode('') : json({}),
    );
    const client = new FabricLedgerClient(network, 'fedledger');
    await client.initConsortium([{ mspId: 'Org1MSP', role: 'member' }]);
    await client.getConsortium();
    await client.proposeRoleChange('Org2MSP', 'auditor');
    await client.approveRoleChange('p');
    await client.getRoleChange('p');
    await client.acceptInvitation('f');
    await client.startFederation('f');
    await client.cancelFederation('f', 'why');
    await client.getRound('f', 1);
    await client.listUpdates('f', 1);
    await client.recordEvaluation('f', 1, 10, { auc: 0.5 });
    await client.getModelVersion('f', 1);
    await client.listModelVersions('f');
    await client.getGlobalWeights('f', 0);
    await client.verifyModelHash('h');
    await client.listTimeline('f', 5, '');
    await client.listConsortiumTimeline(5, '');
    assert.deepEqual(
      calls.map((call) => `${call.kind}:${call.name}(${call.args.join('|')})`),
      [
        'submit:InitConsortium([{"mspId":"Org1MSP","role":"member"}])',
        'evaluate:GetConsortium()',
        'submit:ProposeRoleChange(Org2MSP|auditor)',
        'submit:ApproveRoleChange(p)',
        'evaluate:GetRoleChange(p)',
        'submit:AcceptInvitation(f)',
        'submit:StartFederation(f)',
        'submit:CancelFederation(f|why)',
        'evaluate:GetRound(f|1)',
        'evaluate:ListUpdates(f|1)',
        'submit:RecordEvaluation(f|1|10|{"auc":0.5}|)',
        'evaluate:GetModelVersion(f|1)',
        'evaluate:ListModelVersions(f)',
        'evaluate:GetGlobalWeights(f|0)',
        'evaluate:VerifyModelHash(h)',
        'evaluate:ListTimeline(f|5|)',
        'evaluate:ListConsortiumTimeline(5|)',
      ],
    );
  });
});
