import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FedLedgerError } from '@fedledger/core';
import type { ApiRole } from '../../ledger/port/ledger.tokens';
import { ApiKeyStore } from './api-key-store';
import { PRINCIPAL_PROPERTY, PUBLIC_KEY, ROLES_KEY } from './auth.decorators';

interface HeaderRequest {
  headers: Record<string, string | string[] | undefined>;
  [PRINCIPAL_PROPERTY]?: unknown;
}

/** Authenticates `x-api-key` (or `Authorization: Bearer`) and enforces `@Roles`. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ApiKeyStore) private readonly keys: ApiKeyStore,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<HeaderRequest>();
    const presented = presentedKey(request.headers);
    if (presented === undefined) {
      throw new FedLedgerError(
        'UNAUTHENTICATED',
        'an API key is required (x-api-key header or Authorization: Bearer)',
      );
    }
    const principal = this.keys.authenticate(presented);
    if (!principal) {
      throw new FedLedgerError('UNAUTHENTICATED', 'unknown or revoked API key');
    }
    const allowed = this.reflector.getAllAndOverride<ApiRole[] | undefined>(ROLES_KEY, targets) ?? [
      'admin',
    ];
    if (!allowed.includes(principal.role)) {
      throw new FedLedgerError(
        'FORBIDDEN',
        `role ${principal.role} may not do this; allowed: ${allowed.join(', ')}`,
      );
    }
    request[PRINCIPAL_PROPERTY] = principal;
    return true;
  }
}

function presentedKey(headers: HeaderRequest['headers']): string | undefined {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return apiKey;
  const authorization = headers['authorization'];
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (match) return match[1];
  }
  return undefined;
}
