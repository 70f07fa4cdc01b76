import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { ApiRole } from '../../ledger/port/ledger.tokens';
import type { Principal } from './api-key-store';

export const ROLES_KEY = 'fedledger:roles';
export const PUBLIC_KEY = 'fedledger:public';

/** Roles allowed on a controller or route; routes without it are admin-only. */
export const Roles = (...roles: ApiRole[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

/** Marks a route as reachable without an API key (health, metrics). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/** Request property where the guard stores the authenticated principal. */
export const PRINCIPAL_PROPERTY = 'fedledgerPrincipal';

/** Injects the authenticated {@link Principal}. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const request = context.switchToHttp().getRequest<Record<string, unknown>>();
    return request[PRINCIPAL_PROPERTY] as Principal;
  },
);
