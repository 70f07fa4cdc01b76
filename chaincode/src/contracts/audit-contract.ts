import { CONTRACT, FedLedgerError, canonicalJson, type KeyHistoryEntry } from '@fedledger/core';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { FedLedgerContext, FedLedgerContract } from '../ledger/fedledger-context';
import { requireReader } from '../access/consortium-guard';
import { loadFederation } from '../ledger/federation-state';
import { pageRecords } from '../ledger/store';
import { auditEntryRecord } from '../state/audit-entry';
import { KEY, PUBLIC_KEY_TYPES } from '../state/keys';
import { KEY_ATTRIBUTE_PATTERN, parseId, parseJson, parsePageSize } from '../validation/arguments';
import { FieldReader } from '../validation/field-reader';

/** Read-only audit views: timelines of every state change, and key history from the history database. */
@Info({ title: 'fedledger audit', description: 'Timelines and key history' })
export class AuditContract extends FedLedgerContract {
  constructor() {
    super(CONTRACT.audit);
  }

  /** A federation's audit entries ordered by transaction timestamp, then tx id. */
  @Transaction(false)
  @Returns('string')
  async ListTimeline(
    ctx: FedLedgerContext,
    federationId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const size = parsePageSize(pageSize);
    await requireReader(ctx);
    await loadFederation(ctx, id);
    return canonicalJson(
      await pageRecords(ctx, auditEntryRecord, KEY.auditFederation, [id], size, bookmark),
    );
  }

  /** Consortium-level audit entries (membership and role changes), oldest first. */
  @Transaction(false)
  @Returns('string')
  async ListConsortiumTimeline(
    ctx: FedLedgerContext,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const size = parsePageSize(pageSize);
    await requireReader(ctx);
    return canonicalJson(
      await pageRecords(ctx, auditEntryRecord, KEY.auditConsortium, [], size, bookmark),
    );
  }

  /**
   * Every committed value of one public-state key, oldest first. History is not re-validated at
   * commit, which is why this is a read-only transaction.
   */
  @Transaction(false)
  @Returns('string')
  async GetKeyHistory(
    ctx: FedLedgerContext,
    objectType: string,
    attributesJson: string,
  ): Promise<string> {
    if (!(PUBLIC_KEY_TYPES as readonly string[]).includes(objectType)) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `objectType must be one of ${PUBLIC_KEY_TYPES.join(', ')}, got ${JSON.stringify(objectType)}`,
      );
    }
    const attributes = new FieldReader(
      { attributes: parseJson(attributesJson, 'attributesJson') },
      'attributesJson',
      'INVALID_ARGUMENT',
    ).stringArray('attributes', { max: 8, pattern: KEY_ATTRIBUTE_PATTERN });
    await requireReader(ctx);
    const iterator = await ctx.stub.getHistoryForKey(
      ctx.stub.createCompositeKey(objectType, attributes),
    );
    const entries: KeyHistoryEntry[] = [];
    try {
      for (let result = await iterator.next(); !result.done; result = await iterator.next()) {
        const modification = result.value;
        const seconds = Number(String(modification.timestamp.seconds));
        const millis = seconds * 1000 + Math.floor(modification.timestamp.nanos / 1e6);
        entries.push({
          txId: modification.txId,
          timestamp: new Date(millis).toISOString(),
          isDelete: modification.isDelete,
          value:
            modification.isDelete || modification.value.length === 0
              ? null
              : (JSON.parse(new TextDecoder().decode(modification.value)) as unknown),
        });
      }
    } finally {
      await iterator.close();
    }
    // Fabric v2 returns history newest first (by block and transaction height); show it oldest first.
    return canonicalJson(entries.reverse());
  }
}
