import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { defer, from, type Observable, switchMap, tap } from 'rxjs';
import { RequestValidationError } from '../../platform/errors/request-validation.error';
import { LEDGER, type LedgerProvider } from './ledger.tokens';
import { COMMITTED_BLOCK_HEADER, MIN_BLOCK_HEADER, runInLedgerSession } from './ledger-session';

/** How long a request waits for this org's peer to reach the block the client asked for. */
export const MIN_BLOCK_WAIT_MS = 15_000;

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
}
interface HttpResponse {
  headersSent: boolean;
  setHeader(name: string, value: string): void;
}

/**
 * Applies the read-your-writes protocol of {@link MIN_BLOCK_HEADER} to every route: waits for the
 * block the client names before the handler runs, and reports the block that the handler's own
 * writes committed in. Runs after the guard, so an unauthenticated request never waits.
 */
@Injectable()
export class LedgerConsistencyInterceptor implements NestInterceptor {
  constructor(@Inject(LEDGER) private readonly ledger: LedgerProvider) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const minBlock = parseMinBlock(http.getRequest<HttpRequest>().headers[MIN_BLOCK_HEADER]);
    const response = http.getResponse<HttpResponse>();
    const waited =
      minBlock === undefined
        ? from([undefined])
        : defer(() => this.ledger.waitForBlock(minBlock, MIN_BLOCK_WAIT_MS));
    return waited.pipe(
      switchMap(() => {
        const { result, session } = runInLedgerSession(() => next.handle());
        return result.pipe(
          tap(() => {
            if (session.committedBlock !== undefined && !response.headersSent)
              response.setHeader(COMMITTED_BLOCK_HEADER, String(session.committedBlock));
          }),
        );
      }),
    );
  }
}

/** The header's block number, or undefined when absent; anything else is a 400 naming the header. */
export function parseMinBlock(value: string | string[] | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.at(-1) : value;
  if (text !== undefined && /^\d{1,15}$/.test(text.trim())) return Number(text.trim());
  throw new RequestValidationError([
    {
      field: `header ${MIN_BLOCK_HEADER}`,
      problems: [`must be a block number (a non-negative integer), got '${String(text)}'`],
    },
  ]);
}
